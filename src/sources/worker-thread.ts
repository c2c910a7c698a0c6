/**
 * The worker side of {@link createWorkerPool} (`worker-pool.ts`): answers
 * each request with `handle`, which may send notes about it first.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './worker-pool.js';

export function serveRequests<Req, Res, Note = never>(handle: (request: Req, note: (value: Note) => void) => Res | Promise<Res>): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', async ({ id, request }: WorkerRequest<Req>) => {
    const value = await handle(request, (note) => port.postMessage({ id, final: false, value: note } satisfies WorkerReply<Note>));
    port.postMessage({ id, final: true, value } satisfies WorkerReply<Res>);
  });
}
