import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { loadProjects } from './ingest/load-dataset.js';
import { createLogger } from './logger.js';
import { type Metrics, countPublishedEvents, createMetrics } from './metrics.js';
import type { EventBus } from './events/event-bus.js';
import { type JobWriter, createJobWriter } from './events/job-writer.js';
import { startLogWatcher } from './events/log-watcher.js';
import { createMemoryBus } from './events/memory-bus.js';
import { createRedisBus } from './events/redis-bus.js';
import type { JobStore } from './store/job-store.js';
import { openStore } from './store/open-store.js';
import { loadTokenRegistry } from './server/token-file.js';
import { connectionCredential, resolveAccess } from './server/use-auth.js';
import { guardRequest } from './server/http-guards.js';
import { limitsFrom } from './server/limits.js';
import { attachWebSocketServer } from './server/ws.js';
import { type JobgraphYoga, createYogaServer } from './server/yoga.js';

const LOCALHOST = '127.0.0.1';

export interface App {
  config: Config;
  store: JobStore;
  bus: EventBus;
  writer: JobWriter;
  yoga: JobgraphYoga;
  httpServer: Server;
  logger: Logger;
  /** Prometheus metrics, also served on GET /metrics. */
  metrics: Metrics;
  /** Listens on `port` (default: the configured one; 0 picks a free port) and resolves to the URL of the endpoint. */
  start(port?: number): Promise<{ url: string; port: number }>;
  /** Stops accepting connections, closes websockets and the store. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  store?: JobStore;
  bus?: EventBus;
  logger?: Logger;
}

/** Composes the layers: store → schema → yoga + graphql-ws on one HTTP server. Used by the CLI and the tests. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  // Metrics: SQL time comes from the store we open (a store passed in is not timed).
  const metrics = createMetrics();
  const store =
    overrides.store ?? (await openStore({ db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax, onQuery: (event) => metrics.observeQuery(event) }));
  if (config.demo && (await store.countProjects()) === 0) {
    const { demoDataset } = await import('./ingest/demo.js');
    const jobs = await loadProjects(store, demoDataset());
    logger.info({ jobs }, 'empty database: loaded the demo projects');
  }
  const bus = countPublishedEvents(overrides.bus ?? (config.redis ? await createRedisBus({ url: config.redis, channel: config.redisChannel, store, logger }) : createMemoryBus()), metrics);
  const logWatcher = startLogWatcher({ store, bus, intervalMs: config.logWatchIntervalMs, logger });
  const writer = createJobWriter({ store, bus });
  // Watch first, then import: a change made during the import is seen by one or the other.
  const watcher = config.watch ? await startWatching(config.watch, { store, writer, logger }) : undefined;
  const tokens = config.tokensFile ? loadTokenRegistry(config.tokensFile) : null;
  const limits = limitsFrom(config);
  const yoga = createYogaServer({ store, bus, writer, logger, graphiql: config.graphiql, subscriptionMaxLag: config.subscriptionMaxLag, tokens, metrics, limits });
  const httpServer = createServer((req, res) => {
    if (guardRequest(req, res, limits, yoga.graphqlEndpoint)) void yoga(req, res);
  });
  const ws = attachWebSocketServer(httpServer, yoga, {
    authenticate: (params) => resolveAccess(tokens, connectionCredential(params)),
    limits,
    onInternalError: (error) => logger.error({ err: error }, 'websocket message handling failed'),
  });
  // Without tokens everyone is an admin: only this machine may connect.
  const bindHost = tokens ? config.host : LOCALHOST;
  if (!tokens) {
    logger.warn(
      { requestedHost: config.host, host: bindHost },
      `no tokens file: serving anonymously with full access, bound to ${LOCALHOST} only (create tokens with \`jobgraph token create\` and pass --tokens-file)`,
    );
  }

  return {
    config,
    store,
    bus,
    writer,
    yoga,
    httpServer,
    logger,
    metrics,
    async start(port = config.port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, bindHost, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${host}:${address.port}${yoga.graphqlEndpoint}`, port: address.port };
    },
    async stop() {
      logWatcher.stop();
      await watcher?.close();
      await ws.close();
      await bus.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await store.close();
    },
  };
}

async function startWatching(dir: string, deps: { store: JobStore; writer: JobWriter; logger: Logger }) {
  const { watchProjectDirectory } = await import('./ingest/watch-project.js');
  const { importProjectDirectory } = await import('./ingest/import-project.js');
  const watcher = await watchProjectDirectory({ dir, ...deps });
  await watcher.ready;
  const report = await importProjectDirectory({ dir, ...deps });
  deps.logger.info(
    { dir, jobs: report.jobsStored, events: report.events, problems: report.problems.length, ms: Math.round(report.elapsedMs) },
    'watching a CryoSPARC project directory',
  );
  for (const problem of report.problems) deps.logger.warn({ code: 'INVALID_DOCUMENT', ...problem }, 'skipped an invalid document');
  return watcher;
}
