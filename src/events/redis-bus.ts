import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { JobStore } from '../store/job-store.js';
import type { EventBus, PublishedStatusEvent } from './event-bus.js';
import { type LogFollower, createLogFollower } from './log-follower.js';
import { createListenerSet } from './listeners.js';

export interface RedisBusOptions {
  /** `redis://host:port/db` */
  url: string;
  /** This deployment's store: the channel is derived from its identity, and what listeners hear is read from its event log. */
  store: Pick<JobStore, 'deploymentId' | 'readEvents' | 'lastEventSeq'>;
  /** Channel shared by every gateway of one deployment. @default `jobgraph:<deployment id>:log` (see redisChannelFor) */
  channel?: string;
  /** Events per log read. @default 1000 */
  readBatch?: number;
  logger?: Logger;
}

/** The channel a deployment's gateways share unless `--redis-channel` names another. */
export const redisChannelFor = (deploymentId: string) => `jobgraph:${deploymentId}:log`;

/** The only message the bus sends or accepts: "this deployment's event log reaches `head`". */
export interface WakeMessage {
  head: number;
}

/** A wake's head, or undefined for anything that is not exactly `{"head": <positive integer>}`. */
export function parseWake(raw: string): number | undefined {
  if (raw.length > 64) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'head') return undefined;
  const { head } = value as { head: unknown };
  return typeof head === 'number' && Number.isSafeInteger(head) && head > 0 ? head : undefined;
}

// Ignored messages are logged at most this often (a flood must not flood the log too).
const IGNORED_NOTICE_MS = 10_000;

/**
 * The bus of several gateways of one deployment over Redis pub/sub. It only
 * wakes: a message says no more than "the event log reaches `head`", and a
 * gateway that hears of a head beyond what it has emitted reads the events
 * from its own log (one reader per process, whatever the number of
 * subscribers) and hands those rows to its listeners. Nothing in a message is
 * delivered, so a message from another deployment or a forged one costs at
 * most one log read and delivers nothing that is not in this deployment's log.
 *
 * This process's own events go to local listeners at once (with the documents
 * their writer stored), not via Redis. Publishing never waits for or queues on
 * a disconnected Redis: the LogWatcher of each gateway notices the log's head
 * moving and wakes the reader.
 */
export async function createRedisBus({ url, store, channel: configured, readBatch = 1000, logger }: RedisBusOptions): Promise<EventBus> {
  const channel = configured ?? redisChannelFor(await store.deploymentId());
  const listeners = createListenerSet();
  const follower: LogFollower = createLogFollower({
    store,
    start: await store.lastEventSeq(),
    readBatch,
    emit: (events) => listeners.emit({ events }),
    onReadError: (error) => logger?.warn({ err: error }, 'redis bus: could not read the event log; the log watcher will try again'),
  });

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

  let ignored = 0;
  let noticedAt = -Infinity;
  subscriber.on('message', (_channel: string, raw: string) => {
    const head = parseWake(raw);
    if (head !== undefined) return follower.wake(head);
    ignored++;
    const now = Date.now();
    if (now - noticedAt >= IGNORED_NOTICE_MS) {
      logger?.debug({ channel, ignored, bytes: raw.length }, 'redis bus: ignored messages that are not {"head": <seq>}');
      noticedAt = now;
      ignored = 0;
    }
  });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(channel);
  logger?.info({ channel }, 'redis bus: listening');
  // Wakes missed while connecting, or while Redis was away, are caught up with one read.
  follower.wake();
  subscriber.on('ready', () => follower.wake());

  return {
    async publish(events: readonly PublishedStatusEvent[]) {
      if (events.length === 0) return;
      follower.local(events);
      let head = 0;
      for (const e of events) if (e.seq > head) head = e.seq;
      try {
        await publisher.publish(channel, JSON.stringify({ head } satisfies WakeMessage));
      } catch (error) {
        logger?.warn({ err: error, events: events.length }, 'redis bus: publish failed; other gateways will catch up from the event log');
      }
    },
    // The log watcher read this head from our own log: read up to it once for every listener.
    announceHead: (head) => follower.wake(head),
    subscribe: (listener) => listeners.add(listener),
    isReady: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      follower.stop();
      listeners.clear();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
