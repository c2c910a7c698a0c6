import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance, maskError as defaultMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { toGraphQLError } from '../schema/errors.js';
import { type Context, createContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { useInputChecks } from '../schema/input-checks.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobWriter } from '../events/job-writer.js';
import type { JobControl } from '../events/job-control.js';
import type { JobStore } from '../store/job-store.js';
import { type Access, readScope } from '../model/access.js';
import type { Metrics } from '../metrics.js';
import { loadGraphiqlTabs } from './graphiql-examples.js';
import type { TokenRegistry } from './token-file.js';
import { authorizeMetrics, resolveAccess } from './use-auth.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { useIngestEndpoint } from './use-ingest.js';
import { useLimits } from './use-limits.js';
import { statusEventCounters, useMetrics } from './use-metrics.js';
import { useTokenRevocation } from './use-token-revocation.js';
import { useCompiledQueries } from './use-compiled-queries.js';
import { useReadiness } from './use-readiness.js';
import { sourceEventOf, useSharedSubscriptionResults } from './use-shared-results.js';
import { useSubscriptionTransports } from './use-subscription-transports.js';
import { useErrorBodies } from './use-error-bodies.js';
import { useHttpMethods } from './use-http-methods.js';
import { encodeEventCursor } from '../events/event-cursor.js';
import { isLoggedError, useRequestLog } from './use-request-log.js';
import { type OriginPolicy, corsOptions, createOriginPolicy } from './origin-policy.js';
import { useRequestErrorStatus } from './use-request-error-status.js';
import { useViewer } from './use-viewer.js';

export interface YogaDeps {
  store: JobStore;
  bus: EventBus;
  writer: JobWriter;
  /** Where the control mutations go. @default local control over `writer` */
  control?: JobControl;
  /** Whether the followed CryoSPARC is reachable, reported by GET /ready (503 when false). @default undefined (nothing followed) */
  upstreamReady?: () => boolean;
  /** Why `POST /ingest` is refused (409 UPSTREAM_FOLLOWED), when a CryoSPARC is followed. @default undefined (accepted) */
  ingestRefusal?: string;
  logger: Logger;
  /** Log positions a subscriber may fall behind before it is cut off. @default 10000 */
  subscriptionMaxLag?: number;
  /** Serve GraphiQL on GET /graphql. @default true */
  graphiql?: boolean;
  /** Valid API tokens; null serves everyone as the anonymous admin. @default null */
  tokens?: TokenRegistry | null;
  /** Count operations and status events here and serve them on GET /metrics. @default undefined (no metrics) */
  metrics?: Metrics;
  /** What one request may ask (depth, cost, body size, …; see limits.ts). @default DEFAULT_LIMITS */
  limits?: Limits;
  /** Serve GET /metrics here (behind a `metrics` or `admin` token when tokens are configured); false when `--metrics-port` serves them. @default true */
  metricsOnMainPort?: boolean;
  /** Which other origins get CORS headers (foreign ones are refused before yoga, see http-guards.ts). @default none */
  originPolicy?: OriginPolicy;
  /** Serve the browser viewer on `/` and its routes (see use-viewer.ts); false leaves them to yoga (404). @default true */
  viewer?: boolean;
}

export type JobgraphYoga = YogaServerInstance<Record<string, unknown>, Context>;

/** What ws.ts puts in the initial context of websocket operations; HTTP and SSE carry a `request` instead. */
interface InitialContext {
  request?: Request;
  access?: Access;
  socket?: { close(code: number, reason: string): void };
}

/** The SSE `id:` of a subscription result: the cursor of the status event it was executed for. */
function eventIdOf(result: unknown): string | undefined {
  const event = sourceEventOf(result) as { seq?: unknown } | undefined;
  return typeof event?.seq === 'number' ? encodeEventCursor(event.seq) : undefined;
}

/** The GraphQL HTTP handler: schema, per-request context, coded errors, GraphiQL and SSE. */
export function createYogaServer({ store, bus, writer, control, upstreamReady, ingestRefusal, logger, graphiql = true, subscriptionMaxLag, tokens = null, metrics, limits = DEFAULT_LIMITS, metricsOnMainPort = true, originPolicy = createOriginPolicy(), viewer = true }: YogaDeps): JobgraphYoga {
  const statusEvents = metrics ? statusEventCounters(metrics) : undefined;
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    context: (initialContext) => {
      const initial = initialContext as InitialContext;
      return createContext({
        store,
        bus,
        writer,
        control,
        subscriptionMaxLag,
        // A reconnecting EventSource names the last event it got; subscriptions resume after it.
        lastEventId: initial.request?.headers.get('last-event-id') || undefined,
        access: initial.access ?? resolveAccess(tokens, initial.request?.headers.get('authorization')),
        closeConnection: initial.socket ? (code, reason) => initial.socket!.close(code, reason) : undefined,
        statusEvents,
      });
    },
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      // An error the request log already wrote, with its request id, is not written twice.
      error: (...args) => (args.length === 1 && isLoggedError(args[0]) ? undefined : logger.error(args.length === 1 ? args[0] : args)),
    },
    maskedErrors: {
      maskError: (error, message, isDev) => {
        // Expected errors keep their message and gain a code; the rest are masked (and logged by yoga).
        return toGraphQLError(error) ?? defaultMaskError(error, message, isDev);
      },
    },
    graphiql: graphiql ? () => ({ title: 'jobgraph', defaultTabs: loadGraphiqlTabs(), subscriptionsProtocol: 'WS' }) : false,
    renderGraphiQL,
    landingPage: false,
    // CORS headers only for `--cors-origins`; yoga's default would reflect any Origin with credentials.
    cors: corsOptions(originPolicy),
    // The body limit is use-strict-parsing.ts's (behind http-guards.ts on the server), which reads each body once.
    maxRequestBodySize: false,
    // No file uploads here: a multipart body is refused like any other unknown content type.
    multipart: false,
    plugins: [...(metrics ? [useMetrics(metrics, { serve: metricsOnMainPort, authorize: (request) => authorizeMetrics(tokens, request.headers.get('authorization')) })] : []), ...(tokens ? [useTokenRevocation(tokens)] : []), useRequestLog({ logger }), useHttpMethods({ endpoint: '/graphql' }), useErrorBodies(), useRequestErrorStatus(), ...(viewer ? [useViewer({ tokensRequired: tokens !== null })] : []), useSubscriptionTransports({ eventIdOf }), useReadiness({ store, bus, upstream: upstreamReady }), useIngestEndpoint({ writer, logger, refusal: ingestRefusal, authorize: (request) => resolveAccess(tokens, request.headers.get('authorization')) }), useCompiledQueries(), useInputChecks(), ...useLimits(limits), useSharedSubscriptionResults({ scopeOf: (context) => readScope((context as Context).access) })],
  });
}
