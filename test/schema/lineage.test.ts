import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { JobAncestryDocument, LineageGraphDocument } from '../gql/graphql.js';
import { execute, expectData, expectErrors } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

/** A DAG given as child → parents over job numbers; parents always have smaller numbers. */
type Dag = Map<number, number[]>;

function rawJob(projectUid: string, n: number, parents: number[], deleted = false) {
  return {
    uid: `J${n}`,
    project_uid: projectUid,
    job_dir: `J${n}`,
    job_dir_size_last_updated: '2026-01-01T00:00:00Z',
    created_at: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    status: n % 7 === 0 ? 'failed' : 'completed',
    deleted,
    parents: parents.map((p) => `J${p}`),
    spec: {
      type: 'homo_refine_new',
      inputs: parents.length
        ? { particles: { type: 'particle', title: 'Particles', connections: parents.map((p) => ({ job_uid: `J${p}`, output: 'particles' })) } }
        : {},
    },
  };
}

/** Random DAG with diamonds and shared ancestors, deterministic for a seed. */
function randomDag(size: number, seed: number): Dag {
  let state = seed;
  const rand = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const dag: Dag = new Map([[1, []]]);
  for (let n = 2; n <= size; n++) {
    const count = rand() < 0.25 ? 2 + Math.floor(rand() * 2) : rand() < 0.1 ? 0 : 1;
    const parents = new Set<number>();
    for (let i = 0; i < count; i++) parents.add(Math.max(1, n - 1 - Math.floor(rand() * Math.min(n - 1, 12))));
    dag.set(n, [...parents]);
  }
  return dag;
}

/** Breadth-first distances from `root`, the test's own answer to compare the server with. */
function bfs(dag: Dag, root: number, walk: 'ancestors' | 'descendants', maxDepth = Infinity): Map<number, number> {
  const next = new Map<number, number[]>();
  for (const [child, parents] of dag) {
    if (walk === 'ancestors') next.set(child, parents);
    else for (const p of parents) next.set(p, [...(next.get(p) ?? []), child]);
  }
  const depth = new Map<number, number>();
  let frontier = [root];
  for (let d = 1; frontier.length && d <= maxDepth; d++) {
    const following: number[] = [];
    for (const n of frontier) {
      for (const m of next.get(n) ?? []) {
        if (!depth.has(m) && m !== root) {
          depth.set(m, d);
          following.push(m);
        }
      }
    }
    frontier = following;
  }
  return depth;
}

const sortByDepthThenNum = (d: Map<number, number>) => [...d.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0]);

