/**
 * The Kysely store's reads along edges: a page of jobs' parents and children
 * in one statement, and lineages (ancestors, descendants, the sub-graph
 * around a job) through the recursive walks of `lineage.ts`.
 */
import { type Kysely, expressionBuilder, sql } from 'kysely';
import type { Job } from '../model/job.js';
import { LineageEdge, decodeCursor } from './cursor.js';
import { type Database, rowToJob } from './database.js';
import { jobFilterExpression } from './job-filter.js';
import { chunk, groupByProject, keyOf } from './job-rows.js';
import type { JobKey, JobReadOptions, JobStore, LineagePage, LineageWalk, NeighbourKey, Subgraph } from './job-store.js';
import { findJobs } from './kysely-jobs.js';
import { type Dialect, SET_CHUNK, columnsToRead, named, resolvePage } from './kysely-shared.js';
import {
  DEPTH_CARRYING_WALK_MAX,
  boundedDepth,
  lineageDepthsQuery,
  lineageEdgesQuery,
  lineageUidsQuery,
  nearestFirst,
  uidNumber,
} from './lineage.js';

export function findParents(db: Kysely<Database>, keys: readonly JobKey[], options: JobReadOptions = {}): Promise<Job[][]> {
  return findNeighbours(db, keys.map((k) => ({ ...k, side: 'parents' as const })), options);
}

export function findChildren(db: Kysely<Database>, keys: readonly JobKey[], options: JobReadOptions = {}): Promise<Job[][]> {
  return findNeighbours(db, keys.map((k) => ({ ...k, side: 'children' as const })), options);
}

/**
 * One statement per batch: edges joined to the neighbour rows, for every key
 * at once, parents and children together (`union all` of one arm per side
 * asked for).
 */
export async function findNeighbours(db: Kysely<Database>, keys: readonly NeighbourKey[], options: JobReadOptions = {}): Promise<Job[][]> {
  const columns = columnsToRead(options);
  const read = columns
    ? sql.join(columns.filter((c) => c !== 'project_uid').map((c) => sql`${sql.ref(`j.${c}`)} as ${sql.ref(c)}`))
    : sql`j.uid as uid, j.status as status, j.doc as doc`;
  const bySide = { parents: [] as JobKey[], children: [] as JobKey[] };
  for (const key of keys) bySide[key.side].push(key);
  const arms = (['parents', 'children'] as const).flatMap((side) => {
    const groups = [...groupByProject(bySide[side])];
    if (groups.length === 0) return [];
    const [self, other] = side === 'parents' ? [sql.raw('child_uid'), sql.raw('parent_uid')] : [sql.raw('parent_uid'), sql.raw('child_uid')];
    const which = groups.map(([projectUid, uids]) => sql`(e.project_uid = ${projectUid} and e.${self} in (${sql.join(uids)}))`);
    return [
      sql`select ${side === 'parents' ? sql.lit('p') : sql.lit('c')} as side, e.project_uid as project_uid, e.${self} as self_uid, j.uid_num as neighbour_num, ${read}
    from job_edges e inner join jobs j on j.project_uid = e.project_uid and j.uid = e.${other}
    where j.deleted = 0 and (${sql.join(which, sql` or `)})`,
    ];
  });
  const byKey = new Map<string, Job[]>();
  if (arms.length > 0) {
    const name = `${arms.length === 2 ? 'findNeighbours' : bySide.parents.length > 0 ? 'findParents' : 'findChildren'}${columns ? 'Columns' : ''}`;
    const { rows } = await sql<{ side: string; project_uid: string; self_uid: string; doc?: unknown }>`${sql.join(arms, sql` union all `)} order by neighbour_num ${named(name)}`.execute(db);
    for (const row of rows) {
      if (columns) row.doc = null;
      const key = `${row.side}${keyOf(row.project_uid, row.self_uid)}`;
      const list = byKey.get(key);
      const job = rowToJob(row as { doc: unknown });
      if (list) list.push(job);
      else byKey.set(key, [job]);
    }
  }
  return keys.map((k) => byKey.get(`${k.side === 'parents' ? 'p' : 'c'}${keyOf(k.projectUid, k.uid)}`) ?? []);
}

