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
    expect(hundred.n).toBeLessThanOrEqual(2);
    // Nothing but columns is asked for, so no statement reads a document.
    expect(hundred.statements.map((s) => /\/\* (\w+) \*\//.exec(s)?.[1]).sort()).toEqual(['findNeighboursColumns', 'listJobColumns']);
  });
});
