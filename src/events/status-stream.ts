import { BadCursorError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { JobStore, StoredStatusEvent } from '../store/job-store.js';
import type { EventBus, PublishedStatusEvent } from './event-bus.js';

/** An event as delivered: the log row plus the job as it is now. */
export interface DeliveredStatusEvent extends StoredStatusEvent {
  job: Job | undefined;
}

/** Yielded once when the subscriber fell more than `maxLag` events behind; the stream ends after it. */
export const OVERFLOW = Symbol('overflow');

export interface StatusStreamOptions {
  store: JobStore;
  bus: EventBus;
  /** Cheap conditions checked on every event, before anything is loaded. */
  projectUid?: string | null;
  /** The projects the subscriber may see (null: all); checked on every event. */
  projectUids?: readonly string[] | null;
  jobUids?: readonly string[] | null;
  statuses?: readonly JobStatus[] | null;
  /** Conditions that need the job (workspace, lineage); runs on events that passed the cheap ones. */
  accept?: (event: DeliveredStatusEvent) => boolean | Promise<boolean>;
  /** Sequence number of the last event the client saw: replay everything after it first. */
  sinceSeq?: number | null;
  /** How far (in log positions) the consumer may fall behind before it is cut off. @default 10000 */
  maxLag?: number;
  /** Live events held in memory per subscriber; beyond this they are dropped and re-read from the log. @default 1000 */
  maxBuffered?: number;
  /** Called once, synchronously, when the consumer is cut off (e.g. to close its socket), with how many log positions it was behind. */
  onOverflow?: (lag: number) => void;
  /** Called for each event handed to the consumer (metrics). */
  onDelivered?: () => void;
  /** Rows per log read. @default 1000 */
  readBatch?: number;
  /**
   * Whether the consumer reads only the job fields kept in columns (uid,
   * status, …; see lazy-job.ts): jobs it loads are then read without their
   * document. @default false
   */
  jobColumnsOnly?: boolean;
}

/**
 * One delivered event per published one, shared by every subscriber in this
 * process: a job missing from a live event (published by another gateway) is
 * loaded once, not once per subscriber, and subscribers with the same
 * operation can share one result per event (server/use-shared-results.ts).
 */
const withDocuments = new WeakMap<PublishedStatusEvent, Promise<DeliveredStatusEvent>>();
const withColumns = new WeakMap<PublishedStatusEvent, Promise<DeliveredStatusEvent>>();
const ignore = () => {};

/**
 * Hands over the job columns read in the same statement as a bus event (see
 * log-follower.ts): subscribers that read only columns then load nothing for
 * it, and the others load the document once per process, as for any bus event.
 */
export function knownJobColumns(event: PublishedStatusEvent, job: Job | undefined): void {
  withColumns.set(event, Promise.resolve({ ...event, job }));
}

function deliveriesOf(
  events: readonly PublishedStatusEvent[],
  store: JobStore,
  { columnsOnly, shared }: { columnsOnly: boolean; /** Events heard on the bus, the same objects for every subscriber; log reads are this subscriber's own. */ shared: boolean },
): (DeliveredStatusEvent | Promise<DeliveredStatusEvent>)[] {
  const known = (e: PublishedStatusEvent) => (shared ? (withDocuments.get(e) ?? (columnsOnly ? withColumns.get(e) : undefined)) : undefined);
  // Live events usually carry the job their writer stored; only the others (log reads, other gateways) are loaded.
  const missing = events.filter((e) => e.job === undefined && !known(e));
  if (missing.length > 0) {
    const loading = store.findJobs(
      missing.map((e) => ({ projectUid: e.projectUid, uid: e.jobUid })),
      { columnsOnly },
    );
    const loaded = new Map<PublishedStatusEvent, Promise<DeliveredStatusEvent>>();
    missing.forEach((e, i) => {
      const delivered = loading.then((jobs) => ({ ...e, job: jobs[i] }));
      // A failed load is reported to the consumer that awaits it; the events after it in the batch are never awaited.
      delivered.catch(ignore);
      loaded.set(e, delivered);
      if (shared) (columnsOnly ? withColumns : withDocuments).set(e, delivered);
    });
    return events.map((e) => (e.job !== undefined ? (e as DeliveredStatusEvent) : (loaded.get(e) ?? known(e)!)));
  }
  return events.map((e) => (e.job !== undefined ? (e as DeliveredStatusEvent) : known(e)!));
}

type QueueItem = { kind: 'event'; event: PublishedStatusEvent } | { kind: 'gap'; after: number; upTo: number };

/**
 * Opens a status stream: replay from the log after `sinceSeq`, then live
 * events from the bus, with no gap and no duplicate at the seam.
 *
 * - The bus listener is registered before the log's head is read, so every
 *   event commits either at or below that head (read from the log) or above
 *   it (heard on the bus).
 * - Sequence numbers are commit order (see the store), so a jump on the bus —
 *   a reordered publish, another process, a lost Redis message — is a gap
 *   to read from the log before later events go out. Repeats are dropped.
 * - Memory per subscriber is bounded: past `maxBuffered` queued events the
 *   queue collapses into one gap, read back from the log at the consumer's
 *   pace. A consumer more than `maxLag` positions behind is cut off.
 */
export async function openStatusStream(options: StatusStreamOptions): Promise<AsyncIterableIterator<DeliveredStatusEvent | typeof OVERFLOW>> {
  const { store, bus, projectUid, statuses, accept, sinceSeq, onOverflow, onDelivered, readBatch = 1000, jobColumnsOnly = false } = options;
  const maxLag = options.maxLag ?? 10_000;
  const maxBuffered = Math.min(options.maxBuffered ?? 1000, maxLag);
  const jobUids = options.jobUids ? new Set(options.jobUids) : null;
  const statusSet = statuses ? new Set(statuses) : null;
  const visible = options.projectUids ? new Set(options.projectUids) : null;
  const cheapMatch = (e: StoredStatusEvent) =>
    (visible == null || visible.has(e.projectUid)) &&
    (projectUid == null || e.projectUid === projectUid) && (jobUids == null || jobUids.has(e.jobUid)) && (statusSet == null || statusSet.has(e.status));
  const query = { projectUid, projectUids: options.projectUids, jobUids: options.jobUids, statuses };

  let queue: QueueItem[] = [];
  let seen: number | null = null; // highest log position known (from the bus or the log head)
  let taken = 0; // highest log position the consumer loop has taken on
  let earlyMax = 0; // while replaying: the highest position heard on the bus
  let overflowed = false;
  let closed = false;
  let wake: (() => void) | null = null;

  const admit = (e: PublishedStatusEvent) => {
    if (seen === null || e.seq <= seen) return;
    if (e.seq > seen + 1) queue.push({ kind: 'gap', after: seen, upTo: e.seq - 1 });
    seen = e.seq;
    if (cheapMatch(e)) queue.push({ kind: 'event', event: e });
  };
  const cutOff = (lag: number) => {
    overflowed = true;
    queue = [];
    // Stop listening at once: the consumer may not pull again for a long time (or ever).
    unsubscribe();
    onOverflow?.(lag);
  };
  const unsubscribe = bus.subscribe(({ events, head: known }) => {
    if (overflowed) return;
    if (seen === null) {
      for (const e of events) earlyMax = Math.max(earlyMax, e.seq);
      if (known != null) earlyMax = Math.max(earlyMax, known);
      return;
    }
    for (const e of events) admit(e);
    if (known != null && known > seen) {
      queue.push({ kind: 'gap', after: seen, upTo: known });
      seen = known;
    }
    if (seen - taken > maxLag) cutOff(seen - taken);
    else if (queue.length > maxBuffered) queue = [{ kind: 'gap', after: taken, upTo: seen }];
    // Most events match nobody in particular: waking every idle subscriber for them would cost a turn each.
    if (overflowed || queue.length > 0) wake?.();
  });

  let head: number;
  try {
    head = await store.lastEventSeq();
    if (sinceSeq != null && sinceSeq > head) throw new BadCursorError('The cursor is ahead of the event log: it does not come from this database.');
  } catch (error) {
    unsubscribe();
    throw error;
  }

  // What the consumer takes next: accepted events of the batch being handed out.
  let ready: DeliveredStatusEvent[] = [];
  let readyAt = 0;
  // A stretch of the log being read back (the replay after `sinceSeq`, or a gap), one batch per fill.
  let reading: { from: number; upTo: number } | null = sinceSeq != null && sinceSeq < head ? { from: sinceSeq, upTo: head } : null;
  let live = false;
  let finished = false;

  /** Accepts `events` (loading their jobs where needed) into `ready`. */
  const take = async (events: readonly PublishedStatusEvent[], shared: boolean) => {
    if (events.length === 0) return;
    ready = [];
    readyAt = 0;
    for (const pending of deliveriesOf(events, store, { columnsOnly: jobColumnsOnly, shared })) {
      const delivered = pending instanceof Promise ? await pending : pending;
      if (accept && !(await accept(delivered))) continue;
      onDelivered?.();
      ready.push(delivered);
    }
  };

  /** Fills `ready` with the next accepted events; returns with it empty only once cut off or closed. */
  const fill = async () => {
    while (!overflowed && !closed) {
      if (reading) {
        const batch = await store.readEvents({ ...query, afterSeq: reading.from, upToSeq: reading.upTo, limit: readBatch, withJobColumns: jobColumnsOnly });
        reading = batch.length < readBatch || batch.at(-1)!.seq >= reading.upTo ? null : { from: batch.at(-1)!.seq, upTo: reading.upTo };
        await take(batch, false);
      } else if (!live) {
        // The replay is done: from here on the bus is heard (see the seam above).
        live = true;
        seen = Math.max(head, earlyMax);
        taken = head;
        if (seen > head) queue.push({ kind: 'gap', after: head, upTo: seen });
      } else if (queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      } else if (queue[0]!.kind === 'event') {
        // Consecutive live events go out as one batch so their jobs load in one statement.
        const batch: PublishedStatusEvent[] = [];
        while (queue.length > 0 && queue[0]!.kind === 'event') batch.push((queue.shift() as { event: PublishedStatusEvent }).event);
        taken = Math.max(taken, batch.at(-1)!.seq);
        await take(batch, true);
      } else {
        const gap = queue.shift() as { after: number; upTo: number };
        taken = Math.max(taken, gap.upTo);
        reading = { from: gap.after, upTo: gap.upTo };
      }
      if (readyAt < ready.length) return;
    }
  };

  const finish = () => {
    finished = true;
    ready = [];
    unsubscribe();
  };
  const done = { done: true, value: undefined } as const;

  // A plain iterator rather than async generators: one promise per event handed out, not one per layer.
  const stream: AsyncIterableIterator<DeliveredStatusEvent | typeof OVERFLOW> & { return(): Promise<IteratorResult<never>> } = {
    [Symbol.asyncIterator]: () => stream,
    async next() {
      if (finished) return done;
      if (readyAt >= ready.length) {
        try {
          await fill();
        } catch (error) {
          finish();
          throw error;
        }
      }
      if (readyAt < ready.length) return { done: false, value: ready[readyAt++]! };
      const overflow = overflowed && !closed;
      finish();
      return overflow ? { done: false, value: OVERFLOW } : done;
    },
    // A return() while next() waits for events must wake that wait so it can finish.
    async return() {
      closed = true;
      finish();
      wake?.();
      return done;
    },
  };
  return stream;
}
