/**
 * The last line of defence: a batch the database refuses is written again one
 * document at a time, and the refused ones become problems whose messages
 * carry no values; real constraint errors on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { describeRefusal, isDocumentRefusal, writeJobsReportingRefusals } from '../../src/sources/write-jobs.js';
import { UnavailableError } from '../../src/model/errors.js';
import { type Job, parseJobDocument } from '../../src/model/job.js';
import type { StoredStatusEvent } from '../../src/store/job-store.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const { jobs: raw } = generateProject({ projectUid: 'P43', jobs: 8, seed: 43 });
const jobs = raw.map((j) => parseJobDocument(j));

describe.each(STORES)('writeJobsReportingRefusals on %s', (kind) => {
  let ts: TestStore;
  const published: StoredStatusEvent[] = [];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
  });
  afterAll(async () => {
    await ts?.dispose();
  });

  it.skipIf(!storeAvailable(kind))('stores the rest of a batch the database refuses and reports the refused document without its values', async () => {
    const bus = createMemoryBus();
    bus.subscribe((message) => published.push(...message.events));
    const writer = createJobWriter({ store: ts.store, bus });
    // Built past validation: two jobs claiming one uid number collide on the unique (project_uid, uid_num) index.
    const collider: Job = { ...jobs[3]!, uid_num: jobs[2]!.uid_num, title: 'secret-title-value' };
    const batch = [jobs[0]!, jobs[1]!, jobs[2]!, collider, jobs[4]!].map((job, i) => ({ job, source: 'ingest', line: i + 1 }));
    const report = await writeJobsReportingRefusals(writer, batch);
    expect(report.created).toBe(4);
    expect(report.events.map((e) => e.jobUid)).toEqual(['J1', 'J2', 'J3', 'J5']);
    expect(published.map((e) => e.jobUid)).toEqual(['J1', 'J2', 'J3', 'J5']);
    expect(report.problems).toEqual([{ source: 'ingest', line: 4, path: '', message: expect.stringMatching(/^the database refused the document: .*(UNIQUE|unique)/) }]);
    expect(report.problems[0]!.message).not.toMatch(/secret|P43|=\(/);
    const stored = await ts.store.findJobs(['J1', 'J2', 'J3', 'J4', 'J5'].map((uid) => ({ projectUid: 'P43', uid })));
    expect(stored.map((j) => j?.uid)).toEqual(['J1', 'J2', 'J3', undefined, 'J5']);
  });

  // Only this dialect has what the test looks at: the test exists only where it applies.
  if (kind === 'postgres') {
    it.skipIf(!storeAvailable(kind))('turns PostgreSQL refusing a NUL character into a problem (had validation missed it)', async () => {
      const writer = createJobWriter({ store: ts.store, bus: createMemoryBus() });
      const report = await writeJobsReportingRefusals(writer, [
        { job: { ...jobs[5]!, title: 'nul\u0000here' }, source: '/p/J6/job.json' },
        { job: jobs[6]!, source: '/p/J7/job.json' },
      ]);
      expect(report.created).toBe(1);
      expect(report.problems).toEqual([{ source: '/p/J6/job.json', path: '', message: expect.stringMatching(/^the database refused the document: /) }]);
      expect(report.problems[0]!.message).not.toContain('nul');
    });
  }

  it.skipIf(!storeAvailable(kind))('throws what is not about the documents: an unreachable database', async () => {
    const down = new UnavailableError('down');
    const writer = { writeJobs: async () => Promise.reject(down), updateJob: async () => undefined };
    await expect(writeJobsReportingRefusals(writer, [{ job: jobs[7]!, source: 'ingest' }])).rejects.toBe(down);
  });
});

describe('refusals', () => {
  it('tell data errors from failures of the database itself', () => {
    expect(isDocumentRefusal(Object.assign(new Error('x'), { code: '23505' }))).toBe(true);
    expect(isDocumentRefusal(Object.assign(new Error('x'), { code: '22P05' }))).toBe(true);
    expect(isDocumentRefusal(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isDocumentRefusal(new RangeError('Maximum call stack size exceeded'))).toBe(true);
    expect(isDocumentRefusal(Object.assign(new Error('x'), { code: 'SQLITE_FULL' }))).toBe(false);
    expect(isDocumentRefusal(Object.assign(new Error('x'), { code: '53100' }))).toBe(false); // disk full
    expect(isDocumentRefusal(new UnavailableError('down'))).toBe(false);
    expect(isDocumentRefusal(new Error('bug'))).toBe(false);
  });

  it('keep names and drop values from the database message', () => {
    expect(describeRefusal(new Error('value "99999999999" is out of range for type integer'))).toBe(
      'the database refused the document: value is out of range for type integer',
    );
    expect(describeRefusal(new Error('duplicate key value violates unique constraint "jobs_project_uid_num"\nDETAIL: Key (project_uid, uid_num)=(P1, 1) already exists.'))).toBe(
      'the database refused the document: duplicate key value violates unique constraint "jobs_project_uid_num"',
    );
    expect(describeRefusal(new Error('invalid input syntax for type json: "{\\"a\\": secret}"'))).not.toContain('secret');
  });
});
