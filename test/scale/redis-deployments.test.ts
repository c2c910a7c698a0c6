import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LogEvent } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeEventCursor } from '../../src/events/event-cursor.js';
import { redisChannelFor } from '../../src/events/redis-bus.js';
import type { JobStore } from '../../src/store/job-store.js';
import { openStore } from '../../src/store/open-store.js';
import { JobStatusChangedDocument, type JobStatusChangedSubscription, JobStatusChangedWithDetailsDocument, SetJobStatusDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { PG_URL, REDIS_URL } from '../helpers/global-setup.js';
import { type Collected, subscribe, wsClient } from '../helpers/live.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

const redisUp = inject('redisAvailable');
if (!redisUp) console.warn('[jobgraph tests] Redis is not reachable: the Redis deployment tests are SKIPPED');

// The log watcher would deliver from the log whatever the bus misses: slowed down, delivery here is the bus's doing.
const SETTINGS = { redis: REDIS_URL, logWatchIntervalMs: 600_000 };

type Event = NonNullable<JobStatusChangedSubscription['jobStatusChanged']>;
const events = (c: Collected<JobStatusChangedSubscription>): Event[] => c.results.map((r) => r.data!.jobStatusChanged);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** A seeded store (SQLite file or PostgreSQL schema) counting its plain event-log reads (the bus's). */
async function deployment(kind: 'sqlite' | 'postgres') {
  let logReads = 0;
  const ts = await createTestStore(kind, (event: LogEvent) => {
    if (event.query.sql.includes('/* readEvents')) logReads++;
  });
  const jobs = await seedTwoProjects(ts.store, [40, 5]);
  const completed = jobs.filter((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted).map((j) => j.uid);
  return { ts, completed, logReads: () => logReads };
}

/** Another store on the same data: a second gateway of the same deployment. */
const sameDeployment = (ts: TestStore): Promise<JobStore> => openStore(ts.schema === 'public' ? { db: ts.db } : { db: PG_URL, schema: ts.schema, poolMax: 3 });

async function move(server: TestServer, uid: string, status: 'BUILDING' | 'QUEUED') {
  return expectData(await execute(server.url, SetJobStatusDocument, { input: { projectUid: 'P1', uid, status } })).setJobStatus.event!;
}

async function subscribers(redis: Redis, channel: string): Promise<number> {
  const reply = (await redis.call('pubsub', 'numsub', channel)) as [string, number];
  return Number(reply[1]);
}

describe.skipIf(!redisUp).each(STORES.filter(storeAvailable))('deployments sharing one Redis (%s)', (kind) => {
  let redis: Redis;
  const servers: TestServer[] = [];
  const stores: TestStore[] = [];
  const clients: { dispose(): unknown }[] = [];
  const client = (server: TestServer) => {
    const c = wsClient(server.wsUrl);
    clients.push(c);
    return c;
  };
  const start = async (store: JobStore, settings: Record<string, unknown> = {}) => {
    const server = await startTestServer(store, { ...SETTINGS, ...settings });
    servers.push(server);
    return server;
  };
  /** Subscribes to P1 from the log's current head, and waits until the subscription is live. */
  const live = async (server: TestServer) => {
    const head = await server.app.store.lastEventSeq();
    return subscribe(client(server), JobStatusChangedDocument, { projectUid: 'P1', since: encodeEventCursor(head) });
  };

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    // A store is closed by its server; dispose removes its file or schema.
    await Promise.all(stores.splice(0).map((s) => s.dispose()));
  });
  afterAll(() => redis?.disconnect());

  /** Two deployments with the same projects and uids; B's log is ahead of A's, as in the reported loss. */
  async function twoDeployments(settings: Record<string, unknown> = {}) {
    const [a, b] = [await deployment(kind), await deployment(kind)];
    stores.push(a.ts, b.ts);
    const [serverA, serverB] = [await start(a.ts.store, settings), await start(b.ts.store, settings)];
    return { a, b, serverA, serverB };
  }

  it('each deployment has its own channel: a change in B never reaches A, and A still delivers its own next events', async () => {
    const { a, b, serverA, serverB } = await twoDeployments();
    const [idA, idB] = [await a.ts.store.deploymentId(), await b.ts.store.deploymentId()];
    expect(idA).not.toBe(idB);
    expect(await subscribers(redis, redisChannelFor(idA))).toBe(1);
    expect(await subscribers(redis, redisChannelFor(idB))).toBe(1);

    const onA = await live(serverA);
    const onB = await live(serverB);
    const fromB = [];
    for (const uid of a.completed.slice(0, 5)) fromB.push(await move(serverB, uid, 'BUILDING'));
    await onB.waitFor(5);
    const first = await move(serverA, a.completed[0]!, 'BUILDING');
    await onA.waitFor(1);
    await sleep(200);
    const second = await move(serverA, a.completed[0]!, 'QUEUED');
    await onA.waitFor(2);
    await sleep(200);

    expect(events(onA).map((e) => e.cursor)).toEqual([first.cursor, second.cursor]);
    expect(events(onA).map((e) => `${e.jobUid}:${e.previousStatus}>${e.status}`)).toEqual([
      `${a.completed[0]}:COMPLETED>BUILDING`,
      `${a.completed[0]}:BUILDING>QUEUED`,
    ]);
    // B's own subscriber got B's changes, and its cursors are past A's: delivered to A, they would have made A drop its own.
    expect(events(onB).map((e) => e.cursor)).toEqual(fromB.map((e) => e.cursor));
  });

  it('--redis-channel overrides the derived channel; deployments forced onto one channel still deliver only their own log', async () => {
    const channel = `jobgraph-test-shared-${randomBytes(4).toString('hex')}`;
    const { a, serverA, serverB } = await twoDeployments({ redisChannel: channel });
    expect(await subscribers(redis, channel)).toBe(2);
    expect(await subscribers(redis, redisChannelFor(await a.ts.store.deploymentId()))).toBe(0);

    const onA = await live(serverA);
    const readsBefore = a.logReads();
    for (const uid of a.completed.slice(0, 5)) await move(serverB, uid, 'BUILDING');
    // A hears B's wakes (same channel) and reads its own log: nothing new there.
    await until(() => a.logReads() > readsBefore, "A's log read after B's wakes");
    await sleep(200);
    const mine = await move(serverA, a.completed[0]!, 'BUILDING');
    await onA.waitFor(1);
    await sleep(200);
    expect(events(onA).map((e) => e.cursor)).toEqual([mine.cursor]);
  });

  it('a forged message on the channel (a huge head, fake events, not JSON) delivers nothing and loses nothing', async () => {
    const a = await deployment(kind);
    stores.push(a.ts);
    const serverA = await start(a.ts.store);
    const serverA2 = await start(await sameDeployment(a.ts));
    const channel = redisChannelFor(await a.ts.store.deploymentId());
    expect(await subscribers(redis, channel)).toBe(2);
    const [u0, u1, u2, u3] = a.completed as [string, string, string, string];

    const onA = await live(serverA);
    const real = [await move(serverA, u0, 'BUILDING')];
    await onA.waitFor(1);

    const head = await a.ts.store.lastEventSeq();
    const fake = { seq: head + 1000, projectUid: 'P1', jobUid: u3, previousStatus: 'completed', status: 'failed', at: new Date().toISOString() };
    const readsBefore = a.logReads();
    for (const forged of [
      JSON.stringify({ head: Number.MAX_SAFE_INTEGER }),
      JSON.stringify({ origin: 'elsewhere', events: [fake] }),
      JSON.stringify({ head: head + 1000, events: [fake] }),
      JSON.stringify({ events: [fake] }),
      JSON.stringify({ head: 1e300 }),
      JSON.stringify({ head: String(head + 5) }),
      JSON.stringify([{ head: head + 5 }]),
      'null',
      'not json {',
    ]) {
      await redis.publish(channel, forged);
    }
    // The huge head made A read its own log once; nothing is there.
    await until(() => a.logReads() > readsBefore, 'the log read the forged head caused');

    // A real change through the other gateway arrives on the channel after the forged messages...
    real.push(await move(serverA2, u1, 'BUILDING'));
    await onA.waitFor(2);
    // ... and A's own next one is not taken for a repeat.
    real.push(await move(serverA, u2, 'BUILDING'));
    await onA.waitFor(3);
    // A subscriber opened after the forgery hears the next change too.
    const later = await live(serverA);
    real.push(await move(serverA2, u1, 'QUEUED'));
    await onA.waitFor(4);
    await later.waitFor(1);
    await sleep(200);

    expect(events(onA).map((e) => e.cursor)).toEqual(real.map((e) => e.cursor));
    expect(events(onA).some((e) => e.status === 'FAILED' || e.jobUid === u3)).toBe(false);
    expect(events(later).map((e) => e.cursor)).toEqual([real[3]!.cursor]);
  });

  it('two gateways of one deployment deliver each other’s concurrent events, once each, in log order', async () => {
    const a = await deployment(kind);
    stores.push(a.ts);
    const serverA = await start(a.ts.store);
    const serverA2 = await start(await sameDeployment(a.ts));
    const onA = await live(serverA);
    const onA2 = await live(serverA2);
    // Events read from the log come with columns only; a subscriber asking for documents still gets them.
    const documents = subscribe(client(serverA), JobStatusChangedWithDetailsDocument, { projectUid: 'P1', since: encodeEventCursor(await a.ts.store.lastEventSeq()) });
    const jobs = a.completed.slice(0, 16);
    const cursors = (
      await Promise.all(
        jobs.map(async (uid, i) => {
          const via = i % 2 === 0 ? serverA : serverA2;
          return [await move(via, uid, 'BUILDING'), await move(via, uid, 'QUEUED')];
        }),
      )
    )
      .flat()
      .map((e) => e.cursor);
    await onA.waitFor(cursors.length);
    await onA2.waitFor(cursors.length);
    await sleep(200);
    // Cursors encode the log position: log order is their numeric order.
    const inLogOrder = [...cursors].sort((x, y) => seqOf(x) - seqOf(y));
    expect(events(onA).map((e) => e.cursor)).toEqual(inLogOrder);
    expect(events(onA2).map((e) => e.cursor)).toEqual(inLogOrder);
    await documents.waitFor(cursors.length);
    const withDocuments = documents.results.map((r) => r.data!.jobStatusChanged);
    expect(withDocuments.map((e) => e.cursor)).toEqual(inLogOrder);
    expect(withDocuments.every((e) => e.job?.uid === e.jobUid && (e.job.document as { uid?: string } | null)?.uid === e.jobUid)).toBe(true);
  });
});

const seqOf = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString().split(':').at(-1));
