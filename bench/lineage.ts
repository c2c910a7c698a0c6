/**
 * `descendants` (a page of 100, with the total) and `lineage` (the graph,
 * limit 10,000 nodes) from a root with more than 10,000 descendants, one
 * request at a time, against the floor: the store's own lineage path (its
 * recursive statement, the depth computation and the documents) called
 * directly and serialised to the same JSON by the floor server. The
 * recursive statement alone (no documents, no HTTP) is reported beside them.
 */
import { isDeepStrictEqual } from 'node:util';
import { type BenchContext, FLOOR_SERVER, say } from './context.js';
import type { Dataset } from './dataset.js';
import type { Figure, ScenarioResult } from './figures.js';
import { freePort, startGateway, startProcess } from './gateway.js';
import { summarize } from './stats.js';

const DESCENDANTS_QUERY = `query BenchDescendants($projectUid: String!, $uid: String!, $first: Int!) {
  job(projectUid: $projectUid, uid: $uid) { uid descendants(first: $first) { totalCount edges { depth node { uid status } } pageInfo { hasNextPage } } }
}`;

const LINEAGE_QUERY = `query BenchLineage($projectUid: String!, $uid: String!, $limit: Int!) {
  lineage(projectUid: $projectUid, uid: $uid, direction: DESCENDANTS, limit: $limit) { root { uid } nodes { depth relation job { uid status } } edges { parentUid childUid } truncated }
}`;

const MAX_COST = 1_000_000;
/** Longest a single lineage request may take before the case is reported as not answering. */
const TIMEOUT_MS = 30_000;
/** Time after which a case stops starting iterations (once it has 5). */
const CASE_BUDGET_MS = 45_000;