export async function listLineage(db: Kysely<Database>, dialect: Dialect, args: Parameters<JobStore['listLineage']>[0]): Promise<LineagePage> {
  const { size, cursor } = resolvePage({ first: args.page.first, after: args.page.after });
  const sortId = `lineage:${args.walk}`;
  const after = cursor == null ? null : (decodeCursor(cursor, sortId, 2).map(Number) as [number, number]);
  const { root, walk } = args;
  // On PostgreSQL this needs the tables' statistics (pg-statistics.ts): without them the planner hashed the
  // project's jobs to join the walked ones (5.8 ms instead of 0.4 ms).
  let rootJob: Job | null | undefined;
  if (args.maxDepth != null && args.maxDepth <= DEPTH_CARRYING_WALK_MAX) {
    const bounded = await boundedLineagePage(db, dialect, args, sortId, size, after);
    if (bounded.page) return args.withRoot ? { ...bounded.page, root: bounded.root ?? null } : bounded.page;
    rootJob = bounded.root;
  }
  if (args.withRoot && rootJob === undefined) rootJob = (await findJobs(db, [root], { columnsOnly: args.columnsOnly }))[0] ?? null;
  const depths = await lineageDepths(db, dialect, root, walk, args.maxDepth);
  // The filter runs in SQL over the walked set; ordering by (depth, uid number) and paging happen here.
  const matched: { uid: string; depth: number; num: number }[] = [];
  for (const part of chunk([...depths.keys()], SET_CHUNK)) {
    const rows = await db
      .selectFrom('jobs')
      .select('uid')
      .where('project_uid', '=', root.projectUid)
      .where('uid', 'in', part)
      .where((w) => jobFilterExpression(w, args.filter))
      .modifyEnd(named('filterLineage'))
      .execute();
    for (const row of rows) matched.push({ uid: row.uid, depth: depths.get(row.uid)!, num: uidNumber(row.uid) });
  }
  matched.sort((a, b) => a.depth - b.depth || a.num - b.num);
  const start = after ? matched.findIndex((m) => m.depth > after[0] || (m.depth === after[0] && m.num > after[1])) : 0;
  const slice = start === -1 ? [] : matched.slice(start, start + size);
  const jobs = await findJobs(
    db,
    slice.map((m) => ({ projectUid: root.projectUid, uid: m.uid })),
    { columnsOnly: args.columnsOnly },
  );
  const page: LineagePage = {
    edges: slice.flatMap((m, i) => (jobs[i] ? [new LineageEdge(jobs[i], m.depth, sortId, m.num)] : [])),
    hasNextPage: start !== -1 && start + size < matched.length,
    hasPreviousPage: after != null,
    totalCount: matched.length,
  };
  return args.withRoot ? { ...page, root: rootJob ?? null } : page;
}

/**
 * A bounded walk, its filter, its count and its page in one statement: the
 * depth-carrying walk, the walked jobs that match the filter with their count,
 * and the columns (or documents) of just the page's rows. With `withRoot`, the
 * root's own row comes in the same statement (depth 0, which no walked job
 * has) with its key columns: `job(…) { descendants }` is then one round trip.
 * No page when the page past `after` is empty, which leaves the count
 * unknown. The walk carries its project from the seed instead of comparing
 * each step with a parameter: PostgreSQL then estimates the prepared
 * statement's generic plan as it does a custom one, keeps it, and stops
 * planning the walk on every run (0.3 ms of its 1.0 ms round trip).
 * `cross join` keeps SQLite's join order (walked jobs first, then each job by
 * key): left to itself it scanned the project's jobs and probed the walk
 * (0.77 ms instead of 0.32 ms for 63 descendants).
 */
