import WebSocket from 'ws';
import { wallNow } from './stats.js';

/**
 * A bare graphql-ws (`graphql-transport-ws`) client: one connection, one
 * subscription. It does the least work per message — timestamp first, then
 * one JSON.parse — so that thousands of them in one process measure the
 * server rather than themselves.
 */
export interface BenchSubscription {
  socket: WebSocket;
  close(): void;
}

export interface SubscriptionHandlers {
  /** Called with the wall-clock receive time (ms) and the `payload` of each `next` message. */
  onNext(receivedAt: number, payload: { data?: Record<string, unknown> | null; errors?: unknown[] }): void;
  onError?(error: unknown): void;
  onClose?(code: number, reason: string): void;
}

export function openSubscription(
  url: string,
  request: { query: string; variables?: Record<string, unknown> },
  handlers: SubscriptionHandlers,
): Promise<BenchSubscription> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let subscribed = false;
    socket.once('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data: Buffer) => {
      const receivedAt = wallNow();
      const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
      switch (message.type) {
        case 'next':
          handlers.onNext(receivedAt, message.payload as { data?: Record<string, unknown> | null });
          break;
        case 'connection_ack':
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: request }));
          subscribed = true;
          resolve({ socket, close: () => socket.close(1000) });
          break;
        case 'ping':
          socket.send('{"type":"pong"}');
          break;
        case 'error':
          handlers.onError?.(message.payload);
          break;
        default:
          break;
      }
    });
    socket.once('error', (error) => (subscribed ? handlers.onError?.(error) : reject(error)));
    socket.once('close', (code, reason) => {
      if (!subscribed) reject(new Error(`closed before connection_ack: ${code} ${reason.toString()}`));
      handlers.onClose?.(code, reason.toString());
    });
  });
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
