/**
 * The raw floor: the same answers the gateway serves, serialised to JSON in
 * one process, no GraphQL. It answers over plain node:http so that the
 * gateway and the floor are measured through the same transport, by the same
 * load generator.
 *
 * Pages come from hand-written SQL that reads only the answer's columns
 * (sql-floor.ts): the store's own statements would make a store that reads
 * too much its own floor. Lineage still runs the store's lineage methods.
 *
 *   GET /jobs-page?projectUid=P3&first=100   a page with parents and children (uid, status), hand-written SQL
 *   GET /sql/page?projectUid=P3&first=100    the same with totalCount, title, type and createdAt
 *   GET /sql/descendants?projectUid=&uid=&maxDepth=3&first=100   descendants to a depth (uid, status, depth), one recursive statement
 *   GET /descendants?projectUid=&uid=&first=  the store's listLineage (recursive walk + filter + page), rows → JSON
 *   GET /lineage?projectUid=&uid=&limit=      the store's findSubgraph (recursive walk + documents), rows → JSON
 *   add &sqlOnly=1 to the last two to run only the recursive statement and return its row count and time
 *   POST /broadcast                           one status event to every websocket subscriber of ws://…/graphql (broadcast-floor.ts)
 *
 * Run: node --import tsx bench/floor-server.ts --db <file|url> [--pg-schema s] --port N
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import type { Job } from '../src/model/job.js';
import { KyselyJobStore } from '../src/store/kysely-job-store.js';
import { lineageEdgesQuery } from '../src/store/lineage.js';
import { attachBroadcastFloor } from './broadcast-floor.js';
import { openBenchDb } from './dataset.js';
import { type PageJob, openSqlFloor } from './sql-floor.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, 'pg-schema': { type: 'string', default: 'public' }, port: { type: 'string' } } });
const kysely = await openBenchDb(values.db!, values['pg-schema']!);
const store = new KyselyJobStore(kysely, values.db!.startsWith('postgres') ? 'postgres' : 'sqlite');
const sqlFloor = openSqlFloor(values.db!, values['pg-schema']!);

const brief = (job: Job) => ({ uid: job.uid, status: job.status.toUpperCase() });

const asEdges = (jobs: PageJob[]) => jobs.map((node) => ({ node }));

async function jobsPage(params: URLSearchParams) {
  const page = await sqlFloor.page(params.get('projectUid')!, Number(params.get('first') ?? 100), false);
  return { data: { jobs: { edges: asEdges(page.jobs) } } };
}

async function sqlPage(params: URLSearchParams) {
  const page = await sqlFloor.page(params.get('projectUid')!, Number(params.get('first') ?? 100), true);
  return { data: { jobs: { totalCount: page.totalCount, edges: asEdges(page.jobs) } } };
}

async function sqlDescendants(params: URLSearchParams) {
  const rows = await sqlFloor.descendants(params.get('projectUid')!, params.get('uid')!, Number(params.get('maxDepth') ?? 3), Number(params.get('first') ?? 100));
  return { data: { job: { descendants: { edges: rows.map((r) => ({ depth: r.depth, node: { uid: r.uid, status: r.status } })) } } } };
}

const rootOf = (params: URLSearchParams) => ({ projectUid: params.get('projectUid')!, uid: params.get('uid')! });

/** `sqlOnly`: the recursive statement alone, its row count and time. */
async function recursiveStatementAlone(root: { projectUid: string; uid: string }) {
  const started = performance.now();
  const { rows } = await lineageEdgesQuery(root, 'DESCENDANTS').execute(kysely);
  return { rows: rows.length, ms: performance.now() - started };
}

async function descendants(params: URLSearchParams) {
  const root = rootOf(params);
  if (params.has('sqlOnly')) return recursiveStatementAlone(root);
  const first = Number(params.get('first') ?? 100);
  const page = await store.listLineage({ root, walk: 'descendants', page: { first } });
  return {
    data: {
      job: {
        uid: root.uid,
        descendants: {
          totalCount: page.totalCount,
          edges: page.edges.map((e) => ({ depth: e.depth, node: brief(e.node) })),
          pageInfo: { hasNextPage: page.hasNextPage },
        },
      },
    },
  };
}

async function lineage(params: URLSearchParams) {
  const root = rootOf(params);
  if (params.has('sqlOnly')) return recursiveStatementAlone(root);
  const limit = Number(params.get('limit') ?? 1000);
  const graph = await store.findSubgraph({ root, direction: 'DESCENDANTS', limit: limit + 1 });
  return {
    data: {
      lineage: {
        root: { uid: root.uid },
        nodes: graph!.nodes.map((n) => ({ depth: n.depth, relation: n.relation, job: brief(n.job) })),
        edges: graph!.edges,
        truncated: graph!.truncated,
      },
    },
  };
}

const routes: Record<string, (params: URLSearchParams) => Promise<unknown>> = {
  '/jobs-page': jobsPage,
  '/sql/page': sqlPage,
  '/sql/descendants': sqlDescendants,
  '/descendants': descendants,
  '/lineage': lineage,
  '/broadcast': async () => broadcastFloor.broadcast(),
};

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://floor');
  if (url.pathname === '/health') {
    response.writeHead(200).end('ok');
    return;
  }
  const route = routes[url.pathname];
  if (!route) {
    response.writeHead(404).end();
    return;
  }
  // Drain any body, as the gateway must, before answering.
  request.resume();
  route(url.searchParams).then(
    (body) => {
      const text = JSON.stringify(body);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    },
    (error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    },
  );
});
const broadcastFloor = attachBroadcastFloor(server);
server.listen(Number(values.port), '127.0.0.1');

const shutdown = () => {
  broadcastFloor.close();
  server.closeAllConnections();
  server.close(() => void Promise.all([store.close(), sqlFloor.close()]).then(() => process.exit(0)));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
