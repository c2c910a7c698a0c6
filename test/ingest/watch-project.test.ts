import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { importProjectDirectory } from '../../src/sources/project-dir/import-project.js';
import { writeProjectDirectory } from '../../src/sources/synthetic/write-project-dir.js';
import { type RawJobDocument, generateProject } from '../../src/sources/synthetic/generate.js';
import { type ProjectWatcher, watchProjectDirectory } from '../../src/sources/project-dir/watch-project.js';
import { parentUidsOf } from '../../src/model/edges.js';
import type { StoredStatusEvent } from '../../src/store/job-store.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const JOBS = 24;
const generated = generateProject({ projectUid: 'P5', jobs: JOBS, seed: 3 });
const DEBOUNCE_MS = 40;
/** Longer than debounce + retry + a write: nothing more is coming after this. */
const SETTLE_MS = 600;

interface LogLine {
  level: number;
  msg: string;
  code?: string;
  file?: string;
  problems?: { source: string; path: string; message: string }[];
}

async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

/** Non-deleted jobs of the fixture with `status`, in uid order. */
function jobsWith(status: string): RawJobDocument[] {
  return generated.jobs.filter((j) => j.status === status && !j.deleted);
}
const [EDITED_BEFORE_START, REWRITTEN, EDITED_AFTER_CLOSE] = jobsWith('completed') as [RawJobDocument, RawJobDocument, RawJobDocument];
const WRITTEN_IN_TWO_PARTS = jobsWith('killed')[0] as RawJobDocument;
const CORRUPTED = jobsWith('failed')[0] as RawJobDocument;

