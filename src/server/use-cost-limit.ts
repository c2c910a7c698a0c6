import { createComplexityRule } from '@pothos/plugin-complexity';
import { type DocumentNode, type ExecutionArgs, GraphQLError, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface CostLimitOptions {
  /** Largest estimated cost of an operation (see `Limits.maxCost`). */
  maxCost: number;
}

/**
 * Rejects an operation whose estimated cost (the Pothos complexity plugin's
 * model, set up in schema/builder.ts) exceeds `maxCost`, with
 * `COST_LIMIT_EXCEEDED` and before any resolver runs, over HTTP, SSE and
 * websockets alike.
 *
 * The cost depends on the variables (`first: $n`), so it is measured when the
 * operation is about to execute rather than as a validation rule: yoga caches
 * validation results by document, whatever the variables.
 */
/** Operations and variables of a document found within the limit, at most this many per document. */
const PASSED_PER_DOCUMENT = 256;

export function useCostLimit({ maxCost }: CostLimitOptions): Plugin {
  // The cost is a function of the document, the operation and the variables alone (no field's cost reads the
  // context): an operation found within the limit is not measured again for the same variables.
  const passed = new WeakMap<DocumentNode, Set<string>>();
  const check = (args: ExecutionArgs): readonly GraphQLError[] => {
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    let known = passed.get(args.document);
    if (known?.has(key)) return [];
    const errors = measure(args);
    if (errors.length === 0) {
      if (!known) passed.set(args.document, (known = new Set()));
      else if (known.size >= PASSED_PER_DOCUMENT) known.clear();
      known.add(key);
    }
    return errors;
  };
  const measure = (args: ExecutionArgs): GraphQLError[] => {
    const rule = createComplexityRule({
      context: (args.contextValue ?? {}) as object,
      variableValues: (args.variableValues ?? {}) as Record<string, unknown>,
      operationName: args.operationName,
      validate: ({ complexity }, reportError) => {
        if (complexity <= maxCost) return;
        reportError(
          new GraphQLError(`The operation costs ${complexity}, more than the limit of ${maxCost}; ask for smaller pages or fewer fields.`, {
            // A request error like a failed validation: 400, or 200 for legacy application/json clients.
            extensions: { code: 'COST_LIMIT_EXCEEDED', cost: complexity, maxCost, http: { status: 400, spec: true } },
          }),
        );
      },
    });
    // Any other error (bad variables, an invalid global id) means the cost is unknown: refuse too.
    return validate(args.schema, args.document, [rule]).map((error) => {
      Object.assign(error.extensions as Record<string, unknown>, { code: error.extensions.code ?? 'BAD_USER_INPUT' });
      return error;
    });
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors: [...errors] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors: [...errors] });
    },
  };
}
