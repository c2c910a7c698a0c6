/**
 * jobgraph with graphql-ws (websocket, `graphql-transport-ws` protocol) — a
 * client that reconnects by itself and resumes where it left off.
 *
 * graphql-ws reconnects on its own but sends the subscription again as it was
 * first given. jobgraph resumes a subscription from `since`, so
 * `subscribeResumable` keeps the variable `since` at the cursor of the last
 * event received. The operation declares `$since: String`, passes it to the
 * field and selects `cursor`:
 *
 *     subscription Live($since: String) { jobStatusChanged(projectUid: "P1", since: $since) { cursor jobUid status } }
 *
 * graphql-ws serialises the payload
 * again on every reconnect, and the gateway replays what was missed — across
 * a gateway restart too — each event exactly once.
 *
 * Tested by test/clients/clients.test.ts against a running gateway.
 */
import { type Client, type ClientOptions, type FormattedExecutionResult, type Sink, createClient } from 'graphql-ws';

/** A graphql-ws client for `ws://host:port/graphql` that keeps retrying (with a capped backoff) until it is disposed. */
export function createJobgraphWsClient(url: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({
    url,
    // With tokens: the token goes in connection_init, e.g. connectionParams: { authorization: `Bearer ${token}` }.
    retryAttempts: Number.POSITIVE_INFINITY,
    // Also when the gateway is not there at all (connection refused is an error event, not a close event).
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** retries, 5_000))),
    keepAlive: 10_000,
    ...options,
  });
}

export interface SubscriptionRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
}

/** The `cursor` of the event in a result, if the subscription selected it (`{ jobStatusChanged { cursor … } }`). */
export function cursorOf(result: { data?: unknown } | null | undefined): string | undefined {
  const data = result?.data;
  if (data === null || typeof data !== 'object') return undefined;
  for (const field of Object.values(data)) {
    const cursor = (field as { cursor?: unknown } | null)?.cursor;
    if (typeof cursor === 'string') return cursor;
  }
  return undefined;
}

/**
 * `client.subscribe`, resuming after the last event received whenever the
 * connection comes back. Returns the function that ends the subscription.
 */
export function subscribeResumable<TData = Record<string, unknown>>(client: Client, request: SubscriptionRequest, sink: Sink<FormattedExecutionResult<TData, unknown>>): () => void {
  // graphql-ws sends this object again on each reconnect: keep its `since` current.
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
