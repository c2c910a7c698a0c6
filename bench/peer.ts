/**
 * jobgraph beside its peer, PostGraphile v4, and beside the honest floor
 * (hand-written SQL + JSON.stringify), asked the same two questions:
 *
 *   page         a page of 100 jobs of one project by uid, with totalCount,
 *                uid status title type createdAt, parents and children (uid status)
 *   descendants  the jobs up to 3 steps below one job (uid status depth);
 *                PostGraphile: nested `children` three levels deep
 *
 * Each server runs in its own process; the answers are normalised and checked
 * equal before anything is timed. autocannon drives each in turn (rounds
 * alternate, so drift hits all three alike). Then fresh instances connect to
 * PostgreSQL through a counting proxy (pg-proxy.ts), and the bytes PostgreSQL
 * sends per request are counted beside the size of the JSON answer.
 */
import { join } from 'node:path';
import type autocannon from 'autocannon';
import pg from 'pg';
import { type BenchContext, FLOOR_SERVER, say } from './context.js';
import type { Dataset } from './dataset.js';
import type { Figure, ScenarioResult } from './figures.js';
import { type ServerProcess, freePort, startGateway, startProcess } from './gateway.js';
import { type Load, combine, load } from './load.js';
import { PEER_DIR, type PeerData, ensurePeerInstalled, preparePeerData, settleTables } from './peer-data.js';
import { startCountingProxy } from './pg-proxy.js';

const PAGE_SIZE = 100;
const DEPTH = 3;
/** Descendants within DEPTH steps the chosen root should have (the issue: ~50–100). */
const WANTED_DESCENDANTS = 75;
/** Sequential requests per server for the bytes count. */
const BYTES_REQUESTS = 20;

export const PAGE_QUERY = `query BenchPeerPage($projectUid: String!, $first: Int!) {
  jobs(filter: { projectUid: $projectUid }, orderBy: [{ field: UID, direction: ASC }], first: $first) {
    totalCount
    edges { node { uid status title type createdAt parents { uid status } children { uid status } } }
  }
}`;

export const DESCENDANTS_QUERY = `query BenchPeerDescendants($projectUid: String!, $uid: String!, $maxDepth: Int!, $first: Int!) {
  job(projectUid: $projectUid, uid: $uid) { descendants(maxDepth: $maxDepth, first: $first) { edges { depth node { uid status } } } }
}`;

/** What a PostGraphile user writes for the page: the table's connection, a condition, an order, many-to-many both ways. */
export const PEER_PAGE_QUERY = `query PeerPage($projectUid: String!, $first: Int!) {
  projectByUid(uid: $projectUid) {
    jobs(condition: { deleted: false }, orderBy: UID_NUM_ASC, first: $first) {
      totalCount
      nodes {
        uid status title type createdAt
        parents(condition: { deleted: false }, orderBy: UID_NUM_ASC) { nodes { uid status } }
        children(condition: { deleted: false }, orderBy: UID_NUM_ASC) { nodes { uid status } }
      }
    }
  }
}`;

/** PostGraphile has no walk: nested `children` three levels deep (the root is chosen with no deleted job within reach). */
export const PEER_DESCENDANTS_QUERY = `query PeerDescendants($projectId: Int!, $uid: String!) {
  jobByProjectIdAndUid(projectId: $projectId, uid: $uid) {
    children(condition: { deleted: false }) { nodes { uid status
      children(condition: { deleted: false }) { nodes { uid status
        children(condition: { deleted: false }) { nodes { uid status } } } } } }
  }
}`;

type Brief = { uid: string; status: string };
interface CanonicalPage {
  totalCount: number;
  jobs: { uid: string; status: string; title: string; type: string; createdAt: string; parents: Brief[]; children: Brief[] }[];
}
type CanonicalDescendants = { uid: string; status: string; depth: number }[];

const num = (uid: string) => Number(uid.slice(1));
const byUid = (a: Brief, b: Brief) => num(a.uid) - num(b.uid);
const iso = (t: string) => new Date(t).toISOString();

