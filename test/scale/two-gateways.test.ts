import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeEventCursor } from '../../src/events/event-cursor.js';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { openStore } from '../../src/store/open-store.js';
import { JobStatusChangedDocument, type JobStatusChangedSubscription, SetJobStatusDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { PG_URL, REDIS_URL } from '../helpers/global-setup.js';
import { type Collected, subscribe, wsClient } from '../helpers/live.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { dropSchema } from '../helpers/stores.js';

const available = inject('pgAvailable') && inject('redisAvailable');
const JOBS = 100;
const ROUNDS = 50; // 100 jobs × 50 changes = 5,000 status changes

describe.skipIf(!available)('two gateways on one PostgreSQL and one Redis', () => {
  const schema = `jg_two_${Date.now().toString(36)}`;
  let a: ServerProcess;
  let b: ServerProcess;
  let uids: string[];

  beforeAll(async () => {
    const store = await openStore({ db: PG_URL, schema });
    const bundle = generateProject({ projectUid: 'P1', jobs: 160, seed: 9 });
    await loadProjects(store, [bundle]);
    uids = bundle.jobs.filter((j) => j.status === 'completed' && !j.deleted).map((j) => j.uid as string).slice(0, JOBS);
    expect(uids).toHaveLength(JOBS);
    await store.close();
    const args = ['--db', PG_URL, '--pg-schema', schema, '--redis', REDIS_URL, ...(process.env.XQ ? ['--subscription-max-lag', process.env.XQ] : [])];
    [a, b] = await Promise.all([spawnServer(args), spawnServer(args)]);
  }, 60_000);
  afterAll(async () => {
    if (process.env.JOBGRAPH_TEST_DEBUG) console.log(a?.output().slice(-5000), b?.output().slice(-5000));
    await Promise.all([a?.stop(), b?.stop()]);
    await dropSchema(schema);
  });

  const events = (c: Collected<JobStatusChangedSubscription>) => c.results.map((r) => r.data!.jobStatusChanged);

  it('delivers 5,000 concurrent changes written through both, once each, in one order every subscriber agrees on', async () => {
    const start = encodeEventCursor(0);
    const onA = subscribe(wsClient(a.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: start });
    const onB = subscribe(wsClient(b.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: start });
    const mover = subscribe(wsClient(a.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: start });

    // Each job alternates completed → building → queued → building …; half the jobs go through A, half through B, all at once.
    const drive = (url: string, jobs: string[]) =>
      Promise.all(
        jobs.map(async (uid) => {
          for (let round = 0; round < ROUNDS; round++) {
            const status = round % 2 === 0 ? 'BUILDING' : 'QUEUED';
            expectData(await execute(url, SetJobStatusDocument, { input: { projectUid: 'P1', uid, status } }));
          }
        }),
      );
    const driving = Promise.all([drive(a.url, uids.slice(0, JOBS / 2)), drive(b.url, uids.slice(JOBS / 2))]);

    // A third subscriber drops off A part-way and resumes on B with its cursor.
    await mover.waitFor(1000, 60_000);
    mover.stop();
    const moverSeen = events(mover);
    await driving;
    const resumed = subscribe(wsClient(b.wsUrl), JobStatusChangedDocument, { projectUid: 'P1', since: moverSeen.at(-1)!.cursor });

    const total = JOBS * ROUNDS;
    await onA.waitFor(total, 120_000);
    await onB.waitFor(total, 120_000);
    await resumed.waitFor(total - moverSeen.length, 120_000);
    await new Promise((r) => setTimeout(r, 500));

    const listA = events(onA);
    expect(listA).toHaveLength(total);
    expect(events(onB).map((e) => e.cursor)).toEqual(listA.map((e) => e.cursor));
    expect([...moverSeen, ...events(resumed)].map((e) => e.cursor)).toEqual(listA.map((e) => e.cursor));
    expect(new Set(listA.map((e) => e.cursor)).size).toBe(total);

    // Per job, the changes arrive in the order they were made.
    const byJob = new Map<string, string[]>();
    for (const e of listA) byJob.set(e.jobUid, [...(byJob.get(e.jobUid) ?? []), `${e.previousStatus}>${e.status}`]);
    for (const uid of uids) {
      const expected = Array.from({ length: ROUNDS }, (_, round) =>
        round === 0 ? 'COMPLETED>BUILDING' : round % 2 === 1 ? 'BUILDING>QUEUED' : 'QUEUED>BUILDING',
      );
      expect(byJob.get(uid), uid).toEqual(expected);
    }
  }, 180_000);
});
