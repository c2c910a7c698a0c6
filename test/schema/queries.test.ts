import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import { JobsPageDocument, type JobOrder, type JobFilter, type JobsPageQuery, type JobsPageQueryVariables } from '../gql/graphql.js';
import { execute, expectData, expectErrors } from '../helpers/client.js';
import { byUid, seedTwoProjects, statusRank } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

type Edge = JobsPageQuery['jobs']['edges'][number];

describe.each(STORES)('job queries on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    jobs = await seedTwoProjects(ts.store);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  const visible = () => jobs.filter((j) => !j.deleted);

  /** Pages through a whole listing, forward with `first` or backward with `last`. */
  async function walk(filter: JobFilter | undefined, orderBy: JobOrder[] | undefined, size: number, backward = false) {
    const seen: Edge[] = [];
    let cursor: string | null | undefined;
    let totalCount = -1;
    for (let guard = 0; guard < 1000; guard++) {
      const variables: JobsPageQueryVariables = backward ? { filter, orderBy, last: size, before: cursor } : { filter, orderBy, first: size, after: cursor };
      const page = expectData(await execute(server.url, JobsPageDocument, variables)).jobs;
      totalCount = page.totalCount;
      expect(page.edges.length).toBeLessThanOrEqual(size);
      if (backward) {
        seen.unshift(...page.edges);
        if (!page.pageInfo.hasPreviousPage) break;
        cursor = page.pageInfo.startCursor;
      } else {
        seen.push(...page.edges);
        if (!page.pageInfo.hasNextPage) break;
        cursor = page.pageInfo.endCursor;
      }
    }
    return { uids: seen.map((e) => `${e.node.projectUid}/${e.node.uid}`), totalCount, edges: seen };
  }

  const keys = (list: Job[]) => list.map((j) => `${j.project_uid}/${j.uid}`);

  it.skipIf(!storeAvailable(kind))('lists every visible job newest first by default, with the right total', async () => {
    const expected = [...visible()].sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : byUid(a, b)));
    const result = await walk(undefined, undefined, 40);
    expect(result.totalCount).toBe(expected.length);
    expect(result.uids).toEqual(keys(expected));
  });

  const orderings: [JobOrder['field'], (j: Job) => string | number][] = [
    ['CREATED_AT', (j) => j.created_at],
    ['UPDATED_AT', (j) => j.updated_at],
    ['PRIORITY', (j) => j.priority],
    ['STATUS', (j) => statusRank(j.status)],
    ['TITLE', (j) => j.title],
    ['TYPE', (j) => j.spec.type],
    ['UID', (j) => j.project_uid_num * 1e9 + j.uid_num],
  ];

  for (const [field, value] of orderings) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it.skipIf(!storeAvailable(kind))(`orders by ${field} ${direction} and pages forward and backward over the same sequence`, async () => {
        const sign = direction === 'ASC' ? 1 : -1;
        const expected = [...visible()].sort((a, b) => {
          const va = value(a);
          const vb = value(b);
          return va < vb ? -sign : va > vb ? sign : byUid(a, b);
        });
        const forward = await walk(undefined, [{ field, direction }], 23);
        expect(forward.uids).toEqual(keys(expected));
        const backward = await walk(undefined, [{ field, direction }], 17, true);
        expect(backward.uids).toEqual(keys(expected));
      });
    }
  }

  it.skipIf(!storeAvailable(kind))('sorts by several keys, each in its own direction', async () => {
    const expected = [...visible()].sort(
      (a, b) => statusRank(a.status) - statusRank(b.status) || (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : byUid(a, b)),
    );
    const result = await walk(undefined, [{ field: 'STATUS', direction: 'ASC' }, { field: 'CREATED_AT', direction: 'DESC' }], 31);
    expect(result.uids).toEqual(keys(expected));
  });

  const filters: [string, JobFilter, (j: Job) => boolean][] = [
    ['projectUid', { projectUid: 'P2' }, (j) => j.project_uid === 'P2'],
    ['status', { status: ['FAILED', 'KILLED'] }, (j) => j.status === 'failed' || j.status === 'killed'],
    ['type', { type: ['class_2D_new', 'homo_abinit'] }, (j) => ['class_2D_new', 'homo_abinit'].includes(j.spec.type)],
    ['category', { category: ['REFINEMENT'] }, (j) => ['homo_refine_new', 'nonuniform_refine_new', 'hetero_refine', 'class_3D', 'homo_reconstruct'].includes(j.spec.type)],
    ['workspaceUid', { projectUid: 'P1', workspaceUid: 'W2' }, (j) => j.project_uid === 'P1' && j.workspace_uids.includes('W2')],
    ['titleContains (any case)', { titleContains: 'REFINE' }, (j) => j.title.toLowerCase().includes('refine')],
    ['hasError', { hasError: true }, (j) => j.has_error || j.errors_run.length > 0],
    ['hasError false', { hasError: false }, (j) => !(j.has_error || j.errors_run.length > 0)],
    ['createdAfter', { createdAfter: '2026-10-01T00:00:00Z' }, (j) => j.created_at > '2026-10-01T00:00:00.000Z'],
    ['createdBefore + updatedAfter', { createdBefore: '2026-11-01T00:00:00Z', updatedAfter: '2026-09-01T00:00:00Z' }, (j) => j.created_at < '2026-11-01T00:00:00.000Z' && j.updated_at > '2026-09-01T00:00:00.000Z'],
    ['combined', { projectUid: 'P1', status: ['COMPLETED'], type: ['class_2D_new', 'select_2D', 'blob_picker_gpu'] }, (j) => j.project_uid === 'P1' && j.status === 'completed' && ['class_2D_new', 'select_2D', 'blob_picker_gpu'].includes(j.spec.type)],
  ];

  for (const [name, filter, predicate] of filters) {
    it.skipIf(!storeAvailable(kind))(`filters by ${name}`, async () => {
      const expected = visible().filter(predicate).sort(byUid);
      const result = await walk(filter, [{ field: 'UID', direction: 'ASC' }], 50);
      expect(result.totalCount).toBe(expected.length);
      expect(result.uids).toEqual(keys(expected));
    });
  }

  it.skipIf(!storeAvailable(kind))('filters by tags, matching jobs that carry any of them', async () => {
    const tag = jobs.find((j) => j.tags.length > 0)?.tags[0];
    expect(tag, 'the dataset has tagged jobs').toBeTruthy();
    const expected = visible().filter((j) => j.tags.includes(tag!)).sort(byUid);
    const result = await walk({ tags: [tag!, 'no-such-tag'] }, [{ field: 'UID', direction: 'ASC' }], 50);
    expect(result.uids).toEqual(keys(expected));
  });

  it.skipIf(!storeAvailable(kind))('hides deleted jobs unless includeDeleted is set', async () => {
    const deleted = jobs.filter((j) => j.deleted);
    expect(deleted.length, 'the dataset has deleted jobs').toBeGreaterThan(0);
    const projectUid = deleted[0]!.project_uid;
    const hidden = await walk({ uids: deleted.filter((j) => j.project_uid === projectUid).map((j) => j.uid), projectUid }, undefined, 50);
    expect(hidden.totalCount).toBe(0);
    const shown = await walk({ includeDeleted: true }, [{ field: 'UID', direction: 'ASC' }], 100);
    expect(shown.totalCount).toBe(jobs.length);
    expect(shown.uids).toEqual(keys([...jobs].sort(byUid)));
  });

  it.skipIf(!storeAvailable(kind))('rejects a page larger than 100 with PAGE_SIZE_EXCEEDED', async () => {
    const response = await execute(server.url, JobsPageDocument, { first: 101 });
    expect(expectErrors(response).codes).toEqual(['PAGE_SIZE_EXCEEDED']);
    expect(response.errors![0]!.message).toContain('100');
    const last = await execute(server.url, JobsPageDocument, { last: 500 });
    expect(expectErrors(last).codes).toEqual(['PAGE_SIZE_EXCEEDED']);
  });

  it.skipIf(!storeAvailable(kind))('rejects a malformed cursor, and a cursor from another ordering, with BAD_CURSOR', async () => {
    for (const after of ['not-a-cursor', 'eyJ4IjoxfQ', '']) {
      const response = await execute(server.url, JobsPageDocument, { first: 5, after: after || '%%%' });
      expect(expectErrors(response).codes).toEqual(['BAD_CURSOR']);
    }
    const page = expectData(await execute(server.url, JobsPageDocument, { first: 2, orderBy: [{ field: 'TITLE', direction: 'ASC' }] })).jobs;
    const response = await execute(server.url, JobsPageDocument, { first: 2, after: page.pageInfo.endCursor, orderBy: [{ field: 'PRIORITY', direction: 'ASC' }] });
    const { codes, messages } = expectErrors(response);
    expect(codes).toEqual(['BAD_CURSOR']);
    expect(messages[0]).toMatch(/different ordering/);
  });

  it.skipIf(!storeAvailable(kind))('rejects mixed paging directions and negative sizes with BAD_USER_INPUT', async () => {
    expect(expectErrors(await execute(server.url, JobsPageDocument, { first: 2, last: 2 })).codes).toEqual(['BAD_USER_INPUT']);
    expect(expectErrors(await execute(server.url, JobsPageDocument, { first: -1 })).codes).toEqual(['BAD_USER_INPUT']);
  });

  it.skipIf(!storeAvailable(kind))('rejects a malformed DateTime with BAD_USER_INPUT, naming the expected format', async () => {
    const response = await execute(server.url, JobsPageDocument, { filter: { createdAfter: 'yesterday' } });
    const { codes, messages } = expectErrors(response);
    expect(codes).toEqual(['BAD_USER_INPUT']);
    expect(messages[0]).toMatch(/ISO-8601/);
  });
});
