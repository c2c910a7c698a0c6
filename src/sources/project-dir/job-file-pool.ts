/**
 * A pool of worker threads that read, parse and validate `job.json` files and
 * build their rows (job-file-worker.ts). Parsing and validating a ~9 KB
 * document costs more than writing it, so the import spreads that over the
 * cores while the main thread writes.
 */
import { Worker } from 'node:worker_threads';
import type { JobRows } from '../../store/job-rows.js';
import type { JobFileRequest, JobFileResponse } from './job-file-protocol.js';
import type { ReadDocumentResult } from './project-files.js';

/** Files per message: enough to amortise the message, few enough to share a batch across workers. */
const FILES_PER_REQUEST = 25;

export interface JobFilePool {
  /** The results of `files`, in their order. */
  read(files: readonly string[]): Promise<ReadDocumentResult<JobRows>[]>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (results: ReadDocumentResult<JobRows>[]) => void;
  reject: (error: unknown) => void;
}

/** Under tsx (tests, `npm run dev`) this module is TypeScript: its worker is too, and needs tsx registered first. */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./job-file-worker.js', import.meta.url));
  const script = JSON.stringify(new URL('./job-file-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${script}); });`, { eval: true });
}

/**
 * `size` workers validating jobs of project `projectUid` in the project
 * directory `root` (resolved with `realpath`). Requests are handed
 * out round-robin as soon as they come: the main thread is often busy in a
 * (synchronous) SQLite write, and a worker that had to wait for it to hand
 * out the next request would sit idle meanwhile.
 */
export function createJobFilePool(size: number, projectUid: string, root: string): JobFilePool {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: unknown;

  const fail = (error: unknown) => {
    failure ??= error;
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: size }, () => {
    const worker = startWorker();
    worker.on('message', ({ id, results }: JobFileResponse) => {
      pending.get(id)?.resolve(results);
      pending.delete(id);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`an import worker stopped (exit code ${code})`)));
    return worker;
  });

  const submit = (files: string[]) =>
    new Promise<ReadDocumentResult<JobRows>[]>((resolve, reject) => {
      if (failure !== undefined) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      workers[id % size]!.postMessage({ id, files, projectUid, root } satisfies JobFileRequest);
    });

  return {
    async read(files) {
      const parts: Promise<ReadDocumentResult<JobRows>[]>[] = [];
      for (let i = 0; i < files.length; i += FILES_PER_REQUEST) parts.push(submit(files.slice(i, i + FILES_PER_REQUEST)));
      return (await Promise.all(parts)).flat();
    },
    async close() {
      failure ??= new Error('the import worker pool is closed');
      for (const worker of workers) worker.removeAllListeners('exit');
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
