/**
 * Fan-out: N concurrent graphql-ws clients on one gateway process all watch
 * one project; one status change must reach all of them. Latency per
 * delivery is receive time − the event's commit time (`at`, same machine
 * clock), and also receive time − the moment the bench sent the mutation.
 */
import { type BenchContext, FLOOR_SERVER, say } from './context.js';
import type { ScenarioResult } from './figures.js';
import { freePort, graphql, startGateway, startProcess } from './gateway.js';
import { summarize, sleep, wallNow } from './stats.js';
import { STATUS_SUBSCRIPTION, batchedStatusMutation, nextStatus, openSubscribers, toggleableJobs } from './subscribers.js';
import { type SubscriberPool, openSubscriberPool } from './ws-pool.js';

const WARM = 50;
const ROUND_TIMEOUT_MS = 120_000;
const ROUNDS_BUDGET_MS = 150_000;

export async function runFanout(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const { fanoutSubscribers: n, fanoutRounds: rounds, wsWorkers } = ctx.sizes;
  const gateway = await startGateway(ctx, 'fanout');
  try {
    const projectUid = 'P1';
    const [target] = await toggleableJobs(gateway.url, projectUid, 1);
    if (!target) throw new Error(`no job of ${projectUid} can change status`);
    let status = target.status;
    const subscription = { query: STATUS_SUBSCRIPTION, variables: { projectUid } };
    const change = async () => {
      status = nextStatus(status);
      await graphql(gateway.url, batchedStatusMutation([{ projectUid, uid: target.uid, status }]));
    };
    // Warm the delivery path up (JIT, statement cache) on a few subscribers; the first change to all N is reported on its own (measureRounds).
    const warm = await openSubscribers(ctx, gateway, Array.from({ length: WARM }, () => subscription), 'fanout warm-up');
    for (let i = 0; i < 3; i++) {
      await change();
      await warm.waitForReceived(WARM * (i + 1), 10_000);
    }
    await warm.close();
    for (let i = 0; (await gateway.scrape()).sum('graphql_active_subscriptions') > 0; i++) {
      if (i > 100) throw new Error('fanout: the warm-up subscriptions did not end');
      await sleep(100);
    }

    const measured = await (async () => {
      const pool = await openSubscribers(ctx, gateway, Array.from({ length: n }, () => subscription), 'fanout');
      try {
        return await measureRounds(pool, n, rounds, change, 'fanout');
      } finally {
        await pool.close();
      }
    })();
    const metrics = await gateway.scrape();
    await gateway.stop();
    const floor = await measureFloor(ctx, n, measured.done);
    const commit = summarize(measured.commitToDelivery);
    const send = summarize(measured.sendToDelivery);
    const last = summarize(measured.lastDelivery);
    const floorCommit = summarize(floor.commitToDelivery);
    const floorLast = summarize(floor.lastDelivery);
    const { missing, done } = measured;
    return {
      scenario: 'fanout',
      method: `${n.toLocaleString('en-US')} graphql-ws clients (one connection and subscription each, in ${wsWorkers} worker processes) on one gateway process watch project ${projectUid}; ${done} status change${done === 1 ? '' : 's'} (of up to ${rounds}, fewer when rounds are slow: the series stops starting rounds after ${ROUNDS_BUDGET_MS / 1000} s), each sent once every subscriber had the previous one, after 3 warm-up changes on ${WARM} subscribers and one to all ${n.toLocaleString('en-US')} (every subscriber's first event, reported on its own). Floor: the same clients on a bare \`ws\` server that serialises the same event once and writes it to every socket (bench/broadcast-floor.ts), as many rounds.`,
      figures: [
        { scenario: 'fanout', measure: 'commit→delivery p50', value: commit.p50, floor: floorCommit.p50, unit: 'ms' },
        { scenario: 'fanout', measure: 'commit→delivery p99', value: commit.p99, floor: floorCommit.p99, unit: 'ms', target: { op: '<=', bound: 250 } },
        { scenario: 'fanout', measure: 'send→delivery p99 (mutation sent → received)', value: send.p99, unit: 'ms' },
        { scenario: 'fanout', measure: 'last subscriber reached, median round', value: last.p50, floor: floorLast.p50, unit: 'ms' },
        { scenario: 'fanout', measure: 'last subscriber reached, first change after subscribing (warm-up)', value: measured.firstChangeLast ?? Number.NaN, floor: floor.firstChangeLast, unit: 'ms' },
        { scenario: 'fanout', measure: 'deliveries measured', value: commit.count, unit: 'count', note: missing > 0 ? `${missing} deliveries missing` : undefined },
      ],
      caveats: [
        ...(missing > 0 ? [`${missing} expected deliveries did not arrive within ${ROUND_TIMEOUT_MS / 1000} s of their change.`] : []),
        ...(floor.missing > 0 ? [`the floor missed ${floor.missing} deliveries.`] : []),
        ...(metrics.sum('status_events_dropped_total') > 0 ? [`the gateway cut off slow consumers (${metrics.sum('status_events_dropped_total')} positions).`] : []),
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await gateway.stop();
  }
}

interface Rounds {
  /** The first change after the subscriptions opened (every subscriber's first event): a warm-up, not in the other figures. Last subscriber reached, ms. */
  firstChangeLast: number | undefined;
  commitToDelivery: number[];
  sendToDelivery: number[];
  lastDelivery: number[];
  missing: number;
  done: number;
}

/** Up to `rounds` changes, each once every subscriber had the previous one; latencies of every delivery. */
async function measureRounds(pool: SubscriberPool, n: number, rounds: number, change: () => Promise<unknown>, label: string): Promise<Rounds> {
  const result: Rounds = { firstChangeLast: undefined, commitToDelivery: [], sendToDelivery: [], lastDelivery: [], missing: 0, done: 0 };
  {
    // Every subscriber's first event runs cold paths on both sides (the clients' processes are new): reported on its own.
    const before = (await pool.stats()).received;
    const sentAt = wallNow();
    await change();
    const reached = (await pool.waitForReceived(before + n, ROUND_TIMEOUT_MS)) - before;
    const { receivedAt } = await pool.collect();
    if (reached >= n) result.firstChangeLast = Math.max(...receivedAt.map((at) => at - sentAt));
    say(`${label}: first change after subscribing (warm-up): ${reached.toLocaleString('en-US')}/${n.toLocaleString('en-US')} subscribers reached${result.firstChangeLast === undefined ? '' : `, the last after ${result.firstChangeLast.toFixed(0)} ms`}`);
    await sleep(500);
  }
  const roundsStarted = performance.now();
  // Slow rounds end the series early: the whole bench has a time budget.
  for (let round = 1; round <= rounds && (round <= 1 || performance.now() - roundsStarted < ROUNDS_BUDGET_MS); round++) {
    result.done = round;
    const before = (await pool.stats()).received;
    const sentAt = wallNow();
    await change();
    const reached = (await pool.waitForReceived(before + n, ROUND_TIMEOUT_MS)) - before;
    const { receivedAt, committedAt } = await pool.collect();
    result.missing += n - Math.min(n, reached);
    let last = 0;
    for (let i = 0; i < receivedAt.length; i++) {
      result.commitToDelivery.push(receivedAt[i]! - committedAt[i]!);
      result.sendToDelivery.push(receivedAt[i]! - sentAt);
      last = Math.max(last, receivedAt[i]! - sentAt);
    }
    if (reached >= n) result.lastDelivery.push(last);
    say(`${label}: round ${round}/${rounds}: ${reached.toLocaleString('en-US')}/${n.toLocaleString('en-US')} subscribers reached, the last after ${last.toFixed(0)} ms`);
    await sleep(500);
  }
  return result;
}

/** The same clients and rounds against the bare broadcast floor (floor-server.ts). */
async function measureFloor(ctx: BenchContext, n: number, rounds: number): Promise<Rounds> {
  const port = await freePort();
  const args = [...FLOOR_SERVER, '--db', ctx.db, '--pg-schema', ctx.pgSchema, '--port', String(port)];
  const floor = await startProcess(ctx, 'fanout-floor', { args, healthPath: '/health', port });
  const open = (count: number) =>
    openSubscriberPool(`ws://127.0.0.1:${port}/graphql`, Array.from({ length: count }, () => ({ query: STATUS_SUBSCRIPTION, variables: {} })), {
      workers: ctx.sizes.wsWorkers,
      concurrency: 100,
    });
  const broadcast = async () => (await fetch(`${floor.origin}/broadcast`, { method: 'POST' })).json();
  try {
    // The same warm-up as the gateway's: three events to a few subscribers.
    const warm = await open(WARM);
    for (let i = 0; i < 3; i++) {
      await broadcast();
      await warm.waitForReceived(WARM * (i + 1), 10_000);
    }
    await warm.close();
    const pool = await open(n);
    try {
      return await measureRounds(pool, n, Math.max(1, rounds), broadcast, 'fanout floor');
    } finally {
      await pool.close();
    }
  } finally {
    await floor.stop();
  }
}
