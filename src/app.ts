import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { loadProjects } from './ingest/load-dataset.js';
import { createLogger } from './logger.js';
import type { JobStore } from './store/job-store.js';
import { openStore } from './store/open-store.js';
import { attachWebSocketServer } from './server/ws.js';
import { type JobgraphYoga, createYogaServer } from './server/yoga.js';

export interface App {
  config: Config;
  store: JobStore;
  yoga: JobgraphYoga;
  httpServer: Server;
  logger: Logger;
  /** Listens on `port` (default: the configured one; 0 picks a free port) and resolves to the URL of the endpoint. */
  start(port?: number): Promise<{ url: string; port: number }>;
  /** Stops accepting connections, closes websockets and the store. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  store?: JobStore;
  logger?: Logger;
}

/** Composes the layers: store → schema → yoga + graphql-ws on one HTTP server. Used by the CLI and the tests. */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = overrides.store ?? (await openStore({ db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax }));
  if (config.demo && (await store.countProjects()) === 0) {
    const { demoDataset } = await import('./ingest/demo.js');
    const jobs = await loadProjects(store, demoDataset());
    logger.info({ jobs }, 'empty database: loaded the demo projects');
  }
  const yoga = createYogaServer({ store, logger, graphiql: config.graphiql });
  const httpServer = createServer(yoga);
  const ws = attachWebSocketServer(httpServer, yoga);

  return {
    config,
    store,
    yoga,
    httpServer,
    logger,
    async start(port = config.port) {
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, config.host, () => {
          httpServer.off('error', reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${host}:${address.port}${yoga.graphqlEndpoint}`, port: address.port };
    },
    async stop() {
      await ws.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await store.close();
    },
  };
}
