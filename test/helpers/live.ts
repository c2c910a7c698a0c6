import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { EventBus } from '../../src/events/event-bus.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import type { TypedDocumentString } from '../gql/graphql.js';

/** A subscription's results as they arrive, with a way to wait for a count. */
export interface Collected<T> {
  results: { data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }[];
  /** Error the stream ended with (a GraphQL error list or a close event). */
  failure: unknown;
  done: boolean;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  waitForEnd(timeoutMs?: number): Promise<void>;
  stop(): void;
}

async function poll(condition: () => boolean, timeoutMs: number, what: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A real graphql-ws client, no retries: a dropped connection is a dropped connection. */
export function wsClient(
  url: string,
  options: { onClose?: (event: { code: number; reason: string }) => void; connectionParams?: Record<string, unknown> } = {},
): Client {
  return createClient({
    url,
    connectionParams: options.connectionParams,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => options.onClose?.(event as { code: number; reason: string }) },
  });
}

export function subscribe<TResult, TVariables>(client: Client, document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Collected<TResult> {
  const collected: Collected<TResult> = {
    results: [],
    failure: undefined,
    done: false,
    waitFor: (count, timeoutMs = 10_000) =>
      poll(() => collected.results.length >= count || collected.done, timeoutMs, () => `${count} results (have ${collected.results.length})`).then(() => {
        if (collected.results.length < count) throw new Error(`stream ended after ${collected.results.length} of ${count} results: ${JSON.stringify(collected.failure)}`);
      }),
    waitForEnd: (timeoutMs = 10_000) => poll(() => collected.done, timeoutMs, () => 'the stream to end'),
    stop: () => {},
  };
  collected.stop = client.subscribe<TResult>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (value) => void collected.results.push(value as Collected<TResult>['results'][number]),
      error: (error) => {
        collected.failure = error;
        collected.done = true;
      },
      complete: () => {
        collected.done = true;
      },
    },
  );
  return collected;
}

/** Server-sent events through yoga: POST with Accept: text/event-stream, parsed as the stream arrives. */
export function subscribeSse<TResult, TVariables>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Collected<TResult> {
  const controller = new AbortController();
  const collected: Collected<TResult> = {
    results: [],
    failure: undefined,
    done: false,
    waitFor: (count, timeoutMs = 10_000) =>
      poll(() => collected.results.length >= count || collected.done, timeoutMs, () => `${count} SSE results (have ${collected.results.length})`).then(() => {
        if (collected.results.length < count) throw new Error(`SSE stream ended after ${collected.results.length} of ${count}`);
      }),
    waitForEnd: (timeoutMs = 10_000) => poll(() => collected.done, timeoutMs, () => 'the SSE stream to end'),
    stop: () => controller.abort(),
  };
  void (async () => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
        body: JSON.stringify({ query: document.toString(), variables }),
        signal: controller.signal,
      });
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let split: number;
        while ((split = buffer.indexOf('\n\n')) !== -1) {
          const message = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1];
          const data = message
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (event === 'complete') collected.done = true;
          else if (data) collected.results.push(JSON.parse(data));
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) collected.failure = error;
    } finally {
      collected.done = true;
    }
  })();
  return collected;
}

/**
 * A memory bus that counts subscriptions, so a test knows when a subscription
 * is live: take `mark()` before subscribing, then `waitForSubscriptions(mark + n)`.
 * (A live count would race with earlier subscriptions still closing.)
 */
export function createObservableBus(): EventBus & {
  subscribers(): number;
  mark(): number;
  waitForSubscriptions(total: number, timeoutMs?: number): Promise<void>;
} {
  const inner = createMemoryBus();
  let count = 0;
  let made = 0;
  return {
    ...inner,
    subscribe(listener) {
      count++;
      made++;
      const off = inner.subscribe(listener);
      let done = false;
      return () => {
        if (!done) count--;
        done = true;
        off();
      };
    },
    subscribers: () => count,
    mark: () => made,
    waitForSubscriptions: (total, timeoutMs = 10_000) => poll(() => made >= total, timeoutMs, () => `${total} bus subscriptions (have ${made})`),
  };
}
