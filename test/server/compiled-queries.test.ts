import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobDetailDocument, JobsPageDocument, JobsWithNeighboursDocument, LineageGraphDocument, NodeLookupDocument } from '../gql/graphql.js';
import { execute, executeWith } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

/**
 * Queries run interpreted the first time and compiled (graphql-jit) from the
 * second: every answer, data and errors alike, must not depend on which.
 */
describe('compiled queries', () => {
  let ts: TestStore;
  let server: TestServer;

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [60, 10]);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  const thrice = async (run: () => Promise<{ data?: unknown; errors?: unknown; status: number }>) => {
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const { data, errors, status } = await run();
      answers.push({ data, errors, status });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    return answers[0]!;
  };

  it('answer pages, neighbours, lineages and node lookups the same', async () => {
    const page = await thrice(() => execute(server.url, JobsWithNeighboursDocument, { first: 50, filter: { projectUid: 'P1' } }));
    expect((page.data as { jobs: { edges: unknown[] } }).jobs.edges).toHaveLength(50);
    await thrice(() => execute(server.url, JobsPageDocument, { filter: { projectUid: 'P1', status: ['COMPLETED'] }, orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }], first: 7 }));
    await thrice(() => execute(server.url, JobDetailDocument, { projectUid: 'P1', uid: 'J3' }));
    const graph = await thrice(() => execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J1', direction: 'DESCENDANTS', limit: 30 }));
    expect(graph.errors).toBeUndefined();
    await thrice(() => execute(server.url, NodeLookupDocument, { id: 'Sm9iOlAxL0oy', ids: ['Sm9iOlAxL0oy', 'bm9wZQ'] }));
  });

  it('report the same coded errors', async () => {
    const badCursor = await thrice(() => execute(server.url, JobsPageDocument, { first: 5, after: 'not-a-cursor' }));
    expect((badCursor.errors as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual(['BAD_CURSOR']);
    const tooBig = await thrice(() => execute(server.url, JobsPageDocument, { first: 1000 }));
    expect((tooBig.errors as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual(['PAGE_SIZE_EXCEEDED']);
    const badVariable = await thrice(() => executeWith(server.url, {}, JobsPageDocument, { first: 'ten' } as never));
    expect((badVariable.errors as { extensions: { code: string } }[]).map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });
});
