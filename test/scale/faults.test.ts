import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { encodeEventCursor } from '../../src/events/event-cursor.js';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { openStore } from '../../src/store/open-store.js';
import { JobStatusChangedDocument, JobsPageDocument, SetJobStatusDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { PG_URL } from '../helpers/global-setup.js';
import { subscribe, wsClient } from '../helpers/live.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { type PrivateRedis, privateRedis } from '../helpers/redis-server.js';
import { dropSchema } from '../helpers/stores.js';

const pgUp = inject('pgAvailable');

async function seed(schema: string, jobs: number) {
  const store = await openStore({ db: PG_URL, schema });
  const bundle = generateProject({ projectUid: 'P1', jobs, seed: 21 });
  await loadProjects(store, [bundle]);
  await store.close();
  return bundle.jobs.filter((j) => j.status === 'completed' && !j.deleted).map((j) => j.uid as string);
}

const ready = async (server: ServerProcess) => {
  const response = await fetch(server.url.replace('/graphql', '/ready'));
  return { status: response.status, body: (await response.json()) as { database: boolean; eventBus: boolean } };
};

describe.skipIf(!pgUp)('Redis restarted mid-stream', () => {
  const schema = `jg_redis_${Date.now().toString(36)}`;
  let redis: PrivateRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let uids: string[];

  beforeAll(async () => {
    uids = await seed(schema, 80);
    redis = await privateRedis();
    await redis.start();
    const args = ['--db', PG_URL, '--pg-schema', schema, '--redis', redis.url, '--log-watch-interval-ms', '200'];
    [a, b] = await Promise.all([spawnServer(args), spawnServer(args)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
    await dropSchema(schema);
  });

  it('loses nothing: subscribers on A get every change written through B before, during and after the outage', async () => {
    const onA = subscribe(wsClient(a.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: encodeEventCursor(0) });
    const cursors: string[] = [];
    const change = async (uid: string, status: 'BUILDING' | 'QUEUED') =>
      cursors.push(expectData(await execute(b.url, SetJobStatusDocument, { input: { projectUid: 'P1', uid, status } })).setJobStatus.event.cursor);

    for (const uid of uids.slice(0, 10)) await change(uid, 'BUILDING');
    await onA.waitFor(10);
    expect((await ready(a)).status).toBe(200);

    await redis.stop();
    for (const uid of uids.slice(10, 20)) await change(uid, 'BUILDING');
    const during = await ready(b);
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ database: true, eventBus: false });
    // Still delivered while Redis is down: gateway A reads them from the log.
    await onA.waitFor(20, 15_000);

    await redis.start();
    for (let i = 0; i < 50 && (await ready(a)).status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await ready(a)).status).toBe(200);
    for (const uid of uids.slice(0, 10)) await change(uid, 'QUEUED');
    await onA.waitFor(30, 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(onA.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual(cursors);
    onA.stop();
  }, 90_000);
});

describe.skipIf(!pgUp)('PostgreSQL connections killed under load', () => {
  const schema = `jg_pgkill_${Date.now().toString(36)}`;
  const appName = `jobgraph-fault-${process.pid}`;
  let server: ServerProcess;

  beforeAll(async () => {
    await seed(schema, 120);
    server = await spawnServer(['--db', `${PG_URL}?application_name=${appName}`, '--pg-schema', schema]);
  }, 60_000);
  afterAll(async () => {
    if (process.env.JOBGRAPH_TEST_DEBUG) console.log(server?.output().slice(-3000));
    await server?.stop();
    await dropSchema(schema);
  });

  it('answers with retryable SERVICE_UNAVAILABLE meanwhile, never crashes or hangs, and recovers by itself', async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const outcomes: string[] = [];
    let stop = false;
    const load = Array.from({ length: 24 }, async () => {
      while (!stop) {
        const response = await execute(server.url, JobsPageDocument, { first: 100, filter: { projectUid: 'P1' } });
        expect(response.status).toBeLessThan(500);
        if (response.errors?.length) {
          const code = response.errors[0]!.extensions?.code;
          outcomes.push(String(code));
          expect(response.errors[0]!.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { retryable: true } });
        } else outcomes.push('ok');
      }
    });
    for (let round = 0; round < 8; round++) {
      await new Promise((r) => setTimeout(r, 150));
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [appName]);
    }
    stop = true;
    await Promise.all(load);
    await admin.end();
    expect(outcomes.filter((o) => o === 'SERVICE_UNAVAILABLE').length, `outcomes: ${outcomes.length}`).toBeGreaterThan(0);
    // Recovered: the next requests all succeed, and the process is still the same one.
    for (let i = 0; i < 10; i++) expectData(await execute(server.url, JobsPageDocument, { first: 10 }));
    expect(server.child.exitCode).toBeNull();
    expect((await ready(server)).status).toBe(200);
  }, 60_000);
});