describe('watchProjectDirectory', () => {
  let ts: TestStore;
  let dir: string;
  let watcher: ProjectWatcher;
  const events: StoredStatusEvent[] = [];
  const logs: LogLine[] = [];

  const jobFile = (uid: string) => path.join(dir, uid, 'job.json');
  const readDoc = async (uid: string) => JSON.parse(await readFile(jobFile(uid), 'utf8')) as Record<string, unknown>;
  const rewrite = async (uid: string, change: Record<string, unknown>) =>
    writeFile(jobFile(uid), JSON.stringify({ ...(await readDoc(uid)), ...change }, null, 2));
  const storedJob = async (uid: string) => (await ts.store.findJobs([{ projectUid: 'P5', uid }]))[0];
  const invalidDocumentLogs = () => logs.filter((l) => l.code === 'INVALID_DOCUMENT');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-watch-'));
    await writeProjectDirectory(dir, generated, { legacyV4Share: 0.3 });
    ts = await createTestStore('sqlite');
    const bus = createMemoryBus();
    const writer = createJobWriter({ store: ts.store, bus });
    const report = await importProjectDirectory({ dir, store: ts.store, writer });
    expect(report.jobsStored).toBe(JOBS);
    // Changed after the import but before the watcher starts: the watcher must not pick it up.
    await rewrite(EDITED_BEFORE_START.uid, { status: 'killed' });
    bus.subscribe((message) => events.push(...message.events));
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    watcher = await watchProjectDirectory({ dir, store: ts.store, writer, logger, debounceMs: DEBOUNCE_MS });
    await watcher.ready;
  });
  afterAll(async () => {
    await watcher?.close();
    await ts?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    events.length = 0;
    logs.length = 0;
  });

  it('does not re-import the files that exist when it starts', async () => {
    await delay(SETTLE_MS);
    expect(events).toEqual([]);
    expect((await storedJob(EDITED_BEFORE_START.uid))?.status).toBe('completed');
  });

  it('stores a rewritten job and publishes exactly one event for its status move', async () => {
    await rewrite(REWRITTEN.uid, { status: 'failed' });
    await waitFor('a status event', () => events.length > 0);
    await delay(SETTLE_MS);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ projectUid: 'P5', jobUid: REWRITTEN.uid, previousStatus: 'completed', status: 'failed' });
    expect((await storedJob(REWRITTEN.uid))?.status).toBe('failed');
    expect(invalidDocumentLogs()).toEqual([]);
  });

  it('stores a rewrite that keeps the status without publishing an event', async () => {
    await rewrite(REWRITTEN.uid, { title: 'retitled on disk' });
    await waitFor('the new title', async () => (await storedJob(REWRITTEN.uid))?.title === 'retitled on disk');
    await delay(SETTLE_MS);
    expect(events).toEqual([]);
  });

  it('waits out a document written in two parts instead of reporting it', async () => {
    const uid = WRITTEN_IN_TWO_PARTS.uid;
    const text = JSON.stringify({ ...(await readDoc(uid)), status: 'queued' }, null, 2);
    await writeFile(jobFile(uid), text.slice(0, text.length / 2));
    // Long enough for the watcher to read the half document once.
    await delay(DEBOUNCE_MS + 80);
    await writeFile(jobFile(uid), text);
    await waitFor('a status event', () => events.length > 0);
    await delay(SETTLE_MS);
    expect(events.map((e) => [e.jobUid, e.previousStatus, e.status])).toEqual([[uid, 'killed', 'queued']]);
    expect(invalidDocumentLogs()).toEqual([]);
  });

  it('logs a corrupt or invalid document as INVALID_DOCUMENT and leaves the stored job unchanged', async () => {
    const uid = CORRUPTED.uid;
    const before = await storedJob(uid);
    expect(before?.status).toBe('failed');

    await writeFile(jobFile(uid), '{ "uid": "J');
    const syntax = await waitFor('a warning', () => invalidDocumentLogs()[0]);
    expect(syntax).toMatchObject({ level: 40, file: jobFile(uid), problems: [{ source: jobFile(uid), path: '', message: expect.stringMatching(/JSON/) }] });

    logs.length = 0;
    await writeFile(jobFile(uid), JSON.stringify({ ...CORRUPTED, status: 'exploded' }, null, 2));
    const invalid = await waitFor('a warning', () => invalidDocumentLogs()[0]);
    expect(invalid).toMatchObject({ level: 40, file: jobFile(uid) });
    expect(invalid.problems).toEqual([{ source: jobFile(uid), path: 'status', message: expect.any(String) }]);

    await delay(SETTLE_MS);
    expect(invalidDocumentLogs()).toHaveLength(1);
    expect(events).toEqual([]);
    expect(await storedJob(uid)).toEqual(before);
  });

  it('picks up a new job directory and stores the job with its lineage edges', async () => {
    const template = [...generated.jobs].reverse().find((j) => !j.deleted && parentUidsOf(j).length > 0) as RawJobDocument;
    const parents = parentUidsOf(template);
    const uid = `J${JOBS + 1}`;
    await mkdir(path.join(dir, uid));
    await writeFile(jobFile(uid), JSON.stringify({ ...template, uid, uid_num: JOBS + 1, job_dir: uid, status: 'building', status_num: 0 }, null, 2));

    await waitFor('the new job', () => storedJob(uid));
    const [stored] = await ts.store.findParents([{ projectUid: 'P5', uid }]);
    expect(stored?.map((p) => p.uid).sort()).toEqual([...parents].sort());
    const [children] = await ts.store.findChildren([{ projectUid: 'P5', uid: parents[0] as string }]);
    expect(children?.map((c) => c.uid)).toContain(uid);
    expect(events).toEqual([expect.objectContaining({ jobUid: uid, previousStatus: null, status: 'building' })]);
  });

  it('stores a changed project.json', async () => {
    const file = path.join(dir, 'project.json');
    const project = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, JSON.stringify({ ...project, title: 'Renamed on disk' }));
    await waitFor('the new title', async () => (await ts.store.findProjects(['P5']))[0]?.title === 'Renamed on disk');
  });

  it('stores nothing more once closed', async () => {
    await watcher.close();
    await rewrite(EDITED_AFTER_CLOSE.uid, { status: 'killed' });
    await delay(SETTLE_MS);
    expect(events).toEqual([]);
    expect((await storedJob(EDITED_AFTER_CLOSE.uid))?.status).toBe('completed');
  });
});
