/**
 * Imports a CryoSPARC project directory (reference section 8): `project.json`,
 * the optional `workspaces.json`, and every `J<n>/job.json`, in the v5 or the
 * legacy v4 shape. Valid jobs are written in batches through the job writer
 * (one transaction per batch, status events for created and changed jobs);
 * invalid documents are reported, never written.
 */
import { readFile } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { JobWriter } from '../events/job-writer.js';
import { InvalidDocumentError } from '../model/errors.js';
import { type Job, safeParseJobDocument } from '../model/job.js';
import { type Project, type Workspace, safeParseProjectDocument, safeParseWorkspaceDocument } from '../model/project.js';
import type { JobStore } from '../store/job-store.js';
import { preparedJob } from '../store/job-rows.js';
import { type DocumentProblem, parseJsonText, zodProblems } from './document-report.js';
import { type JobFilePool, createJobFilePool } from './job-file-pool.js';

/** Job directories are named by job uid: `J1`, `J42`, … */
export const JOB_DIR_PATTERN = /^J\d+$/;
export const PROJECT_FILE = 'project.json';
export const WORKSPACES_FILE = 'workspaces.json';
export const JOB_FILE = 'job.json';

/** How many job files are read at once on the main thread. */
const READ_CONCURRENCY = 32;
/** Below this many jobs, starting worker threads costs more than it saves. */
const MIN_JOBS_FOR_WORKERS = 200;

export interface ImportProjectOptions {
  /** The project directory (the one holding `project.json`). */
  dir: string;
  /** Receives the project and its workspaces. */
  store: JobStore;
  /** Receives the jobs, batch by batch; publishes their status events after each commit. */
  writer: JobWriter;
  /** Jobs per transaction. @default 500 */
  batchSize?: number;
  /** Called after each batch with the job documents processed so far (valid or not) and the number of job directories. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that read and validate job files while the main thread
   * writes; 0 reads them on the main thread.
   * @default one per core but the main thread's, 1 to 4, for 200 jobs or more; else 0
   */
  workers?: number;
  logger?: Logger;
}

export interface ImportReport {
  /** Projects stored: 1. */
  projects: number;
  /** Workspaces stored from `workspaces.json`. */
  workspaces: number;
  /** Jobs written (created or updated). */
  jobsStored: number;
  /** Status events recorded: one per created job and per job whose status moved. */
  events: number;
  /** Every invalid document or entry, with its file and field. Nothing of these was written. */
  problems: DocumentProblem[];
  elapsedMs: number;
}

/** Outcome of reading one document file. `unreadable` and `syntax` may be a file still being written. */
export type ReadDocumentResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'unreadable' | 'syntax' | 'invalid'; problems: DocumentProblem[] };

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Reads a file as UTF-8 text; the import workers read synchronously, having nothing else to do meanwhile. */
export type ReadText = (file: string) => Promise<string> | string;

// The callback API costs the main thread less per file than fs/promises' FileHandle.
const readTextAsync: ReadText = (file) =>
  new Promise<string>((resolve, reject) => readFile(file, 'utf8', (error, data) => (error ? reject(error) : resolve(data))));