async function boundedLineagePage(
  db: Kysely<Database>,
  dialect: Dialect,
  args: Parameters<JobStore['listLineage']>[0],
  sortId: string,
  size: number,
  after: readonly [number, number] | null,
): Promise<{ page?: LineagePage; root?: Job | null }> {
  const { root, walk } = args;
  const columns = columnsToRead(args);
  const [from, to] = walk === 'descendants' ? [sql.raw('parent_uid'), sql.raw('child_uid')] : [sql.raw('child_uid'), sql.raw('parent_uid')];
  // PostgreSQL types a bare parameter in the recursive statement's seed only from a cast, and the uid columns are `collate "C"`.
  const param = (value: string) => (dialect === 'postgres' ? sql`cast(${value} as text) collate "C"` : sql`${value}`);
  const filter = jobFilterExpression(expressionBuilder<Database, 'jobs'>(), args.filter);
  const read = (alias: string) =>
    columns ? sql.join(columns.map((c) => sql.ref(`${alias}.${c}`))) : sql`${sql.ref(`${alias}.uid`)}, ${sql.ref(`${alias}.status`)}, ${sql.ref(`${alias}.doc`)}`;
  const cut = after ? sql`and (m.m_depth > ${after[0]} or (m.m_depth = ${after[0]} and m.m_num > ${after[1]}))` : sql``;
  const cutUncounted = after ? sql`and (found.found_depth > ${after[0]} or (found.found_depth = ${after[0]} and jobs.uid_num > ${after[1]}))` : sql``;
  // Columns without a count: the walked jobs are read once, and their page cut at once. Otherwise the matching jobs
  // are counted first (a window over all of them) and only the page's rows are joined again for their columns (or
  // documents, which SQLite would otherwise read for every walked job).
  const counted = !(columns && args.countTotal === false);
  const page = counted
    ? sql`select m.m_depth, m.m_num, m.m_total, ${read('j')} from matched m cross join jobs j where j.project_uid = m.m_project and j.uid = m.m_uid ${cut}
  order by m.m_depth, m.m_num
  limit ${sql.lit(size + 1)}`
    : sql`select found.found_depth as m_depth, jobs.uid_num as m_num, null as m_total, ${read('jobs')}
    from found cross join jobs where jobs.project_uid = found.walk_project and jobs.uid = found.walk_uid and ${filter} ${cutUncounted}
  order by 1, 2
  limit ${sql.lit(size + 1)}`;
  // The root's row: the page's columns, but never its document (`withRoot` is asked when nothing else of the root is).
  const withRoot = sql`select 0 as m_depth, r.uid_num as m_num, null as m_total, ${columns ? read('r') : sql`r.uid, r.status, null`} from jobs r where r.project_uid = ${root.projectUid} and r.uid = ${root.uid}
  union all
  select * from (${page}) page
  order by 1, 2`;
  const { rows } = await sql<{ m_depth: number | string; m_num: number | string; m_total: number | string; doc: string | null }>`/* ${sql.raw(args.withRoot ? 'listLineagePageWithRoot' : 'listLineagePage')} */ with recursive walk(walk_project, walk_uid, walk_depth) as (
    select ${param(root.projectUid)}, ${param(root.uid)}, 0
    union
    select e.project_uid, e.${to}, w.walk_depth + 1 from walk w cross join job_edges e where w.walk_depth < ${args.maxDepth} and e.project_uid = w.walk_project and e.${from} = w.walk_uid
  ), found as (
    select walk_project, walk_uid, min(walk_depth) as found_depth from walk where walk_uid <> ${root.uid} group by walk_project, walk_uid
  )${
    counted
      ? sql`, matched as (
    select found.walk_project as m_project, found.walk_uid as m_uid, found.found_depth as m_depth, jobs.uid_num as m_num, count(*) over () as m_total
    from found cross join jobs where jobs.project_uid = found.walk_project and jobs.uid = found.walk_uid and ${filter}
  )`
      : sql``
  }
  ${args.withRoot ? withRoot : page}`.execute(db);
  let rootJob: Job | null | undefined;
  if (args.withRoot) {
    const first = rows[0];
    rootJob = first && Number(first.m_depth) === 0 ? rowToJob({ ...first, project_uid: root.projectUid, doc: null }) : null;
    if (rootJob) rows.shift();
  }
  // An empty page past `after` carries no count: the caller counts another way (only when a count is wanted).
  if (rows.length === 0 && after && counted) return { root: rootJob };
  const more = rows.length > size;
  return {
    page: {
      edges: rows.slice(0, size).map((row) => {
        const depth = Number(row.m_depth);
        const num = Number(row.m_num);
        if (columns) row.doc = null;
        return new LineageEdge(rowToJob(row), depth, sortId, num);
      }),
      hasNextPage: more,
      hasPreviousPage: after != null,
      totalCount: !counted ? undefined : rows.length === 0 ? 0 : Number(rows[0]!.m_total),
    },
    root: rootJob,
  };
}