function canonicalPage(data: unknown, shape: 'jobgraph' | 'peer'): CanonicalPage {
  type Node = Brief & { title: string; type: string; createdAt: string; parents: unknown; children: unknown };
  const list = (x: unknown): Brief[] => ((shape === 'peer' ? (x as { nodes: Brief[] }).nodes : (x as Brief[])) ?? []).map((b) => ({ uid: b.uid, status: b.status })).sort(byUid);
  type Connection = { totalCount: number; edges?: { node: Node }[]; nodes?: Node[] };
  const connection = shape === 'peer' ? (data as { projectByUid: { jobs: Connection } }).projectByUid.jobs : (data as { jobs: Connection }).jobs;
  const nodes = shape === 'peer' ? connection.nodes! : connection.edges!.map((e) => e.node);
  return {
    totalCount: connection.totalCount,
    jobs: nodes.map((n) => ({ uid: n.uid, status: n.status, title: n.title, type: n.type, createdAt: iso(n.createdAt), parents: list(n.parents), children: list(n.children) })),
  };
}

function canonicalDescendants(data: unknown, shape: 'jobgraph' | 'peer'): CanonicalDescendants {
  const out: CanonicalDescendants = [];
  if (shape === 'jobgraph') {
    for (const e of (data as { job: { descendants: { edges: { depth: number; node: Brief }[] } } }).job.descendants.edges) out.push({ uid: e.node.uid, status: e.node.status, depth: e.depth });
  } else {
    // Breadth first through the nested levels, each job at its nearest depth.
    type Level = { nodes: (Brief & { children?: Level })[] };
    const seen = new Map<string, { uid: string; status: string; depth: number }>();
    let level: (Brief & { children?: Level })[] = (data as { jobByProjectIdAndUid: { children: Level } }).jobByProjectIdAndUid.children.nodes;
    for (let depth = 1; level.length > 0; depth++) {
      const next: (Brief & { children?: Level })[] = [];
      for (const n of level) {
        if (!seen.has(n.uid)) seen.set(n.uid, { uid: n.uid, status: n.status, depth });
        next.push(...(n.children?.nodes ?? []));
      }
      level = next;
    }
    out.push(...seen.values());
  }
  return out.sort((a, b) => a.depth - b.depth || num(a.uid) - num(b.uid));
}

/**
 * The job of P1 whose descendants within DEPTH steps number closest to
 * WANTED_DESCENDANTS, none of them deleted (jobgraph's walk passes through a
 * deleted job and leaves it out; nested `children` would stop there).
 */
async function pickDescendantsRoot(peer: PeerData): Promise<{ projectUid: string; projectId: number; uid: string; count: number }> {
  const client = new pg.Client({ connectionString: peer.url });
  await client.connect();
  try {
    const s = `"${peer.schema}"`;
    const { rows } = await client.query<{ project_id: number; root: string; n: string }>(
      `with recursive walk(root, id, depth) as (
         select e.parent_id, e.child_id, 1 from ${s}.job_edge e join ${s}.job p on p.id = e.parent_id
         where p.project_id = (select id from ${s}.project where uid = $1)
         union
         select w.root, e.child_id, w.depth + 1 from walk w join ${s}.job_edge e on e.parent_id = w.id where w.depth < $2
       )
       select r.project_id, r.uid as root, count(distinct w.id) as n
       from walk w join ${s}.job j on j.id = w.id join ${s}.job r on r.id = w.root
       group by r.project_id, r.uid, r.deleted
       having bool_and(not j.deleted) and not r.deleted
       order by abs(count(distinct w.id) - $3), length(r.uid), r.uid limit 1`,
      ['P1', DEPTH, WANTED_DESCENDANTS],
    );
    if (!rows[0]) throw new Error('P1 has no edges: no job to walk descendants from');
    return { projectUid: 'P1', projectId: rows[0].project_id, uid: rows[0].root, count: Number(rows[0].n) };
  } finally {
    await client.end();
  }
}

interface Target {
  name: 'jobgraph' | 'PostGraphile' | 'floor';
  process: ServerProcess;
  /** autocannon request for the query, rotating projects where it has any. */
  request(query: 'page' | 'descendants', connections: number, duration: number): autocannon.Options;
  /** One request's JSON body (text). */
  fetch(query: 'page' | 'descendants', projectUid?: string): Promise<string>;
}

async function postJson(url: string, query: string, variables: Record<string, unknown>): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  if (!response.ok || (JSON.parse(text) as { errors?: unknown }).errors) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

