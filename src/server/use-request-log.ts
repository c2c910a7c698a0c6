import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { observeOperations } from './use-metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's own request id is kept when it looks like one: short, and only letters, digits and `-_.:`. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface RequestLogOptions {
  /** The root logger; each request logs through a child carrying its `requestId`. */
  logger: Logger;
}

interface RequestScope {
  requestId: string;
  /** A child logger carrying `requestId`. */
  readonly logger: Logger;
}

/** Unexpected errors this plugin already logged under their request id (see {@link isLoggedError}). */
const loggedErrors = new WeakSet<object>();

/**
 * Whether `error` was already logged, with its request id, by {@link useRequestLog}.
 * Yoga logs every error it masks through its `logging.error`; skipping these
 * there keeps one line per error, the one that names the request.
 */
export function isLoggedError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && loggedErrors.has(error);
}

/** The client's `x-request-id` when it is sane, else a new UUID. */
export function requestIdFrom(header: string | null | undefined): string {
  return header != null && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * An HTTP request keeps its child logger (made on first use) until it is
 * answered. A websocket connection may live for days: it keeps only its id and
 * makes a child per line, since a retained pino child costs ~3 KB per idle
 * subscriber (measured with the bench's idle-memory scenario).
 */
function createScope(logger: Logger, requestId: string, { retainChild }: { retainChild: boolean }): RequestScope {
  let child: Logger | undefined;
  return {
    requestId,
    get logger() {
      if (!retainChild) return logger.child({ requestId });
      return (child ??= logger.child({ requestId }));
    },
  };
}

/**
 * Request ids and one log line per GraphQL operation.
 *
 * - Every HTTP request gets an id: the client's `x-request-id` when sane,
 *   otherwise a UUID. It is echoed in the `x-request-id` response header.
 * - A websocket connection is one HTTP request (the upgrade): its operations
 *   share the id taken from the upgrade request.
 * - Each operation logs one `info` line on a child logger carrying the id —
 *   name, type, transport, duration, outcome, error codes — and a
 *   subscription logs a `debug` line when it ends.
 * - An unexpected (masked) error of an operation's result is logged at
 *   `error` with the id and the original error; wire {@link isLoggedError}
 *   into yoga's `logging.error` so that yoga does not log it a second time.
 *
 * No AsyncLocalStorage: its promise hooks cost 5–8 % of the CPU of
 * subscription delivery (measured with `npm run bench -- --profile`), so the
 * id travels with the operation's context instead.
 */
export function useRequestLog({ logger }: RequestLogOptions): Plugin {
  const byRequest = new WeakMap<Request, RequestScope>();
  const byUpgrade = new WeakMap<IncomingMessage, RequestScope>();

  const scopeOfRequest = (request: Request): RequestScope => {
    let scope = byRequest.get(request);
    if (!scope) byRequest.set(request, (scope = createScope(logger, requestIdFrom(request.headers.get(REQUEST_ID_HEADER)), { retainChild: true })));
    return scope;
  };
  /** The scope of an operation: its HTTP request's, or its websocket connection's. */
  const scopeOf = (context: object): RequestScope => {
    const { request, req: upgrade } = context as { request?: Request; req?: IncomingMessage };
    if (request) return scopeOfRequest(request);
    if (upgrade) {
      let scope = byUpgrade.get(upgrade);
      if (!scope) {
        const header = upgrade.headers[REQUEST_ID_HEADER];
        byUpgrade.set(upgrade, (scope = createScope(logger, requestIdFrom(Array.isArray(header) ? header[0] : header), { retainChild: false })));
      }
      return scope;
    }
    return createScope(logger, randomUUID(), { retainChild: false });
  };

  return {
    onRequest({ request }) {
      scopeOfRequest(request);
    },
    onPluginInit(payload) {
      observeOperations(payload, {
        onOperation({ name, type, transport, outcome, errorCodes, errors, durationMs, context }) {
          const scope = scopeOf(context);
          const log = errors.length > 0 ? scope.logger : undefined;
          errors.forEach((error, i) => {
            if (errorCodes[i] !== 'INTERNAL_SERVER_ERROR' || loggedErrors.has(error)) return;
            loggedErrors.add(error);
            log!.error({ err: unexpectedCause(error), path: error.path?.join('.'), operation: name ?? 'anonymous' }, error.message);
          });
          (log ?? scope.logger).info(
            { operation: name ?? 'anonymous', type, transport, durationMs: Math.round(durationMs * 100) / 100, outcome, ...(errorCodes.length > 0 ? { errors: errorCodes } : {}) },
            'graphql operation',
          );
        },
        onSubscriptionEnd({ name, transport, lifetimeMs, context }) {
          if (!logger.isLevelEnabled('debug')) return;
          scopeOf(context).logger.debug({ operation: name ?? 'anonymous', type: 'subscription', transport, lifetimeMs: Math.round(lifetimeMs) }, 'subscription ended');
        },
      });
    },
    onResponse({ request, response }) {
      // Requests answered before this plugin's onRequest (yoga's /health) get their id here.
      response.headers.set(REQUEST_ID_HEADER, scopeOfRequest(request).requestId);
    },
  };
}

/** The error under a resolver's GraphQLError wrapping: what a reader of the log needs (message, stack, cause). */
function unexpectedCause(error: GraphQLError): unknown {
  let cause: unknown = error;
  while (cause && typeof cause === 'object' && 'originalError' in cause && (cause as GraphQLError).originalError) cause = (cause as GraphQLError).originalError;
  return cause;
}
