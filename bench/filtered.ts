/**
 * Filtered subscribers under a steady event stream: each of N subscribers
 * watches one job (`projectUid` + `jobUid`); a separate writer process
 * (event-writer.ts) appends events for 2N jobs — the N watched ones and N
 * others — at the target rate and announces them on Redis, so every
 * subscriber's filter sees the whole stream and matches one event in 2N.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type BenchContext, say } from './context.js';
import type { ScenarioResult } from './figures.js';
import { startGateway } from './gateway.js';
import type { WriterPlan, WriterReport } from './event-writer.js';
import { type PrivateRedis, hasRedisServer, startPrivateRedis } from './redis.js';
import { sleep, summarize } from './stats.js';
import { STATUS_SUBSCRIPTION, openSubscribers, toggleableJobs } from './subscribers.js';

const WRITER = fileURLToPath(new URL('./event-writer.ts', import.meta.url));
const WARM_UP_SECONDS = 2;

export async function runFiltered(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const { filteredSubscribers: n, filteredEventsPerSecond: rate, filteredSeconds: seconds, projects } = ctx.sizes;
  // Pub/sub channels are server-wide: on the default run, a private redis-server keeps other users' events out.
  let privateRedis: PrivateRedis | undefined;
  let redis = ctx.options.redis;
  if (!redis) {
    if (!hasRedisServer()) throw new Error('filtered needs Redis as the bus between the writer process and the gateway: install redis-server or pass --redis');
    privateRedis = await startPrivateRedis();
    redis = privateRedis.url;
  }
  const gateway = await startGateway(ctx, 'filtered', { redis });
  try {
    const perProject = Math.ceil((2 * n) / projects);
    const jobs: { projectUid: string; uid: string; status: string }[] = [];
    for (let p = 1; p <= projects && jobs.length < 2 * n; p++) {
      for (const job of await toggleableJobs(gateway.url, `P${p}`, perProject)) jobs.push({ projectUid: `P${p}`, ...job });
    }
    if (jobs.length < 2 * n) throw new Error(`filtered: found ${jobs.length} jobs to change, need ${2 * n}`);
    jobs.length = 2 * n;
    const watched = jobs.filter((_j, i) => i % 2 === 0);

    const pool = await openSubscribers(
      ctx,
      gateway,
      watched.map((j) => ({ query: STATUS_SUBSCRIPTION, variables: { projectUid: j.projectUid, jobUid: j.uid } })),
      'filtered',
    );
    try {
      const writer = fork(WRITER, ['--db', ctx.db, '--pg-schema', ctx.pgSchema, '--redis', redis], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      await new Promise<void>((resolve, reject) => {
        writer.once('message', () => resolve());
        writer.once('exit', (code) => reject(new Error(`event writer exited with ${code}`)));
      });
      const before = await gateway.scrape();
      const plan: WriterPlan = { jobs, eventsPerSecond: rate, seconds: seconds + WARM_UP_SECONDS, tickMs: 10 };
      const done = new Promise<WriterReport>((resolve, reject) => {
        writer.once('message', (report: WriterReport) => resolve(report));
        writer.once('exit', (code) => reject(new Error(`event writer exited with ${code}`)));
      });
      say(`filtered: writing ${rate.toLocaleString('en-US')} events/s for ${seconds + WARM_UP_SECONDS} s (first ${WARM_UP_SECONDS} s not counted)`);
      writer.send(plan);
      await sleep(WARM_UP_SECONDS * 1000);
      const warmUp = await pool.collect();
      const report = await done;
      // Let the last deliveries arrive: stop when the count holds still for a second.
      let received = (await pool.stats()).received;
      for (let quiet = 0; quiet < 4; ) {
        await sleep(250);
        const now = (await pool.stats()).received;
        quiet = now === received ? quiet + 1 : 0;
        received = now;
      }
      const after = await gateway.scrape();
      const { receivedAt, committedAt } = await pool.collect();
      const latencies = receivedAt.map((r, i) => r - committedAt[i]!);
      const latency = summarize(latencies);
      // A gateway that cannot keep up shows as latency growing through the run.
      const order = receivedAt.map((_r, i) => i).sort((a, b) => receivedAt[a]! - receivedAt[b]!);
      const tenth = Math.max(1, Math.floor(order.length / 10));
      const trend = `p50 ${summarize(order.slice(0, tenth).map((i) => latencies[i]!)).p50.toFixed(1)} ms in the first tenth of the deliveries, ${summarize(order.slice(-tenth).map((i) => latencies[i]!)).p50.toFixed(1)} ms in the last`;
      const expected = Math.round(report.events / 2);
      const delivered = after.sum('status_events_delivered_total') - before.sum('status_events_delivered_total');
      say(`filtered: ${report.events.toLocaleString('en-US')} events in ${report.seconds.toFixed(1)} s; ${received.toLocaleString('en-US')} deliveries, p99 ${latency.p99.toFixed(1)} ms`);
      const statements = after
        .all('sql_statement_duration_seconds_count')
        .map(({ labels, value }) => ({ name: labels.statement!, perSecond: (value - before.sum('sql_statement_duration_seconds_count', { statement: labels.statement! })) / report.seconds }))
        .filter((s) => s.perSecond >= 0.5)
        .sort((a, b) => b.perSecond - a.perSecond)
        .map((s) => `${s.name} ${s.perSecond.toFixed(0)}/s`)
        .join(', ');
      const caveats: string[] = [];
      if (report.lateTicks > 0) caveats.push(`the writer fell behind its schedule on ${report.lateTicks} ticks of 10 ms.`);
      if (Math.abs(delivered - expected) > expected * 0.01) caveats.push(`${delivered.toLocaleString('en-US')} deliveries counted by the gateway for ~${expected.toLocaleString('en-US')} matching events.`);
      if (after.sum('status_events_dropped_total') > before.sum('status_events_dropped_total')) caveats.push('the gateway cut off slow consumers.');
      return {
        scenario: 'filtered',
        method:
          `${n.toLocaleString('en-US')} graphql-ws subscribers, each filtering one job (\`projectUid\` + \`jobUid\`); a separate writer process appends events ` +
          `for ${(2 * n).toLocaleString('en-US')} jobs (the watched ones and as many others) to the log at ${rate.toLocaleString('en-US')}/s, one transaction per 10 ms, ` +
          `and announces them on Redis (${privateRedis ? 'a private redis-server' : redis}); ${seconds} s measured after ${WARM_UP_SECONDS} s of warm-up (${warmUp.receivedAt.length.toLocaleString('en-US')} deliveries not counted).`,
        figures: [
          { scenario: 'filtered', measure: 'events written (the load)', value: report.events / report.seconds, unit: 'events/s', note: `asked for ${rate.toLocaleString('en-US')}/s` },
          { scenario: 'filtered', measure: 'commit→delivery p50', value: latency.p50, unit: 'ms' },
          { scenario: 'filtered', measure: 'commit→delivery p99', value: latency.p99, unit: 'ms', target: { op: '<=', bound: 50 }, note: trend },
          { scenario: 'filtered', measure: 'deliveries measured', value: latency.count, unit: 'count', note: `gateway SQL while writing: ${statements}` },
        ],
        caveats,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      await pool.close();
    }
  } finally {
    await gateway.stop();
    await privateRedis?.stop();
  }
}