async function getJson(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

export async function runPeer(ctx: BenchContext, dataset: Dataset): Promise<ScenarioResult> {
  const started = performance.now();
  const { projects, loadSeconds, loadConnections } = ctx.sizes;
  const caveats: string[] = [];
  ensurePeerInstalled();
  const peer = await preparePeerData(ctx, dataset);
  await settleTables(ctx.options.pgUrl, ctx.options.dialect === 'postgres' ? [peer.schema, ctx.pgSchema] : [peer.schema]);
  const root = await pickDescendantsRoot(peer);
  say(`peer: descendants root ${root.projectUid}/${root.uid} (${root.count} jobs within ${DEPTH} steps)`);
  const db = ctx.options.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite';

  /** Starts the three servers; `urls` replace their PostgreSQL URL (the counting proxies). */
  const startAll = async (suffix: string, urls: { gateway?: string; peer?: string; floor?: string } = {}): Promise<Target[]> => {
    const gatewayCtx = urls.gateway ? { ...ctx, db: urls.gateway } : ctx;
    const floorDb = urls.floor ?? ctx.db;
    const [gateway, postgraphile, floor] = await Promise.all([
      startGateway(gatewayCtx, `peer-jobgraph${suffix}`),
      (async () => {
        const port = await freePort();
        const args = [join(PEER_DIR, 'server.js'), '--db', urls.peer ?? peer.url, '--schema', peer.schema, '--port', String(port)];
        return startProcess(ctx, `peer-postgraphile${suffix}`, { args, healthPath: '/health', port });
      })(),
      (async () => {
        const port = await freePort();
        const args = [...FLOOR_SERVER, '--db', floorDb, '--pg-schema', ctx.pgSchema, '--port', String(port)];
        return startProcess(ctx, `peer-floor${suffix}`, { args, healthPath: '/health', port });
      })(),
    ]);
    const turn = { jobgraph: 0, PostGraphile: 0, floor: 0 };
    const project = (name: keyof typeof turn) => `P${1 + (turn[name]++ % projects)}`;
    const post = (url: string, connections: number, duration: number, body: () => string): autocannon.Options => ({
      url,
      connections,
      duration,
      requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, body: body() }) }],
    });
    const rootVars = { projectUid: root.projectUid, uid: root.uid };
    const peerRootVars = { projectId: root.projectId, uid: root.uid };
    return [
      {
        name: 'jobgraph',
        process: gateway,
        request: (query, connections, duration) =>
          post(gateway.url, connections, duration, () =>
            JSON.stringify(
              query === 'page'
                ? { query: PAGE_QUERY, variables: { projectUid: project('jobgraph'), first: PAGE_SIZE } }
                : { query: DESCENDANTS_QUERY, variables: { ...rootVars, maxDepth: DEPTH, first: PAGE_SIZE } },
            ),
          ),
        fetch: (query, projectUid = 'P1') =>
          query === 'page'
            ? postJson(gateway.url, PAGE_QUERY, { projectUid, first: PAGE_SIZE })
            : postJson(gateway.url, DESCENDANTS_QUERY, { ...rootVars, maxDepth: DEPTH, first: PAGE_SIZE }),
      },
      {
        name: 'PostGraphile',
        process: postgraphile,
        request: (query, connections, duration) =>
          post(`${postgraphile.origin}/graphql`, connections, duration, () =>
            JSON.stringify(
              query === 'page'
                ? { query: PEER_PAGE_QUERY, variables: { projectUid: project('PostGraphile'), first: PAGE_SIZE } }
                : { query: PEER_DESCENDANTS_QUERY, variables: peerRootVars },
            ),
          ),
        fetch: (query, projectUid = 'P1') =>
          query === 'page'
            ? postJson(`${postgraphile.origin}/graphql`, PEER_PAGE_QUERY, { projectUid, first: PAGE_SIZE })
            : postJson(`${postgraphile.origin}/graphql`, PEER_DESCENDANTS_QUERY, peerRootVars),
      },
      {
        name: 'floor',
        process: floor,
        request: (query, connections, duration) => ({
          url: floor.origin,
          connections,
          duration,
          requests: [
            {
              method: 'GET',
              setupRequest: (request) => ({
                ...request,
                path:
                  query === 'page'
                    ? `/sql/page?projectUid=${project('floor')}&first=${PAGE_SIZE}`
                    : `/sql/descendants?projectUid=${root.projectUid}&uid=${root.uid}&maxDepth=${DEPTH}&first=${PAGE_SIZE}`,
              }),
            },
          ],
        }),
        fetch: (query, projectUid = 'P1') =>
          getJson(
            query === 'page'
              ? `${floor.origin}/sql/page?projectUid=${projectUid}&first=${PAGE_SIZE}`
              : `${floor.origin}/sql/descendants?projectUid=${root.projectUid}&uid=${root.uid}&maxDepth=${DEPTH}&first=${PAGE_SIZE}`,
          ),
      },
    ];
  };
  const stopAll = (targets: Target[]) => Promise.all(targets.map((t) => t.process.stop()));

  // ── Answers checked equal, answer sizes ──
  const answerBytes = { page: new Map<string, number>(), descendants: new Map<string, number>() };
  let pageShape = '';
  let descendantsShape = '';
  const timing = { page: new Map<string, Load>(), descendants: new Map<string, Load>() };
  const runSeconds = Math.max(2, Math.round(loadSeconds / 3));
  const rounds = ctx.options.quick ? 2 : 4;
  let targets = await startAll('');
  try {
    for (const projectUid of ['P1', `P${projects}`]) {
      const [viaJobgraph, viaPeer, viaFloor] = await Promise.all(targets.map((t) => t.fetch('page', projectUid)));
      const shapes = (['jobgraph', 'peer', 'jobgraph'] as const).map((shape, i) => canonicalPage((JSON.parse([viaJobgraph, viaPeer, viaFloor][i]!) as { data: unknown }).data, shape));
      assertEqual(`page of ${projectUid}`, shapes);
      if (projectUid === 'P1') {
        targets.forEach((t, i) => answerBytes.page.set(t.name, Buffer.byteLength([viaJobgraph, viaPeer, viaFloor][i]!)));
        const neighbours = shapes[0]!.jobs.reduce((n, j) => n + j.parents.length + j.children.length, 0);
        pageShape = `P1: totalCount ${shapes[0]!.totalCount.toLocaleString('en-US')}, ${shapes[0]!.jobs.length} jobs, ${neighbours} parents and children`;
      }
    }
    const bodies = await Promise.all(targets.map((t) => t.fetch('descendants')));
    const walks = (['jobgraph', 'peer', 'jobgraph'] as const).map((shape, i) => canonicalDescendants((JSON.parse(bodies[i]!) as { data: unknown }).data, shape));
    assertEqual(`descendants of ${root.projectUid}/${root.uid}`, walks);
    targets.forEach((t, i) => answerBytes.descendants.set(t.name, Buffer.byteLength(bodies[i]!)));
    const nested = countNested((JSON.parse(bodies[1]!) as { data: unknown }).data);
    descendantsShape = `${root.projectUid}/${root.uid}: ${walks[0]!.length} jobs within ${DEPTH} steps; PostGraphile's nested answer holds ${nested} nodes`;
    say(`peer: answers equal — page (${pageShape}); descendants (${descendantsShape})`);

    // ── Load: warm-up, then alternating rounds ──
    for (const query of ['page', 'descendants'] as const) {
      for (const t of targets) await load('peer', `${query} warm-up (${t.name})`, t.request(query, loadConnections, 2));
      const runs = new Map<string, Load[]>(targets.map((t) => [t.name, []]));
      for (let r = 1; r <= rounds; r++) {
        for (const t of targets) runs.get(t.name)!.push(await load('peer', `${query} (${t.name}) ${r}/${rounds}`, t.request(query, loadConnections, runSeconds)));
      }
      for (const t of targets) {
        const combined = combine(runs.get(t.name)!);
        if (combined.failures > 0) caveats.push(`${query}, ${t.name}: ${combined.failures} failed requests`);
        timing[query].set(t.name, combined);
      }
    }
  } finally {
    await stopAll(targets);
  }

  // ── Bytes PostgreSQL sends per request, through counting proxies ──
  const pgBytes = { page: new Map<string, number>(), descendants: new Map<string, number>() };
  /** Mean JSON answer over the same requests, for the bytes target. */
  const meanAnswer = { page: new Map<string, number>(), descendants: new Map<string, number>() };
  const proxies = {
    peer: await startCountingProxy(peer.url),
    gateway: ctx.options.dialect === 'postgres' ? await startCountingProxy(ctx.db) : undefined,
    floor: ctx.options.dialect === 'postgres' ? await startCountingProxy(ctx.db) : undefined,
  };
  const proxyOf = (name: Target['name']) => (name === 'jobgraph' ? proxies.gateway : name === 'PostGraphile' ? proxies.peer : proxies.floor);
  targets = await startAll('-bytes', { gateway: proxies.gateway?.url, peer: proxies.peer.url, floor: proxies.floor?.url });
  try {
    for (const query of ['page', 'descendants'] as const) {
      for (const t of targets) {
        const proxy = proxyOf(t.name);
        if (!proxy) continue;
        await t.fetch(query); // warm: prepared statements, introspection, caches
        proxy.reset();
        let answered = 0;
        for (let i = 0; i < BYTES_REQUESTS; i++) answered += Buffer.byteLength(await t.fetch(query, `P${1 + (i % projects)}`));
        pgBytes[query].set(t.name, proxy.bytes() / BYTES_REQUESTS);
        meanAnswer[query].set(t.name, answered / BYTES_REQUESTS);
      }
    }
  } finally {
    await stopAll(targets);
    await Promise.all([proxies.peer.close(), proxies.gateway?.close(), proxies.floor?.close()]);
  }

  // ── Figures and the side-by-side tables ──
  const figures: Figure[] = [];
  const sections: string[] = [];
  const kb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024);
  for (const query of ['page', 'descendants'] as const) {
    const j = timing[query].get('jobgraph')!;
    const p = timing[query].get('PostGraphile')!;
    const f = timing[query].get('floor')!;
    const wanted = query === 'page' ? 1.5 : 1.0;
    const fig = (measure: string, value: number, unit: Figure['unit'], extra: Partial<Figure> = {}): Figure => ({ scenario: 'peer', measure: `${query}: ${measure}`, value, unit, ...extra });
    figures.push(
      fig(`throughput, ${loadConnections} connections`, j.requestsPerSecond, 'req/s', { floor: f.requestsPerSecond, peer: p.requestsPerSecond, target: { op: '>=', bound: wanted, relative: 'peer' } }),
      fig(`p50 latency, ${loadConnections} connections`, j.p50, 'ms', { floor: f.p50, peer: p.p50 }),
      fig(`p99 latency, ${loadConnections} connections`, j.p99, 'ms', { floor: f.p99, peer: p.p99 }),
    );
    const json = answerBytes[query].get('jobgraph')!;
    if (ctx.options.dialect === 'postgres') {
      const mean = meanAnswer[query].get('jobgraph')!;
      figures.push(
        fig('bytes from PostgreSQL per request', kb(pgBytes[query].get('jobgraph'))!, 'KB', {
          floor: kb(pgBytes[query].get('floor')),
          peer: kb(pgBytes[query].get('PostGraphile')),
          ...(query === 'page' ? { target: { op: '<=', bound: (2 * mean) / 1024 } } : {}),
          note: `jobgraph's JSON answer to the same requests is ${(mean / 1024).toFixed(1)} KB on average${query === 'page' ? '; the target is 2× that' : ''}; counted by a TCP proxy (PostgreSQL → server bytes) over ${BYTES_REQUESTS} sequential requests (jobgraph's include its once-a-second read of the log head)`,
        }),
      );
    } else {
      figures.push(
        fig('bytes from PostgreSQL per request (PostGraphile; jobgraph reads SQLite)', kb(pgBytes[query].get('PostGraphile'))!, 'KB', {
          note: `the JSON answer is ${(json / 1024).toFixed(1)} KB; counted by a TCP proxy over ${BYTES_REQUESTS} sequential requests`,
        }),
      );
    }
    figures.push(fig('JSON answer', json / 1024, 'KB', { floor: kb(answerBytes[query].get('floor')), peer: kb(answerBytes[query].get('PostGraphile')) }));
    sections.push(sideBySide(query, db, timing[query], pgBytes[query], answerBytes[query], wanted, loadConnections));
  }

  return {
    scenario: 'peer',
    method:
      `the same two questions to jobgraph on ${db}, PostGraphile v4 (4.14.1, simplify-inflector, many-to-many; bench/peer/) on PostgreSQL over an idiomatic copy of the dataset ` +
      `(schema ${peer.schema}: project, job with scalar columns and the document as jsonb, job_edge; ${peer.jobs.toLocaleString('en-US')} jobs, ${peer.edges.toLocaleString('en-US')} edges${peer.cached ? ', reused' : `, built in ${peer.seconds.toFixed(0)} s`}), ` +
      `and the floor (hand-written SQL reading only the answer's columns + JSON.stringify over node:http, bench/sql-floor.ts, on ${db}); each in its own process, answers normalised and checked equal. Every PostgreSQL table measured is vacuumed and analysed first (VACUUM (ANALYZE)), as autovacuum leaves a database in its steady state. ` +
      `Page: \`jobs(first: ${PAGE_SIZE})\` of one project by uid (rotating over ${projects}) with totalCount, uid status title type createdAt, parents and children (${pageShape}). ` +
      `Descendants: \`descendants(maxDepth: ${DEPTH}, first: ${PAGE_SIZE})\` against PostGraphile's \`children\` nested ${DEPTH} deep (${descendantsShape}). ` +
      `autocannon, ${loadConnections} connections, ${rounds} rounds of ${runSeconds} s per server alternating after a 2 s warm-up (mean req/s, median of the runs' percentiles). ` +
      `Bytes: fresh instances connected through a counting TCP proxy, ${BYTES_REQUESTS} sequential requests each.`,
    figures,
    caveats,
    sections,
    seconds: (performance.now() - started) / 1000,
  };
}

