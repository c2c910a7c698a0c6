import { type DocumentNode, type ExecutionArgs, type ExecutionResult, GraphQLError, createSourceEventStream, execute, getOperationAST } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';
import { compiledOperation } from './compiled-operations.js';

type MaybePromise<T> = T | Promise<T>;

export interface SharedResultsOptions {
  /**
   * What, besides the operation and its variables, a result depends on: a key
   * equal for two contexts exactly when they see the same data. Operations of
   * contexts with different keys never share a result.
   */
  scopeOf(context: unknown): string;
}

const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;

/**
 * Results of one event, by operation key; dropped with the event once every
 * subscriber is past it. Most events have one operation (or one subscriber,
 * in a replay): the first result is kept inline, the rest in a map.
 */
interface EventResults {
  key: string;
  result: MaybePromise<ExecutionResult>;
  more?: Map<string, MaybePromise<ExecutionResult>>;
}
const resultsByEvent = new WeakMap<object, EventResults>();

/** The source event (a subscription's payload) each shared result was executed for. */
const eventByResult = new WeakMap<object, object>();

/**
 * The subscription event a result was executed for (for status subscriptions,
 * a DeliveredStatusEvent), or undefined for results this plugin did not make
 * (a plugin downstream replaced it: a masked error, a revocation notice).
 * The SSE transport writes its position as the event's `id:`.
 */
export function sourceEventOf(result: unknown): object | undefined {
  return typeof result === 'object' && result !== null ? eventByResult.get(result) : undefined;
}

function remember(result: MaybePromise<ExecutionResult>, event: object): MaybePromise<ExecutionResult> {
  if (typeof (result as Promise<ExecutionResult>).then === 'function') return (result as Promise<ExecutionResult>).then((done) => (eventByResult.set(done, event), done));
  eventByResult.set(result, event);
  return result;
}

/**
 * Executes each subscription event once per distinct operation instead of once
 * per subscriber. Ten thousand dashboards running the same subscription over
 * the same event (one shared object, see events/status-stream.ts) get one
 * execution and one result object; graphql-ws only serialises it per socket.
 *
 * Two subscriptions share a result when they have the same parsed document
 * (yoga caches documents by their text), operation name, variables and scope.
 * Results are never mutated downstream (error masking and graphql-ws copy).
 * Each execution runs the operation as compiled by graphql-jit, once per
 * document (see compiled-operations.ts).
 */
export function useSharedSubscriptionResults({ scopeOf }: SharedResultsOptions): Plugin {
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn((args) => subscribeSharingResults(args as ExecutionArgs, scopeOf(args.contextValue)));
    },
  };
}

async function subscribeSharingResults(args: ExecutionArgs, scope: string): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  const key = `${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${scope}`;
  const compiled = compiledOperation(args);
  const run = compiled ? (payload: unknown) => compiled(payload, args) : (payload: unknown) => execute({ ...args, rootValue: payload });
  const resultFor = (payload: unknown): MaybePromise<ExecutionResult> => {
    if (typeof payload !== 'object' || payload === null) return run(payload);
    const results = resultsByEvent.get(payload);
    if (!results) {
      const result = remember(run(payload), payload);
      resultsByEvent.set(payload, { key, result });
      return result;
    }
    if (results.key === key) return results.result;
    let result = results.more?.get(key);
    if (!result) (results.more ??= new Map()).set(key, (result = remember(run(payload), payload)));
    return result;
  };
  const events = source[Symbol.asyncIterator]();
  const located = (error: unknown) => {
    const operation = getOperationAST(args.document, args.operationName);
    return new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : undefined, nodes: operation ? [operation] : [] });
  };
  // A plain iterator rather than an async generator: one fewer promise hop per event and subscriber.
  const results: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => results,
    async next() {
      let step: IteratorResult<unknown>;
      try {
        step = await events.next();
      } catch (error) {
        throw located(error);
      }
      return step.done ? { done: true, value: undefined } : { done: false, value: await resultFor(step.value) };
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
    async throw(error: unknown) {
      await events.return?.();
      throw error;
    },
  };
  return results;
}

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = ++lastDocumentId));
  return id;
}
