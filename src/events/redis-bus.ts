import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoredStatusEvent } from '../store/job-store.js';
import type { EventBus } from './event-bus.js';
import { createListenerSet } from './listeners.js';

export interface RedisBusOptions {
  /** `redis://host:port/db` */
  url: string;
  /** Channel shared by every gateway of one deployment. @default 'jobgraph:status-events' */
  channel?: string;
  logger?: Logger;
}

interface WireMessage {
  origin: string;
  events: readonly StoredStatusEvent[];
}

/**
 * Status events shared by several gateway processes over Redis pub/sub.
 * Local listeners hear this process's events at once (not via Redis); other
 * processes hear them from Redis. Publishing never waits for or queues on a
 * disconnected Redis: the event log holds the truth, and the LogWatcher of
 * each gateway notices the log's head moving and fills the gap.
 */
export async function createRedisBus({ url, channel = 'jobgraph:status-events', logger }: RedisBusOptions): Promise<EventBus> {
  const origin = randomUUID();
  const listeners = createListenerSet();
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, { ...options, enableOfflineQueue: true });
  for (const [name, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => logger?.warn({ err: error, client: name }, 'redis bus: connection error'));
    client.on('ready', () => logger?.info({ client: name }, 'redis bus: connected'));
  }
  subscriber.on('message', (_channel: string, raw: string) => {
    let message: WireMessage;
    try {
      message = JSON.parse(raw) as WireMessage;
    } catch {
      logger?.warn({ channel }, 'redis bus: ignored a message that is not JSON');
      return;
    }
    if (message.origin !== origin && Array.isArray(message.events)) listeners.emit({ events: message.events });
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);

  return {
    async publish(events) {
      if (events.length === 0) return;
      listeners.emit({ events });
      try {
        // Documents stay local: other gateways load them once per message, not once per subscriber.
        const rows = events.map(({ job: _job, ...event }) => event);
        await publisher.publish(channel, JSON.stringify({ origin, events: rows } satisfies WireMessage));
      } catch (error) {
        logger?.warn({ err: error, events: events.length }, 'redis bus: publish failed; other gateways will catch up from the event log');
      }
    },
    announceHead: (head) => listeners.emit({ events: [], head }),
    subscribe: (listener) => listeners.add(listener),
    isReady: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
