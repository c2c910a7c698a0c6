/**
 * `jobgraph import DIR` over a project directory that lies: a copied job
 * directory, a non-canonical name, symbolic links out of the directory, an
 * oversized file, invalid UTF-8 and a syntax error next to a secret. Run on
 * the main thread and with the worker pool, on both dialects; one run of the
 * real command checks the exit code.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { formatDocumentProblem } from '../../src/sources/document-report.js';
import { type ImportReport, importProjectDirectory } from '../../src/sources/project-dir/import-project.js';
import { writeProjectDirectory } from '../../src/sources/synthetic/write-project-dir.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { MAX_DOCUMENT_BYTES } from '../../src/model/document-limits.js';
import { openStore } from '../../src/store/open-store.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const generated = generateProject({ projectUid: 'P42', jobs: 10, seed: 42 });
const SECRET = 'TOP-SECRET-7f3a';

let base: string;
let dir: string;
let outside: string;

const jobFile = (uid: string) => path.join(dir, uid, 'job.json');
const jobOf = (uid: string) => generated.jobs.find((j) => j.uid === uid)!;

/** The hostile directory: every job of the fixture but J3, J4, J5, J6 and J8 is fine. */
async function buildDirectory(): Promise<void> {
  base = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-hostile-'));
  dir = path.join(base, 'project');
  outside = path.join(base, 'elsewhere');
  await writeProjectDirectory(dir, generated);
  await mkdir(outside);
  // A backup copy, edited since: J12 holds J2.
  await cp(path.join(dir, 'J2'), path.join(dir, 'J12'), { recursive: true });
  await writeFile(jobFile('J12'), JSON.stringify({ ...jobOf('J2'), title: 'edited in the copy' }));
  // Not a canonical job directory name.
  await cp(path.join(dir, 'J1'), path.join(dir, 'J01'), { recursive: true });
  // A job directory that is a link to a directory outside, holding a valid-looking J13.
  await mkdir(path.join(outside, 'J13'));
  await writeFile(path.join(outside, 'J13', 'job.json'), JSON.stringify({ ...jobOf('J9'), uid: 'J13', uid_num: 13, job_dir: 'J13' }));
  await symlink(path.join(outside, 'J13'), path.join(dir, 'J13'));
  // A job.json that links to a secret file outside.
  await writeFile(path.join(outside, 'secret.txt'), `${SECRET}\n`);
  await rm(jobFile('J3'));
  await symlink(path.join(outside, 'secret.txt'), jobFile('J3'));
  // A job.json that links inside the directory is fine.
  await writeFile(path.join(dir, 'J7.backup.json'), await readFile(jobFile('J7')));
  await rm(jobFile('J7'));
  await symlink(path.join(dir, 'J7.backup.json'), jobFile('J7'));
  // Larger than the cap: valid JSON, padded.
  await writeFile(jobFile('J4'), JSON.stringify({ ...jobOf('J4'), description: 'x'.repeat(MAX_DOCUMENT_BYTES) }));
  // Invalid UTF-8 in a string.
  const j5 = Buffer.from(JSON.stringify({ ...jobOf('J5'), title: 'caf__' }));
  const at = j5.indexOf('caf__') + 3;
  j5[at] = 0xc3; // a lead byte
  j5[at + 1] = 0x28; // not a continuation byte
  await writeFile(jobFile('J5'), j5);
  // A syntax error right after a secret.
  await writeFile(jobFile('J6'), `{\n  "uid": "J6",\n  "note": "${SECRET}" oops\n}`);
  // A mismatched number.
  await writeFile(jobFile('J8'), JSON.stringify({ ...jobOf('J8'), project_uid_num: 4 }));
  // A FIFO: opening it for reading must not wait for a writer.
  await rm(jobFile('J10'));
  expect(spawnSync('mkfifo', [jobFile('J10')]).status).toBe(0);
}

const BAD = ['J3', 'J4', 'J5', 'J6', 'J8', 'J10'];
const GOOD = generated.jobs.map((j) => j.uid).filter((uid) => !BAD.includes(uid));

beforeAll(buildDirectory);
afterAll(async () => {
  if (base) await rm(base, { recursive: true, force: true });
});

