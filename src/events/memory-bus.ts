import type { StoredStatusEvent } from '../store/job-store.js';
import type { EventBus } from './event-bus.js';

/** In-process bus: one gateway process, no network. */
export function createMemoryBus(): EventBus {
  const listeners = new Set<(events: readonly StoredStatusEvent[]) => void>();
  return {
    async publish(events) {
      if (events.length === 0) return;
      for (const listener of [...listeners]) listener(events);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    isReady: () => true,
    async close() {
      listeners.clear();
    },
  };
}