/** Shortest distance of each job of `root`'s lineage within `maxDepth`. */
async function lineageDepths(db: Kysely<Database>, dialect: Dialect, root: JobKey, walk: LineageWalk, maxDepth: number | null | undefined): Promise<Map<string, number>> {
  if (maxDepth != null && maxDepth <= DEPTH_CARRYING_WALK_MAX) {
    const { rows } = await lineageDepthsQuery(root, walk, maxDepth, dialect).execute(db);
    return new Map(rows.map((row) => [row.uid, Number(row.depth)]));
  }
  const { rows: edges } = await lineageEdgesQuery(root, walk === 'descendants' ? 'DESCENDANTS' : 'ANCESTORS').execute(db);
  return nearestFirst(edges, root.uid, walk, boundedDepth(maxDepth));
}

export async function findSubgraph(db: Kysely<Database>, args: Parameters<JobStore['findSubgraph']>[0]): Promise<Subgraph | undefined> {
  const { root, direction } = args;
  const maxDepth = boundedDepth(args.maxDepth);
  const { rows: edges } = await lineageEdgesQuery(root, direction).execute(db);
  const order = (map: Map<string, number>, relation: 'ANCESTOR' | 'DESCENDANT') => [...map].map(([uid, depth]) => ({ uid, depth, relation }));
  const around = [
    ...(direction === 'ANCESTORS' ? [] : order(nearestFirst(edges, root.uid, 'descendants', maxDepth), 'DESCENDANT')),
    ...(direction === 'DESCENDANTS' ? [] : order(nearestFirst(edges, root.uid, 'ancestors', maxDepth), 'ANCESTOR')),
  ].sort((a, b) => a.depth - b.depth || uidNumber(a.uid) - uidNumber(b.uid));
  const kept = [{ uid: root.uid, depth: 0, relation: 'ROOT' as const }, ...around].slice(0, args.limit);
  const truncated = around.length + 1 > args.limit;
  const docs = new Map<string, Job>();
  for (const part of chunk(kept.map((n) => n.uid), SET_CHUNK)) {
    // Deleted jobs other than the root are left out below: `deleted` is read whatever was asked.
    const columnsOnly = Array.isArray(args.columnsOnly) ? [...args.columnsOnly, 'deleted' as const] : args.columnsOnly;
    const found = await findJobs(
      db,
      part.map((uid) => ({ projectUid: root.projectUid, uid })),
      { columnsOnly },
    );
    for (const job of found) if (job) docs.set(job.uid, job);
  }
  const rootJob = docs.get(root.uid);
  if (!rootJob) return undefined;
  const nodes = kept.flatMap((n) => {
    const job = docs.get(n.uid);
    return job && (n.relation === 'ROOT' || !job.deleted) ? [{ job, depth: n.depth, relation: n.relation }] : [];
  });
  const inGraph = new Set(nodes.map((n) => n.job.uid));
  const seen = new Set<string>();
  return {
    root: rootJob,
    nodes,
    // Ordered by (parent, child) number: the walk returns edges in whatever order its plan produces.
    edges: edges
      .flatMap((e) => {
        const key = `${e.parent_uid}>${e.child_uid}`;
        if (!inGraph.has(e.parent_uid) || !inGraph.has(e.child_uid) || seen.has(key)) return [];
        seen.add(key);
        return [{ parentUid: e.parent_uid, childUid: e.child_uid, order: [uidNumber(e.parent_uid), uidNumber(e.child_uid)] as const }];
      })
      .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1])
      .map(({ parentUid, childUid }) => ({ parentUid, childUid })),
    truncated,
  };
}

export async function findLineageUids(db: Kysely<Database>, root: JobKey, walk: LineageWalk): Promise<Set<string>> {
  const { rows } = await lineageUidsQuery(root, walk).execute(db);
  return new Set(rows.map((r) => r.uid));
}