describe.each(STORES)('importing a hostile project directory on %s', (kind) => {
  let ts: TestStore;

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
  });
  afterAll(async () => {
    await ts?.dispose();
  });

  const runImport = (workers: number) =>
    importProjectDirectory({ dir, store: ts.store, writer: createJobWriter({ store: ts.store, bus: createMemoryBus() }), workers });

  function expectProblems(report: ImportReport) {
    const bySource = (source: string) => report.problems.filter((p) => p.source === source);
    // The copy names both: the directory J12 and the job J2 it holds.
    expect(bySource(jobFile('J12'))).toEqual([{ source: jobFile('J12'), path: 'uid', message: expect.stringMatching(/job J2 but its directory is J12/) }]);
    expect(bySource(path.join(dir, 'J01'))).toEqual([{ source: path.join(dir, 'J01'), path: 'uid', message: expect.stringMatching(/J01 is not a job directory name/) }]);
    expect(bySource(path.join(dir, 'J13'))).toEqual([{ source: path.join(dir, 'J13'), path: '', message: expect.stringMatching(/outside the project directory/) }]);
    expect(bySource(jobFile('J3'))).toEqual([{ source: jobFile('J3'), path: '', message: expect.stringMatching(/outside the project directory/) }]);
    expect(bySource(jobFile('J4'))).toEqual([{ source: jobFile('J4'), path: '', message: expect.stringMatching(/more than the 10485760-byte limit/) }]);
    expect(bySource(jobFile('J5'))).toEqual([{ source: jobFile('J5'), path: '', message: 'the file is not valid UTF-8' }]);
    expect(bySource(jobFile('J6'))).toEqual([{ source: jobFile('J6'), path: '', message: "not valid JSON: expected ',' or '}' after property value (line 3 column 29)" }]);
    expect(bySource(jobFile('J8'))).toEqual([{ source: jobFile('J8'), path: 'project_uid_num', message: 'expected 42 (the number in P42), received 4' }]);
    expect(bySource(jobFile('J10'))).toEqual([{ source: jobFile('J10'), path: '', message: 'not a regular file' }]);
    expect(report.problems).toHaveLength(9);
    // Nothing of what the files hold appears in a report.
    expect(report.problems.map(formatDocumentProblem).join('\n')).not.toContain(SECRET);
    expect(report.jobsStored).toBe(GOOD.length);
  }

  it.skipIf(!storeAvailable(kind))('stores the good jobs, each from its own directory, and reports every bad entry (main thread)', async () => {
    expectProblems(await runImport(0));
    const stored = await ts.store.findJobs(generated.jobs.map((j) => ({ projectUid: 'P42', uid: j.uid })));
    expect(stored.filter(Boolean).map((j) => j!.uid).sort()).toEqual([...GOOD].sort());
    // J2 is J2's own document, not the copy's, and J12, J13 and J1 (from J01) are what they should be.
    const [j2, j12, j13] = await ts.store.findJobs(['J2', 'J12', 'J13'].map((uid) => ({ projectUid: 'P42', uid })));
    expect(j2?.title).toBe(jobOf('J2').title);
    expect(j12).toBeUndefined();
    expect(j13).toBeUndefined();
  });

  it.skipIf(!storeAvailable(kind))('reports the same with the worker pool, and a re-import leaves J2 as it was', async () => {
    const [before] = await ts.store.findJobs([{ projectUid: 'P42', uid: 'J2' }]);
    expectProblems(await runImport(1));
    const [after] = await ts.store.findJobs([{ projectUid: 'P42', uid: 'J2' }]);
    expect(after).toEqual(before);
  });
});

describe('jobgraph import on a hostile directory', () => {
  it('prints each problem without file contents and exits with 1', () => {
    const db = path.join(base, 'cli.db');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', dir, '--db', db], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JOBGRAPH_DB: '' },
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/imported 4 jobs.*9 problems/);
    expect(result.stderr).toContain(`${jobFile('J12')}: uid: the document is job J2 but its directory is J12`);
    expect(result.stderr).not.toContain(SECRET);
  });

  it('stores J2 from its own directory only', async () => {
    const store = await openStore({ db: path.join(base, 'cli.db') });
    try {
      const [j2, j12] = await store.findJobs(['J2', 'J12'].map((uid) => ({ projectUid: 'P42', uid })));
      expect(j2?.job_dir).toBe(jobOf('J2').job_dir);
      expect(j2?.uid_num).toBe(2);
      expect(j12).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
