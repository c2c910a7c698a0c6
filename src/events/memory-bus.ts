import type { EventBus } from './event-bus.js';
import { createListenerSet } from './listeners.js';

/** In-process bus: one gateway process, no network. */
export function createMemoryBus(): EventBus {
  const listeners = createListenerSet();
  return {
    async publish(events) {
      if (events.length > 0) listeners.emit({ events });
    },
    announceHead: (head) => listeners.emit({ events: [], head }),
    subscribe: (listener) => listeners.add(listener),
    isReady: () => true,
    async close() {
      listeners.clear();
    },
  };
}
