import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobsWithNeighboursDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

describe.each(STORES)('SQL statements per page on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let counting = false;
  let statements: string[] = [];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind, (event) => {
      // The log watcher reads the log's head once a second, whatever the requests: not the page's.
      if (counting && !event.query.sql.includes('/* lastEventSeq */')) statements.push(event.query.sql);
    });
    await seedTwoProjects(ts.store, [240, 10]);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  async function count(first: number) {
    statements = [];
    counting = true;
    const data = expectData(await execute(server.url, JobsWithNeighboursDocument, { first, filter: { projectUid: 'P1' } }));
    counting = false;
    return { n: statements.length, statements, data };
  }

  it.skipIf(!storeAvailable(kind))('costs the same constant number of statements for 10 jobs as for 100, parents and children included', async () => {
    const ten = await count(10);
    const hundred = await count(100);
    expect(ten.data.jobs.edges).toHaveLength(10);
    expect(hundred.data.jobs.edges).toHaveLength(100);
    const neighbours = hundred.data.jobs.edges.reduce((sum, e) => sum + e.node.parents.length + e.node.children.length, 0);
    expect(neighbours).toBeGreaterThan(100);
    expect(hundred.n).toBe(ten.n);
    // The page, its parents and children and its total in one statement; nothing but columns is read.
    expect(hundred.statements.map((s) => /\/\* (\w+) \*\//.exec(s)?.[1])).toEqual(['listJobColumnsWithExtras']);
  });
  async function post(query: string, variables: Record<string, unknown> = {}) {
    statements = [];
    counting = true;
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    counting = false;
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return { data: body.data, names: statements.map((s) => /\/\* (\w+) \*\//.exec(s)?.[1]) };
  }

  const TOTAL = `query ($after: String) { jobs(filter: { projectUid: "P1" }, orderBy: [{ field: UID, direction: ASC }], first: 100, after: $after) {
    totalCount pageInfo { endCursor } edges { node { uid parents { uid } } } } }`;

  it.skipIf(!storeAvailable(kind))('reads the total in the page statement, and counts on its own only past the last page', async () => {
    const first = await post(TOTAL);
    expect(first.names).toEqual(['listJobColumnsWithExtras']);
    // 240 seeded, a few of them deleted.
    const total = first.data.jobs.totalCount as number;
    expect(total).toBeGreaterThan(200);
    expect(total).toBeLessThan(240);
    const second = await post(TOTAL, { after: first.data.jobs.pageInfo.endCursor });
    const third = await post(TOTAL, { after: second.data.jobs.pageInfo.endCursor });
    expect(third.data.jobs.edges).toHaveLength(total - 200);
    expect(third.data.jobs.totalCount).toBe(total);
    // Past the end no row carries the total: it is counted by itself.
    const past = await post(TOTAL, { after: third.data.jobs.pageInfo.endCursor });
    expect(past.data.jobs.edges).toEqual([]);
    expect(past.data.jobs.totalCount).toBe(total);
    expect(past.names.sort()).toEqual(['countJobs', 'listJobColumnsWithExtras']);
  });

  it.skipIf(!storeAvailable(kind))('answers the same when parents are asked under two names that read differently (their loaders read them)', async () => {
    const plain = await post(`{ jobs(filter: { projectUid: "P1" }, orderBy: [{ field: UID, direction: ASC }], first: 60) { edges { node { uid parents { uid status } children { uid } } } } }`);
    const aliased = await post(`{ jobs(filter: { projectUid: "P1" }, orderBy: [{ field: UID, direction: ASC }], first: 60) {
      edges { node { uid a: parents { uid } b: parents { status } children { uid } } } } }`);
    expect(aliased.names.sort()).toEqual(['findParentsColumns', 'findParentsColumns', 'listJobColumnsWithExtras']);
    const edges = plain.data.jobs.edges as { node: { uid: string; parents: { uid: string; status: string }[]; children: unknown[] } }[];
    expect(edges.filter((e) => e.node.parents.length > 0).length).toBeGreaterThan(20);
    expect(aliased.data.jobs.edges).toEqual(
      edges.map(({ node }) => ({ node: { uid: node.uid, a: node.parents.map((p) => ({ uid: p.uid })), b: node.parents.map((p) => ({ status: p.status })), children: node.children } })),
    );
  });
  const WALK = (extra: string, args = 'maxDepth: 3, first: 100') => `query ($uid: String!, $after: String) { job(projectUid: "P1", uid: $uid) { ${extra}
    descendants(${args}, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { depth node { uid status } } } } }`;

  it.skipIf(!storeAvailable(kind))('reads a job and its walk in one statement when nothing else of the job is asked, answering as two would', async () => {
    for (const uid of ['J2', 'J5', 'J40']) {
      const together = await post(WALK('uid projectUid __typename'), { uid });
      expect(together.names).toEqual(['listLineagePageWithRoot']);
      // Asking for the title reads the job first, then walks: the answer is the same.
      const apart = await post(WALK('uid projectUid __typename title'), { uid });
      expect(apart.names).toEqual(['findJobColumns', 'listLineagePage']);
      const { title, ...rest } = apart.data.job;
      expect(typeof title).toBe('string');
      expect(together.data.job).toEqual(rest);
    }
    const walked = await post(WALK(''), { uid: 'J2' });
    expect(walked.data.job.descendants.edges.length).toBeGreaterThan(3);
  });

  it.skipIf(!storeAvailable(kind))('keeps the answers of the shortcut at its edges: a missing job, the page past the end, an unbounded walk, a refused depth', async () => {
    const missing = await post(WALK('uid'), { uid: 'J9999' });
    expect(missing.data.job).toBeNull();
    expect(missing.names).toEqual(['listLineagePageWithRoot']);
    // Past the last page the walk's count is not known from its rows: the page is read as it always was.
    const pageOf = (after?: string) => post(WALK('uid', 'maxDepth: 3, first: 2'), { uid: 'J2', after });
    let page = await pageOf();
    const total = page.data.job.descendants.totalCount as number;
    while (page.data.job.descendants.pageInfo.hasNextPage) page = await pageOf(page.data.job.descendants.pageInfo.endCursor);
    const past = await pageOf(page.data.job.descendants.pageInfo.endCursor);
    expect(total).toBeGreaterThan(3);
    expect(past.data.job).toEqual({ uid: 'J2', descendants: { totalCount: total, pageInfo: { endCursor: null, hasNextPage: false }, edges: [] } });
    // Unbounded: no one-statement walk, but the same root and page.
    const unbounded = await post(WALK('uid', 'first: 100'), { uid: 'J2' });
    const unboundedApart = await post(WALK('uid title', 'first: 100'), { uid: 'J2' });
    expect(unbounded.data.job.descendants).toEqual(unboundedApart.data.job.descendants);
    // A refused depth is reported at the walk, as without the shortcut.
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: WALK('uid', 'maxDepth: 0'), variables: { uid: 'J2' } }) });
    const body = (await response.json()) as { data: { job: unknown }; errors: { path: unknown[]; extensions: { code: string } }[] };
    expect(body.data.job).toBeNull();
    expect(body.errors.map((e) => [e.path, e.extensions.code])).toEqual([[['job', 'descendants'], 'BAD_USER_INPUT']]);
  });
  it.skipIf(!storeAvailable(kind))('pages a walk alike whether or not its total is asked, filtered or not', async () => {
    for (const filter of ['', 'filter: { status: [COMPLETED] }']) {
      const all = await post(`{ job(projectUid: "P1", uid: "J2") { descendants(maxDepth: 4, first: 100 ${filter}) { totalCount edges { depth node { uid } } } } }`);
      const expected = all.data.job.descendants.edges as unknown[];
      expect(expected.length).toBe(all.data.job.descendants.totalCount);
      expect(expected.length).toBeGreaterThan(3);
      const walked: unknown[] = [];
      let after: string | null = null;
      do {
        const page = await post(`query ($after: String) { job(projectUid: "P1", uid: "J2") { descendants(maxDepth: 4, first: 3, after: $after ${filter}) {
          pageInfo { hasNextPage endCursor } edges { depth node { uid } } } } }`, { after });
        walked.push(...page.data.job.descendants.edges);
        after = page.data.job.descendants.pageInfo.hasNextPage ? page.data.job.descendants.pageInfo.endCursor : null;
      } while (after);
      expect(walked).toEqual(expected);
    }
  });
});
