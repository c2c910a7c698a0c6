/**
 * A pool of worker threads that read, parse and validate `job.json` files and
 * build their rows (job-file-worker.ts). Parsing and validating a ~9 KB
 * document costs more than writing it, so the import spreads that over the
 * cores while the main thread writes. Built on the sources' shared worker pool.
 */
import type { JobRows } from '../../store/job-rows.js';
import { createWorkerPool } from '../worker-pool.js';
import type { JobFileRequest, JobFileResponse } from './job-file-protocol.js';
import type { ReadDocumentResult } from './project-files.js';

/** Files per message: enough to amortise the message, few enough to share a batch across workers. */
const FILES_PER_REQUEST = 25;

export interface JobFilePool {
  /** The results of `files`, in their order. */
  read(files: readonly string[]): Promise<ReadDocumentResult<JobRows>[]>;
  close(): Promise<void>;
}

/**
 * `size` workers validating jobs of project `projectUid` in the project
 * directory `root` (resolved with `realpath`).
 */
export function createJobFilePool(size: number, projectUid: string, root: string): JobFilePool {
  const pool = createWorkerPool<JobFileRequest, JobFileResponse>(new URL('./job-file-worker.js', import.meta.url), size, 'import worker pool');
  return {
    async read(files) {
      const parts: Promise<JobFileResponse>[] = [];
      for (let i = 0; i < files.length; i += FILES_PER_REQUEST) parts.push(pool.submit({ files: files.slice(i, i + FILES_PER_REQUEST), projectUid, root }));
      return (await Promise.all(parts)).flat();
    },
    close: () => pool.close(),
  };
}
