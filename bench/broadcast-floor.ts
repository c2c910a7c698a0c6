import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The fan-out floor: the least a websocket server can do to deliver one
 * status event to every subscriber. It speaks just enough graphql-ws
 * (connection_ack, subscribe, ping/pong) for the bench's clients, serialises
 * the event once, and writes it to each socket: no GraphQL, no bus, no
 * per-subscriber state beyond the subscription id.
 */
export function attachBroadcastFloor(server: Server, path = '/graphql') {
  const wss = new WebSocketServer({ server, path, perMessageDeflate: false });
  const subscribers = new Map<WebSocket, string>();
  wss.on('connection', (socket) => {
    socket.on('error', () => {});
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      else if (message.type === 'ping') socket.send('{"type":"pong"}');
      else if (message.type === 'subscribe') subscribers.set(socket, message.id!);
      else if (message.type === 'complete') subscribers.delete(socket);
    });
    socket.on('close', () => subscribers.delete(socket));
  });
  return {
    /** Sends one event, stamped now, to every subscriber; returns how many and how long the writes took. */
    broadcast(): { subscribers: number; ms: number } {
      const started = performance.now();
      const at = new Date().toISOString();
      const payload = JSON.stringify({
        data: { jobStatusChanged: { cursor: 'floor', projectUid: 'P1', jobUid: 'J1', previousStatus: 'BUILDING', status: 'QUEUED', at, job: { uid: 'J1', status: 'QUEUED' } } },
      });
      for (const [socket, id] of subscribers) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${payload}}`);
      return { subscribers: subscribers.size, ms: performance.now() - started };
    },
    close: () => wss.close(),
  };
}
