/**
 * A pool of worker threads for the sources' CPU work (parsing and validating
 * documents, building their rows) so the main thread only writes. Shared by
 * the sources, each with its own worker module: the project-directory import
 * (`project-dir/job-file-worker.ts`) and the CryoSPARC follower
 * (`cryosparc/job-page-worker.ts`).
 *
 * Requests are handed out round-robin as soon as they come: the main thread
 * is often busy in a (synchronous) SQLite write, and a worker that had to
 * wait for it to hand out the next request would sit idle meanwhile. A worker
 * may send notes about a request before its answer (e.g. a page's last id,
 * known once it is parsed, before it is validated).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

/** What a worker posts: notes about request `id` (`final: false`), then its answer (`final: true`). */
export interface WorkerReply<T = unknown> {
  id: number;
  final: boolean;
  value: T;
}

/** What the pool posts to a worker. */
export interface WorkerRequest<T = unknown> {
  id: number;
  request: T;
}

export interface WorkerPool<Req, Res, Note = never> {
  readonly size: number;
  /** Sends `request` to the next worker; `onNote` receives the worker's notes before the answer. */
  submit(request: Req, options?: { transfer?: readonly TransferListItem[]; onNote?: (note: Note) => void }): Promise<Res>;
  close(): Promise<void>;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  onNote: ((note: never) => void) | undefined;
}

/**
 * The workers' young generation, in MB. A worker holds a whole batch of
 * parsed documents (a page of a thousand ~9 KB jobs) while it validates and
 * serialises them; with V8's default (16 MB semi-spaces) every scavenge
 * copies the batch's live documents, and garbage collection took a fifth of
 * a worker's time. Room for a batch halves it. The workers live only while
 * a sync or an import runs. A `--max-semi-space-size` given to the process
 * (jobgraph's own, src/node-flags.ts) wins over this for every thread: 64 MB
 * semi-spaces then, which is why the follower sizes its pages (follower.ts).
 */
const YOUNG_GENERATION_MB = Number(process.env.JG_Y ?? 256);

/**
 * Under tsx (tests, `npm run dev`) these modules are TypeScript: the worker
 * is too (`.js` in `script` read as `.ts`), and needs tsx registered first.
 */
function startWorker(script: URL): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
  if (!import.meta.url.endsWith('.ts')) return new Worker(script, { resourceLimits });
  const source = JSON.stringify(script.href.replace(/\.js$/, '.ts'));
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${source}); });`, { eval: true, resourceLimits });
}

/**
 * `size` workers running the module `script` (a `new URL('./x-worker.js',
 * import.meta.url)`), which answers with {@link serveRequests}. A worker that
 * fails or exits fails every pending and later request with `name` in the message.
 */
export function createWorkerPool<Req, Res, Note = never>(script: URL, size: number, name: string): WorkerPool<Req, Res, Note> {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let failure: unknown;

  const fail = (error: unknown) => {
    failure ??= error;
    for (const request of pending.values()) request.reject(failure);
    pending.clear();
  };
  const workers = Array.from({ length: size }, () => {
    const worker = startWorker(script);
    worker.on('message', ({ id, final, value }: WorkerReply) => {
      const request = pending.get(id);
      if (!request) return;
      if (!final) return request.onNote?.(value as never);
      pending.delete(id);
      request.resolve(value as never);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker of the ${name} stopped (exit code ${code})`)));
    return worker;
  });

  return {
    size,
    submit(request, options = {}) {
      return new Promise<Res>((resolve, reject) => {
        if (failure !== undefined) return reject(failure);
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: never) => void, reject, onNote: options.onNote as ((note: never) => void) | undefined });
        workers[id % size]!.postMessage({ id, request } satisfies WorkerRequest<Req>, options.transfer);
      });
    },
    async close() {
      failure ??= new Error(`the ${name} is closed`);
      for (const worker of workers) worker.removeAllListeners('exit');
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
