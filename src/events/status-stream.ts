import { BadCursorError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { JobStore, StoredStatusEvent } from '../store/job-store.js';
import type { EventBus } from './event-bus.js';

/** An event as delivered: the log row plus the job as it is now. */
export interface DeliveredStatusEvent extends StoredStatusEvent {
  job: Job | undefined;
}

/** Yielded once when the subscriber fell more than `maxQueue` events behind; the stream ends after it. */
export const OVERFLOW = Symbol('overflow');

export interface StatusStreamOptions {
  store: JobStore;
  bus: EventBus;
  /** Cheap conditions checked on every event, before anything is loaded. */
  projectUid?: string | null;
  jobUids?: readonly string[] | null;
  statuses?: readonly JobStatus[] | null;
  /** Conditions that need the job (workspace, lineage); runs on events that passed the cheap ones. */
  accept?: (event: DeliveredStatusEvent) => boolean | Promise<boolean>;
  /** Sequence number of the last event the client saw: replay everything after it first. */
  sinceSeq?: number | null;
  /** Events allowed to wait for a slow consumer before it is cut off. @default 1000 */
  maxQueue?: number;
  /** Called once, synchronously, when the queue overflows (e.g. to close the socket). */
  onOverflow?: () => void;
  /** Rows per replay read. @default 1000 */
  replayBatch?: number;
}

type QueueItem = { kind: 'event'; event: StoredStatusEvent } | { kind: 'gap'; after: number; upTo: number };

/**
 * Replay from the log after `sinceSeq`, then live events from the bus, with no
 * gap and no duplicate at the seam. The bus listener is registered before the
 * log is read, so nothing committed during the replay is missed; anything at
 * or below the replay's head is dropped as already delivered. A jump in
 * sequence numbers on the bus (a reordered publish, another process) is
 * filled from the log before later events are delivered.
 */
export async function openStatusStream(options: StatusStreamOptions): Promise<AsyncGenerator<DeliveredStatusEvent | typeof OVERFLOW>> {
  const { store, bus, projectUid, statuses, accept, sinceSeq, maxQueue = 1000, onOverflow, replayBatch = 1000 } = options;
  const jobUids = options.jobUids ? new Set(options.jobUids) : null;
  const statusSet = statuses ? new Set(statuses) : null;
  const cheapMatch = (e: StoredStatusEvent) =>
    (projectUid == null || e.projectUid === projectUid) && (jobUids == null || jobUids.has(e.jobUid)) && (statusSet == null || statusSet.has(e.status));
  const query = { projectUid, jobUids: options.jobUids, statuses };

  // While the log is replayed, only the highest sequence number on the bus is kept; the log fills in the rest afterwards.
  let earlyMax = 0;
  const queue: QueueItem[] = [];
  let seen: number | null = null; // highest sequence number admitted from the bus
  let overflowed = false;
  let closed = false;
  let wake: (() => void) | null = null;

  const admit = (e: StoredStatusEvent) => {
    if (seen === null) return;
    if (e.seq <= seen) return;
    if (e.seq > seen + 1) queue.push({ kind: 'gap', after: seen, upTo: e.seq - 1 });
    seen = e.seq;
    if (cheapMatch(e)) queue.push({ kind: 'event', event: e });
  };
  const overflow = () => {
    overflowed = true;
    queue.length = 0;
    // Stop listening at once: the consumer may not pull again for a long time (or ever).
    unsubscribe();
    onOverflow?.();
  };
  const unsubscribe = bus.subscribe(({ events, head: known }) => {
    if (overflowed) return;
    if (seen === null) {
      for (const e of events) earlyMax = Math.max(earlyMax, e.seq);
      if (known != null) earlyMax = Math.max(earlyMax, known);
    } else {
      for (const e of events) admit(e);
      if (known != null && known > seen) {
        queue.push({ kind: 'gap', after: seen, upTo: known });
        seen = known;
      }
    }
    if (queue.length > maxQueue) overflow();
    wake?.();
  });

  const deliver = async function* (events: StoredStatusEvent[]) {
    if (events.length === 0) return;
    const jobs = await store.findJobs(events.map((e) => ({ projectUid: e.projectUid, uid: e.jobUid })));
    for (let i = 0; i < events.length; i++) {
      const delivered: DeliveredStatusEvent = { ...events[i]!, job: jobs[i] };
      if (!accept || (await accept(delivered))) yield delivered;
    }
  };

  const readLog = async function* (after: number, upTo: number) {
    for (let from = after; from < upTo; ) {
      const batch = await store.readEvents({ ...query, afterSeq: from, upToSeq: upTo, limit: replayBatch });
      yield* deliver(batch);
      if (batch.length < replayBatch) break;
      from = batch.at(-1)!.seq;
    }
  };

  // Subscribed before the head is read: whatever commits from here on is either at or below the head (read from the log) or above it (from the bus).
  let head: number;
  try {
    head = await store.lastEventSeq();
    if (sinceSeq != null && sinceSeq > head) throw new BadCursorError('The cursor is ahead of the event log: it does not come from this database.');
  } catch (error) {
    unsubscribe();
    throw error;
  }

  async function* run(): AsyncGenerator<DeliveredStatusEvent | typeof OVERFLOW> {
    try {
      if (sinceSeq != null) yield* readLog(sinceSeq, head);
      seen = Math.max(head, earlyMax);
      if (seen > head) queue.unshift({ kind: 'gap', after: head, upTo: seen });
      for (;;) {
        if (overflowed) {
          yield OVERFLOW;
          return;
        }
        if (closed) return;
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        // Consecutive live events go out as one batch so their jobs load in one statement.
        const batch: StoredStatusEvent[] = [];
        while (queue.length > 0 && queue[0]!.kind === 'event') batch.push((queue.shift() as { event: StoredStatusEvent }).event);
        if (batch.length > 0) {
          yield* deliver(batch);
          continue;
        }
        const gap = queue.shift() as { after: number; upTo: number };
        yield* readLog(gap.after, gap.upTo);
      }
    } finally {
      unsubscribe();
    }
  }

  const stream = run();
  // A stream closed before its first read never enters run(), so its finally would not unsubscribe.
  const close = stream.return.bind(stream);
  // A return() while the generator waits for events would queue behind that wait forever: wake it so it can finish.
  stream.return = (value) => {
    closed = true;
    unsubscribe();
    wake?.();
    return close(value);
  };
  return stream;
}