async function timed(request: () => Promise<Response>): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const response = await request();
  const body = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 300)}`);
  return { ms: performance.now() - started, body };
}

export async function runLineage(ctx: BenchContext, dataset: Pick<Dataset, 'lineageRoot' | 'lineageDescendants'>): Promise<ScenarioResult> {
  const started = performance.now();
  const { lineageIterations: iterations, lineageNodes } = ctx.sizes;
  const { projectUid, uid } = dataset.lineageRoot;
  // The default cost limit (--max-cost 50000) refuses a 10,000-node graph: this scenario needs it raised.
  const startLineageGateway = () => startGateway(ctx, 'lineage', { extra: ['--max-cost', String(MAX_COST)] });
  let gateway = await startLineageGateway();
  const floorPort = await freePort();
  const floorArgs = [...FLOOR_SERVER, '--db', ctx.db, '--pg-schema', ctx.pgSchema, '--port', String(floorPort)];
  const floor = await startProcess(ctx, 'lineage-floor', { args: floorArgs, healthPath: '/health', port: floorPort });
  const caveats: string[] = [];
  const shapes: string[] = [];
  const counts: string[] = [];
  try {
    const post = (query: string, variables: Record<string, unknown>) => () =>
      fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(TIMEOUT_MS) });
    const get = (path: string) => () => fetch(`${floor.origin}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    const cases = {
      descendants: {
        gateway: post(DESCENDANTS_QUERY, { projectUid, uid, first: 100 }),
        floor: get(`/descendants?projectUid=${projectUid}&uid=${uid}&first=100`),
        sql: get(`/descendants?projectUid=${projectUid}&uid=${uid}&first=100&sqlOnly=1`),
        shape: (data: unknown) => `descendants: totalCount ${(data as { job: { descendants: { totalCount: number } } }).job.descendants.totalCount.toLocaleString('en-US')}`,
      },
      lineage: {
        gateway: post(LINEAGE_QUERY, { projectUid, uid, limit: lineageNodes }),
        floor: get(`/lineage?projectUid=${projectUid}&uid=${uid}&limit=${lineageNodes}`),
        sql: get(`/lineage?projectUid=${projectUid}&uid=${uid}&limit=${lineageNodes}&sqlOnly=1`),
        shape: (data: unknown) => {
          const graph = (data as { lineage: { nodes: unknown[]; edges: unknown[] } }).lineage;
          return `lineage: ${graph.nodes.length.toLocaleString('en-US')} nodes, ${graph.edges.length.toLocaleString('en-US')} edges`;
        },
      },
    };

    const figures: Figure[] = [];
    for (const [name, c] of Object.entries(cases)) {
      // First the gateway alone, bounded: a statement that does not finish blocks its process (better-sqlite3 is synchronous).
      let first: { ms: number; body: string };
      try {
        first = await timed(c.gateway);
      } catch (error) {
        if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
        say(`lineage: ${name}: no answer from the gateway in ${TIMEOUT_MS / 1000} s; restarting it`);
        caveats.push(
          `${name}: the gateway did not answer in ${TIMEOUT_MS / 1000} s, so it was not measured further (nor the floor, which runs the same statement). ` +
            'See the lineage findings: the recursive step of the walk is planned as a scan of every edge of the project per row.',
        );
        figures.push({ scenario: 'lineage', measure: `${name} p50`, value: Number.NaN, unit: 'ms', target: { op: '<=', bound: 1.5, relative: true }, note: `no answer in ${TIMEOUT_MS / 1000} s` });
        await gateway.stop({ force: true });
        gateway = await startLineageGateway();
        continue;
      }
      // Same answer both ways.
      const viaGateway = (JSON.parse(first.body) as { data: unknown }).data;
      const viaFloor = (JSON.parse((await timed(c.floor)).body) as { data: unknown }).data;
      if (!isDeepStrictEqual(viaGateway, viaFloor)) throw new Error(`lineage: the gateway and the floor disagree on ${name}`);
      shapes.push(c.shape(viaGateway));

      await Promise.all([timed(c.gateway), timed(c.floor)]);
      const samples = { gateway: [] as number[], floor: [] as number[], sql: [] as number[] };
      const caseStarted = performance.now();
      // Up to `iterations`, but slow statements stop the series early (at least 5): the bench has a time budget.
      for (let i = 0; i < iterations && (i < 5 || performance.now() - caseStarted < CASE_BUDGET_MS); i++) {
        // Alternate, so that drift (cache, GC, the other process) hits both sides alike.
        samples.gateway.push((await timed(c.gateway)).ms);
        samples.floor.push((await timed(c.floor)).ms);
        samples.sql.push((JSON.parse((await timed(c.sql)).body) as { ms: number }).ms);
      }
      const g = summarize(samples.gateway);
      const f = summarize(samples.floor);
      const s = summarize(samples.sql);
      counts.push(`${name} ${samples.gateway.length}`);
      say(`lineage: ${name}: gateway p50 ${g.p50.toFixed(1)} ms, floor p50 ${f.p50.toFixed(1)} ms, statement alone p50 ${s.p50.toFixed(1)} ms`);
      figures.push(
        { scenario: 'lineage', measure: `${name} p50`, value: g.p50, unit: 'ms', floor: f.p50, target: { op: '<=', bound: 1.5, relative: true } },
        { scenario: 'lineage', measure: `${name} p99`, value: g.p99, unit: 'ms', floor: f.p99 },
        { scenario: 'lineage', measure: `${name}: recursive statement alone, p50`, value: s.p50, unit: 'ms', note: 'in the floor process, no row mapping, no HTTP' },
      );
    }
    return {
      scenario: 'lineage',
      method:
        `root ${projectUid}/${uid} with ${dataset.lineageDescendants.toLocaleString('en-US')} descendants; \`descendants(first: 100)\` (walk, count, page) and ` +
        `\`lineage(direction: DESCENDANTS, limit: ${lineageNodes.toLocaleString('en-US')})\`${shapes.length > 0 ? ` (${shapes.join('; ')})` : ''}, ` +
        `sequential requests (${counts.join(', ') || 'none'}; up to ${iterations}, fewer past ${CASE_BUDGET_MS / 1000} s), alternating with the floor (the store's lineage method called directly, same JSON, checked equal). ` +
        `The gateway runs with \`--max-cost ${MAX_COST}\`: its default limit (50,000) refuses the 10,000-node \`lineage\` query (cost 120,001).`,
      figures,
      caveats,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all([gateway.stop(), floor.stop()]);
  }
}
