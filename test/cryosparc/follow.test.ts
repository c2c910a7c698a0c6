import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryosparcSim } from '../../src/cryosparc-sim/sim.js';
import type { JobStatus } from '../../src/model/job-status.js';
import { createToken } from '../../src/server/token-file.js';
import { JobByUidDocument, JobStatusChangedDocument, JobsPageDocument, SetJobStatusDocument, StarJobDocument, UnstarJobDocument, UpdateJobDocument } from '../gql/graphql.js';
import { executeWith, expectData, expectErrors } from '../helpers/client.js';
import { type Collected, subscribe, wsClient } from '../helpers/live.js';
import type { ServerProcess } from '../helpers/process.js';
import { readiness, runCli, spawnFollower, until } from './helpers.js';

const PASSWORD = 'sekret-Pa55word';
type Event = { cursor: string; jobUid: string; previousStatus: string | null; status: string };

describe('following a CryoSPARC stand-in', { timeout: 60_000 }, () => {
  let dir: string;
  let db: string;
  let tokensFile: string;
  let admin: Record<string, string>;
  let alice: Record<string, string>;
  const sim = new CryosparcSim({ jobs: 80, projects: 2, seed: 7, password: PASSWORD });
  let simUrl: string;
  let simPort: number;
  let gateway: ServerProcess;
  const spawned: ServerProcess[] = [];
  let sub: Collected<{ jobStatusChanged: Event }>;
  let client: ReturnType<typeof wsClient>;

  const events = () => sub.results.map((r) => r.data!.jobStatusChanged);
  const gql = <R, V>(doc: Parameters<typeof executeWith<R, V>>[2], variables: V, headers = admin) => executeWith(gateway.url, headers, doc, variables);
  const jobsOf = (status: JobStatus, project = 'P1') => sim.listJobs().filter((d) => d.status === status && d.project_uid === project).map((d) => d.uid as string);
  const start = async (args: string[] = []) => {
    const g = await spawnFollower(simUrl, ['--db', db, '--tokens-file', tokensFile, ...args], { password: PASSWORD });
    spawned.push(g);
    await until(() => /first sync from CryoSPARC done|following CryoSPARC/.test(g.output()), 'the follower to start');
    return g;
  };
  /** Waits for an event of `jobUid` to `status` after the first `from` events. */
  const waitForEvent = (jobUid: string, status: string, from = 0) =>
    until(() => events().slice(from).some((e) => e.jobUid === jobUid && e.status === status), `an event ${jobUid} → ${status} (have ${JSON.stringify(events().slice(-3))})`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-follow-'));
    db = join(dir, 'jobgraph.db');
    tokensFile = join(dir, 'tokens.json');
    admin = { authorization: `Bearer ${createToken(tokensFile, { user: 'root', admin: true, metrics: true }).token}` };
    alice = { authorization: `Bearer ${createToken(tokensFile, { user: 'alice', write: ['P1'] }).token}` };
    ({ url: simUrl, port: simPort } = await sim.start(0));
    gateway = await start();
    await until(() => /first sync from CryoSPARC done/.test(gateway.output()), 'the first sync');
    client = wsClient(gateway.wsUrl, { connectionParams: admin });
    sub = subscribe(client, JobStatusChangedDocument, { projectUid: 'P1' });
    // The subscription is live once it delivers: nudge a job until one event arrives. A change committed before
    // the subscription reached the gateway is not delivered to it (no `since`), so the nudge is repeated.
    const probe = jobsOf('completed')[0]!;
    for (let attempt = 1; ; attempt++) {
      sim.setStatus('P1', probe, 'building');
      try {
        await until(() => events().some((e) => e.jobUid === probe && e.status === 'BUILDING'), `an event ${probe} → BUILDING`, 3_000);
        break;
      } catch (error) {
        if (attempt === 5) throw error;
        sim.setStatus('P1', probe, 'completed');
        await until(async () => {
          const job = expectData(await gql(JobByUidDocument, { projectUid: 'P1', uid: probe }));
          return job.job?.status === 'COMPLETED';
        }, `${probe} back to COMPLETED`);
      }
    }
  });

  afterAll(async () => {
    await client?.dispose();
    await Promise.all(spawned.map((g) => g.stop()));
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores exactly what the stand-in lists after the first sync', async () => {
    const listed = sim.listJobs().map((d) => `${d.project_uid}/${d.uid}`).sort();
    const seen: string[] = [];
    let after: string | null | undefined;
    do {
      const page = expectData(await gql(JobsPageDocument, { first: 100, after }));
      seen.push(...page.jobs.edges.map((e) => `${e.node.projectUid}/${e.node.uid}`));
      after = page.jobs.pageInfo.hasNextPage ? page.jobs.pageInfo.endCursor : null;
    } while (after);
    expect(seen.sort()).toEqual(listed);
  });

  it('turns lifecycle changes into events in order, each once with its previous status, including one at the window edge', async () => {
    const before = events().length;
    const [a, b] = jobsOf('completed');
    const steps: JobStatus[] = ['building', 'queued', 'launched', 'started', 'running', 'completed'];
    for (const status of steps) {
      const from = events().length;
      sim.setStatus('P1', a!, status);
      await waitForEvent(a!, status.toUpperCase(), from);
    }
    // Committed after the poll that read `a`, at the very same updated_at: the window's edge.
    const edge = sim.job('P1', a!)!.updated_at as string;
    const from = events().length;
    sim.setStatus('P1', b!, 'failed', { updatedAt: edge });
    await waitForEvent(b!, 'FAILED', from);
    // A few more polls: nothing comes twice, and a re-read job with an unchanged status makes no event.
    const polls = sim.requestsByOperation.get('jobs.find') ?? 0;
    await until(() => (sim.requestsByOperation.get('jobs.find') ?? 0) >= polls + 6, 'three more polls');
    const mine = events().slice(before).filter((e) => e.jobUid === a || e.jobUid === b);
    expect(mine.map((e) => [e.jobUid, e.previousStatus, e.status])).toEqual([
      [a, 'COMPLETED', 'BUILDING'],
      [a, 'BUILDING', 'QUEUED'],
      [a, 'QUEUED', 'LAUNCHED'],
      [a, 'LAUNCHED', 'STARTED'],
      [a, 'STARTED', 'RUNNING'],
      [a, 'RUNNING', 'COMPLETED'],
      [b, 'COMPLETED', 'FAILED'],
    ]);
    const cursors = events().map((e) => e.cursor);
    expect(new Set(cursors).size).toBe(cursors.length);
  });

  it('maps every control mutation to its CryoSPARC operation and answers with upstream truth', async () => {
    const [job] = jobsOf('completed');
    const set = async (status: string) => expectData(await gql(SetJobStatusDocument, { input: { projectUid: 'P1', uid: job!, status } } as never)).setJobStatus;
    const cleared = await set('BUILDING');
    expect(sim.job('P1', job!)!.status).toBe('building');
    expect(cleared.event).toMatchObject({ previousStatus: 'COMPLETED', status: 'BUILDING' });
    expect((await set('QUEUED')).job.status).toBe('QUEUED');
    expect(sim.job('P1', job!)!.status).toBe('queued');
    expect((await set('KILLED')).event).toMatchObject({ previousStatus: 'QUEUED', status: 'KILLED' });
    expect((await set('COMPLETED')).job).toMatchObject({ status: 'COMPLETED', completedAt: sim.job('P1', job!)!.completed_at });
    const from = events().length;
    sim.setStatus('P1', job!, 'running');
    await waitForEvent(job!, 'RUNNING', from);
    expect((await set('FAILED')).event).toMatchObject({ previousStatus: 'RUNNING', status: 'FAILED' });
    expect(sim.job('P1', job!)!.status).toBe('failed');
    expect(['jobs.enqueue', 'jobs.kill', 'jobs.clear', 'jobs.mark_completed', 'jobs.mark_failed'].map((op) => sim.requestsByOperation.get(op))).toEqual([1, 1, 1, 1, 1]);

    const updated = expectData(await gql(UpdateJobDocument, { input: { projectUid: 'P1', uid: job!, title: 'upstream title', description: 'notes', priority: 7, tags: ['T9', 'T8'] } })).updateJob.job;
    expect(updated).toMatchObject({ title: 'upstream title', description: 'notes', priority: 7 });
    expect(sim.job('P1', job!)).toMatchObject({ title: 'upstream title', description: 'notes', priority: 7 });
    expect([...(sim.job('P1', job!)!.tags as string[])].sort()).toEqual([...updated.tags].sort());
    expect(updated.tags).toEqual(expect.arrayContaining(['T9', 'T8']));

    const starred = expectData(await gql(StarJobDocument, { input: { projectUid: 'P1', uid: job! } })).starJob.job;
    expect(starred.starredBy).toEqual(sim.job('P1', job!)!.starred_by);
    expect(starred.starredBy.length).toBeGreaterThan(0);
    const unstarred = expectData(await gql(UnstarJobDocument, { input: { projectUid: 'P1', uid: job! } })).unstarJob.job;
    expect(unstarred.starredBy).toEqual(sim.job('P1', job!)!.starred_by);
  });

  it("refuses the scheduler's statuses and reports CryoSPARC's refusals and failures without changing anything", async () => {
    const [job] = jobsOf('completed');
    const sent = sim.requests;
    for (const status of ['LAUNCHED', 'STARTED', 'RUNNING', 'WAITING']) {
      const { codes, messages } = expectErrors(await gql(SetJobStatusDocument, { input: { projectUid: 'P1', uid: job!, status } } as never));
      expect(codes).toEqual(['SCHEDULER_STATUS']);
      expect(messages[0]).toMatch(/scheduler/);
    }
    expect(sim.requestsByOperation.get('jobs.mark_running')).toBeUndefined();

    // 4xx: CryoSPARC refuses to queue a completed job; its message comes back.
    const refused = expectErrors(await gql(SetJobStatusDocument, { input: { projectUid: 'P1', uid: job!, status: 'QUEUED' } }));
    expect(refused.codes).toEqual(['UPSTREAM_ERROR']);
    expect(refused.messages[0]).toMatch(/cannot become queued/);
    expect(sim.job('P1', job!)!.status).toBe('completed');

    // 5xx: unavailable, retryable; nothing changes here nor is sent later.
    sim.failNext(1000, 500);
    const failed = await gql(SetJobStatusDocument, { input: { projectUid: 'P1', uid: job!, status: 'BUILDING' } });
    sim.failNext(0);
    expect(expectErrors(failed).codes).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(failed.errors![0]!.extensions).toMatchObject({ details: { retryable: true } });
    const polls = sim.requestsByOperation.get('jobs.find') ?? 0;
    await until(() => (sim.requestsByOperation.get('jobs.find') ?? 0) >= polls + 4, 'two more polls');
    expect(sim.job('P1', job!)!.status).toBe('completed');
    expect(expectData(await gql(JobByUidDocument, { projectUid: 'P1', uid: job! })).job!.status).toBe('COMPLETED');
    expect(sim.requests).toBeGreaterThan(sent);
  });

  it('applies deletions and logs an invalid document with its job and path while applying the rest', async () => {
    const [gone, bad, good, nul] = jobsOf('completed');
    const total = expectData(await gql(JobsPageDocument, { first: 1, filter: { projectUid: 'P1' } })).jobs.totalCount;
    const from = events().length;
    sim.deleteJob('P1', gone!);
    sim.patchJob('P1', bad!, { status: 'exploded' });
    // Parsed from a page whose text holds an escaped NUL: the page's one check sends its documents to the full walk.
    sim.patchJob('P1', nul!, { description: 'before\u0000after' });
    sim.setStatus('P1', good!, 'killed');
    await waitForEvent(good!, 'KILLED', from);
    await until(async () => expectData(await gql(JobsPageDocument, { first: 1, filter: { projectUid: 'P1' } })).jobs.totalCount === total - 1, 'the deleted job to disappear');
    const deleted = expectData(await gql(JobsPageDocument, { first: 1, filter: { projectUid: 'P1', uids: [gone!], includeDeleted: true } })).jobs.edges[0]!.node;
    expect(deleted.deleted).toBe(true);
    await until(() => gateway.output().includes('INVALID_DOCUMENT'), 'the invalid document to be logged');
    const line = gateway.output().split('\n').find((l) => l.includes('INVALID_DOCUMENT'))!;
    expect(JSON.parse(line)).toMatchObject({ code: 'INVALID_DOCUMENT', job: `P1/${bad}`, path: 'status' });
    await until(() => gateway.output().includes(`"job":"P1/${nul}"`), 'the document with a NUL to be logged');
    const nulLine = gateway.output().split('\n').find((l) => l.includes('INVALID_DOCUMENT') && l.includes(`"job":"P1/${nul}"`))!;
    expect(JSON.parse(nulLine)).toMatchObject({ code: 'INVALID_DOCUMENT', path: 'description', reason: expect.stringContaining('NUL character') });
    sim.patchJob('P1', bad!, { status: 'completed' });
    sim.patchJob('P1', nul!, { description: '' });
  });

  it('limits a token to its projects: a token without P2 sees nothing of it and cannot change it upstream', async () => {
    const page = expectData(await executeWith(gateway.url, alice, JobsPageDocument, { first: 100 }));
    expect(page.jobs.totalCount).toBeGreaterThan(0);
    expect(new Set(page.jobs.edges.map((e) => e.node.projectUid))).toEqual(new Set(['P1']));
    const p2 = sim.listJobs().find((d) => d.project_uid === 'P2')!;
    expect(expectData(await executeWith(gateway.url, alice, JobByUidDocument, { projectUid: 'P2', uid: p2.uid as string })).job).toBeNull();
    const status = p2.status;
    const attempt = expectErrors(await executeWith(gateway.url, alice, SetJobStatusDocument, { input: { projectUid: 'P2', uid: p2.uid as string, status: 'BUILDING' } }));
    expect(attempt.codes).toEqual(['NOT_FOUND']);
    expect(sim.job('P2', p2.uid as string)!.status).toBe(status);
  });

  it('refuses POST /ingest and import while following, and never shows the CryoSPARC password', async () => {
    const ingest = await fetch(gateway.url.replace(/\/graphql$/, '/ingest'), { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: '[]' });
    expect(ingest.status).toBe(409);
    expect(await ingest.json()).toMatchObject({ code: 'UPSTREAM_FOLLOWED' });
    const projectDir = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(projectDir, 'project.json'), '{}');
    const imported = await runCli(['import', projectDir, '--db', db]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/UPSTREAM_FOLLOWED/);
    const metrics = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'), { headers: admin })).text();
    expect(metrics).toMatch(/cryosparc_polls_total\{outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/cryosparc_documents_applied_total [1-9]/);
    expect(metrics).toMatch(/cryosparc_change_lag_seconds_count [1-9]/);
    const digest = createHash('sha256').update(PASSWORD).digest('hex');
    for (const text of [metrics, gateway.output()]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(digest);
    }
  });

  it('keeps answering while the stand-in is down, says so on /ready, and catches up when it is back', async () => {
    const [a, b] = jobsOf('completed');
    await sim.stop();
    await until(async () => (await readiness(gateway.url)).status === 503, '/ready to say 503');
    expect((await readiness(gateway.url)).body).toMatchObject({ ready: false, upstream: false });
    expect(expectData(await gql(JobByUidDocument, { projectUid: 'P1', uid: a! })).job!.status).toBe('COMPLETED');
    const down = expectErrors(await gql(SetJobStatusDocument, { input: { projectUid: 'P1', uid: a!, status: 'BUILDING' } }));
    expect(down.codes).toEqual(['UPSTREAM_UNAVAILABLE']);
    const from = events().length;
    sim.setStatus('P1', a!, 'building');
    sim.setStatus('P1', b!, 'killed');
    await sim.start(simPort);
    await waitForEvent(a!, 'BUILDING', from);
    await waitForEvent(b!, 'KILLED', from);
    await until(async () => (await readiness(gateway.url)).status === 200, '/ready to say 200');
    expect((await readiness(gateway.url)).body).toMatchObject({ ready: true, upstream: true });
  });

  it('continues from its stored position after a restart, and a subscriber resuming with since misses nothing', async () => {
    const [a, b] = jobsOf('completed');
    const last = events().at(-1)!.cursor;
    await client.dispose();
    expect(await gateway.stop()).toBe(0);
    sim.setStatus('P1', a!, 'building');
    sim.setStatus('P1', b!, 'building');
    const served = sim.jobsServed;
    gateway = await start();
    client = wsClient(gateway.wsUrl, { connectionParams: admin });
    const resumed = subscribe(client, JobStatusChangedDocument, { projectUid: 'P1', since: last });
    await resumed.waitFor(2);
    expect(resumed.results.map((r) => [r.data!.jobStatusChanged.jobUid, r.data!.jobStatusChanged.status])).toEqual([
      [a, 'BUILDING'],
      [b, 'BUILDING'],
    ]);
    expect(gateway.output()).not.toMatch(/first sync from CryoSPARC done/);
    // Only the recent window was read again, not the whole listing.
    expect(sim.jobsServed - served).toBeLessThan(sim.listJobs().length / 2);
    sub = resumed;
  });

  it('follows an instance without jobs.unstar_job, refusing only unstarJob, with UPSTREAM_ERROR', async () => {
    const partial = new CryosparcSim({ jobs: 5, projects: 1, password: PASSWORD, omitOperations: ['jobs.unstar_job'] });
    const { url } = await partial.start(0);
    const other = await spawnFollower(url, ['--db', join(dir, 'no-unstar.db'), '--tokens-file', tokensFile], { password: PASSWORD });
    spawned.push(other);
    try {
      await until(() => /first sync from CryoSPARC done/.test(other.output()), 'the first sync');
      const uid = partial.listJobs()[0]!.uid as string;
      const starred = expectData(await executeWith(other.url, admin, StarJobDocument, { input: { projectUid: 'P1', uid } })).starJob.job;
      expect(starred.starredBy).toEqual(partial.job('P1', uid)!.starred_by);
      const refused = expectErrors(await executeWith(other.url, admin, UnstarJobDocument, { input: { projectUid: 'P1', uid } }));
      expect(refused.codes).toEqual(['UPSTREAM_ERROR']);
      expect(refused.messages[0]).toMatch(/jobs\.unstar_job/);
      expect(partial.job('P1', uid)!.starred_by).toEqual(starred.starredBy);
    } finally {
      await other.stop();
      await partial.stop();
    }
  });

  it('stops serve with a one-line error naming a missing operation and the CryoSPARC version', async () => {
    const partial = new CryosparcSim({ jobs: 5, omitOperations: ['jobs.kill'] });
    const { url } = await partial.start(0);
    try {
      const result = await runCli(['serve', '--port', '0', '--db', join(dir, 'other.db'), '--cryosparc', url, '--cryosparc-token', 'x']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/"jobs\.kill"/);
      expect(result.stderr).toMatch(/v5\.0\.3\+jobgraph-sim/);
    } finally {
      await partial.stop();
    }
  });
});
