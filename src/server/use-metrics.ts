import { type DocumentNode, GraphQLError, type OperationTypeNode, getOperationAST } from 'graphql';
import { type Plugin, isAsyncIterable } from 'graphql-yoga';
import type { Metrics, OperationOutcome, OperationType } from '../metrics.js';
import { isJobgraphError } from '../model/errors.js';
import type { StatusEventCounters } from '../schema/context.js';

/** How an operation reached the gateway. */
export type Transport = 'http' | 'sse' | 'ws';

/** One finished GraphQL operation, as {@link useOperationObserver} reports it. */
export interface ObservedOperation {
  /** The operation's name, or null for an anonymous one (client-chosen: bound it before using it as a label). */
  name: string | null;
  type: OperationType;
  transport: Transport;
  outcome: OperationOutcome;
  /** `extensions.code` of each error, in order (`INTERNAL_SERVER_ERROR` for an unexpected one, `GRAPHQL_ERROR` for graphql-js's own). */
  errorCodes: string[];
  /** The errors themselves, before yoga masks the unexpected ones (empty for parse and validation failures). */
  errors: readonly GraphQLError[];
  /** From parse to result; for a subscription, until its stream is set up or refused. */
  durationMs: number;
  /** The operation's context (yoga's initial context plus ours): `request` over HTTP and SSE, `req` and `socket` over websockets. */
  context: Readonly<Record<string, unknown>>;
}

export interface OperationObserver {
  /** Called once per operation: a result, a refused or established subscription, or a document that failed parse or validation. */
  onOperation(operation: ObservedOperation): void;
  /** Called once when a subscription that was set up ends (completed, unsubscribed, failed or cut off). */
  onSubscriptionEnd?(operation: Pick<ObservedOperation, 'name' | 'transport' | 'context'> & { lifetimeMs: number }): void;
}

interface Started {
  at: number;
  reported: boolean;
}

const OBSERVERS = Symbol('operation observers');

type ObserverHub = Plugin & { [OBSERVERS]: OperationObserver[] };

/**
 * Registers `observer` with the server's one operation-lifecycle plugin,
 * adding that plugin on first use. Call it from a plugin's `onPluginInit`:
 * however many concerns observe operations (metrics, the request log), each
 * operation is tracked once.
 */
export function observeOperations({ plugins, addPlugin }: { plugins: readonly unknown[]; addPlugin: (plugin: Plugin) => void }, observer: OperationObserver): void {
  const hub = plugins.find((p): p is ObserverHub => typeof p === 'object' && p !== null && OBSERVERS in p);
  if (hub) hub[OBSERVERS].push(observer);
  else addPlugin(useOperationObserver(observer));
}

/**
 * The lifecycle of every GraphQL operation — over HTTP, SSE, and websockets
 * (which execute through yoga's envelop, see ws.ts) — reduced to one
 * `onOperation` call each, for every registered observer (see {@link observeOperations}).
 */
export function useOperationObserver(first: OperationObserver): Plugin {
  const observers = [first];
  const observer: Required<OperationObserver> = {
    onOperation: (operation) => {
      for (const o of observers) o.onOperation(operation);
    },
    onSubscriptionEnd: (operation) => {
      for (const o of observers) o.onSubscriptionEnd?.(operation);
    },
  };
  // Parse, validate and execute of one operation share its context object.
  const started = new WeakMap<object, Started>();
  const begin = (context: object) => {
    let entry = started.get(context);
    if (!entry) started.set(context, (entry = { at: performance.now(), reported: false }));
    return entry;
  };
  const report = (context: object, entry: Started, operation: Omit<ObservedOperation, 'durationMs' | 'transport' | 'context'>) => {
    if (entry.reported) return;
    entry.reported = true;
    const ctx = context as Record<string, unknown>;
    observer.onOperation({ ...operation, transport: transportOf(ctx), durationMs: performance.now() - entry.at, context: ctx });
  };

  return {
    onParse({ context }) {
      const entry = begin(context);
      return ({ result }) => {
        if (!(result instanceof Error)) return;
        report(context, entry, { name: paramsOf(context)?.operationName ?? null, type: 'unknown', outcome: 'invalid', errorCodes: ['GRAPHQL_PARSE_FAILED'], errors: [] });
      };
    },
    onValidate({ context, params }) {
      const entry = begin(context);
      return ({ valid }) => {
        if (valid) return;
        const { name, type } = describe(params.documentAST, paramsOf(context)?.operationName);
        report(context, entry, { name, type, outcome: 'invalid', errorCodes: ['GRAPHQL_VALIDATION_FAILED'], errors: [] });
      };
    },
    onExecute({ args }) {
      const context = args.contextValue as object;
      const entry = begin(context);
      const { name, type } = describe(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (!isAsyncIterable(result)) {
            report(context, entry, { name, type, ...outcomeOf(result.errors) });
            return;
          }
          // @defer / @stream: one outcome for all the parts.
          const errors: GraphQLError[] = [];
          return {
            onNext: ({ result: part }) => void errors.push(...(('errors' in part ? part.errors : undefined) ?? [])),
            onEnd: () => report(context, entry, { name, type, ...outcomeOf(errors) }),
          };
        },
      };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as object;
      const entry = begin(context);
      const { name } = describe(args.document, args.operationName);
      let open = false;
      let openedAt = 0;
      const end = () => {
        if (!open) return;
        open = false;
        const ctx = context as Record<string, unknown>;
        observer.onSubscriptionEnd?.({ name, transport: transportOf(ctx), context: ctx, lifetimeMs: performance.now() - openedAt });
      };
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            report(context, entry, { name, type: 'subscription', ...outcomeOf(result.errors) });
            return;
          }
          report(context, entry, { name, type: 'subscription', outcome: 'ok', errorCodes: [], errors: [] });
          open = true;
          openedAt = performance.now();
          return { onEnd: end };
        },
        onSubscribeError: end,
      };
    },
    [OBSERVERS]: observers,
  } as ObserverHub;
}