function countNested(data: unknown): number {
  type Level = { nodes: { children?: Level }[] };
  const walk = (level: Level | undefined): number => (level ? level.nodes.reduce((n, node) => n + 1 + walk(node.children), 0) : 0);
  return walk((data as { jobByProjectIdAndUid: { children: Level } }).jobByProjectIdAndUid.children);
}

function assertEqual(what: string, answers: unknown[]) {
  const names = ['jobgraph', 'PostGraphile', 'floor'];
  const [first, ...rest] = answers.map((a) => JSON.stringify(a));
  rest.forEach((text, i) => {
    if (text !== first) {
      const at = [...text].findIndex((c, k) => c !== first![k]);
      throw new Error(
        `peer: ${names[i + 1]} and jobgraph disagree on the ${what}; first difference at character ${at}: ` +
          `jobgraph …${first!.slice(Math.max(0, at - 80), at + 80)}… ${names[i + 1]} …${text.slice(Math.max(0, at - 80), at + 80)}…`,
      );
    }
  });
}

function sideBySide(
  query: 'page' | 'descendants',
  db: string,
  timing: Map<string, Load>,
  pgBytes: Map<string, number>,
  answerBytes: Map<string, number>,
  wanted: number,
  connections: number,
): string {
  const peer = timing.get('PostGraphile')!;
  const floor = timing.get('floor')!;
  const kb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${(bytes / 1024).toFixed(1)} KB`);
  const row = (label: string, name: string) => {
    const t = timing.get(name)!;
    return `| ${label} | ${t.requestsPerSecond.toFixed(0)} | ${t.p50.toFixed(0)} ms | ${t.p99.toFixed(0)} ms | ${(t.requestsPerSecond / peer.requestsPerSecond).toFixed(2)} | ${(t.requestsPerSecond / floor.requestsPerSecond).toFixed(2)} | ${kb(pgBytes.get(name))} | ${kb(answerBytes.get(name))} |`;
  };
  return [
    `### ${query === 'page' ? `Page of ${PAGE_SIZE} jobs with parents and children` : `Descendants to depth ${DEPTH}`} on ${db} (${connections} connections; target: jobgraph ≥ ${wanted.toFixed(1)}× PostGraphile's req/s${query === 'page' ? ', bytes from PostgreSQL ≤ 2× the JSON answer' : ''})`,
    '',
    '| system | req/s | p50 | p99 | req/s × PostGraphile | req/s × floor | bytes from PostgreSQL / request | JSON answer |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
    row(`jobgraph on ${db}`, 'jobgraph'),
    row('PostGraphile v4 on PostgreSQL', 'PostGraphile'),
    row(`floor (hand-written SQL) on ${db}`, 'floor'),
  ].join('\n');
}
