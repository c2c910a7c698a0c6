import { type ExecutionResult, GraphQLError } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';
import type { Access } from '../model/access.js';
import type { TokenRegistry } from './token-file.js';

/** The last event an SSE (or HTTP multipart) subscriber gets when its token is revoked; then the stream ends. */
export const REVOKED_RESULT: ExecutionResult = {
  errors: [new GraphQLError('The token was revoked.', { extensions: { code: 'UNAUTHENTICATED' } })],
};

/**
 * Ends the subscriptions of revoked tokens that run over HTTP (SSE): when a
 * reload of the tokens file drops a token, each of its open streams gets one
 * last `UNAUTHENTICATED` result and ends. Websocket subscriptions are left to
 * ws.ts, which closes the whole socket (4403).
 */
export function useTokenRevocation(registry: TokenRegistry): Plugin {
  const open = new Set<{ access: Access; end: () => void }>();
  registry.onChange(() => {
    for (const stream of open) if (registry.isRevoked(stream.access)) stream.end();
  });
  return {
    onSubscribe({ args }) {
      const context = args.contextValue as { access?: Access; socket?: unknown };
      const access = context.access;
      if (!access || context.socket) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const stream = { access, ...endable(result, REVOKED_RESULT, () => open.delete(stream)) };
          open.add(stream);
          setResult(stream.iterable);
          // Revoked between authentication and now.
          if (registry.isRevoked(access)) stream.end();
        },
      };
    },
  };
}

/**
 * `source`, with a way to end it from outside: a pending `next()` then
 * resolves with `last`, and the one after with `done`. The source is
 * returned (not awaited: a source may wait for its next event to notice).
 */
function endable<T>(source: AsyncIterable<T>, last: T, onFinish: () => void): { iterable: AsyncIterableIterator<T>; end(): void } {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  let lastSent = false;
  let wake!: () => void;
  const endSignal = new Promise<null>((resolve) => (wake = () => resolve(null)));
  const finish = () => {
    if (ended) return;
    ended = true;
    wake();
    onFinish();
    void Promise.resolve(iterator.return?.()).catch(() => {});
  };
  const iterable: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterable;
    },
    async next() {
      if (!ended) {
        const result = await Promise.race([iterator.next(), endSignal]);
        if (result !== null) {
          if (result.done) onFinish();
          return result;
        }
      }
      if (!lastSent) {
        lastSent = true;
        return { value: last, done: false };
      }
      return { value: undefined, done: true };
    },
    async return() {
      lastSent = true;
      finish();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      lastSent = true;
      finish();
      throw error;
    },
  };
  return { iterable, end: finish };
}
