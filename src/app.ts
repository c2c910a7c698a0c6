import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { loadProjects } from './sources/synthetic/load-dataset.js';
import { createLogger } from './logger.js';
import { type Metrics, countPublishedEvents, createMetrics, registerCryosparcMetrics } from './metrics.js';
import type { EventBus } from './events/event-bus.js';
import { type JobWriter, createJobWriter } from './events/job-writer.js';
import { startLogWatcher } from './events/log-watcher.js';
import { createMemoryBus } from './events/memory-bus.js';
import { createRedisBus } from './events/redis-bus.js';
import type { JobStore } from './store/job-store.js';
import { openStore } from './store/open-store.js';
import { type TokenChange, type TokenRegistry, loadTokenRegistry } from './server/token-file.js';
import { connectionCredential, resolveAccess } from './server/use-auth.js';
import { guardOrigin, guardRequest } from './server/http-guards.js';
import { createOriginPolicy } from './server/origin-policy.js';
import { limitsFrom } from './server/limits.js';
import { attachWebSocketServer } from './server/ws.js';
import { createMetricsServer } from './server/metrics-server.js';
import { loadPersistedOperations } from './server/persisted-operations.js';
import { InvalidDocumentError } from './model/errors.js';
import { StartupError, checkProjectDirectory } from './startup-error.js';
import { type JobgraphYoga, createYogaServer } from './server/yoga.js';
import type { CryosparcSource } from './sources/cryosparc/follow-cryosparc.js';

const LOCALHOST = '127.0.0.1';

export interface App {
  config: Config;
  store: JobStore;
  bus: EventBus;
  writer: JobWriter;
  yoga: JobgraphYoga;
  httpServer: Server;
  logger: Logger;
  /** Prometheus metrics, also served on GET /metrics (or on `--metrics-port`). */
  metrics: Metrics;
  /** Listens on `port` (default: the configured one; 0 picks a free port) and resolves to the URL of the endpoint (and of /metrics on `--metrics-port`). */
  start(port?: number): Promise<{ url: string; port: number; metricsUrl?: string }>;
  /**
   * Reads the tokens file again (as on a change of the file or SIGHUP): revoked
   * tokens are refused from now on and their websockets and SSE streams closed.
   * A file that cannot be read or parsed is logged and the previous tokens stay
   * (then it throws). Null without a tokens file.
   */
  reloadTokens(): TokenChange | null;
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
  // What the gateway is pointed at is checked before anything is opened: a bad file is a StartupError (one line, exit 2).
  const tokens = config.tokensFile ? loadTokenRegistry(config.tokensFile) : null;
  checkStartupFiles(config);
  // Metrics: SQL time comes from the store we open (a store passed in is not timed).
  const metrics = createMetrics();
  const store =
    overrides.store ?? (await openStore({ db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax, onQuery: (event) => metrics.observeQuery(event) }));
  if (config.demo && (await store.countProjects()) === 0) {
    const { demoDataset } = await import('./sources/synthetic/demo.js');
    const jobs = await loadProjects(store, demoDataset());
    logger.info({ jobs }, 'empty database: loaded the demo projects');
  }
  const bus = countPublishedEvents(overrides.bus ?? (config.redis ? await createRedisBus({ url: config.redis, channel: config.redisChannel, store, logger }) : createMemoryBus()), metrics);
  const logWatcher = startLogWatcher({ store, bus, intervalMs: config.logWatchIntervalMs, logger });
  const writer = createJobWriter({ store, bus });
  const cryosparc = config.cryosparc ? await startFollowing(config, { store, writer, logger, metrics }) : undefined;
  const demoActivity = config.demo && config.demoActivity ? await startDemo(store, writer, logger) : undefined;
  // Watch first, then import: a change made during the import is seen by one or the other.
  const watcher = config.watch ? await startWatching(config.watch, { store, writer, logger }) : undefined;
  const limits = limitsFrom(config);
  // Same origin and loopback (or --allowed-hosts) Host names by default, for HTTP and websockets alike.
  const originPolicy = createOriginPolicy({ corsOrigins: config.corsOrigins, allowedHosts: config.allowedHosts, bindHost: tokens ? config.host : LOCALHOST });
  const yoga = createYogaServer({ store, bus, writer, control: cryosparc?.control, upstreamReady: cryosparc ? () => cryosparc.isUp() : undefined, ingestRefusal: cryosparc ? INGEST_REFUSAL : undefined, logger, graphiql: config.graphiql, subscriptionMaxLag: config.subscriptionMaxLag, tokens, metrics, limits, metricsOnMainPort: config.metricsPort === undefined, originPolicy });
  const metricsServer = config.metricsPort === undefined ? undefined : createMetricsServer(metrics, originPolicy);
  const httpServer = createServer((req, res) => {
    if (guardOrigin(req, res, originPolicy) && guardRequest(req, res, limits, yoga.graphqlEndpoint)) void yoga(req, res);
  });
  const ws = attachWebSocketServer(httpServer, yoga, {
    authenticate: (params) => resolveAccess(tokens, connectionCredential(params)),
    currentAccess: tokens ? (access) => tokens.current(access) : undefined,
    limits,
    originPolicy,
    onInternalError: (error) => logger.error({ err: error }, 'websocket message handling failed'),
  });
  // The tokens file is followed: a change (or SIGHUP, see reloadTokens) swaps the tokens in place.
  const tokensWatcher = tokens ? followTokensFile(tokens, ws, logger) : undefined;
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
      const metricsAddress = metricsServer ? await metricsServer.start(config.metricsPort!) : undefined;
      return { url: `http://${host}:${address.port}${yoga.graphqlEndpoint}`, port: address.port, metricsUrl: metricsAddress?.url };
    },
    reloadTokens() {
      if (!tokens) return null;
      try {
        return tokens.reload();
      } catch (error) {
        logTokensNotReloaded(logger, tokens, error);
        throw error;
      }
    },
    async stop() {
      demoActivity?.stop();
      tokensWatcher?.close();
      await metricsServer?.stop();
      logWatcher.stop();
      await cryosparc?.stop();
      await watcher?.close();
      await ws.close();
      await bus.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await store.close();
    },
  };
}

