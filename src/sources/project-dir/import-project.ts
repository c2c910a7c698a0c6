/**
 * Imports a CryoSPARC project directory (reference section 8): `project.json`,
 * the optional `workspaces.json`, and every `J<n>/job.json`, in the v5 or the
 * legacy v4 shape. Valid jobs are written in batches through the job writer
 * (one transaction per batch, status events for created and changed jobs);
 * invalid documents are reported, never written.
 *
 * Nothing in the directory is trusted: a job directory must be named by the
 * canonical uid of the job it holds (`cp -r J2 J12` is a problem for J12, and
 * J2 stays as it was); `J01` is not a job directory name and is reported;
 * symbolic links that lead outside the directory are refused; files are read
 * only up to the document size cap and must be UTF-8 (see `document-file.ts`).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { JobWriter } from '../../events/job-writer.js';
import type { Job } from '../../model/job.js';
import type { JobStore } from '../../store/job-store.js';
import { preparedJob } from '../../store/job-rows.js';
import { type DocumentProblem } from '../document-report.js';
import { writeJobsReportingRefusals } from '../write-jobs.js';
import { type JobFilePool, createJobFilePool } from './job-file-pool.js';
import { JOB_FILE, type ReadDocumentResult, WORKSPACES_FILE, readJobFile, readProjectDocument, readWorkspacesFile, resolveProjectRoot, scanJobDirectories } from './project-files.js';

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
  const root = await resolveProjectRoot(dir);
  const project = await readProjectDocument(dir);
  const { workspaces, problems } = await readWorkspacesFile(join(dir, WORKSPACES_FILE), project.uid, root);
  await store.writeProjects([project]);
  await store.writeWorkspaces(workspaces);

  const scanned = await scanJobDirectories(dir, root);
  problems.push(...scanned.problems);
  const jobDirs = scanned.names;
  const total = jobDirs.length;
  const poolSize = workers ?? (total >= MIN_JOBS_FOR_WORKERS ? Math.max(1, Math.min(4, availableParallelism() - 1)) : 0);
  const pool = poolSize > 0 ? createJobFilePool(poolSize, project.uid, root) : undefined;
  const readBatch = (start: number) => {
    const files = jobDirs.slice(start, start + batchSize).map((name) => join(dir, name, JOB_FILE));
    return pool ? readPrepared(pool, files) : mapLimit(files, READ_CONCURRENCY, (file) => readJobFile(file, { root, projectUid: project.uid }));
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
      const jobs: { job: Job; source: string }[] = [];
      results.forEach((result, i) => {
        if (result.ok) jobs.push({ job: result.value, source: join(dir, jobDirs[done + i]!, JOB_FILE) });
        else problems.push(...result.problems);
      });
      if (jobs.length > 0) {
        // A document the database refuses after all is a problem of its own; the rest of the batch is stored.
        const written = await writeJobsReportingRefusals(writer, jobs, logger);
        jobsStored += written.created + written.updated;
        events += written.events.length;
        problems.push(...written.problems);
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