async function readJsonFile(file: string, readText: ReadText = readTextAsync): Promise<ReadDocumentResult<unknown>> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    const code = errorCode(error);
    const message = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`;
    return { ok: false, kind: 'unreadable', problems: [{ source: file, path: '', message }] };
  }
  const parsed = parseJsonText(text, file);
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, kind: 'syntax', problems: [parsed.problem] };
}

function projectUidProblem(source: string, expected: string, received: string, line?: number): DocumentProblem {
  const problem: DocumentProblem = { source, path: 'project_uid', message: `expected ${expected} (the uid in ${PROJECT_FILE}), received ${received}` };
  return line === undefined ? problem : { ...problem, line };
}

/**
 * Reads and validates one `job.json` (v5 or v4 shape). When `projectUid` is
 * given, a job of another project is a problem at path `project_uid`.
 */
export async function readJobFile(file: string, projectUid?: string, readText?: ReadText): Promise<ReadDocumentResult<Job>> {
  const raw = await readJsonFile(file, readText);
  if (!raw.ok) return raw;
  const parsed = safeParseJobDocument(raw.value);
  if (!parsed.success) return { ok: false, kind: 'invalid', problems: zodProblems(parsed.error, file) };
  if (projectUid !== undefined && parsed.data.project_uid !== projectUid) {
    return { ok: false, kind: 'invalid', problems: [projectUidProblem(file, projectUid, parsed.data.project_uid)] };
  }
  return { ok: true, value: parsed.data };
}

/** Reads and validates `project.json` without throwing. */
export async function readProjectFile(file: string): Promise<ReadDocumentResult<Project>> {
  const raw = await readJsonFile(file);
  if (!raw.ok) return raw;
  const parsed = safeParseProjectDocument(raw.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, kind: 'invalid', problems: zodProblems(parsed.error, file) };
}

/**
 * Reads `<dir>/project.json`, which every project directory must have.
 * @throws InvalidDocumentError naming the file when it is missing, not JSON, or not a valid project.
 */
export async function readProjectDocument(dir: string): Promise<Project> {
  const file = join(dir, PROJECT_FILE);
  const result = await readProjectFile(file);
  if (result.ok) return result.value;
  const what = { unreadable: 'cannot be read', syntax: 'is not valid JSON', invalid: 'is not a valid project document' }[result.kind];
  throw new InvalidDocumentError(
    `${file} ${what}`,
    result.problems.map((p) => `${p.path === '' ? '(root)' : p.path}: ${p.message}`),
    { details: { file } },
  );
}

/**
 * Reads the optional `workspaces.json` (an array of workspace documents).
 * A missing file is no workspaces; invalid entries are problems located by array index + 1.
 */
export async function readWorkspacesFile(file: string, projectUid: string): Promise<{ workspaces: Workspace[]; problems: DocumentProblem[] }> {
  const raw = await readJsonFile(file);
  if (!raw.ok) {
    const missing = raw.kind === 'unreadable' && raw.problems[0]?.message === 'file not found';
    return { workspaces: [], problems: missing ? [] : raw.problems };
  }
  if (!Array.isArray(raw.value)) {
    return { workspaces: [], problems: [{ source: file, path: '', message: 'expected an array of workspace documents' }] };
  }
  const workspaces: Workspace[] = [];
  const problems: DocumentProblem[] = [];
  raw.value.forEach((entry: unknown, index) => {
    const parsed = safeParseWorkspaceDocument(entry);
    if (!parsed.success) problems.push(...zodProblems(parsed.error, file, index + 1));
    else if (parsed.data.project_uid !== projectUid) problems.push(projectUidProblem(file, projectUid, parsed.data.project_uid, index + 1));
    else workspaces.push(parsed.data);
  });
  return { workspaces, problems };
}

/** The job directories of a project directory, in uid order. */
export async function listJobDirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && JOB_DIR_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

/** Job files read by the pool, as jobs whose rows are already built. */
async function readPrepared(pool: JobFilePool, files: readonly string[]): Promise<ReadDocumentResult<Job>[]> {
  const results = await pool.read(files);
  return results.map((result) => (result.ok ? { ok: true, value: preparedJob(result.value) } : result));
}

/** Maps `items` with at most `limit` calls of `fn` in flight; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Imports one project directory. Re-importing is safe: jobs are upserted, and
 * only jobs whose status moved get a new event.
 * @throws InvalidDocumentError when `project.json` is missing or invalid (nothing is written then).
 */
export async function importProjectDirectory({ dir, store, writer, batchSize = 500, onProgress, logger, workers }: ImportProjectOptions): Promise<ImportReport> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const started = performance.now();
  const project = await readProjectDocument(dir);
  const { workspaces, problems } = await readWorkspacesFile(join(dir, WORKSPACES_FILE), project.uid);
  await store.writeProjects([project]);
  await store.writeWorkspaces(workspaces);

  const jobDirs = await listJobDirectories(dir);
  const total = jobDirs.length;
  const poolSize = workers ?? (total >= MIN_JOBS_FOR_WORKERS ? Math.max(1, Math.min(4, availableParallelism() - 1)) : 0);
  const pool = poolSize > 0 ? createJobFilePool(poolSize, project.uid) : undefined;
  const readBatch = (start: number) => {
    const files = jobDirs.slice(start, start + batchSize).map((name) => join(dir, name, JOB_FILE));
    return pool ? readPrepared(pool, files) : mapLimit(files, READ_CONCURRENCY, (file) => readJobFile(file, project.uid));
  };

  let jobsStored = 0;
  let events = 0;
  let done = 0;
  onProgress?.(0, total);
  // Read ahead while the current batch is written: one batch on the main thread, two with workers.
  const ahead = pool ? 2 : 1;
  const reads: Promise<ReadDocumentResult<Job>[]>[] = [];
  let nextStart = 0;
  const readAhead = () => {
    while (reads.length < ahead && nextStart < total) {
      const read = readBatch(nextStart);
      read.catch(() => {}); // awaited in turn below; this only stops an early failure from counting as unhandled
      reads.push(read);
      nextStart += batchSize;
    }
  };
  try {
    readAhead();
    while (reads.length > 0) {
      const results = await reads.shift()!;
      readAhead();
      const jobs: Job[] = [];
      for (const result of results) {
        if (result.ok) jobs.push(result.value);
        else problems.push(...result.problems);
      }
      if (jobs.length > 0) {
        const written = await writer.writeJobs(jobs);
        jobsStored += written.created + written.updated;
        events += written.events.length;
      }
      done += results.length;
      onProgress?.(done, total);
      logger?.debug({ dir, done, total }, 'imported a batch of jobs');
    }
  } finally {
    await pool?.close();
  }

  const report: ImportReport = {
    projects: 1,
    workspaces: workspaces.length,
    jobsStored,
    events,
    problems,
    elapsedMs: performance.now() - started,
  };
  logger?.info({ dir, project: project.uid, ...report, problems: problems.length }, 'imported a project directory');
  return report;
}
