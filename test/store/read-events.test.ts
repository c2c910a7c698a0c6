import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

describe.each(STORES)('the event log on %s', (kind) => {
  let ts: TestStore;
  let jobs: Job[];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    jobs = await seedTwoProjects(ts.store, [12, 4]);
  });
  afterAll(async () => {
    await ts?.dispose();
  });

  it.skipIf(!storeAvailable(kind))('reads events with their jobs as they are now, columns only, in one pass', async () => {
    const head = await ts.store.lastEventSeq();
    const target = jobs.find((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted)!;
    await ts.store.writeJobs([{ ...target, status: 'building', title: 'renamed' }]);
    await ts.store.writeJobs([{ ...target, status: 'queued', title: 'renamed again' }]);
    const plain = await ts.store.readEvents({ afterSeq: head, limit: 10 });
    const joined = await ts.store.readEvents({ afterSeq: head, limit: 10, withJobColumns: true });
    expect(plain.map((e) => e.job)).toEqual([undefined, undefined]);
    expect(joined.map(({ job, ...e }) => e)).toEqual(plain);
    for (const event of joined) {
      // Both events show the job as it is now, not as it was at the event.
      expect({ uid: event.job!.uid, status: event.job!.status, title: event.job!.title, project: event.job!.project_uid }).toEqual({
        uid: target.uid,
        status: 'queued',
        title: 'renamed again',
        project: 'P1',
      });
      expect(() => event.job!.spec).toThrow(/without its document/);
    }
    // Filters and bounds apply as without jobs.
    const bounded = await ts.store.readEvents({ afterSeq: head, upToSeq: head + 1, limit: 10, withJobColumns: true, projectUids: ['P1'] });
    expect(bounded.map((e) => [e.seq, e.status])).toEqual([[head + 1, 'building']]);
  });
});
