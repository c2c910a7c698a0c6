import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import type { JobStatus } from '../../src/model/job-status.js';
import {
  JobStatusChangedDocument,
  type JobStatusChangedSubscription,
  JobStatusChangedWithDetailsDocument,
  LineageStatusChangedDocument,
  SetJobStatusDocument,
  StarJobDocument,
  UnstarJobDocument,
  UpdateJobDocument,
} from '../gql/graphql.js';
import { execute, expectData, expectErrors } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { type Collected, createObservableBus, subscribe, subscribeSse, wsClient } from '../helpers/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

type Event = NonNullable<JobStatusChangedSubscription['jobStatusChanged']>;

describe('status subscriptions', () => {
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];
  const bus = createObservableBus();
  const clients: { dispose(): unknown }[] = [];
  const client = () => {
    const c = wsClient(server.wsUrl);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    jobs = await seedTwoProjects(ts.store, [80, 30]);
    server = await startTestServer(ts.store, {}, { bus });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  const current = async (projectUid: string, uid: string) => (await ts.store.findJobs([{ projectUid, uid }]))[0]!;

  /** Moves a job to `to` through the API and returns its event cursor. */
  async function move(projectUid: string, uid: string, to: JobStatus) {
    const data = expectData(await execute(server.url, SetJobStatusDocument, { input: { projectUid, uid, status: to.toUpperCase() as never } }));
    return data.setJobStatus;
  }

  /** Drives completed jobs through clear → queue → launch and returns the expected events in commit order. */
  async function churn(targets: Job[]) {
    const expected: { projectUid: string; jobUid: string; previousStatus: string; status: string }[] = [];
    for (const step of ['building', 'queued', 'launched'] as const) {
      for (const job of targets) {
        const before = (await current(job.project_uid, job.uid)).status;
        await move(job.project_uid, job.uid, step);
        expected.push({ projectUid: job.project_uid, jobUid: job.uid, previousStatus: before.toUpperCase(), status: step.toUpperCase() });
      }
    }
    return expected;
  }

  const strip = (c: Collected<JobStatusChangedSubscription>) =>
    c.results.map((r) => {
      const e = r.data!.jobStatusChanged as Event;
      return { projectUid: e.projectUid, jobUid: e.jobUid, previousStatus: e.previousStatus, status: e.status };
    });

  it('delivers events in commit order with the right previous and new status, for each filter argument', async () => {
    const p1 = jobs.filter((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted).slice(0, 4);
    const p2 = jobs.filter((j) => j.project_uid === 'P2' && j.status === 'completed' && !j.deleted).slice(0, 2);
    const inW2 = p1.find((j) => j.workspace_uids.includes('W2'));
    expect(inW2, 'a W2 job among the targets').toBeTruthy();
    const before = bus.mark();
    const subs = {
      all: subscribe(client(), JobStatusChangedDocument, {}),
      project: subscribe(client(), JobStatusChangedDocument, { projectUid: 'P2' }),
      job: subscribe(client(), JobStatusChangedDocument, { projectUid: 'P1', jobUid: p1[1]!.uid }),
      statuses: subscribe(client(), JobStatusChangedDocument, { statuses: ['QUEUED'] }),
      workspace: subscribe(client(), JobStatusChangedDocument, { projectUid: 'P1', workspaceUid: 'W2' }),
      sse: subscribeSse(server.url, JobStatusChangedDocument, { projectUid: 'P1' }),
    };
    await bus.waitForSubscriptions(before + 6);
    const expected = await churn([...p1, ...p2]);
    const want = {
      all: expected,
      project: expected.filter((e) => e.projectUid === 'P2'),
      job: expected.filter((e) => e.projectUid === 'P1' && e.jobUid === p1[1]!.uid),
      statuses: expected.filter((e) => e.status === 'QUEUED'),
      workspace: expected.filter((e) => e.projectUid === 'P1' && jobs.find((j) => j.project_uid === 'P1' && j.uid === e.jobUid)!.workspace_uids.includes('W2')),
      sse: expected.filter((e) => e.projectUid === 'P1'),
    };
    for (const [name, sub] of Object.entries(subs)) {
      await sub.waitFor(want[name as keyof typeof want].length);
      await new Promise((r) => setTimeout(r, 50));
      expect(strip(sub as Collected<JobStatusChangedSubscription>), name).toEqual(want[name as keyof typeof want]);
      sub.stop();
    }
    const cursors = subs.all.results.map((r) => r.data!.jobStatusChanged.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('resumes with since: exactly the events missed, in order, then live ones, with no duplicate at the seam', async () => {
    const targets = jobs.filter((j) => j.project_uid === 'P2' && j.status === 'completed' && !j.deleted).slice(2, 5);
    const before = bus.mark();
    const first = subscribe(client(), JobStatusChangedDocument, { projectUid: 'P2' });
    await bus.waitForSubscriptions(before + 1);
    await move('P2', targets[0]!.uid, 'building');
    await first.waitFor(1);
    const lastSeen = first.results[0]!.data!.jobStatusChanged.cursor;
    first.stop();
    await new Promise((r) => setTimeout(r, 50));
    // Missed while disconnected.
    const missed = [await move('P2', targets[1]!.uid, 'building'), await move('P2', targets[2]!.uid, 'building'), await move('P2', targets[0]!.uid, 'queued')];
    const resumed = subscribe(client(), JobStatusChangedDocument, { projectUid: 'P2', since: lastSeen });
    await resumed.waitFor(3);
    expect(resumed.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual(missed.map((m) => m.event.cursor));
    const live = await move('P2', targets[1]!.uid, 'queued');
    await resumed.waitFor(4);
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual([...missed, live].map((m) => m.event.cursor));
    expect(resumed.results[3]!.data!.jobStatusChanged).toMatchObject({ jobUid: targets[1]!.uid, previousStatus: 'BUILDING', status: 'QUEUED' });
  });

  it('replays each event with its job as it is now, whether the selection reads only indexed fields or the whole document', async () => {
    const targets = jobs.filter((j) => j.project_uid === 'P2' && j.status === 'completed' && !j.deleted).slice(6, 8);
    const { event } = await move('P2', targets[0]!.uid, 'building');
    await move('P2', targets[1]!.uid, 'building');
    await move('P2', targets[0]!.uid, 'queued');
    const since = event.cursor;
    const brief = subscribe(client(), JobStatusChangedDocument, { projectUid: 'P2', since });
    const detailed = subscribe(client(), JobStatusChangedWithDetailsDocument, { projectUid: 'P2', since });
    await Promise.all([brief.waitFor(2), detailed.waitFor(2)]);
    const now = await Promise.all(targets.map((t) => current('P2', t.uid)));
    const byUid = new Map(now.map((j) => [j.uid, j]));
    for (const r of brief.results) {
      const job = r.data!.jobStatusChanged.job;
      expect(job).toEqual({ uid: job.uid, status: byUid.get(job.uid)!.status.toUpperCase() });
    }
    expect(detailed.results.map((r) => r.data!.jobStatusChanged.job.uid)).toEqual([targets[1]!.uid, targets[0]!.uid]);
    for (const r of detailed.results) {
      const job = r.data!.jobStatusChanged.job;
      const stored = byUid.get(job.uid)!;
      expect(job).toMatchObject({ status: stored.status.toUpperCase(), title: stored.title, type: stored.spec.type });
      expect(job.document).toEqual(JSON.parse(JSON.stringify(stored)));
    }
  });

  it('starts with new events only when no cursor is given', async () => {
    const target = jobs.find((j) => j.project_uid === 'P1' && j.status === 'failed')!;
    const before = bus.mark();
    const sub = subscribe(client(), JobStatusChangedDocument, { projectUid: 'P1', jobUid: target.uid });
    await bus.waitForSubscriptions(before + 1);
    const change = await move('P1', target.uid, 'completed');
    await sub.waitFor(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(sub.results.map((r) => r.data!.jobStatusChanged.cursor)).toEqual([change.event.cursor]);
  });

  it('follows a lineage: descendants arrive, strangers do not, and a child added later is followed', async () => {
    const root = jobs.find((j) => j.project_uid === 'P1' && j.spec.type === 'class_2D_new' && j.status === 'completed')!;
    const lineage = await ts.store.findLineageUids({ projectUid: 'P1', uid: root.uid }, 'descendants');
    const now = new Map((await ts.store.findJobs(jobs.map((j) => ({ projectUid: j.project_uid, uid: j.uid })))).map((j) => [`${j!.project_uid}/${j!.uid}`, j!]));
    const completedNow = (j: Job) => now.get(`${j.project_uid}/${j.uid}`)!.status === 'completed' && !j.deleted;
    const descendant = [...jobs].reverse().find((j) => j.project_uid === 'P1' && lineage.has(j.uid) && completedNow(j));
    const strangerAnywhere = [...jobs].reverse().find((j) => j.project_uid === 'P1' && !lineage.has(j.uid) && j.uid !== root.uid && completedNow(j))!;
    expect(strangerAnywhere, 'a completed job outside the lineage').toBeTruthy();
    expect(descendant, 'the root has a completed descendant').toBeTruthy();
    const before = bus.mark();
    const sub = subscribe(client(), LineageStatusChangedDocument, { projectUid: 'P1', uid: root.uid });
    await bus.waitForSubscriptions(before + 1);
    await move(strangerAnywhere.project_uid, strangerAnywhere.uid, 'building');
    const d = await move('P1', descendant!.uid, 'building');
    // A new job whose input connects to the root: it did not exist when the subscription started.
    const newUid = `J${Math.max(...jobs.filter((j) => j.project_uid === 'P1').map((j) => j.uid_num)) + 1}`;
    await server.app.writer.writeJobs([
      {
        ...root,
        _id: 'f'.repeat(24),
        uid: newUid,
        uid_num: Number(newUid.slice(1)),
        job_dir: newUid,
        status: 'building',
        parents: [root.uid],
        children: [],
        spec: { ...root.spec, inputs: { particles: { type: 'particle', title: 'Particles', description: '', slots: [], count_min: 0, count_max: 'inf', repeat_allowed: false, connections: [{ job_uid: root.uid, output: 'particles', results: [] }] } } },
      } as Job,
    ]);
    const q = await move('P1', newUid, 'queued');
    await sub.waitFor(3);
    await new Promise((r) => setTimeout(r, 100));
    const got = sub.results.map((r) => r.data!.lineageStatusChanged);
    expect(got.map((e) => [e.jobUid, e.previousStatus, e.status])).toEqual([
      [descendant!.uid, 'COMPLETED', 'BUILDING'],
      [newUid, null, 'BUILDING'],
      [newUid, 'BUILDING', 'QUEUED'],
    ]);
    expect(got[2]!.cursor).toBe(q.event.cursor);
    expect(got[0]!.cursor).toBe(d.event.cursor);
  });

  it('rejects an invalid transition with INVALID_TRANSITION and writes nothing', async () => {
    const job = jobs.find((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted && j.uid_num > 50)!;
    const head = await ts.store.lastEventSeq();
    const before = await current('P1', job.uid);
    const response = await execute(server.url, SetJobStatusDocument, { input: { projectUid: 'P1', uid: job.uid, status: 'RUNNING' } });
    const { codes, messages } = expectErrors(response);
    expect(codes).toEqual(['INVALID_TRANSITION']);
    expect(messages[0]).toMatch(/from "completed" to "running"/);
    expect(await current('P1', job.uid)).toEqual(before);
    expect(await ts.store.lastEventSeq()).toBe(head);
  });

  it('rejects an unknown job with NOT_FOUND and bad input with BAD_USER_INPUT, writing nothing', async () => {
    const head = await ts.store.lastEventSeq();
    expect(expectErrors(await execute(server.url, SetJobStatusDocument, { input: { projectUid: 'P1', uid: 'J99999', status: 'QUEUED' } })).codes).toEqual(['NOT_FOUND']);
    expect(expectErrors(await execute(server.url, UpdateJobDocument, { input: { projectUid: 'P1', uid: 'J99999', title: 'x' } })).codes).toEqual(['NOT_FOUND']);
    const before = await current('P1', 'J2');
    const tooLong = await execute(server.url, UpdateJobDocument, { input: { projectUid: 'P1', uid: 'J2', title: 'x'.repeat(201) } });
    expect(expectErrors(tooLong).codes).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0]!.message).toMatch(/input\.title/);
    expect(await current('P1', 'J2')).toEqual(before);
    expect(await ts.store.lastEventSeq()).toBe(head);
  });

  it('rejects a bad since cursor with BAD_CURSOR over websocket and SSE', async () => {
    const ws = subscribe(client(), JobStatusChangedDocument, { since: 'bm90LWEtY3Vyc29y' });
    await ws.waitForEnd();
    expect(JSON.stringify(ws.failure ?? ws.results)).toContain('BAD_CURSOR');
    const sse = subscribeSse(server.url, JobStatusChangedDocument, { since: 'garbage' });
    await sse.waitForEnd();
    expect(sse.results[0]?.errors?.[0]?.extensions?.code).toBe('BAD_CURSOR');
  });

  it('edits, stars and unstars a job', async () => {
    const updated = expectData(await execute(server.url, UpdateJobDocument, { input: { projectUid: 'P2', uid: 'J3', title: 'Renamed', tags: ['keep'], priority: 7 } }));
    expect(updated.updateJob.job).toMatchObject({ uid: 'J3', title: 'Renamed', tags: ['keep'], priority: 7 });
    const starred = expectData(await execute(server.url, StarJobDocument, { input: { projectUid: 'P2', uid: 'J3' } }));
    expect(starred.starJob.job.starredBy).toContain('anonymous');
    const again = expectData(await execute(server.url, StarJobDocument, { input: { projectUid: 'P2', uid: 'J3' } }));
    expect(again.starJob.job.starredBy.filter((u) => u === 'anonymous')).toHaveLength(1);
    const unstarred = expectData(await execute(server.url, UnstarJobDocument, { input: { projectUid: 'P2', uid: 'J3' } }));
    expect(unstarred.unstarJob.job.starredBy).not.toContain('anonymous');
    expect((await current('P2', 'J3')).title).toBe('Renamed');
  });
});
