import type { ExecutionResult, GraphQLError } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';

/** What a coded error that ends a request before any data is answered with; the rest are 400. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = { SERVICE_UNAVAILABLE: 503 };

/**
 * HTTP status of a request that fails before it produces any data — a
 * validation error, a limit, or a subscription whose resolver refuses at
 * subscribe time with a coded error (a malformed or future `since` →
 * `BAD_CURSOR`, `lineageStatusChanged` on a missing job → `NOT_FOUND`).
 *
 * - Coded subscribe-time errors are request errors like the others: 400 for
 *   `application/graphql-response+json`, 200 for legacy `application/json`
 *   (`SERVICE_UNAVAILABLE`: 503 / 200). Yoga would answer 500, since the
 *   error wraps an exception of ours; only masked `INTERNAL_SERVER_ERROR`s
 *   keep that 500.
 * - Over SSE, a request that fails before its stream starts gets the status
 *   of its error (400 for every request error, not 200): the body is still
 *   the error as a `next` event followed by `complete`, and clients that
 *   reconnect on a 200 (EventSource) or retry on a 5xx stop.
 */
export function useRequestErrorStatus(): Plugin {
  const failedBeforeData = new WeakMap<Request, number>();
  return {
    onResultProcess({ request, result }) {
      if (isAsyncIterable(result) || Array.isArray(result)) return;
      const single = result as ExecutionResult;
      if ('data' in single || !single.errors?.length) return;
      const errors = single.errors as GraphQLError[];
      // Unknown errors are masked as INTERNAL_SERVER_ERROR and keep their 500.
      const coded = (error: GraphQLError) => typeof error.extensions.code === 'string' && error.extensions.code !== 'INTERNAL_SERVER_ERROR';
      if (!errors.every((error) => error.extensions.http !== undefined || coded(error))) return;
      let status = 400;
      for (const error of errors) {
        const extensions = error.extensions as Record<string, unknown>;
        extensions.http ??= { status: STATUS_BY_CODE[extensions.code as string] ?? 400, spec: true };
        const http = extensions.http as { status?: number; spec?: boolean };
        // Errors with a status of their own for every media type (401, 413, …) keep it over SSE too.
        if (!http.spec) return;
        status = Math.max(status, http.status ?? 400);
      }
      failedBeforeData.set(request, status);
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const status = failedBeforeData.get(request);
      if (status === undefined || response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/event-stream')) return;
      setResponse(new fetchAPI.Response(response.body, { status, headers: response.headers }));
    },
  };
}
