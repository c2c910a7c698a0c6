import { type Expression, type RawBuilder, type SqlBool, expressionBuilder, sql } from 'kysely';
import type { Database } from './database.js';
import { jobFilterExpression } from './job-filter.js';
import type { JobFilter, JobKey, LineageWalk, SubgraphDirection } from './job-store.js';

/** Walks deeper than this are cut: it bounds the work even on corrupt, cyclic data. */
export const MAX_LINEAGE_DEPTH = 1000;

const jobsEb = expressionBuilder<Database, 'jobs'>();

/**
 * A recursive CTE `name(uid, depth)` over the edge table. The walk is written
 * `walk CROSS JOIN edges` because SQLite keeps that join order: the frontier
 * drives index lookups into the edges. Left to itself it scanned all of a
 * project's edges for every frontier row (200× slower on a 3,000-job project);
 * PostgreSQL plans CROSS JOIN + WHERE like an inner join either way. UNION (not UNION ALL)
 * drops repeated (uid, depth) pairs, so a diamond costs one row per distinct
 * depth rather than one per path; callers take the minimum depth per uid.
 */
function walkCte(name: string, root: JobKey, walk: LineageWalk, maxDepth: number): RawBuilder<unknown> {
  const from = sql.raw(walk === 'descendants' ? 'parent_uid' : 'child_uid');
  const to = sql.raw(walk === 'descendants' ? 'child_uid' : 'parent_uid');
  const cte = sql.raw(name);
  return sql`${cte}(uid, depth) as (
    select e.${to}, 1 from job_edges e where e.project_uid = ${root.projectUid} and e.${from} = ${root.uid}
    union
    select e.${to}, w.depth + 1 from ${cte} w cross join job_edges e
    where e.project_uid = ${root.projectUid} and e.${from} = w.uid and w.depth < ${maxDepth}
  )`;
}

export function boundedDepth(maxDepth: number | null | undefined): number {
  return maxDepth == null ? MAX_LINEAGE_DEPTH : Math.min(maxDepth, MAX_LINEAGE_DEPTH);
}

export interface LineageRow {
  lineage_depth: number;
  uid_num: number;
  doc: unknown;
  total_count: number | string;
}

/**
 * One statement: the walk, the filter, the total before paging (a window count
 * taken before the keyset condition), and one page ordered by (depth, uid number).
 */
export function lineagePageQuery(args: {
  root: JobKey;
  walk: LineageWalk;
  maxDepth: number;
  filter: JobFilter | null | undefined;
  after: [number, number] | null;
  limit: number;
}): RawBuilder<LineageRow> {
  const { root, walk, maxDepth, filter, after, limit } = args;
  const keyset: Expression<SqlBool> | RawBuilder<SqlBool> = after
    ? sql<SqlBool>`(lineage_depth > ${after[0]} or (lineage_depth = ${after[0]} and uid_num > ${after[1]}))`
    : sql<SqlBool>`1 = 1`;
  return sql<LineageRow>`/* listLineage */ with recursive ${walkCte('walk', root, walk, maxDepth)},
  nearest as (select uid, min(depth) as depth from walk group by uid),
  matched as (
    select nearest.depth as lineage_depth, jobs.uid_num as uid_num, jobs.doc as doc, count(*) over () as total_count
    from nearest inner join jobs on jobs.project_uid = ${root.projectUid} and jobs.uid = nearest.uid
    where ${jobFilterExpression(jobsEb, filter)}
  )
  select lineage_depth, uid_num, doc, total_count from matched where ${keyset}
  order by lineage_depth, uid_num limit ${limit}`;
}

export interface SubgraphRow {
  kind: 'node' | 'edge';
  uid: string;
  depth: number | null;
  relation: 'ROOT' | 'ANCESTOR' | 'DESCENDANT' | null;
  doc: unknown;
  parent_uid: string | null;
}

/**
 * One statement returning the nodes around `root` (root first, then by depth and
 * uid number, at most `limit` + 1 so the caller can tell truncation) and every
 * edge between two returned nodes.
 */
export function subgraphQuery(args: { root: JobKey; direction: SubgraphDirection; maxDepth: number; limit: number }): RawBuilder<SubgraphRow> {
  const { root, direction, maxDepth, limit } = args;
  const ctes: RawBuilder<unknown>[] = [];
  const parts: RawBuilder<unknown>[] = [
    sql`select uid, 0 as depth, 'ROOT' as relation from jobs where project_uid = ${root.projectUid} and uid = ${root.uid}`,
  ];
  if (direction !== 'ANCESTORS') {
    ctes.push(walkCte('down', root, 'descendants', maxDepth));
    parts.push(sql`select uid, min(depth) as depth, 'DESCENDANT' as relation from down group by uid`);
  }
  if (direction !== 'DESCENDANTS') {
    ctes.push(walkCte('up', root, 'ancestors', maxDepth));
    parts.push(sql`select uid, min(depth) as depth, 'ANCESTOR' as relation from up group by uid`);
  }
  return sql<SubgraphRow>`/* findSubgraph */ with recursive ${sql.join(ctes)},
  nearest as (${sql.join(parts, sql` union all `)}),
  nodes as (
    select nearest.uid as uid, nearest.depth as depth, nearest.relation as relation, jobs.doc as doc
    from nearest inner join jobs on jobs.project_uid = ${root.projectUid} and jobs.uid = nearest.uid
    where nearest.relation = 'ROOT' or jobs.deleted = 0
    order by nearest.depth, jobs.uid_num
    limit ${limit + 1}
  )
  select 'node' as kind, uid, depth, relation, doc, null as parent_uid from nodes
  union all
  select 'edge' as kind, e.child_uid as uid, null as depth, null as relation, null as doc, e.parent_uid as parent_uid
  from job_edges e
  where e.project_uid = ${root.projectUid}
    and e.parent_uid in (select uid from nodes) and e.child_uid in (select uid from nodes)`;
}

/**
 * Every uid reachable from `root` in one direction (used to follow a lineage
 * live). Without a depth column UNION visits each job once, cycles included.
 */
export function lineageUidsQuery(root: JobKey, walk: LineageWalk): RawBuilder<{ uid: string }> {
  const from = sql.raw(walk === 'descendants' ? 'parent_uid' : 'child_uid');
  const to = sql.raw(walk === 'descendants' ? 'child_uid' : 'parent_uid');
  return sql<{ uid: string }>`/* findLineageUids */ with recursive walk(uid) as (
    select e.${to} from job_edges e where e.project_uid = ${root.projectUid} and e.${from} = ${root.uid}
    union
    select e.${to} from walk w cross join job_edges e where e.project_uid = ${root.projectUid} and e.${from} = w.uid
  )
  select uid from walk`;
}
