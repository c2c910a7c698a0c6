/**
 * jobgraph with graphql-sse (server-sent events) — distinct connections mode,
 * reconnecting and resuming by itself.
 *
 * - Use the default "distinct connections" mode: each subscription is one
 *   POST answered with `text/event-stream`. The "single connection" mode
 *   (`singleConnection: true`) is not served: its first request, a `PUT`, is
 *   answered 405 (`Allow: GET, POST`).
 * - graphql-sse retries a dropped stream with the request it was first given;
 *   `subscribeResumable` keeps that request's `since` at the cursor of the
 *   last event received, so a reconnect — also to a restarted gateway —
 *   replays exactly what was missed. The operation declares `$since: String`,
 *   passes it as the field's `since` and selects `cursor` (as in graphql-ws.ts).
 * - With a tokens file, send the token as a header: `headers: { authorization: `Bearer ${token}` }`.
 *
 * Tested by test/clients/clients.test.ts against a running gateway.
 */
import { type Client, type ClientOptions, type ExecutionResult, type Sink, createClient } from 'graphql-sse';
import { type SubscriptionRequest, cursorOf } from './graphql-ws.js';

/** A graphql-sse client for `http://host:port/graphql` that keeps retrying (with a capped backoff) until it is disposed. */
export function createJobgraphSseClient(url: string, options: Partial<ClientOptions<false>> = {}): Client<false> {
  return createClient({
    url,
    singleConnection: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    retry: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5_000))),
    ...options,
  });
}

/** `client.subscribe`, resuming after the last event received whenever the stream is re-opened. Returns the function that ends it. */
export function subscribeResumable<TData = Record<string, unknown>>(client: Client<false>, request: SubscriptionRequest, sink: Sink<ExecutionResult<TData, unknown>>): () => void {
  // graphql-sse serialises this object again for every retry: keep its `since` current.
  const payload = { ...request, variables: { ...request.variables } as Record<string, unknown> };
  return client.subscribe<TData>(payload, {
    next(result) {
      const cursor = cursorOf(result);
      if (cursor) payload.variables.since = cursor;
      sink.next(result);
    },
    error: (error) => sink.error(error),
    complete: () => sink.complete(),
  });
}
