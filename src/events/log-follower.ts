import type { JobStore } from '../store/job-store.js';
import type { PublishedStatusEvent } from './event-bus.js';
import { knownJobColumns } from './status-stream.js';

export interface LogFollowerOptions {
  store: Pick<JobStore, 'readEvents'>;
  /** The log position already accounted for (events at or below it are never emitted). */
  start: number;
  /** Rows per log read. @default 1000 */
  readBatch?: number;
  /** Hands events to the local listeners: real rows of this deployment's log, in increasing order, each once. */
  emit(events: readonly PublishedStatusEvent[]): void;
  onReadError?(error: unknown): void;
}

export interface LogFollower {
  /** This process's own committed events (with their documents), possibly out of order between calls. */
  local(events: readonly PublishedStatusEvent[]): void;
  /**
   * Someone says the log moved (to `head`, when given). The head is only a hint: the follower reads
   * what the log holds after the last emitted event, and never emits beyond what it read.
   */
  wake(head?: number): void;
  /** The highest position emitted (or found to be a hole). */
  readonly emitted: number;
  stop(): void;
}

/**
 * Follows this deployment's event log for one process, so that whatever the
 * number of subscribers the log is read once:
 *
 * - Own events contiguous with what was emitted go out at once.
 * - Own events after a hole (another gateway's events not emitted yet) wait
 *   for one read of the log, which fills the hole; they then go out, in order,
 *   as the objects their writer published. Sequence numbers are commit order,
 *   so every event below an own, committed one is already visible to that read.
 * - Wakes start a read of the events after the last emitted one, in batches.
 *   One read runs at a time; wakes heard meanwhile coalesce into one more.
 *
 * Every emitted event is a row of the log (or an own event, which is one), and
 * the emitted positions only grow, so nothing goes out twice.
 */
export function createLogFollower({ store, start, readBatch = 1000, emit, onReadError }: LogFollowerOptions): LogFollower {
  let emitted = start;
  /** Own events waiting behind a hole, in sequence order. */
  let held: PublishedStatusEvent[] = [];
  let reading = false;
  let again = false;
  let stopped = false;

  const release = (events: PublishedStatusEvent[]) => {
    if (events.length === 0 || stopped) return;
    emitted = events.at(-1)!.seq;
    emit(events);
  };

  /** Emits the held events that continue the emitted run; returns whether a hole remains before the rest. */
  const releaseContiguous = () => {
    let i = 0;
    let position = emitted;
    while (i < held.length && held[i]!.seq <= position) i++;
    const out: PublishedStatusEvent[] = [];
    while (i < held.length && held[i]!.seq === position + 1) {
      position = held[i]!.seq;
      out.push(held[i++]!);
    }
    held = held.slice(i);
    release(out);
    return held.length > 0;
  };

  const follow = async () => {
    reading = true;
    try {
      do {
        again = false;
        // Own events held before this read began committed before it: every event below them is visible to it.
        const heldUpTo = held.at(-1)?.seq ?? 0;
        const read = await store.readEvents({ afterSeq: emitted, limit: readBatch, withJobColumns: true });
        if (stopped) return;
        // The jobs' columns come in the same statement; the events go out without them (subscribers may want documents).
        const rows = read.map(({ job, ...event }) => {
          knownJobColumns(event, job);
          return event;
        });
        const full = rows.length >= readBatch;
        const upTo = full ? rows.at(-1)!.seq : Math.max(rows.at(-1)?.seq ?? 0, heldUpTo);
        // Merge the rows with the held events they cover, preferring the held ones (they carry their documents).
        const out: PublishedStatusEvent[] = [];
        let h = 0;
        let position = emitted;
        const push = (e: PublishedStatusEvent) => {
          if (e.seq > position) {
            out.push(e);
            position = e.seq;
          }
        };
        for (const row of rows) {
          while (h < held.length && held[h]!.seq <= row.seq) push(held[h++]!);
          push(row);
        }
        while (h < held.length && held[h]!.seq <= upTo) push(held[h++]!);
        held = held.slice(h);
        release(out);
        if (releaseContiguous()) again = true;
        again ||= full;
      } while (again && !stopped);
    } catch (error) {
      onReadError?.(error);
      // Own events are not held back by a failing read: subscribers fill the hole from the log themselves.
      const mine = held;
      held = [];
      release(mine.filter((e) => e.seq > emitted));
    } finally {
      reading = false;
    }
  };

  const wake = () => {
    if (stopped) return;
    if (reading) again = true;
    else void follow();
  };

  return {
    local(events) {
      if (stopped) return;
      const fresh = events.filter((e) => e.seq > emitted);
      if (fresh.length === 0) return;
      held = [...held, ...fresh].sort((a, b) => a.seq - b.seq);
      if (releaseContiguous()) wake();
    },
    wake(head) {
      if (head === undefined || head > emitted) wake();
    },
    get emitted() {
      return emitted;
    },
    stop() {
      stopped = true;
      held = [];
    },
  };
}
