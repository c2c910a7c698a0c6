import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import { createToken } from '../../src/server/token-file.js';
import {
  JobAncestryDocument,
  JobByUidDocument,
  JobStatusChangedDocument,
  JobsPageDocument,
  JobsWithNeighboursDocument,
  LineageGraphDocument,
  LineageStatusChangedDocument,
  NodeLookupDocument,
  ProjectDetailDocument,
  ProjectsPageDocument,
  SetJobStatusDocument,
  StarJobDocument,
  UpdateJobDocument,
  WorkspaceJobsDocument,
} from '../gql/graphql.js';
import { type GraphQLResponse, executeWith, expectData } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { createObservableBus, subscribe, subscribeSse, wsClient } from '../helpers/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const PROJECTS = ['P1', 'P2'] as const;

describe('per-project access through every path', () => {
  let dir: string;
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];
  const bus = createObservableBus();
  const tokens: Record<string, { token: string; own: (typeof PROJECTS)[number] }> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-access-'));
    const file = join(dir, 'tokens.json');
    tokens.alice = { token: createToken(file, { user: 'alice', write: ['P1'] }).token, own: 'P1' };
    tokens.bob = { token: createToken(file, { user: 'bob', read: ['P2'], write: ['P2'] }).token, own: 'P2' };
    ts = await createTestStore('sqlite');
    jobs = await seedTwoProjects(ts.store, [40, 40]);
    server = await startTestServer(ts.store, { tokensFile: file }, { bus });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]!.token}` });
  const completed = (project: string, skip = 0) => jobs.filter((j) => j.project_uid === project && j.status === 'completed' && !j.deleted)[skip]!;
  const globalId = (type: string, local: string) => Buffer.from(`${type}:${local}`).toString('base64');

  for (const who of ['alice', 'bob']) {
    for (const project of PROJECTS) {
      const allowed = () => tokens[who]!.own === project;

      it(`${who} on ${project}: every read path ${''}shows the project only when granted, and a forbidden one looks missing`, async () => {
        const headers = as(who);
        const job = completed(project);
        const mine = allowed();
        const list = expectData(await executeWith(server.url, headers, JobsPageDocument, { filter: { projectUid: project }, first: 50 })).jobs;
        expect(list.totalCount > 0).toBe(mine);
        const everything = expectData(await executeWith(server.url, headers, JobsPageDocument, { first: 100 })).jobs;
        expect(new Set(everything.edges.map((e) => e.node.projectUid))).toEqual(new Set([tokens[who]!.own]));
        const neighbours = expectData(await executeWith(server.url, headers, JobsWithNeighboursDocument, { first: 20 })).jobs.edges;
        for (const e of neighbours) for (const n of [...e.node.parents, ...e.node.children]) expect(n.uid).toMatch(/^J/);

        const single = expectData(await executeWith(server.url, headers, JobByUidDocument, { projectUid: project, uid: job.uid })).job;
        expect(single !== null).toBe(mine);
        const jobId = globalId('Job', `${project}/${job.uid}`);
        const nodes = expectData(await executeWith(server.url, headers, NodeLookupDocument, { id: jobId, ids: [jobId, globalId('Project', project), globalId('Workspace', `${project}/W1`)] }));
        expect(nodes.node !== null).toBe(mine);
        expect(nodes.nodes.map((n) => n !== null)).toEqual([mine, mine, mine]);

        const proj = expectData(await executeWith(server.url, headers, ProjectDetailDocument, { uid: project, first: 5 })).project;
        expect(proj !== null).toBe(mine);
        const projects = expectData(await executeWith(server.url, headers, ProjectsPageDocument, { first: 10 })).projects;
        expect(projects.edges.map((e) => e.node.uid)).toEqual([tokens[who]!.own]);
        expect(projects.totalCount).toBe(1);
        const workspace = expectData(await executeWith(server.url, headers, WorkspaceJobsDocument, { projectUid: project, uid: 'W1', first: 5 })).workspace;
        expect(workspace !== null).toBe(mine);

        const lineage = await executeWith(server.url, headers, LineageGraphDocument, { projectUid: project, uid: job.uid });
        if (mine) expect(expectData(lineage).lineage.root.uid).toBe(job.uid);
        else {
          expect(lineage.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
          // Same answer, word for word, as for a job that does not exist.
          const missing = await executeWith(server.url, headers, LineageGraphDocument, { projectUid: project, uid: 'J99999' });
          expect(lineage.errors![0]!.message.replace(job.uid, 'X')).toBe(missing.errors![0]!.message.replace('J99999', 'X'));
        }
        const ancestry = expectData(await executeWith(server.url, headers, JobAncestryDocument, { projectUid: project, uid: job.uid, up: false, first: 5 })).job;
        expect(ancestry !== null).toBe(mine);
        // A job asked for nothing but one walk is read with the walk, in one statement: the same answer.
        const walkOnly = await fetch(server.url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query: `{ job(projectUid: "${project}", uid: "${job.uid}") { uid descendants(maxDepth: 3, first: 5) { totalCount } } }` }),
        });
        const walked = ((await walkOnly.json()) as { data: { job: { uid: string } | null } }).data.job;
        expect(walked !== null).toBe(mine);
      });

      it(`${who} on ${project}: every write path succeeds only when granted and otherwise changes nothing`, async () => {
        const headers = as(who);
        const job = completed(project, who === 'alice' ? 1 : 2);
        const before = (await ts.store.findJobs([{ projectUid: project, uid: job.uid }]))[0]!;
        const head = await ts.store.lastEventSeq();
        const responses = [
          await executeWith(server.url, headers, SetJobStatusDocument, { input: { projectUid: project, uid: job.uid, status: 'BUILDING' } }),
          await executeWith(server.url, headers, UpdateJobDocument, { input: { projectUid: project, uid: job.uid, title: `edited by ${who}` } }),
          await executeWith(server.url, headers, StarJobDocument, { input: { projectUid: project, uid: job.uid } }),
        ];
        const current = (await ts.store.findJobs([{ projectUid: project, uid: job.uid }]))[0]!;
        const ingest = await fetch(server.url.replace('/graphql', '/ingest'), {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ ...current, title: `ingested by ${who}` }),
        });
        const ingestBody = (await ingest.json()) as { stored: number };
        const after = (await ts.store.findJobs([{ projectUid: project, uid: job.uid }]))[0]!;
        if (allowed()) {
          for (const r of responses) expectData(r as GraphQLResponse<unknown>);
          expect(ingestBody.stored).toBe(1);
          expect(after.title).toBe(`ingested by ${who}`);
          expect(after.starred_by).toContain(who);
          expect(await ts.store.lastEventSeq()).toBe(head + 1);
        } else {
          for (const r of responses) expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
          expect(ingest.status).toBe(422);
          expect(after).toEqual(before);
          expect(await ts.store.lastEventSeq()).toBe(head);
        }
      });
    }
  }

  it('subscriptions see only granted projects, over websockets and SSE, checked for every event', async () => {
    const mark = bus.mark();
    const aliceAll = subscribe(wsClient(server.wsUrl, { connectionParams: { authorization: `Bearer ${tokens.alice!.token}` } }), JobStatusChangedDocument, {});
    const aliceSse = subscribeSse(server.url, JobStatusChangedDocument, {}, as('alice'));
    const bobOnP1 = subscribe(wsClient(server.wsUrl, { connectionParams: { authorization: `Bearer ${tokens.bob!.token}` } }), JobStatusChangedDocument, { projectUid: 'P1' });
    await bus.waitForSubscriptions(mark + 3);
    const p1 = completed('P1', 5);
    const p2 = completed('P2', 5);
    await executeWith(server.url, as('bob'), SetJobStatusDocument, { input: { projectUid: 'P2', uid: p2.uid, status: 'BUILDING' } });
    await executeWith(server.url, as('alice'), SetJobStatusDocument, { input: { projectUid: 'P1', uid: p1.uid, status: 'BUILDING' } });
    await aliceAll.waitFor(1);
    await aliceSse.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(aliceAll.results.map((r) => r.data!.jobStatusChanged.projectUid)).toEqual(['P1']);
    expect(aliceSse.results.map((r) => r.data!.jobStatusChanged.projectUid)).toEqual(['P1']);
    expect(bobOnP1.results).toEqual([]);

    const lineage = subscribe(wsClient(server.wsUrl, { connectionParams: { authorization: `Bearer ${tokens.bob!.token}` } }), LineageStatusChangedDocument, { projectUid: 'P1', uid: 'J1' });
    await lineage.waitForEnd();
    expect(JSON.stringify(lineage.failure ?? lineage.results)).toContain('NOT_FOUND');
    for (const s of [aliceAll, aliceSse, bobOnP1]) s.stop();
  });

  it('refuses missing and unknown tokens: 401 over HTTP and SSE, a closed socket over websockets', async () => {
    const none = await executeWith(server.url, {}, JobsPageDocument, { first: 1 });
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await executeWith(server.url, { authorization: 'Bearer jg_not-a-token' }, JobsPageDocument, { first: 1 });
    expect(wrong.status).toBe(401);
    const ingest = await fetch(server.url.replace('/graphql', '/ingest'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(ingest.status).toBe(401);
    let closeCode = 0;
    const ws = subscribe(wsClient(server.wsUrl, { onClose: (e) => (closeCode = e.code), connectionParams: { authorization: 'Bearer nope' } }), JobStatusChangedDocument, {});
    await ws.waitForEnd();
    expect(closeCode).toBe(4403);
  });
});
