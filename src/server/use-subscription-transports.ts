import type { ExecutionResult, GraphQLError } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';

export interface SubscriptionTransportsOptions {
  /**
   * The SSE `id:` of a result: the log position of the event it was executed
   * for (a client resumes after it with `Last-Event-ID`), or undefined for a
   * result without one (an error); such an event is written without `id:`.
   */
  eventIdOf(result: ExecutionResult): string | undefined;
  /** Comment lines (`:`) on an idle SSE stream, so proxies and browsers keep it open. @default 12000 */
  ssePingIntervalMs?: number;
  /** Empty parts (`{}`) on an idle multipart stream, as Apollo's protocol asks. @default 5000 */
  heartbeatIntervalMs?: number;
}

/** What an HTTP subscription can be carried by, named in a 406 (and in README "Clients"). */
export const SUBSCRIPTION_TRANSPORTS = [
  'text/event-stream (GET or POST; graphql-sse, EventSource)',
  'multipart/mixed;subscriptionSpec=1.0 (Apollo Client HttpLink)',
  'graphql-transport-ws websocket on the same path (graphql-ws)',
] as const;

const MULTIPART_BOUNDARY = 'graphql';

/**
 * How subscription streams go out over HTTP:
 *
 * - **SSE** (`Accept: text/event-stream`, GET or POST): yoga's format —
 *   `event: next` / `data: <result>` per result, `event: complete` at the end,
 *   a `:` comment while idle — plus an `id: <cursor>` line on every event
 *   that has a log position, so that a browser's `EventSource` reconnects
 *   with `Last-Event-ID` and resumes (see docs/subscriptions.md).
 * - **Apollo's multipart subscriptions** (`Accept: multipart/mixed;…;subscriptionSpec=1.0`,
 *   what Apollo Client's HttpLink sends for a subscription): parts of
 *   `{"payload": <result>}` under boundary `graphql`, and a `{}` heartbeat at
 *   the start and every `heartbeatIntervalMs` while idle; the final boundary
 *   ends the subscription.
 *
 * A subscription request accepting neither (nor `*` / `text/*`) gets yoga's
 * 406, which use-error-bodies.ts fills with the transports that work.
 */
export function useSubscriptionTransports({ eventIdOf, ssePingIntervalMs = 12_000, heartbeatIntervalMs = 5_000 }: SubscriptionTransportsOptions): Plugin {
  return {
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      if (!isAsyncIterable(result)) return;
      // For a streamed result, the only processor yoga sets is its SSE one.
      if (resultProcessor) {
        setResultProcessor((streamed, fetchAPI) => sseResponse(streamed as AsyncIterable<ExecutionResult>, fetchAPI, { eventIdOf, pingIntervalMs: ssePingIntervalMs }), 'text/event-stream');
      } else if (acceptsApolloMultipart(request.headers.get('accept'))) {
        setResultProcessor((streamed, fetchAPI) => multipartResponse(streamed as AsyncIterable<ExecutionResult>, fetchAPI, { heartbeatIntervalMs }), 'multipart/mixed');
      }
    },
  };
}

/** `multipart/mixed` with a `subscriptionSpec` parameter among the Accept header's entries. */
export function acceptsApolloMultipart(accept: string | null): boolean {
  return (accept ?? '').split(',').some((entry) => {
    const [type, ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    return type === 'multipart/mixed' && params.some((param) => param.startsWith('subscriptionspec='));
  });
}

type FetchAPI = { ReadableStream: typeof ReadableStream; Response: typeof Response };

/**
 * A response that pulls `results` one at a time as the client reads: `first`
 * is written at once, `each(result)` per result, `idle` every `idleMs`
 * while the client keeps up, `last` at the end.
 */
function streamResponse(
  results: AsyncIterable<ExecutionResult>,
  fetchAPI: FetchAPI,
  headers: Record<string, string>,
  { first, each, idle, idleMs, last }: { first: string; each(result: ExecutionResult): string; idle: string; idleMs: number; last: string },
): Response {
  const encoder = new TextEncoder();
  const iterator = results[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setInterval> | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(first));
      timer = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(timer);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(idle));
      }, idleMs);
      timer.unref?.();
    },
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (step.value != null) controller.enqueue(encoder.encode(each(step.value)));
        if (step.done) {
          clearInterval(timer);
          controller.enqueue(encoder.encode(last));
          controller.close();
        }
      } catch (error) {
        clearInterval(timer);
        controller.error(error);
      }
    },
    async cancel() {
      clearInterval(timer);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, { status: 200, headers });
}

function sseResponse(results: AsyncIterable<ExecutionResult>, fetchAPI: FetchAPI, { eventIdOf, pingIntervalMs }: { eventIdOf(result: ExecutionResult): string | undefined; pingIntervalMs: number }): Response {
  return streamResponse(
    results,
    fetchAPI,
    { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
    {
      // A comment first: some browsers wait for a byte before they report the stream open.
      first: ':\n\n',
      each: (result) => {
        const id = eventIdOf(result);
        // An id holds no newline (it would end the field) and no NUL (EventSource ignores such ids).
        return `${id && !/[\r\n\0]/.test(id) ? `id: ${id}\n` : ''}event: next\ndata: ${stringifyResult(result)}\n\n`;
      },
      idle: ':\n\n',
      idleMs: pingIntervalMs,
      last: 'event: complete\ndata:\n\n',
    },
  );
}

function multipartResponse(results: AsyncIterable<ExecutionResult>, fetchAPI: FetchAPI, { heartbeatIntervalMs }: { heartbeatIntervalMs: number }): Response {
  // Each part ends with the next delimiter, so a client reads it as soon as it arrives.
  const part = (json: string) => `\r\ncontent-type: application/json; charset=utf-8\r\n\r\n${json}\r\n--${MULTIPART_BOUNDARY}`;
  return streamResponse(
    results,
    fetchAPI,
    { 'content-type': `multipart/mixed;boundary="${MULTIPART_BOUNDARY}";subscriptionSpec="1.0"`, connection: 'keep-alive', 'cache-control': 'no-cache' },
    {
      first: `\r\n--${MULTIPART_BOUNDARY}${part('{}')}`,
      each: (result) => part(`{"payload":${stringifyResult(result)}}`),
      idle: part('{}'),
      idleMs: heartbeatIntervalMs,
      last: '--\r\n',
    },
  );
}

/** A result as JSON, without yoga's internal `http` extensions. */
function stringifyResult(result: ExecutionResult): string {
  if (!result.errors?.length && !result.extensions?.http) return JSON.stringify(result);
  const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  return JSON.stringify({
    ...result,
    errors: result.errors?.map((error) => {
      const json = (typeof (error as GraphQLError).toJSON === 'function' ? (error as GraphQLError).toJSON() : error) as { extensions?: Record<string, unknown> };
      if (!json.extensions?.http) return json;
      const { http: _errorHttp, ...rest } = json.extensions;
      return { ...json, extensions: Object.keys(rest).length > 0 ? rest : undefined };
    }),
    extensions: Object.keys(extensions).length > 0 ? extensions : undefined,
  });
}
