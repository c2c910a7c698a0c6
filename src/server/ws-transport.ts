import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, type ServerOptions, handleProtocols, makeServer } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';

/** What graphql-ws hands our hooks as `ctx.extra`: the same as graphql-ws/use/ws. */
export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

export interface WsTransportOptions {
  /** Ping every this many ms; a client that does not pong before the next ping is dropped. @default 12000 */
  keepAliveMs?: number;
  /** Bytes a socket may hold unsent before graphql-ws waits for it to drain. @default 65536 */
  highWaterMark?: number;
  /** Where an unexpected error while handling a message goes (the socket is closed with 4500). */
  onInternalError?: (error: unknown) => void;
}

/**
 * graphql-ws over `ws`, as graphql-ws/use/ws does it, with two changes to how
 * messages are written, which bound how fast events reach clients:
 *
 * - A message is handed to the socket without waiting for it to be flushed,
 *   as long as the socket holds less than `highWaterMark` unsent bytes; past
 *   that, graphql-ws waits for the flush, so a client that stops reading
 *   still holds its subscription's stream back (and gets cut off, see
 *   status-stream.ts) instead of growing the gateway's memory.
 * - After a socket's first message in a tick, the rest of that tick's
 *   messages to it are corked and leave in one write: a replay of thousands
 *   of events costs a few system calls, not one per event.
 */
export function serveGraphqlWs<E extends WsExtra>(options: ServerOptions<Record<string, unknown> | undefined, E>, wsServer: WebSocketServer, { keepAliveMs = 12_000, highWaterMark = 64 * 1024, onInternalError }: WsTransportOptions = {}) {
  const server = makeServer(options);
  wsServer.options.handleProtocols = handleProtocols;
  const corked = new Set<Socket>();
  const uncorkAll = () => {
    for (const raw of corked) raw.uncork();
    corked.clear();
  };

  wsServer.on('connection', (socket, request) => {
    // ws closes a socket that breaks the protocol by itself (1009 for an over-size message, 1007 for bad
    // UTF-8) and then emits 'error': that is the client's doing, not ours to log.
    socket.on('error', () => {});
    const raw = (socket as unknown as { _socket: Socket })._socket;
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval =
      keepAliveMs > 0 && Number.isFinite(keepAliveMs)
        ? setInterval(() => {
            if (socket.readyState !== socket.OPEN) return;
            pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
            socket.once('pong', () => {
              if (pongWait) clearTimeout(pongWait);
              pongWait = null;
            });
            socket.ping();
          }, keepAliveMs)
        : null;

    const send = (data: string): Promise<void> | undefined => {
      if (socket.readyState !== socket.OPEN) return undefined;
      if (socket.bufferedAmount >= highWaterMark) {
        return new Promise((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
      }
      socket.send(data);
      if (!corked.has(raw)) {
        raw.cork();
        if (corked.size === 0) process.nextTick(uncorkAll);
        corked.add(raw);
      }
      return undefined;
    };

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: send as (data: string) => Promise<void>,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (data) => {
            try {
              await cb(String(data));
            } catch (error) {
              onInternalError?.(error);
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request } as E,
    );

    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      if (pingInterval) clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });

  return {
    async dispose() {
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners('connection');
    },
  };
}
