import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ExecutionTimeoutOptions {
  /** How long a query or mutation may execute (see `Limits.executionTimeoutMs`). */
  timeoutMs: number;
}

/**
 * Answers a query or mutation that runs longer than `timeoutMs` with
 * `EXECUTION_TIMEOUT` (and `data: null`). Resolvers already running are not
 * interrupted — their results are dropped — so a mutation cut off this way may
 * still commit. Subscriptions are long-lived by design and are not timed.
 */
export function useExecutionTimeout({ timeoutMs }: ExecutionTimeoutOptions): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => {
            const message = `The operation did not finish within ${timeoutMs} ms; ask for less or try again later.`;
            resolve({ data: null, errors: [new GraphQLError(message, { extensions: { code: 'EXECUTION_TIMEOUT', timeoutMs } })] });
          }, timeoutMs);
        });
        // The race also handles a late rejection of an execution it abandoned.
        const executed = Promise.resolve(executeFn(args));
        return Promise.race([executed, timedOut]).finally(() => clearTimeout(timer));
      });
    },
  };
}
