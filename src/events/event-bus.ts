import type { StoredStatusEvent } from '../store/job-store.js';

/**
 * Wakes subscribers after a write has committed. The bus is not the truth —
 * the event log is: a subscriber that sees a gap in sequence numbers reads the
 * missing events from the log, so a lost or reordered publish delays an event
 * but never loses it.
 */
export interface EventBus {
  /** Announces committed events, in sequence order. Call only after the transaction committed. */
  publish(events: readonly StoredStatusEvent[]): Promise<void>;
  /** Calls `listener` with every published batch (from any process for distributed buses). Returns the unsubscribe function. */
  subscribe(listener: (events: readonly StoredStatusEvent[]) => void): () => void;
  /** Whether the bus can currently deliver (a Redis bus is not while disconnected). */
  isReady(): boolean;
  close(): Promise<void>;
}
