/**
 * A separate writer process for the filtered-subscribers scenario: appends
 * status events to the event log at a steady rate, one transaction every
 * `tickMs`, and announces each batch on the Redis bus after commit — what
 * another gateway or an importer does in a multi-process deployment. Job
 * documents are not rewritten (this machine's full write path manages far
 * fewer than 2,000 jobs/s; see the import scenario), so delivered events
 * carry the job as it is.
 *
 * Started by filtered.ts with IPC; it receives
 *   { jobs: {projectUid, uid, status}[], eventsPerSecond, seconds, tickMs }
 * and answers { events, seconds, lateTicks } when done.
 */
import { sql } from 'kysely';
import { parseArgs } from 'node:util';
import { createRedisBus } from '../src/events/redis-bus.js';
import type { JobStatus } from '../src/model/job-status.js';
import type { StoredStatusEvent } from '../src/store/job-store.js';
import { KyselyJobStore } from '../src/store/kysely-job-store.js';
import { openBenchDb } from './dataset.js';
import { sleep } from './stats.js';

export interface WriterPlan {
  jobs: { projectUid: string; uid: string; status: string }[];
  eventsPerSecond: number;
  seconds: number;
  tickMs: number;
}

export interface WriterReport {
  events: number;
  seconds: number;
  /** Ticks that started more than one tick late: the writer could not keep the rate. */
  lateTicks: number;
}

// The same lock the store takes before drawing sequence numbers on PostgreSQL (src/store/kysely-writes.ts), so commit order stays seq order.
const EVENT_LOG_LOCK = 0x6a6f6265;

const { values } = parseArgs({ options: { db: { type: 'string' }, 'pg-schema': { type: 'string', default: 'public' }, redis: { type: 'string' } } });
const postgres = values.db!.startsWith('postgres');
const kysely = await openBenchDb(values.db!, values['pg-schema']!);
// The bus derives its channel from the deployment's identity in the database, as the gateway's does.
const bus = await createRedisBus({ url: values.redis!, store: new KyselyJobStore(kysely, postgres ? 'postgres' : 'sqlite') });

process.once('message', (plan: WriterPlan) => {
  void run(plan).then(
    async (report) => {
      process.send!(report);
      await bus.close();
      await kysely.destroy();
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.send!({ ready: true });

async function run({ jobs, eventsPerSecond, seconds, tickMs }: WriterPlan): Promise<WriterReport> {
  const statuses = jobs.map((j) => j.status.toLowerCase() as JobStatus);
  const perTick = Math.max(1, Math.round((eventsPerSecond * tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / tickMs);
  let next = 0;
  let events = 0;
  let lateTicks = 0;
  const started = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -tickMs) lateTicks++;
    const at = new Date().toISOString();
    const rows: { project_uid: string; job_uid: string; previous_status: JobStatus; status: JobStatus; at: string }[] = [];
    for (let i = 0; i < perTick; i++) {
      const k = next++ % jobs.length;
      const previous = statuses[k]!;
      const status: JobStatus = previous === 'building' ? 'queued' : 'building';
      statuses[k] = status;
      rows.push({ project_uid: jobs[k]!.projectUid, job_uid: jobs[k]!.uid, previous_status: previous, status, at });
    }
    const stored = await kysely.transaction().execute(async (trx) => {
      if (postgres) await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`.execute(trx);
      return trx.insertInto('job_events').values(rows).returningAll().execute();
    });
    const published: StoredStatusEvent[] = stored.map((r) => ({
      seq: Number(r.seq),
      projectUid: r.project_uid,
      jobUid: r.job_uid,
      previousStatus: r.previous_status,
      status: r.status,
      at: r.at,
    }));
    await bus.publish(published);
    events += published.length;
  }
  return { events, seconds: (performance.now() - started) / 1000, lateTicks };
}
