import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance, maskError as defaultMaskError } from 'graphql-yoga';
import type { Logger } from 'pino';
import { toGraphQLError } from '../schema/errors.js';
import { type Context, createContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import type { EventBus } from '../events/event-bus.js';
import type { JobWriter } from '../events/job-writer.js';
import type { JobStore } from '../store/job-store.js';
import { loadGraphiqlTabs } from './graphiql-examples.js';
import { useIngestEndpoint } from './use-ingest.js';
import { useReadiness } from './use-readiness.js';

export interface YogaDeps {
  store: JobStore;
  bus: EventBus;
  writer: JobWriter;
  logger: Logger;
  /** Log positions a subscriber may fall behind before it is cut off. @default 10000 */
  subscriptionMaxLag?: number;
  /** Serve GraphiQL on GET /graphql. @default true */
  graphiql?: boolean;
}

export type JobgraphYoga = YogaServerInstance<Record<string, unknown>, Context>;

/** The GraphQL HTTP handler: schema, per-request context, coded errors, GraphiQL and SSE. */
/** What graphql-ws puts in the initial context (see ws.ts); absent for HTTP and SSE. */
interface WebSocketInitialContext {
  socket?: { close(code: number, reason: string): void };
}

export function createYogaServer({ store, bus, writer, logger, graphiql = true, subscriptionMaxLag }: YogaDeps): JobgraphYoga {
  return createYoga<Record<string, unknown>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    context: (initialContext) => {
      const initial = initialContext as WebSocketInitialContext;
      return createContext({
        store,
        bus,
        writer,
        subscriptionMaxLag,
        closeConnection: initial.socket ? (code, reason) => initial.socket!.close(code, reason) : undefined,
      });
    },
    logging: {
      debug: (...args) => logger.debug(args.length === 1 ? args[0] : args),
      info: (...args) => logger.info(args.length === 1 ? args[0] : args),
      warn: (...args) => logger.warn(args.length === 1 ? args[0] : args),
      error: (...args) => logger.error(args.length === 1 ? args[0] : args),
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
    plugins: [useReadiness({ store, bus }), useIngestEndpoint({ writer, logger })],
  });
}
