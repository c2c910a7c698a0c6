import { type RawBuilder, sql } from 'kysely';
import type { JobKey, LineageWalk, SubgraphDirection } from './job-store.js';

/** Walks deeper than this are cut: it bounds the work even on corrupt, cyclic data. */
export const MAX_LINEAGE_DEPTH = 1000;

export function boundedDepth(maxDepth: number | null | undefined): number {
  return maxDepth == null ? MAX_LINEAGE_DEPTH : Math.min(maxDepth, MAX_LINEAGE_DEPTH);
}

export interface EdgeRow {
  parent_uid: string;
  child_uid: string;
}

/**
 * A recursive CTE visiting each job reachable from `root` once. It walks uids
 * only: carrying the depth in the row would make UNION keep one row per
 * (job, depth) pair, and on real pipelines (long chains with many branches)
 * that grew to N × depth rows — 12× the nodes on a 3,000-job project. Depths
 * are computed from the returned edges instead (`nearestFirst`).
 *
 * The step is written `walk CROSS JOIN edges` because SQLite keeps that join
 * order, so the frontier drives index lookups into the edge table; left to
 * itself it scanned all of a project's edges for every frontier row.
 * PostgreSQL plans CROSS JOIN + WHERE like an inner join either way.
 */
function walkCte(name: 'down' | 'up', root: JobKey): RawBuilder<unknown> {
  const [from, to] = name === 'down' ? [sql.raw('parent_uid'), sql.raw('child_uid')] : [sql.raw('child_uid'), sql.raw('parent_uid')];
  const cte = sql.raw(name);
  return sql`${cte}(uid) as (
    select uid from jobs where project_uid = ${root.projectUid} and uid = ${root.uid}
    union
    select e.${to} from ${cte} w cross join job_edges e where e.project_uid = ${root.projectUid} and e.${from} = w.uid
  )`;
}

/**
 * One recursive statement returning the edges of `root`'s lineage: for the
 * descendants, every edge leaving a reached job; for the ancestors, every edge
 * entering one; for both, also the edges entering descendants, so that an
 * ancestor → descendant shortcut is not lost. Edges to jobs outside the
 * lineage may be included; callers keep the ones between returned nodes.
 */
export function lineageEdgesQuery(root: JobKey, direction: SubgraphDirection): RawBuilder<EdgeRow> {
  const ctes: RawBuilder<unknown>[] = [];
  const parts: RawBuilder<unknown>[] = [];
  const p = root.projectUid;
  if (direction !== 'ANCESTORS') {
    ctes.push(walkCte('down', root));
    parts.push(sql`select e.parent_uid, e.child_uid from down w cross join job_edges e where e.project_uid = ${p} and e.parent_uid = w.uid`);
  }
  if (direction !== 'DESCENDANTS') {
    ctes.push(walkCte('up', root));
    parts.push(sql`select e.parent_uid, e.child_uid from up w cross join job_edges e where e.project_uid = ${p} and e.child_uid = w.uid`);
  }
  if (direction === 'BOTH') {
    parts.push(sql`select e.parent_uid, e.child_uid from down w cross join job_edges e where e.project_uid = ${p} and e.child_uid = w.uid`);
  }
  return sql<EdgeRow>`/* walkLineage */ with recursive ${sql.join(ctes)} ${sql.join(parts, sql` union `)}`;
}

/**
 * Walks up to this many steps carry their depth in the recursive statement
 * (`lineageDepthsQuery`); deeper or unbounded ones walk uids only and count
 * depths from the edges (`lineageEdgesQuery`, `nearestFirst`).
 */
export const DEPTH_CARRYING_WALK_MAX = 10;

/**
 * One recursive statement returning each job within `maxDepth` steps of
 * `root` once, with its shortest distance: only what a bounded walk needs,
 * not every edge of the whole lineage. Rows carry their depth, so UNION may
 * keep a job once per distance it is reached at: at most `maxDepth` times,
 * which is why this is for small bounds (see `walkCte` on the unbounded walk).
 */
export function lineageDepthsQuery(root: JobKey, walk: LineageWalk, maxDepth: number, dialect: 'sqlite' | 'postgres'): RawBuilder<{ uid: string; depth: number }> {
  const [from, to] = walk === 'descendants' ? [sql.raw('parent_uid'), sql.raw('child_uid')] : [sql.raw('child_uid'), sql.raw('parent_uid')];
  // PostgreSQL types a bare parameter in the recursive statement's seed only from a cast, and the uid columns are `collate "C"`.
  const seed = dialect === 'postgres' ? sql`cast(${root.uid} as text) collate "C"` : sql`${root.uid}`;
  return sql<{ uid: string; depth: number }>`/* walkLineageDepths */ with recursive walk(uid, depth) as (
    select ${seed}, 0
    union
    select e.${to}, w.depth + 1 from walk w cross join job_edges e where w.depth < ${maxDepth} and e.project_uid = ${root.projectUid} and e.${from} = w.uid
  )
  select uid, min(depth) as depth from walk where uid <> ${root.uid} group by uid`;
}

/** Breadth-first distances from `root` over `edges` (1 = direct parent or child), up to `maxDepth`. */
export function nearestFirst(edges: readonly EdgeRow[], root: string, walk: LineageWalk, maxDepth: number): Map<string, number> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = walk === 'descendants' ? [edge.parent_uid, edge.child_uid] : [edge.child_uid, edge.parent_uid];
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  const depth = new Map<string, number>();
  let frontier = [root];
  for (let d = 1; frontier.length > 0 && d <= maxDepth; d++) {
    const following: string[] = [];
    for (const uid of frontier) {
      for (const neighbour of next.get(uid) ?? []) {
        if (neighbour !== root && !depth.has(neighbour)) {
          depth.set(neighbour, d);
          following.push(neighbour);
        }
      }
    }
    frontier = following;
  }
  return depth;
}

/** The number in a job uid (`J42` → 42), the tie-breaker of lineage order. */
export function uidNumber(uid: string): number {
  return Number(uid.slice(1));
}

/**
 * Every uid reachable from `root` in one direction (used to follow a lineage
 * live). UNION visits each job once, cycles included.
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
