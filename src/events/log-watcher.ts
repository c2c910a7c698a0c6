import type { Logger } from 'pino';
import type { JobStore } from '../store/job-store.js';
import type { EventBus } from './event-bus.js';

export interface LogWatcherOptions {
  store: JobStore;
  bus: EventBus;
  /** How often to look at the log's head. @default 1000 */
  intervalMs?: number;
  logger?: Logger;
}

/**
 * The safety net under the bus: once a second it reads the event log's head
 * (one cheap statement for the whole process) and, when the bus has still not
 * delivered up to that head a second later, tells local subscribers so they
 * read the gap (on the Redis bus: the bus reads it once for all of them). This
 * covers events written by another process without a shared bus (`jobgraph
 * import` into the served database), and publishes lost while Redis was down.
 */
export function startLogWatcher({ store, bus, intervalMs = 1000, logger }: LogWatcherOptions): { stop(): void } {
  let seen = 0;
  const off = bus.subscribe(({ events, head }) => {
    const last = events.at(-1)?.seq ?? head ?? 0;
    if (last > seen) seen = last;
  });
  let running = false;
  // A head the bus had not reached is announced only if it still has not one interval later: under steady
  // writes the log is always a little ahead of the bus, and announcing that would send every subscriber
  // to the log for events already on their way.
  let pending = 0;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      if (pending > seen) bus.announceHead(pending);
      const head = await store.lastEventSeq();
      pending = head > seen ? head : 0;
    } catch (error) {
      logger?.debug({ err: error }, 'log watcher: could not read the event log head');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      off();
    },
  };
}