describe.each(STORES)('lineage on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  // P1: a diamond-rich random DAG; P2: a hand-made diamond with shared ancestors; P3: a chain for depth bounds.
  const random = randomDag(220, 7);
  const diamond: Dag = new Map([
    [1, []],
    [2, [1]],
    [3, [1]],
    [4, [2, 3]],
    [5, [4, 1]],
    [6, [5, 3]],
    [7, [2]],
    [8, [6, 7]],
  ]);

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    const bundle = (projectUid: string, dag: Dag) => ({
      project: { uid: projectUid, title: projectUid },
      workspaces: [{ uid: 'W1', project_uid: projectUid }],
      jobs: [...dag].map(([n, parents]) => rawJob(projectUid, n, parents)),
    });
    await loadProjects(ts.store, [bundle('P1', random), bundle('P2', diamond)]);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  async function walkAll(projectUid: string, uid: string, which: 'ancestors' | 'descendants', maxDepth?: number) {
    const out: [number, number][] = [];
    let after: string | null | undefined;
    let total = -1;
    for (let guard = 0; guard < 100; guard++) {
      const data = expectData(await execute(server.url, JobAncestryDocument, { projectUid, uid, up: which === 'ancestors', maxDepth, first: 13, after }));
      const conn = data.job![which]!;
      total = conn.totalCount;
      out.push(...conn.edges.map((e) => [Number(e.node.uid.slice(1)), e.depth] as [number, number]));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    return { out, total };
  }

  it.skipIf(!storeAvailable(kind))('ancestors and descendants match a breadth-first search, nearest first, on a random DAG', async () => {
    for (const root of [220, 180, 150, 97, 40, 5, 1]) {
      for (const which of ['ancestors', 'descendants'] as const) {
        const expected = sortByDepthThenNum(bfs(random, root, which));
        const { out, total } = await walkAll('P1', `J${root}`, which);
        expect(out, `${which} of J${root}`).toEqual(expected);
        expect(total).toBe(expected.length);
      }
    }
  });

  it.skipIf(!storeAvailable(kind))('reports each shared ancestor once, at its shortest distance, through diamonds', async () => {
    const { out } = await walkAll('P2', 'J8', 'ancestors');
    expect(out).toEqual(sortByDepthThenNum(bfs(diamond, 8, 'ancestors')));
    expect(out.filter(([n]) => n === 1)).toEqual([[1, 3]]);
  });

  it.skipIf(!storeAvailable(kind))('stops at maxDepth', async () => {
    for (const maxDepth of [1, 2, 3]) {
      for (const which of ['ancestors', 'descendants'] as const) {
        const root = which === 'ancestors' ? 200 : 20;
        const expected = sortByDepthThenNum(bfs(random, root, which, maxDepth));
        expect((await walkAll('P1', `J${root}`, which, maxDepth)).out).toEqual(expected);
      }
    }
  });

  it.skipIf(!storeAvailable(kind))('filters lineage results while still walking through non-matching jobs', async () => {
    const data = expectData(await execute(server.url, JobAncestryDocument, { projectUid: 'P1', uid: 'J3', up: false, first: 100, filter: { status: ['FAILED'] } }));
    const expected = sortByDepthThenNum(bfs(random, 3, 'descendants')).filter(([n]) => n % 7 === 0);
    expect(data.job!.descendants!.edges.map((e) => [Number(e.node.uid.slice(1)), e.depth])).toEqual(expected);
    expect(data.job!.descendants!.totalCount).toBe(expected.length);
  });

  it.skipIf(!storeAvailable(kind))('lineage returns the sub-graph as nodes and edges that match the DAG', async () => {
    for (const [root, direction] of [
      [120, 'BOTH'],
      [60, 'DESCENDANTS'],
      [200, 'ANCESTORS'],
    ] as const) {
      const graph = expectData(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: `J${root}`, direction })).lineage;
      const up = direction === 'DESCENDANTS' ? new Map<number, number>() : bfs(random, root, 'ancestors');
      const down = direction === 'ANCESTORS' ? new Map<number, number>() : bfs(random, root, 'descendants');
      expect(graph.truncated).toBe(false);
      expect(graph.root.uid).toBe(`J${root}`);
      const nodes = new Map(graph.nodes.map((n) => [Number(n.job.uid.slice(1)), n]));
      expect(nodes.get(root)).toMatchObject({ depth: 0, relation: 'ROOT' });
      expect(nodes.size).toBe(1 + up.size + down.size);
      for (const [n, d] of up) expect(nodes.get(n)).toMatchObject({ depth: d, relation: 'ANCESTOR' });
      for (const [n, d] of down) expect(nodes.get(n)).toMatchObject({ depth: d, relation: 'DESCENDANT' });
      const expectedEdges = [...random]
        .flatMap(([child, parents]) => parents.map((p) => `${p}->${child}`))
        .filter((e) => {
          const [p, c] = e.split('->').map(Number);
          return nodes.has(p!) && nodes.has(c!);
        })
        .sort();
      expect(graph.edges.map((e) => `${e.parentUid.slice(1)}->${e.childUid.slice(1)}`).sort()).toEqual(expectedEdges);
      // Edges come in (parent, child) number order, whatever order the walk's plan produced them in.
      const numbers = graph.edges.map((e) => [Number(e.parentUid.slice(1)), Number(e.childUid.slice(1))] as const);
      expect(numbers).toEqual([...numbers].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    }
  });

  it.skipIf(!storeAvailable(kind))('cuts the graph at limit, nearest nodes first, and says it is truncated', async () => {
    const all = bfs(random, 2, 'descendants');
    expect(all.size).toBeGreaterThan(10);
    const graph = expectData(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J2', direction: 'DESCENDANTS', limit: 10 })).lineage;
    expect(graph.truncated).toBe(true);
    expect(graph.nodes).toHaveLength(11);
    const kept = graph.nodes.filter((n) => n.relation !== 'ROOT').map((n) => [Number(n.job.uid.slice(1)), n.depth]);
    expect(kept).toEqual(sortByDepthThenNum(all).slice(0, 10));
    const nodeUids = new Set(graph.nodes.map((n) => n.job.uid));
    for (const e of graph.edges) expect(nodeUids.has(e.parentUid) && nodeUids.has(e.childUid)).toBe(true);
    const exact = expectData(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J2', direction: 'DESCENDANTS', limit: all.size })).lineage;
    expect(exact.truncated).toBe(false);
  });

  it.skipIf(!storeAvailable(kind))('rejects an unknown job with NOT_FOUND and a bad bound with BAD_USER_INPUT', async () => {
    expect(expectErrors(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J9999' })).codes).toEqual(['NOT_FOUND']);
    expect(expectErrors(await execute(server.url, LineageGraphDocument, { projectUid: 'P9', uid: 'J1' })).codes).toEqual(['NOT_FOUND']);
    expect(expectErrors(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J1', maxDepth: 0 })).codes).toEqual(['BAD_USER_INPUT']);
    expect(expectErrors(await execute(server.url, LineageGraphDocument, { projectUid: 'P1', uid: 'J1', limit: 10_001 })).codes).toEqual(['BAD_USER_INPUT']);
  });
});
