/** `jobgraph serve`: starts the gateway and runs it until SIGINT or SIGTERM; SIGHUP reads the tokens file again. */
import { createApp } from '../app.js';
import type { Config } from '../config.js';

export async function serve(config: Config): Promise<void> {
  const app = await createApp(config);
  const { url, metricsUrl } = await app.start();
  const viewer = new URL('/', url).href;
  app.logger.info({ url, viewer, db: redact(config.db) }, `jobgraph listening on ${url}${config.graphiql ? ' (GraphiQL in a browser)' : ''}; the job-graph viewer is on ${viewer}`);
  if (metricsUrl) app.logger.info({ metricsUrl }, `metrics on ${metricsUrl} (loopback only)`);
  const shutdown = async (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // SIGHUP reads the tokens file again (it is also watched); a bad file is logged and the previous tokens stay.
  process.on('SIGHUP', () => {
    try {
      app.reloadTokens();
    } catch {
      // logged by reloadTokens
    }
  });
}

/** The database URL without its password, for the log. */
function redact(db: string): string {
  return db.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
