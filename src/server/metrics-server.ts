import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../metrics.js';
import { guardOrigin } from './http-guards.js';
import { type OriginPolicy, createOriginPolicy } from './origin-policy.js';

/** Where the separate metrics server listens: loopback only, since it asks for no token. */
export const METRICS_HOST = '127.0.0.1';

export interface MetricsServer {
  server: Server;
  /** Listens on 127.0.0.1:`port` (0 picks a free one) and resolves to the URL of /metrics. */
  start(port: number): Promise<{ url: string; port: number }>;
  stop(): Promise<void>;
}

/**
 * `--metrics-port`: GET /metrics (Prometheus text format) on its own HTTP
 * server bound to 127.0.0.1, without authentication; every other path is 404.
 * Host and Origin are checked as on the main port (origin-policy.ts): a page
 * whose name resolves to 127.0.0.1 (DNS rebinding) cannot read it.
 */
export function createMetricsServer(metrics: Metrics, originPolicy: OriginPolicy = createOriginPolicy()): MetricsServer {
  const server = createServer((req, res) => {
    if (!guardOrigin(req, res, originPolicy)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res
        .writeHead(405, { allow: 'GET', 'content-type': 'application/json; charset=utf-8' })
        .end(JSON.stringify({ errors: [{ message: 'Use GET here.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] }));
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500).end(),
    );
  });
  return {
    server,
    async start(port) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, METRICS_HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      return { url: `http://${METRICS_HOST}:${address.port}/metrics`, port: address.port };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
