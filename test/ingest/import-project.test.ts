import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { formatDocumentProblem } from '../../src/sources/document-report.js';
import { importProjectDirectory } from '../../src/sources/project-dir/import-project.js';
import { writeProjectDirectory } from '../../src/sources/synthetic/write-project-dir.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { InvalidDocumentError } from '../../src/model/errors.js';
import { parentUidsOf } from '../../src/model/edges.js';
import type { StoredStatusEvent } from '../../src/store/job-store.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const generated = generateProject({ projectUid: 'P7', jobs: 300, seed: 11 });
/** Job uids whose files get corrupted: one is not JSON, one has an unknown status. */
const BROKEN_JSON = 'J57';
const BAD_STATUS = 'J123';

describe.each(STORES)('importProjectDirectory on %s', (kind) => {
  let ts: TestStore;
  let dir: string;
  const published: StoredStatusEvent[] = [];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    dir = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-import-'));
    await writeProjectDirectory(dir, generated, { legacyV4Share: 0.3 });
    await writeFile(path.join(dir, BROKEN_JSON, 'job.json'), '{\n  "uid": "J57",\n  "status": \n');
    const doc = JSON.parse(await readFile(path.join(dir, BAD_STATUS, 'job.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(dir, BAD_STATUS, 'job.json'), JSON.stringify({ ...doc, status: 'exploded' }, null, 2));
    ts = await createTestStore(kind);
  });
  afterAll(async () => {
    await ts?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const valid = () => generated.jobs.filter((j) => j.uid !== BROKEN_JSON && j.uid !== BAD_STATUS);

  async function runImport() {
    const bus = createMemoryBus();
    bus.subscribe((message) => published.push(...message.events));
    const progress: [number, number][] = [];
    const report = await importProjectDirectory({
      dir,
      store: ts.store,
      writer: createJobWriter({ store: ts.store, bus }),
      batchSize: 64,
      onProgress: (done, total) => progress.push([done, total]),
    });
    return { report, progress };
  }

  it.skipIf(!storeAvailable(kind))('stores every valid job and reports the two corrupt files by file and field', async () => {
    const { report, progress } = await runImport();
    expect(report.projects).toBe(1);
    expect(report.workspaces).toBe(generated.workspaces.length);
    expect(report.jobsStored).toBe(298);
    expect(report.events).toBe(298);
    expect(published).toHaveLength(298);
    expect(new Set(published.map((e) => e.jobUid)).size).toBe(298);
    expect(published.every((e) => e.previousStatus === null && e.projectUid === 'P7')).toBe(true);
    expect(progress.at(-1)).toEqual([300, 300]);
    expect(progress.length).toBeGreaterThan(2); // 300 jobs in batches of 64

    const brokenFile = path.join(dir, BROKEN_JSON, 'job.json');
    const statusFile = path.join(dir, BAD_STATUS, 'job.json');
    expect(new Set(report.problems.map((p) => p.source))).toEqual(new Set([brokenFile, statusFile]));
    const syntax = report.problems.filter((p) => p.source === brokenFile);
    expect(syntax).toHaveLength(1);
    expect(syntax[0]).toMatchObject({ path: '' });
    expect(syntax[0]?.message).toMatch(/JSON/);
    expect(report.problems.filter((p) => p.source === statusFile)).toEqual([{ source: statusFile, path: 'status', message: expect.stringContaining('building') }]);
    expect(formatDocumentProblem(report.problems.find((p) => p.source === statusFile)!)).toMatch(/J123\/job\.json: status: /);
  });

  it.skipIf(!storeAvailable(kind))('stores each valid job with its status and parents, and none of the corrupt ones', async () => {
    const keys = generated.jobs.map((j) => ({ projectUid: 'P7', uid: j.uid }));
    const stored = await ts.store.findJobs(keys);
    const parents = await ts.store.findParents(keys);
    generated.jobs.forEach((raw, i) => {
      const job = stored[i];
      if (raw.uid === BROKEN_JSON || raw.uid === BAD_STATUS) {
        expect(job, raw.uid).toBeUndefined();
        return;
      }
      expect(job?.status, raw.uid).toBe(raw.status);
      expect(job?.spec.type, raw.uid).toBe(raw.spec.type);
      const expectedParents = parentUidsOf(raw).filter((uid) => uid !== BROKEN_JSON && uid !== BAD_STATUS && !generated.jobs.find((j) => j.uid === uid)?.deleted);
      expect(parents[i]?.map((p) => p.uid).sort(), raw.uid).toEqual(expectedParents.sort());
    });
    expect(await ts.store.countJobs({ projectUid: 'P7', includeDeleted: true })).toBe(298);
    expect(valid().some((j) => parentUidsOf(j).length > 1)).toBe(true); // the check above covered multi-parent jobs
    const [project] = await ts.store.findProjects(['P7']);
    expect(project?.title).toBe(generated.project.title);
    const [workspaces] = await ts.store.listWorkspaces(['P7']);
    expect(workspaces?.map((w) => w.uid)).toEqual(generated.workspaces.map((w) => w.uid));
  });

  it.skipIf(!storeAvailable(kind))('re-imports the same directory as 298 updates with no status events', async () => {
    published.length = 0;
    const before = await ts.store.lastEventSeq();
    const { report } = await runImport();
    expect(report.jobsStored).toBe(298);
    expect(report.events).toBe(0);
    expect(report.problems).toHaveLength(2);
    expect(published).toHaveLength(0);
    expect(await ts.store.lastEventSeq()).toBe(before);
  });

  it.skipIf(!storeAvailable(kind))('reports a job of another project at project_uid and a bad workspace entry by its index', async () => {
    const other = path.join(dir, 'J9000');
    await mkdir(other);
    const foreign = JSON.parse(await readFile(path.join(dir, 'J1', 'job.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(path.join(other, 'job.json'), JSON.stringify({ ...foreign, uid: 'J9000', uid_num: 9000, project_uid: 'P8', project_uid_num: 8 }));
    const workspacesFile = path.join(dir, 'workspaces.json');
    const originalWorkspaces = await readFile(workspacesFile, 'utf8');
    const workspaces = JSON.parse(originalWorkspaces) as Record<string, unknown>[];
    await writeFile(workspacesFile, JSON.stringify([workspaces[0], { ...workspaces[1], uid: 'X2' }, ...workspaces.slice(2)]));
    try {
      const { report } = await runImport();
      expect(report.workspaces).toBe(generated.workspaces.length - 1);
      expect(report.problems).toContainEqual({ source: path.join(other, 'job.json'), path: 'project_uid', message: expect.stringContaining('P7') });
      expect(report.problems).toContainEqual({ source: workspacesFile, line: 2, path: 'uid', message: expect.any(String) });
      expect(report.problems).toHaveLength(4);
      expect((await ts.store.findJobs([{ projectUid: 'P8', uid: 'J9000' }]))[0]).toBeUndefined();
    } finally {
      await rm(other, { recursive: true, force: true });
      await writeFile(workspacesFile, originalWorkspaces);
    }
  });

  it.skipIf(!storeAvailable(kind))('throws INVALID_DOCUMENT naming project.json when it is missing or invalid, writing nothing', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-import-empty-'));
    try {
      const writer = createJobWriter({ store: ts.store, bus: createMemoryBus() });
      const missing = importProjectDirectory({ dir: empty, store: ts.store, writer });
      await expect(missing).rejects.toBeInstanceOf(InvalidDocumentError);
      await expect(missing).rejects.toMatchObject({ code: 'INVALID_DOCUMENT', message: expect.stringContaining(path.join(empty, 'project.json')) });

      await writeFile(path.join(empty, 'project.json'), JSON.stringify({ ...generated.project, uid: 'P9', title: 42 }));
      const invalid = importProjectDirectory({ dir: empty, store: ts.store, writer });
      await expect(invalid).rejects.toMatchObject({ code: 'INVALID_DOCUMENT', issues: [expect.stringMatching(/^title: /)] });
      expect((await ts.store.findProjects(['P9']))[0]).toBeUndefined();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it.skipIf(!storeAvailable(kind))('reports a missing job.json as a problem and leaves the stored job alone', async () => {
    const file = path.join(dir, 'J2', 'job.json');
    const text = await readFile(file, 'utf8');
    await unlink(file);
    try {
      const { report } = await runImport();
      expect(report.jobsStored).toBe(297);
      expect(report.problems).toContainEqual({ source: file, path: '', message: 'file not found' });
      expect((await ts.store.findJobs([{ projectUid: 'P7', uid: 'J2' }]))[0]?.uid).toBe('J2');
    } finally {
      await writeFile(file, text);
    }
  });
});
