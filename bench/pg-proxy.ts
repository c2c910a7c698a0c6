/**
 * A counting TCP proxy on the PostgreSQL wire: a server connects to the proxy
 * instead of PostgreSQL, and the proxy counts the bytes PostgreSQL sends back
 * (server → client: row descriptions, data rows, completions). Bytes read per
 * request = the count over a series of requests ÷ their number.
 */
import net from 'node:net';

export interface CountingProxy {
  /** The database URL with host and port replaced by the proxy's. */
  url: string;
  /** Bytes PostgreSQL has sent through the proxy since the last reset. */
  bytes(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startCountingProxy(databaseUrl: string): Promise<CountingProxy> {
  const target = new URL(databaseUrl);
  const upstream = { host: target.hostname, port: Number(target.port || 5432) };
  let received = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const db = net.connect(upstream);
    sockets.add(client).add(db);
    db.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.pipe(db);
    db.pipe(client);
    const end = () => {
      client.destroy();
      db.destroy();
      sockets.delete(client);
      sockets.delete(db);
    };
    client.once('close', end).once('error', end);
    db.once('close', end).once('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    bytes: () => received,
    reset: () => {
      received = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
