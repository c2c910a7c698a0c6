/**
 * A page of 100 jobs with `parents { uid status }` and `children { uid status }`
 * through HTTP under concurrent load (autocannon), side by side with the raw
 * floor (floor-server.ts: hand-written SQL reading only uid and status, and
 * JSON, no GraphQL) under the same load; plus the SQL statements a page
 * costs, read from the gateway's /metrics.
 */
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { type BenchContext, FLOOR_SERVER, say } from './context.js';
import type { Figure, ScenarioResult } from './figures.js';
import { freePort, graphql, startGateway, startProcess } from './gateway.js';
import { type Load, combine, load as loadRun } from './load.js';

export const JOBS_PAGE_QUERY = `query BenchJobsPage($projectUid: String!, $first: Int!) {
  jobs(filter: { projectUid: $projectUid }, orderBy: [{ field: UID, direction: ASC }], first: $first) {
    edges { node { uid status parents { uid status } children { uid status } } }
  }
}`;

/** Statements not caused by the page: the log watcher reads the log head once a second. */
const BACKGROUND_STATEMENTS = new Set(['lastEventSeq']);

const load = (label: string, options: autocannon.Options) => loadRun('jobs-page', label, options);

export async function runJobsPage(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const { projects, loadSeconds, loadConnections } = ctx.sizes;
  const pageSize = 100;
  const gateway = await startGateway(ctx, 'jobs-page');
  const floorPort = await freePort();
  const floorArgs = [...FLOOR_SERVER, '--db', ctx.db, '--pg-schema', ctx.pgSchema, '--port', String(floorPort)];
  const floor = await startProcess(ctx, 'jobs-page-floor', { args: floorArgs, healthPath: '/health', port: floorPort });
  const caveats: string[] = [];
  try {
    // Same answer both ways, or the comparison means nothing.
    const viaGraphql = await graphql(gateway.url, JOBS_PAGE_QUERY, { projectUid: 'P1', first: pageSize });
    const viaFloor = ((await (await fetch(`${floor.origin}/jobs-page?projectUid=P1&first=${pageSize}`)).json()) as { data: unknown }).data;
    if (!isDeepStrictEqual(viaGraphql, viaFloor)) throw new Error('the gateway and the floor disagree on the page of P1');
    const neighbours = (viaGraphql as { jobs: { edges: { node: { parents: unknown[]; children: unknown[] } }[] } }).jobs.edges.reduce(
      (n, e) => n + e.node.parents.length + e.node.children.length,
      0,
    );

    // Statements per page, by name, from the gateway's own SQL histogram.
    const statementsPerPage = async (first: number) => {
      const before = await gateway.scrape();
      const n = 5;
      for (let i = 0; i < n; i++) await graphql(gateway.url, JOBS_PAGE_QUERY, { projectUid: `P${1 + (i % projects)}`, first });
      const after = await gateway.scrape();
      const names = new Map<string, number>();
      for (const { labels, value } of after.all('sql_statement_duration_seconds_count')) {
        const delta = value - before.sum('sql_statement_duration_seconds_count', { statement: labels.statement! });
        if (delta > 0 && !BACKGROUND_STATEMENTS.has(labels.statement!)) names.set(labels.statement!, delta / n);
      }
      return { total: [...names.values()].reduce((a, b) => a + b, 0), names };
    };
    const small = await statementsPerPage(10);
    const full = await statementsPerPage(pageSize);
    const describe = (s: typeof full) => [...s.names].map(([name, count]) => (count === 1 ? name : `${name}×${count}`)).join(', ');

    let projectTurn = 0;
    const nextProject = () => `P${1 + (projectTurn++ % projects)}`;
    const graphqlRequest = (connections: number, duration: number): autocannon.Options => ({
      url: gateway.url,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ query: JOBS_PAGE_QUERY, variables: { projectUid: nextProject(), first: pageSize } }) }),
        },
      ],
    });
    const floorRequest = (connections: number, duration: number): autocannon.Options => ({
      url: floor.origin,
      connections,
      duration,
      requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/jobs-page?projectUid=${nextProject()}&first=${pageSize}` }) }],
    });

    await load('warm-up (GraphQL)', graphqlRequest(loadConnections, 3));
    await load('warm-up (floor)', floorRequest(loadConnections, 3));
    // Alternate short runs of each side, so that drift (page cache, the other process, thermal) hits both alike.
    const alternate = async (label: string, connections: number, seconds: number, rounds: number) => {
      const runs = { gateway: [] as Load[], floor: [] as Load[] };
      for (let r = 1; r <= rounds; r++) {
        runs.gateway.push(await load(`${label} (GraphQL) ${r}/${rounds}`, graphqlRequest(connections, seconds)));
        runs.floor.push(await load(`${label} (floor) ${r}/${rounds}`, floorRequest(connections, seconds)));
      }
      return { gateway: combine(runs.gateway), floor: combine(runs.floor) };
    };
    const single = await alternate('one connection', 1, Math.max(2, Math.round(loadSeconds / 6)), 2);
    const loaded = await alternate('under load', loadConnections, Math.max(2, Math.round(loadSeconds / 3)), 3);
    for (const [label, run] of Object.entries({ 'one connection, GraphQL': single.gateway, 'one connection, floor': single.floor, 'under load, GraphQL': loaded.gateway, 'under load, floor': loaded.floor })) {
      if (run.failures > 0) caveats.push(`${label}: ${run.failures} failed requests`);
    }

    const f = (measure: string, value: number, unit: Figure['unit'], extra: Partial<Figure> = {}): Figure => ({ scenario: 'jobs-page', measure, value, unit, ...extra });
    return {
      scenario: 'jobs-page',
      method:
        `\`jobs(first: ${pageSize})\` of one project (rotating over ${projects}) with parents and children (${neighbours} neighbours on P1's page), ` +
        `POST over HTTP by autocannon in the bench process; the floor answers the same JSON (checked equal) from hand-written SQL reading only the answer's columns, over plain node:http. ` +
        `Under load: ${loadConnections} connections, 3 alternating runs of ${Math.max(2, Math.round(loadSeconds / 3))} s per side (median of the runs' percentiles); ` +
        `one connection: 2 alternating runs of ${Math.max(2, Math.round(loadSeconds / 6))} s; after a 3 s warm-up of each.`,
      figures: [
        f(`p50 latency, ${loadConnections} connections`, loaded.gateway.p50, 'ms', { floor: loaded.floor.p50, target: { op: '<=', bound: 1.5, relative: true } }),
        f(`p99 latency, ${loadConnections} connections`, loaded.gateway.p99, 'ms', { floor: loaded.floor.p99 }),
        f(`throughput, ${loadConnections} connections`, loaded.gateway.requestsPerSecond, 'req/s', { floor: loaded.floor.requestsPerSecond }),
        f('p50 latency, 1 connection', single.gateway.p50, 'ms', { floor: single.floor.p50 }),
        f('p99 latency, 1 connection', single.gateway.p99, 'ms', { floor: single.floor.p99 }),
        f(`SQL statements per page (10 or ${pageSize} jobs)`, Math.max(small.total, full.total), 'statements', {
          floor: 2,
          target: { op: '<=', bound: 4 },
          note: `page of 10: ${describe(small)}; page of ${pageSize}: ${describe(full)} (the log watcher's once-a-second lastEventSeq not counted)`,
        }),
      ],
      caveats,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await Promise.all([gateway.stop(), floor.stop()]);
  }
}
