import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';

type MaybePromise<T> = T | Promise<T>;

/** An operation compiled once by graphql-jit, run many times. */
export type CompiledOperation = (rootValue: unknown, args: Pick<ExecutionArgs, 'contextValue' | 'variableValues'>) => MaybePromise<ExecutionResult>;

interface Entry {
  uses: number;
  compiled: CompiledOperation | null | undefined;
}

const entries = new WeakMap<DocumentNode, Map<string, Entry>>();

/**
 * The operation of `args` compiled by graphql-jit, once it has been asked for
 * `after` times (compiling costs more than interpreting once, so a one-off
 * query is not worth it); null where graphql-jit cannot compile it or not yet.
 * Compiled results carry graphql-js errors, so coding and masking work as for
 * interpreted ones.
 */
export function compiledOperation(args: ExecutionArgs, { after = 1 }: { after?: number } = {}): CompiledOperation | null {
  let byName = entries.get(args.document);
  if (!byName) entries.set(args.document, (byName = new Map()));
  const name = args.operationName ?? '';
  let entry = byName.get(name);
  if (!entry) byName.set(name, (entry = { uses: 0, compiled: undefined }));
  entry.uses++;
  if (entry.compiled === undefined && entry.uses >= after) entry.compiled = compile(args);
  return entry.compiled ?? null;
}

function compile(args: ExecutionArgs): CompiledOperation | null {
  let query: CompiledQuery;
  try {
    const result = compileQuery(args.schema, args.document, args.operationName ?? undefined);
    if (!isCompiledQuery(result)) return null;
    query = result;
  } catch {
    return null;
  }
  return (rootValue, { contextValue, variableValues }) => {
    const result = query.query(rootValue, contextValue, variableValues ?? {}) as MaybePromise<ExecutionResult>;
    return result instanceof Promise ? result.then(withPlainErrors) : withPlainErrors(result);
  };
}

/**
 * graphql-jit's errors have a frozen, often missing `extensions`; error
 * coding and masking (schema/errors.ts) add to it, so they get graphql-js's.
 */
function withPlainErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    const plain = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: { ...error.extensions } });
    if (error.locations) (plain as { locations?: unknown }).locations = error.locations;
    return plain;
  });
  return { ...result, errors };
}
