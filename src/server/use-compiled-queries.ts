import { type ExecutionArgs, getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { compiledOperation } from './compiled-operations.js';

/**
 * Runs queries through graphql-jit once the same document has been executed
 * `after` times: a dashboard's page of jobs with their parents and children
 * resolves about a thousand fields, which compiled code does in a fraction of
 * graphql-js's time. Mutations stay interpreted (rare, and run one at a time).
 * Place it before plugins that wrap execution (the execution timeout), so that
 * they wrap the compiled run.
 */
export function useCompiledQueries({ after = 2 }: { after?: number } = {}): Plugin {
  return {
    onExecute({ args, setExecuteFn }) {
      const executionArgs = args as ExecutionArgs;
      if (getOperationAST(executionArgs.document, executionArgs.operationName)?.operation !== 'query') return;
      const compiled = compiledOperation(executionArgs, { after });
      if (compiled) setExecuteFn((run) => compiled((run as ExecutionArgs).rootValue, run as ExecutionArgs));
    },
  };
}
