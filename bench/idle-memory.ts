/**
 * Memory per idle subscriber: the gateway's resident set (and V8 heap) with
 * a few warm subscribers, then with N more that receive nothing, read from
 * its own /metrics (prom-client's process metrics). Garbage left by the N
 * handshakes is not collected on demand, so this is an upper bound.
 */
import { type BenchContext, say } from './context.js';
import type { ScenarioResult } from './figures.js';
import { type Gateway, startGateway } from './gateway.js';
import { sleep } from './stats.js';
import { STATUS_SUBSCRIPTION, openSubscribers } from './subscribers.js';

const WARM = 50;

/** Resident set and heap after the process has been quiet for a while (scrapes allocate a little, which lets V8 finish pending collections). */
async function settledMemory(gateway: Gateway): Promise<{ rss: number; heap: number }> {
  await sleep(2000);
  let last = { rss: 0, heap: 0 };
  for (let i = 0; i < 10; i++) {
    const m = await gateway.scrape();
    last = { rss: m.sum('process_resident_memory_bytes'), heap: m.sum('nodejs_heap_size_used_bytes') };
    await sleep(200);
  }
  return last;
}

export async function runIdleMemory(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const n = ctx.sizes.idleSubscribers;
  const gateway = await startGateway(ctx, 'idle-memory');
  try {
    const subscription = (i: number) => ({ query: STATUS_SUBSCRIPTION, variables: { projectUid: `P${1 + (i % ctx.sizes.projects)}` } });
    const warm = await openSubscribers(ctx, gateway, Array.from({ length: WARM }, (_, i) => subscription(i)), 'idle-memory warm-up');
    const before = await settledMemory(gateway);
    const idle = await openSubscribers(ctx, gateway, Array.from({ length: n }, (_, i) => subscription(i)), 'idle-memory');
    const after = await settledMemory(gateway);
    const rssKb = (after.rss - before.rss) / n / 1024;
    const heapKb = (after.heap - before.heap) / n / 1024;
    say(`idle-memory: RSS ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MB, ${rssKb.toFixed(1)} KB per subscriber`);
    await Promise.all([idle.close(), warm.close()]);
    return {
      scenario: 'idle-memory',
      method: `gateway RSS and V8 heap (its /metrics) with ${WARM} warm subscribers, then with ${n.toLocaleString('en-US')} more idle graphql-ws subscribers (one connection each), 2 s after the last one opened.`,
      figures: [
        { scenario: 'idle-memory', measure: 'RSS per idle subscriber', value: rssKb, unit: 'KB', target: { op: '<=', bound: 30 } },
        { scenario: 'idle-memory', measure: 'V8 heap per idle subscriber', value: heapKb, unit: 'KB' },
        { scenario: 'idle-memory', measure: `gateway RSS with ${n.toLocaleString('en-US')} subscribers`, value: after.rss / 2 ** 20, unit: 'MB', note: `${(before.rss / 2 ** 20).toFixed(0)} MB with ${WARM}` },
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await gateway.stop();
  }
}
