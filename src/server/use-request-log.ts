import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { useOperationObserver } from './use-metrics.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A client's own request id is kept when it looks like one: short, and only letters, digits and `-_.:`. */
const SANE_REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface RequestLogOptions {
  /** The root logger; each request logs through a child carrying its `requestId`. */
  logger: Logger;
}

interface RequestScope {
  requestId: string;
  /** The child logger, made on first use. */
  readonly logger: Logger;
}

const scopes = new AsyncLocalStorage<RequestScope>();

/**
 * The logger of the request being handled (a child carrying its `requestId`),
 * or `fallback` outside a request. Lets code that has no request at hand —
 * yoga's own error logging — tag its lines.
 */
export function requestLogger(fallback: Logger): Logger {
  return scopes.getStore()?.logger ?? fallback;
}

/** The client's `x-request-id` when it is sane, else a new UUID. */
export function requestIdFrom(header: string | null | undefined): string {
  return header != null && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

function createScope(logger: Logger, requestId: string): RequestScope {
  let child: Logger | undefined;
  return {
    requestId,
    get logger() {
      return (child ??= logger.child({ requestId }));
    },
  };
}

/**
 * Request ids and one log line per GraphQL operation.
 *
 * - Every HTTP request gets an id: the client's `x-request-id` when sane,
 *   otherwise a UUID. It is echoed in the `x-request-id` response header, and
 *   everything logged while the request is handled (through
 *   {@link requestLogger}) carries it as `requestId`.
 * - A websocket connection is one HTTP request (the upgrade): its operations
 *   share the id taken from the upgrade request.
 * - Each operation logs one `info` line — name, type, transport, duration,
 *   outcome, error codes — and a subscription logs a `debug` line when it ends.
 */
export function useRequestLog({ logger }: RequestLogOptions): Plugin {
  const byRequest = new WeakMap<Request, RequestScope>();
  const byUpgrade = new WeakMap<IncomingMessage, RequestScope>();

  /** The scope of an operation's context: its HTTP request's, or its websocket connection's. */
  const scopeOf = (context: object): RequestScope => {
    const current = scopes.getStore();
    if (current) return current;
    const { request, req: upgrade } = context as { request?: Request; req?: IncomingMessage };
    if (request) {
      const scope = byRequest.get(request);
      if (scope) return scope;
    }
    if (upgrade) {
      let scope = byUpgrade.get(upgrade);
      if (!scope) {
        const header = upgrade.headers[REQUEST_ID_HEADER];
        byUpgrade.set(upgrade, (scope = createScope(logger, requestIdFrom(Array.isArray(header) ? header[0] : header))));
      }
      return scope;
    }
    return createScope(logger, randomUUID());
  };
  const inScope = <T>(context: object, wrapped: () => T): T => (scopes.getStore() ? wrapped() : scopes.run(scopeOf(context), wrapped));

  return {
    instrumentation: {
      request({ request }, wrapped) {
        const scope = createScope(logger, requestIdFrom(request.headers.get(REQUEST_ID_HEADER)));
        byRequest.set(request, scope);
        return scopes.run(scope, wrapped);
      },
      // Websocket operations run outside any HTTP request: give them their connection's scope.
      execute: ({ context }, wrapped) => inScope(context, wrapped),
      subscribe: ({ context }, wrapped) => inScope(context, wrapped),
    },
    onPluginInit({ addPlugin }) {
      addPlugin(
        useOperationObserver({
          onOperation({ name, type, transport, outcome, errorCodes, durationMs, context }) {
            scopeOf(context).logger.info(
              { operation: name ?? 'anonymous', type, transport, durationMs: Math.round(durationMs * 100) / 100, outcome, ...(errorCodes.length > 0 ? { errors: errorCodes } : {}) },
              'graphql operation',
            );
          },
          onSubscriptionEnd({ name, transport, lifetimeMs, context }) {
            scopeOf(context).logger.debug({ operation: name ?? 'anonymous', type: 'subscription', transport, lifetimeMs: Math.round(lifetimeMs) }, 'subscription ended');
          },
        }),
      );
    },
    onResponse({ request, response }) {
      const scope = byRequest.get(request) ?? scopes.getStore();
      if (scope) response.headers.set(REQUEST_ID_HEADER, scope.requestId);
    },
  };
}