/** Closes the websockets of revoked tokens after each reload, and reloads when the file changes. */
function followTokensFile(tokens: TokenRegistry, ws: ReturnType<typeof attachWebSocketServer>, logger: Logger) {
  tokens.onChange((change) => {
    const closedConnections = change.revoked > 0 ? ws.closeConnections((access) => tokens.isRevoked(access)) : 0;
    logger.info({ file: tokens.file, ...change, closedConnections }, 'tokens file reloaded');
  });
  return tokens.watch({ onError: (error) => logTokensNotReloaded(logger, tokens, error) });
}

function logTokensNotReloaded(logger: Logger, tokens: TokenRegistry, error: unknown) {
  logger.error({ file: tokens.file, error: error instanceof Error ? error.message : String(error) }, 'tokens file not reloaded: the previous tokens stay in force');
}

/** `--demo`: a few demo jobs walk through their lifecycle through the writer, so that live views move (`--no-demo-activity` stops it). */
async function startDemo(store: JobStore, writer: JobWriter, logger: Logger) {
  const { startDemoActivity } = await import('./sources/synthetic/demo-activity.js');
  return startDemoActivity({ store, writer, onError: (error) => logger.warn({ err: error }, 'demo activity: a step failed') });
}

/** The files and directories the settings name, checked before anything is opened. @throws StartupError */
function checkStartupFiles(config: Config): void {
  if (config.persistedOperations) loadPersistedOperations(config.persistedOperations);
  if (config.watch) checkProjectDirectory('--watch', config.watch);
}

const INGEST_REFUSAL = 'This gateway follows a CryoSPARC instance (--cryosparc), the one source of truth: change jobs in CryoSPARC or through the GraphQL mutations, which are sent to it.';

/** Connects to the CryoSPARC instance named by `--cryosparc` and starts following it. @throws StartupError when it cannot work as configured */
async function startFollowing(config: Config, deps: { store: JobStore; writer: JobWriter; logger: Logger; metrics: Metrics }): Promise<CryosparcSource> {
  const { followCryosparc, CryosparcSetupError } = await import('./sources/cryosparc/follow-cryosparc.js');
  const cryosparcMetrics = registerCryosparcMetrics(deps.metrics);
  const credentials = config.cryosparcToken !== undefined ? { token: config.cryosparcToken } : { email: config.cryosparcEmail!, password: config.cryosparcPassword! };
  try {
    return await followCryosparc({
      url: config.cryosparc!,
      credentials,
      pollMs: config.cryosparcPollMs,
      projects: config.cryosparcProjects,
      store: deps.store,
      writer: deps.writer,
      logger: deps.logger.child({ source: 'cryosparc' }),
      observer: {
        poll: (outcome) => cryosparcMetrics.polls.inc({ outcome }),
        error: (kind) => cryosparcMetrics.errors.inc({ kind }),
        request: (operation) => cryosparcMetrics.requests.inc({ operation }),
        applied: (count) => cryosparcMetrics.documentsApplied.inc(count),
        lag: (seconds) => cryosparcMetrics.changeLag.observe(seconds),
        upstream: (up) => cryosparcMetrics.up.set(up ? 1 : 0),
      },
    });
  } catch (error) {
    if (error instanceof CryosparcSetupError) throw new StartupError(`--cryosparc: ${error.message}`);
    throw error;
  }
}

async function startWatching(dir: string, deps: { store: JobStore; writer: JobWriter; logger: Logger }) {
  const { watchProjectDirectory } = await import('./sources/project-dir/watch-project.js');
  const { importProjectDirectory } = await import('./sources/project-dir/import-project.js');
  const watcher = await watchProjectDirectory({ dir, ...deps }).catch((error: unknown) => {
    // A missing or invalid project.json: the message names the file and what is wrong, not its contents.
    if (error instanceof InvalidDocumentError) throw new StartupError(`--watch: ${dir} is not a CryoSPARC project directory: ${error.message}`);
    throw error;
  });
  await watcher.ready;
  const report = await importProjectDirectory({ dir, ...deps });
  deps.logger.info(
    { dir, jobs: report.jobsStored, events: report.events, problems: report.problems.length, ms: Math.round(report.elapsedMs) },
    'watching a CryoSPARC project directory',
  );
  for (const problem of report.problems) deps.logger.warn({ code: 'INVALID_DOCUMENT', ...problem }, 'skipped an invalid document');
  return watcher;
}
