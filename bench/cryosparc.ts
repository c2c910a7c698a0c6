/**
 * Following a CryoSPARC: the stand-in (`src/cryosparc-sim/`, in this
 * process) and `jobgraph serve --cryosparc` in its own process, on an empty
 * database.
 *
 * - first sync rate: jobs ÷ the follower's own elapsed time for its first
 *   sync (it logs both);
 * - delivery: a status change made in the stand-in (its `updated_at` is the
 *   clock at the change) to the `next` message on a graphql-ws subscriber,
 *   for changes spaced at random over a window; p99 against poll interval + 100 ms;
 * - requests to CryoSPARC per minute over the same window with 1 and with
 *   1,000 subscribers: the follower polls once per interval whatever the
 *   number of subscribers, so both should be the same.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { CryosparcSim } from '../src/cryosparc-sim/sim.js';
import { type BenchContext, cliCommand, ensureDir, say } from './context.js';
import type { ScenarioResult } from './figures.js';
import { freePort, startProcess } from './gateway.js';
import { sleep, summarize, wallNow } from './stats.js';
import { type BenchSubscription, mapLimit, openSubscription } from './ws-client.js';

const POLL_MS = 1000;
const QUERY = 'subscription { jobStatusChanged { jobUid status } }';

export async function runCryosparc(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const quick = ctx.options.quick;
  const jobs = quick ? 5_000 : 20_000;
  const windowSeconds = quick ? 10 : 30;
  const subscribers = 1_000;
  const sim = new CryosparcSim({ jobs, projects: 5, seed: 5 });
  const { url: simUrl } = await sim.start(0);

  const target = await resetTarget(ctx);
  const port = await freePort();
  const settings = ['--db', target.db, ...(target.schema ? ['--pg-schema', target.schema] : []), '--port', String(port), '--log-level', 'info', '--no-graphiql'];
  const follow = ['--cryosparc', simUrl, '--cryosparc-email', sim.email, '--cryosparc-password', sim.password, '--cryosparc-poll-ms', String(POLL_MS), '--max-subscriptions-per-connection', '20'];
  const gateway = await startProcess(ctx, 'cryosparc', { args: [...cliCommand().args, 'serve', ...settings, ...follow], healthPath: '/health', port });
  const sockets: BenchSubscription[] = [];
  try {
    let synced: { jobs: number; ms: number } | undefined;
    const deadline = Date.now() + 300_000;
    while (!synced) {
      const line = readFileSync(gateway.logFile, 'utf8').split('\n').find((l) => l.includes('first sync from CryoSPARC done'));
      if (line) synced = JSON.parse(line) as { jobs: number; ms: number };
      else if (Date.now() > deadline) throw new Error(`no first sync in 300 s; see ${gateway.logFile}`);
      else await sleep(100);
    }
    const syncRate = synced.jobs / (synced.ms / 1000);
    say(`cryosparc: first sync of ${synced.jobs.toLocaleString('en-US')} jobs in ${synced.ms} ms (${Math.round(syncRate)} jobs/s)`);

    // Changes in flight: job uid + status → when the stand-in made it.
    const pending = new Map<string, number>();
    const delays: number[] = [];
    const onNext = (receivedAt: number, payload: { data?: Record<string, unknown> | null }) => {
      const event = payload.data?.jobStatusChanged as { jobUid: string; status: string } | undefined;
      const key = event && `${event.jobUid} ${event.status}`;
      const at = key ? pending.get(key) : undefined;
      if (key && at !== undefined) {
        delays.push(receivedAt - at);
        pending.delete(key);
      }
    };
    sockets.push(await openSubscription(`ws://127.0.0.1:${port}/graphql`, { query: QUERY }, { onNext }));
    const targets = sim.listJobs().filter((d) => d.project_uid === 'P1' && d.status === 'completed').slice(0, 200).map((d) => d.uid as string);
    let next = 0;
    const window = async (label: string) => {
      const before = sim.requests;
      const end = Date.now() + windowSeconds * 1000;
      while (Date.now() < end) {
        const uid = targets[next++ % targets.length]!;
        const status = sim.job('P1', uid)!.status === 'building' ? 'queued' : 'building';
        pending.set(`${uid} ${status.toUpperCase()}`, wallNow());
        sim.setStatus('P1', uid, status);
        await sleep(200 + Math.random() * 400);
      }
      await sleep(2 * POLL_MS);
      const perMinute = ((sim.requests - before) * 60) / (windowSeconds + (2 * POLL_MS) / 1000);
      say(`cryosparc: ${label}: ${Math.round(perMinute)} requests/min to CryoSPARC`);
      return perMinute;
    };
    const one = await window('1 subscriber');
    const oneDelays = summarize(delays);
    // The other 999 subscribers: one websocket each, as many browsers would.
    const more = await mapLimit(Array.from({ length: subscribers - 1 }), 50, () => openSubscription(`ws://127.0.0.1:${port}/graphql`, { query: QUERY }, { onNext: () => {} }));
    sockets.push(...more);
    delays.length = 0;
    const many = await window(`${subscribers} subscribers`);
    const manyDelays = summarize(delays);
    say(`cryosparc: delivery p50/p99 ${oneDelays.p50.toFixed(0)}/${oneDelays.p99.toFixed(0)} ms with 1 subscriber, ${manyDelays.p50.toFixed(0)}/${manyDelays.p99.toFixed(0)} ms with ${subscribers}`);

    return {
      scenario: 'cryosparc',
      method: `\`jobgraph serve --cryosparc\` following the stand-in (\`cryosparc-sim\`, ${jobs.toLocaleString('en-US')} jobs over 5 projects, in the bench process) into an empty database, poll every ${POLL_MS} ms; changes made in the stand-in every 200–600 ms for ${windowSeconds} s with 1, then ${subscribers.toLocaleString('en-US')} graphql-ws subscribers.`,
      figures: [
        { scenario: 'cryosparc', measure: `first sync rate (${synced.jobs.toLocaleString('en-US')} jobs)`, value: syncRate, unit: 'jobs/s', target: { op: '>=', bound: 5_000 } },
        { scenario: 'cryosparc', measure: 'change in CryoSPARC → subscriber, p50 (1 subscriber)', value: oneDelays.p50, unit: 'ms' },
        { scenario: 'cryosparc', measure: 'change in CryoSPARC → subscriber, p99 (1 subscriber)', value: oneDelays.p99, unit: 'ms', target: { op: '<=', bound: POLL_MS + 100 } },
        { scenario: 'cryosparc', measure: `change in CryoSPARC → subscriber, p99 (${subscribers.toLocaleString('en-US')} subscribers)`, value: manyDelays.p99, unit: 'ms', target: { op: '<=', bound: POLL_MS + 100 } },
        { scenario: 'cryosparc', measure: 'requests to CryoSPARC per minute, 1 subscriber', value: one, unit: 'count' },
        { scenario: 'cryosparc', measure: `requests to CryoSPARC per minute, ${subscribers.toLocaleString('en-US')} subscribers`, value: many, unit: 'count', note: 'the same as with 1: one poll per interval whatever the subscribers' },
      ],
      caveats: [`${oneDelays.count + manyDelays.count} changes timed; ${pending.size} not delivered within the window's tail.`],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const socket of sockets) socket.close();
    await gateway.stop();
    await sim.stop();
    await resetTarget(ctx);
  }
}

async function resetTarget(ctx: BenchContext): Promise<{ db: string; schema?: string }> {
  if (ctx.options.dialect === 'sqlite') {
    const db = join(ensureDir(join(ctx.workDir, 'tmp')), 'cryosparc.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    return { db };
  }
  const schema = 'jobgraph_bench_cryosparc';
  const client = new pg.Client({ connectionString: ctx.options.pgUrl });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
  return { db: ctx.options.pgUrl, schema };
}
