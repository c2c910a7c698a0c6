import type { BusMessage } from './event-bus.js';

/** The local fan-out every bus uses: a set of listeners, each called synchronously. */
export function createListenerSet() {
  const listeners = new Set<(message: BusMessage) => void>();
  return {
    add(listener: (message: BusMessage) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    emit(message: BusMessage) {
      for (const listener of [...listeners]) listener(message);
    },
    clear: () => listeners.clear(),
    get size() {
      return listeners.size;
    },
  };
}
