import type { Job } from '../model/job.js';
import type { StoredStatusEvent } from '../store/job-store.js';

/**
 * An event as published: the log row, plus — when the publisher has it — the
 * job document written in the same transaction, so that a thousand
 * subscribers do not each load it again.
 */
export type PublishedStatusEvent = StoredStatusEvent & { job?: Job };

/**
 * What a bus hands its listeners: committed events in sequence order, and/or
 * `head`, the highest sequence number known to be committed. A listener that
 * learns of a head beyond what it has seen reads the difference from the log.
 */
export interface BusMessage {
  events: readonly PublishedStatusEvent[];
  head?: number;
}

/**
 * Wakes subscribers after a write has committed. The bus is not the truth —
 * the event log is (the Redis bus hands on only what it read from this
 * deployment's own log, never what a message says): a subscriber that sees a gap in sequence numbers reads the
 * missing events from the log, so a lost or reordered publish delays an event
 * but never loses it.
 */
export interface EventBus {
  /** Announces committed events, in sequence order. Call only after the transaction committed. */
  publish(events: readonly PublishedStatusEvent[]): Promise<void>;
  /**
   * Tells this process's listeners that the log reaches `head` (see LogWatcher); not sent to other processes.
   * The Redis bus reads the events up to it from the log instead, once for all its listeners.
   */
  announceHead(head: number): void;
  /** Calls `listener` with every message (from any process, for a distributed bus). Returns the unsubscribe function. */
  subscribe(listener: (message: BusMessage) => void): () => void;
  /** Whether the bus can currently deliver (a Redis bus is not while disconnected). */
  isReady(): boolean;
  close(): Promise<void>;
}
