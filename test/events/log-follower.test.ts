import { describe, expect, it } from 'vitest';
import type { PublishedStatusEvent } from '../../src/events/event-bus.js';
import { createLogFollower } from '../../src/events/log-follower.js';
import type { EventQuery, StoredStatusEvent } from '../../src/store/job-store.js';

const row = (seq: number): StoredStatusEvent => ({ seq, projectUid: 'P1', jobUid: `J${seq}`, previousStatus: null, status: 'building', at: '2026-01-01T00:00:00.000Z' });

const columnsOnlyJob = (uid: string) =>
  new Proxy({ uid } as never, { get: (target, key) => (key === 'uid' ? uid : key === 'then' ? undefined : (() => { throw new Error('columns only'); })()) });

/** A log in memory whose reads can be held open, counting them. */
function fakeLog(seqs: number[] = []) {
  const log = seqs.map(row);
  const reads: EventQuery[] = [];
  let gate: Promise<void> | null = null;
  let open: (() => void) | null = null;
  let failNext = false;
  const store = {
    async readEvents(query: EventQuery) {
      reads.push(query);
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error('database away');
      }
      const rows = log.filter((e) => e.seq > query.afterSeq && (query.upToSeq == null || e.seq <= query.upToSeq)).slice(0, query.limit);
      // As the store does: with `withJobColumns`, a job that can read only its columns.
      return query.withJobColumns ? rows.map((e) => ({ ...e, job: columnsOnlyJob(e.jobUid) })) : rows;
    },
  };
  return {
    store,
    reads,
    append: (...more: number[]) => more.map((seq) => (log.push(row(seq)), row(seq))),
    hold() {
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      gate = null;
      open?.();
    },
    failNextRead: () => void (failNext = true),
  };
}

function follower(log: ReturnType<typeof fakeLog>, start: number, readBatch = 1000) {
  const emitted: PublishedStatusEvent[][] = [];
  const errors: unknown[] = [];
  const f = createLogFollower({ store: log.store, start, readBatch, emit: (events) => emitted.push([...events]), onReadError: (e) => errors.push(e) });
  const seqs = () => emitted.flat().map((e) => e.seq);
  return { f, emitted, errors, seqs };
}

const settle = () => new Promise((r) => setTimeout(r, 5));
const own = (seq: number): PublishedStatusEvent => ({ ...row(seq), job: { uid: `J${seq}` } as never });

describe('log follower', () => {
  it('emits own events that continue the emitted run at once, as published, without reading the log', () => {
    const log = fakeLog([1, 2, 3]);
    const { f, emitted } = follower(log, 3);
    const mine = [own(4), own(5)];
    log.append(4, 5);
    f.local(mine);
    expect(emitted).toEqual([mine]);
    expect(emitted[0]![0]).toBe(mine[0]);
    expect(log.reads).toHaveLength(0);
    expect(f.emitted).toBe(5);
  });

  it('holds own events behind a hole for one read that fills it, then emits them in order with their documents', async () => {
    const log = fakeLog([1, 2]);
    const { f, emitted, seqs } = follower(log, 2);
    log.append(3, 4); // another gateway's, not heard yet
    const mine = own(5);
    log.append(5);
    f.local([mine]);
    expect(emitted).toHaveLength(0);
    await settle();
    expect(log.reads).toHaveLength(1);
    expect(seqs()).toEqual([3, 4, 5]);
    expect(emitted.flat()[2]).toBe(mine);
    // Rows read from the log go out without the columns-only job read with them: a subscriber may want its document.
    expect(emitted.flat()[0]).not.toHaveProperty('job');
    expect(log.reads[0]!.withJobColumns).toBe(true);
  });

  it('reads on a wake beyond what it emitted, never emits past what the log holds, and a forged head costs one read', async () => {
    const log = fakeLog([1, 2, 3]);
    const { f, seqs } = follower(log, 1);
    f.wake(1);
    await settle();
    expect(log.reads).toHaveLength(0); // an echo of what was emitted: nothing to read
    f.wake(Number.MAX_SAFE_INTEGER);
    await settle();
    expect(log.reads).toHaveLength(1);
    expect(seqs()).toEqual([2, 3]);
    expect(f.emitted).toBe(3);
    // The next real event is not taken for a repeat.
    log.append(4);
    f.local([own(4)]);
    expect(seqs()).toEqual([2, 3, 4]);
    f.wake(4);
    await settle();
    expect(log.reads).toHaveLength(1);
  });

  it('runs one read at a time; wakes heard meanwhile coalesce into one more', async () => {
    const log = fakeLog([1]);
    const { f, seqs } = follower(log, 0);
    log.hold();
    f.wake(1);
    for (let i = 0; i < 10; i++) f.wake(2 + i);
    log.append(2, 3);
    log.release();
    await settle();
    expect(log.reads).toHaveLength(2);
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('reads a long stretch in batches and emits each event once, in order', async () => {
    const log = fakeLog(Array.from({ length: 2500 }, (_, i) => i + 1));
    const { f, seqs, emitted } = follower(log, 0, 1000);
    f.wake(2500);
    await settle();
    expect(log.reads.map((q) => q.afterSeq)).toEqual([0, 1000, 2000]);
    expect(emitted.map((batch) => batch.length)).toEqual([1000, 1000, 500]);
    expect(seqs()).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
  });

  it('does not emit twice what an own publish emitted during a read', async () => {
    const log = fakeLog([1, 2]);
    const { f, seqs } = follower(log, 2);
    log.hold();
    f.wake(3);
    log.append(3, 4);
    f.local([own(3)]);
    f.local([own(4)]);
    log.release();
    await settle();
    expect(seqs()).toEqual([3, 4]);
  });

  it('own events published out of order within the process still go out in order', async () => {
    const log = fakeLog([1]);
    const { f, seqs, emitted } = follower(log, 1);
    log.append(2, 3);
    const [two, three] = [own(2), own(3)];
    f.local([three]);
    f.local([two]);
    await settle();
    expect(seqs()).toEqual([2, 3]);
    expect(emitted.flat()).toEqual([two, three]);
  });

  it('a hole the log never fills (a rolled-back transaction) does not hold own events back past one read', async () => {
    const log = fakeLog([1]);
    const { f, seqs } = follower(log, 1);
    log.append(3);
    f.local([own(3)]);
    await settle();
    expect(log.reads).toHaveLength(1);
    expect(seqs()).toEqual([3]);
  });

  it('when the read fails, own events still go out', async () => {
    const log = fakeLog([1]);
    const { f, seqs, errors } = follower(log, 1);
    log.append(2, 3);
    log.failNextRead();
    f.local([own(3)]);
    await settle();
    expect(errors).toHaveLength(1);
    expect(seqs()).toEqual([3]);
  });
});