export interface MetricsEndpointOptions {
  /** @default '/metrics' */
  path?: string;
  /** Serve the metrics on `path`; false when they are served elsewhere (`--metrics-port`), and `path` is then a 404. @default true */
  serve?: boolean;
  /** Who may scrape: `ok`, or the status to refuse with (401 no or unknown token, 403 a token without the grant). @default everyone */
  authorize?: (request: Request) => MetricsAuthorization;
}

export type MetricsAuthorization = 'ok' | 401 | 403;

const REFUSALS = {
  401: { code: 'UNAUTHENTICATED', message: 'Authentication required: send `Authorization: Bearer <token>` with a token granted `metrics` or `admin`.' },
  403: { code: 'FORBIDDEN', message: 'This token may not read the metrics: it needs the `metrics` or `admin` grant.' },
} as const;

/**
 * Counts GraphQL operations in `metrics` and serves them on `GET /metrics`
 * (Prometheus text format).
 */
export function useMetrics(metrics: Metrics, { path = '/metrics', serve = true, authorize }: MetricsEndpointOptions = {}): Plugin {
  return {
    onPluginInit(payload) {
      observeOperations(payload, {
        onOperation({ name, type, outcome, durationMs }) {
          const operation = metrics.operationLabel(name);
          metrics.requests.inc({ operation, type, outcome });
          metrics.requestDuration.observe({ operation, type }, durationMs / 1000);
          if (type === 'subscription' && outcome === 'ok') metrics.activeSubscriptions.inc({ operation });
        },
        onSubscriptionEnd({ name }) {
          metrics.activeSubscriptions.dec({ operation: metrics.operationLabel(name) });
        },
      });
    },
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!serve || url.pathname !== path) return;
      if (request.method !== 'GET') {
        return endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET' } }));
      }
      const allowed = authorize?.(request) ?? 'ok';
      if (allowed !== 'ok') {
        const { code, message } = REFUSALS[allowed];
        const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(allowed === 401 ? { 'www-authenticate': 'Bearer' } : {}) };
        return endResponse(new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status: allowed, headers }));
      }
      endResponse(new fetchAPI.Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }));
    },
  };
}

/** What subscriptions report to (see `Context.statusEvents`): delivered and dropped status events. */
export function statusEventCounters(metrics: Metrics): StatusEventCounters {
  return {
    delivered: () => metrics.eventsDelivered.inc(),
    cutOff: (lag) => metrics.eventsDropped.inc({ reason: 'slow_consumer' }, lag),
  };
}

function paramsOf(context: object): { operationName?: string | null } | undefined {
  return (context as { params?: { operationName?: string | null } }).params;
}

function transportOf(context: Record<string, unknown>): Transport {
  if (context.socket) return 'ws';
  const request = context.request as Request | undefined;
  return request?.headers.get('accept')?.includes('text/event-stream') ? 'sse' : 'http';
}

function describe(document: DocumentNode, operationName: string | null | undefined): { name: string | null; type: OperationType } {
  const operation = getOperationAST(document, operationName);
  return { name: operationName ?? operation?.name?.value ?? null, type: (operation?.operation as OperationTypeNode | undefined) ?? 'unknown' };
}

function outcomeOf(errors: readonly GraphQLError[] | undefined): { outcome: OperationOutcome; errorCodes: string[]; errors: readonly GraphQLError[] } {
  if (!errors || errors.length === 0) return { outcome: 'ok', errorCodes: [], errors: [] };
  return { outcome: 'error', errorCodes: errors.map(codeOf), errors };
}

/** The code the client sees, read before masking (this plugin runs before yoga's masked-errors plugin). */
function codeOf(error: GraphQLError): string {
  let unexpected = false;
  for (let e: unknown = error; e != null; e = (e as { originalError?: unknown }).originalError) {
    const code = e instanceof GraphQLError ? e.extensions?.code : undefined;
    if (typeof code === 'string') return code;
    if (isJobgraphError(e)) return e.code;
    if (!(e instanceof GraphQLError)) unexpected = true;
  }
  return unexpected ? 'INTERNAL_SERVER_ERROR' : 'GRAPHQL_ERROR';
}
