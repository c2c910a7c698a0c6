/**
 * What one Redis wake costs a gateway: two gateways of one deployment on
 * PostgreSQL + Redis, N status events written through B, delivered to S
 * websocket subscribers on A. Counts the statements A runs while delivering
 * them, by name (every statement is named `/* name *\/`).
 *
 *   npx tsx bench/bus-wake.ts [--events 1000] [--subscribers 100] [--pg postgres://…] [--redis redis://…]
 *
 * Three ways of writing: one event per transaction one after another, eight
 * such writers at once, and one transaction of N events (an import).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { encodeEventCursor } from '../src/events/event-cursor.js';
import { loadProjects } from '../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../src/sources/synthetic/generate.js';
import type { Job } from '../src/model/job.js';
import { openStore } from '../src/store/open-store.js';
import { openSubscription } from './ws-client.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000' },
    subscribers: { type: 'string', default: '100' },
    pg: { type: 'string', default: process.env.JOBGRAPH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    redis: { type: 'string', default: process.env.JOBGRAPH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' },
  },
});
const EVENTS = Number(values.events);
const SUBSCRIBERS = Number(values.subscribers);
const schema = `jg_buswake_${randomBytes(4).toString('hex')}`;

const counts = new Map<string, number>();
let counting = false;
const onQuery = (event: { query: { sql: string } }) => {
  if (!counting) return;
  const name = /\/\* (\w+) \*\//.exec(event.query.sql)?.[1] ?? '(unnamed)';
  counts.set(name, (counts.get(name) ?? 0) + 1);
};

const silent = pino({ level: 'silent' });
const seedStore = await openStore({ db: values.pg, schema });
const bundle = generateProject({ projectUid: 'P1', jobs: 400, seed: 5 });
await loadProjects(seedStore, [bundle]);
await seedStore.close();

const config = loadConfig({ db: values.pg, pgSchema: schema, redis: values.redis, port: 0, logLevel: 'silent', logWatchIntervalMs: 1000 }, {});
const a = await createApp(config, { store: await openStore({ db: values.pg, schema, onQuery }), logger: silent });
const b = await createApp(config, { store: await openStore({ db: values.pg, schema }), logger: silent });
const { url: urlA } = await a.start(0);
await b.start(0);
const jobs = (await b.store.listJobs({ filter: { projectUid: 'P1' }, page: { first: 96 } })).edges.map((e) => e.node.uid);
const key = (uid: string) => ({ projectUid: 'P1', uid });
const toggle = (job: Job): Job => ({ ...job, status: job.status === 'building' ? 'queued' : 'building' });

const scenarios: { name: string; write(): Promise<void> }[] = [
  {
    name: 'one event per transaction, one writer',
    async write() {
      for (let i = 0; i < EVENTS; i++) await b.writer.updateJob(key(jobs[i % jobs.length]!), toggle);
    },
  },
  {
    name: 'one event per transaction, 8 writers at once',
    async write() {
      // Each writer owns 12 jobs, so the toggles of one job never race.
      await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          for (let i = 0; i < EVENTS / 8; i++) await b.writer.updateJob(key(jobs[w * 12 + (i % 12)]!), toggle);
        }),
      );
    },
  },
  {
    name: `${jobs.length} events per transaction`,
    async write() {
      for (let written = 0; written < EVENTS; written += jobs.length) {
        const current = (await b.store.findJobs(jobs.map(key))) as Job[];
        await b.writer.writeJobs(current.slice(0, EVENTS - written).map(toggle));
      }
    },
  },
];

const query = 'subscription($since: String) { jobStatusChanged(projectUid: "P1", since: $since) { cursor jobUid status job { uid status } } }';
const wsUrl = urlA.replace(/^http/, 'ws');
console.log(`bus-wake: ${SUBSCRIBERS} subscribers on gateway A, ${EVENTS} events written through gateway B (PostgreSQL + Redis)\n`);
console.log('| writes through B | events | A: statements | per event | by name |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const scenario of scenarios) {
  const head = await a.store.lastEventSeq();
  let received = 0;
  const expected = SUBSCRIBERS * EVENTS;
  const subs = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, () =>
      openSubscription(wsUrl, { query, variables: { since: encodeEventCursor(head) } }, { onNext: () => void received++ }),
    ),
  );
  await new Promise((r) => setTimeout(r, 300));
  counts.clear();
  counting = true;
  const started = performance.now();
  await scenario.write();
  while (received < expected) {
    if (performance.now() - started > 120_000) throw new Error(`only ${received} of ${expected} deliveries after 120 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  // Let the log watcher's tick pass, so what it costs is counted too.
  await new Promise((r) => setTimeout(r, 1200));
  counting = false;
  const total = [...counts.values()].reduce((x, y) => x + y, 0);
  const byName = [...counts].sort((x, y) => y[1] - x[1]).map(([name, n]) => `${name} ${n}`).join(', ');
  console.log(`| ${scenario.name} | ${EVENTS} | ${total} | ${(total / EVENTS).toFixed(3)} | ${byName} |`);
  for (const s of subs) s.close();
}

await Promise.all([a.stop(), b.stop()]);
const admin = new pg.Client({ connectionString: values.pg });
await admin.connect();
await admin.query(`drop schema if exists "${schema}" cascade`);
await admin.end();
process.exit(0);
