import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';
import type { WorkerReply, WorkerRequest } from './ws-worker.js';

const WORKER = fileURLToPath(new URL('./ws-worker.ts', import.meta.url));

/** graphql-ws subscribers spread over `workers` child processes, so that many clients do not share one event loop. */
export interface SubscriberPool {
  size: number;
  /** Totals over every worker. */
  stats(): Promise<{ received: number; errors: number; closed: number; open: number }>;
  /** Receive and commit times (wall-clock ms) of every event received since the last call. */
  collect(): Promise<{ receivedAt: number[]; committedAt: number[] }>;
  /** Waits until `total` messages were received in all, or `timeoutMs` passed; resolves to the count reached. */
  waitForReceived(total: number, timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

type Pending = { type: WorkerReply['type']; resolve: (reply: WorkerReply) => void };

function startWorker(): { child: ChildProcess; ask<T extends WorkerReply>(request: WorkerRequest, expect: T['type']): Promise<T> } {
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx', '--max-old-space-size=4096'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting: Pending[] = [];
  child.on('message', (reply: WorkerReply) => {
    const index = waiting.findIndex((w) => w.type === reply.type);
    if (index !== -1) waiting.splice(index, 1)[0]!.resolve(reply);
  });
  return {
    child,
    ask<T extends WorkerReply>(request: WorkerRequest, expect: T['type']) {
      return new Promise<T>((resolve) => {
        waiting.push({ type: expect, resolve: resolve as (reply: WorkerReply) => void });
        child.send(request);
      });
    },
  };
}

/**
 * Opens one connection per subscription request, spread round-robin over
 * `workers` processes, at most `concurrency` handshakes in flight per worker.
 * @throws when any subscription could not be opened.
 */
export async function openSubscriberPool(
  url: string,
  requests: { query: string; variables: Record<string, unknown> }[],
  { workers, concurrency = 100 }: { workers: number; concurrency?: number },
): Promise<SubscriberPool> {
  const pool = Array.from({ length: Math.max(1, Math.min(workers, requests.length)) }, startWorker);
  const shares = pool.map((_, w) => requests.filter((_r, i) => i % pool.length === w));
  const opened = await Promise.all(
    pool.map((worker, w) => worker.ask<Extract<WorkerReply, { type: 'opened' }>>({ type: 'open', url, subscriptions: shares[w]!, concurrency }, 'opened')),
  );
  const failed = opened.reduce((n, o) => n + o.failed, 0);
  const close = async () => {
    await Promise.all(pool.map((worker) => worker.ask({ type: 'close' }, 'closed')));
    await Promise.all(pool.map((worker) => (worker.child.exitCode === null ? new Promise((r) => worker.child.once('exit', r)) : undefined)));
  };
  if (failed > 0) {
    await close();
    throw new Error(`${failed} of ${requests.length} subscriptions could not be opened: ${opened.find((o) => o.firstError)?.firstError}`);
  }
  const stats = async () => {
    const all = await Promise.all(pool.map((worker) => worker.ask<Extract<WorkerReply, { type: 'stats' }>>({ type: 'stats' }, 'stats')));
    return all.reduce((t, s) => ({ received: t.received + s.received, errors: t.errors + s.errors, closed: t.closed + s.closed, open: t.open + s.open }), {
      received: 0,
      errors: 0,
      closed: 0,
      open: 0,
    });
  };
  return {
    size: requests.length,
    stats,
    async collect() {
      const all = await Promise.all(pool.map((worker) => worker.ask<Extract<WorkerReply, { type: 'samples' }>>({ type: 'collect' }, 'samples')));
      return { receivedAt: all.flatMap((s) => s.receivedAt), committedAt: all.flatMap((s) => s.committedAt) };
    },
    async waitForReceived(total, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { received } = await stats();
        if (received >= total || Date.now() > deadline) return received;
        await sleep(25);
      }
    },
    close,
  };
}
