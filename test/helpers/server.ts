import { pino } from 'pino';
import { type App, type AppOverrides, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { JobStore } from '../../src/store/job-store.js';

export interface TestServer {
  app: App;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** ws://127.0.0.1:PORT/graphql */
  wsUrl: string;
  stop(): Promise<void>;
}

/** Starts the real app on a free port over the given store. The store is closed by `stop()`. */
export async function startTestServer(store: JobStore, settings: Record<string, unknown> = {}, overrides: Omit<AppOverrides, 'store'> = {}): Promise<TestServer> {
  const config = loadConfig({ port: 0, logLevel: 'silent', ...settings }, {});
  const app = await createApp(config, { logger: pino({ level: 'silent' }), ...overrides, store });
  const { url } = await app.start(0);
  return { app, url, wsUrl: url.replace(/^http/, 'ws'), stop: () => app.stop() };
}
