/**
 * `serve --watch DIR` on both dialects: a removed job directory marks its job
 * deleted (hidden from default queries) and a re-created one brings it back;
 * a copied job directory, a link out of the directory and a mismatched
 * number are logged as INVALID_DOCUMENT and change nothing.
 */
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { importProjectDirectory } from '../../src/sources/project-dir/import-project.js';
import { writeProjectDirectory } from '../../src/sources/synthetic/write-project-dir.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { type ProjectWatcher, watchProjectDirectory } from '../../src/sources/project-dir/watch-project.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const JOBS = 8;
const generated = generateProject({ projectUid: 'P44', jobs: JOBS, seed: 44 });
/** Jobs the fixture does not delete itself. */
const live = generated.jobs.filter((j) => !j.deleted).map((j) => j.uid);
const [REMOVED, COPIED, MISNUMBERED] = live as [string, string, string];
const DEBOUNCE_MS = 40;
/** Longer than debounce + retry + a write: nothing more is coming after this. */
const SETTLE_MS = 600;

interface LogLine {
  msg: string;
  code?: string;
  file?: string;
  problems?: { source: string; path: string; message: string }[];
}

async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

describe.each(STORES)('watching a project directory on %s', (kind) => {
  let ts: TestStore;
  let base: string;
  let dir: string;
  let watcher: ProjectWatcher;
  const logs: LogLine[] = [];

  const jobFile = (uid: string) => path.join(dir, uid, 'job.json');
  const stored = async (uid: string) => (await ts.store.findJobs([{ projectUid: 'P44', uid }]))[0];
  const visible = async () => {
    const page = await ts.store.listJobs({ filter: { projectUid: 'P44' }, page: { first: 100 } });
    return page.edges.map((e) => e.node.uid);
  };
  const invalid = () => logs.filter((l) => l.code === 'INVALID_DOCUMENT');

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    base = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-watch-hostile-'));
    dir = path.join(base, 'project');
    await writeProjectDirectory(dir, generated);
    ts = await createTestStore(kind);
    const writer = createJobWriter({ store: ts.store, bus: createMemoryBus() });
    const report = await importProjectDirectory({ dir, store: ts.store, writer });
    expect(report.problems).toEqual([]);
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
    watcher = await watchProjectDirectory({ dir, store: ts.store, writer, logger, debounceMs: DEBOUNCE_MS });
    await watcher.ready;
  });
  afterAll(async () => {
    await watcher?.close();
    await ts?.dispose();
    if (base) await rm(base, { recursive: true, force: true });
  });
  beforeEach(() => {
    logs.length = 0;
  });

  it.skipIf(!storeAvailable(kind))('marks the job of a removed directory deleted, hidden from default queries', async () => {
    expect(await visible()).toContain(REMOVED);
    await rename(path.join(dir, REMOVED), path.join(base, `${REMOVED}-moved-away`));
    await waitFor('the job marked deleted', async () => (await stored(REMOVED))?.deleted === true);
    expect(await visible()).not.toContain(REMOVED);
    const job = await stored(REMOVED);
    expect(job?.deleted_at).not.toBeNull();
    expect(job?.status).toBe(generated.jobs.find((j) => j.uid === REMOVED)!.status);
    expect(await ts.store.countJobs({ projectUid: 'P44', includeDeleted: true })).toBe(JOBS);
  });

  it.skipIf(!storeAvailable(kind))('brings the job back when its directory is re-created', async () => {
    await rename(path.join(base, `${REMOVED}-moved-away`), path.join(dir, REMOVED));
    await waitFor('the job back', async () => (await stored(REMOVED))?.deleted === false);
    expect(await visible()).toContain(REMOVED);
  });

  it.skipIf(!storeAvailable(kind))('logs a copied job directory as INVALID_DOCUMENT naming both, and changes neither job', async () => {
    const original = await stored(COPIED);
    const copy = `J${JOBS + 5}`;
    await cp(path.join(dir, COPIED), path.join(dir, copy), { recursive: true });
    const text = JSON.parse(await readFile(jobFile(copy), 'utf8')) as Record<string, unknown>;
    await writeFile(jobFile(copy), JSON.stringify({ ...text, title: 'edited in the copy' }));
    const warning = await waitFor('a warning', () => invalid()[0]);
    expect(warning.file).toBe(jobFile(copy));
    expect(warning.problems).toEqual([{ source: jobFile(copy), path: 'uid', message: expect.stringMatching(new RegExp(`job ${COPIED} but its directory is ${copy}`)) }]);
    await delay(SETTLE_MS);
    expect(await stored(COPIED)).toEqual(original);
    expect(await stored(copy)).toBeUndefined();
  });

  it.skipIf(!storeAvailable(kind))('logs a mismatched uid number and a job directory linking outside, storing nothing', async () => {
    const before = await stored(MISNUMBERED);
    const text = JSON.parse(await readFile(jobFile(MISNUMBERED), 'utf8')) as Record<string, unknown>;
    await writeFile(jobFile(MISNUMBERED), JSON.stringify({ ...text, uid_num: 999, title: 'misnumbered' }));
    const warning = await waitFor('a warning', () => invalid().find((l) => l.file === jobFile(MISNUMBERED)));
    expect(warning.problems).toEqual([{ source: jobFile(MISNUMBERED), path: 'uid_num', message: expect.stringMatching(/received 999/) }]);

    const linked = `J${JOBS + 6}`;
    const elsewhere = path.join(base, 'elsewhere', linked);
    await mkdir(elsewhere, { recursive: true });
    await writeFile(path.join(elsewhere, 'job.json'), JSON.stringify({ ...text, uid: linked, uid_num: JOBS + 6, job_dir: linked }));
    await symlink(elsewhere, path.join(dir, linked));
    const refused = await waitFor('a warning', () => invalid().find((l) => l.file === jobFile(linked)));
    expect(refused.problems).toEqual([{ source: path.join(dir, linked), path: '', message: expect.stringMatching(/outside the project directory/) }]);
    await delay(SETTLE_MS);
    expect(await stored(linked)).toBeUndefined();
    expect(await stored(MISNUMBERED)).toEqual(before);
  });
});
