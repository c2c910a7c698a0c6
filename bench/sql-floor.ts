/**
 * The honest floor: for each measured question, the smallest SQL written by
 * hand that returns exactly the answer's fields (no documents), straight on
 * the driver (better-sqlite3 or pg, no query builder), shaped into the
 * gateway's JSON. floor-server.ts serves it over node:http.
 *
 *   page        count + one page of a project's jobs by uid number + their parents and children (uid, status)
 *   descendants the jobs up to `maxDepth` steps below one job, nearest first (uid, status, depth)
 */
import Sqlite from 'better-sqlite3';
import pg from 'pg';

export interface PageJob {
  uid: string;
  status: string;
  title?: string;
  type?: string;
  createdAt?: string;
  parents: { uid: string; status: string }[];
  children: { uid: string; status: string }[];
}

export interface SqlFloor {
  /** `full`: also title, type and createdAt, and the total count. */
  page(projectUid: string, first: number, full: boolean): Promise<{ totalCount?: number; jobs: PageJob[] }>;
  descendants(projectUid: string, uid: string, maxDepth: number, first: number): Promise<{ depth: number; uid: string; status: string }[]>;
  close(): Promise<void>;
}

interface JobRow {
  uid: string;
  status: string;
  title: string;
  type: string;
  created_at: string;
}
interface NeighbourRow {
  side: 'p' | 'c';
  self: string;
  uid: string;
  status: string;
}

const BRIEF = 'uid, status';
const FULL = 'uid, status, title, type, created_at';
// `cross join` keeps SQLite's join order (walked jobs first, then each by key); with a plain join it may scan the
// project's jobs and probe the walk instead, 2-3 times slower. PostgreSQL plans both spellings alike.
const DESCENDANTS_SQL = (p: (n: number) => string) => `
with recursive walk(uid, depth) as (
  select child_uid, 1 from job_edges where project_uid = ${p(1)} and parent_uid = ${p(2)}
  union
  select e.child_uid, w.depth + 1 from walk w cross join job_edges e
  where e.project_uid = ${p(1)} and e.parent_uid = w.uid and w.depth < ${p(3)}
)
select j.uid, j.status, min(w.depth) as depth
from walk w cross join jobs j
where j.project_uid = ${p(1)} and j.uid = w.uid and j.deleted = 0
group by j.uid, j.uid_num, j.status
order by depth, j.uid_num
limit ${p(4)}`;

function assemble(rows: JobRow[], neighbours: NeighbourRow[], full: boolean): PageJob[] {
  const byUid = new Map<string, PageJob>();
  const jobs = rows.map((r) => {
    const job: PageJob = full
      ? { uid: r.uid, status: r.status.toUpperCase(), title: r.title, type: r.type, createdAt: r.created_at, parents: [], children: [] }
      : { uid: r.uid, status: r.status.toUpperCase(), parents: [], children: [] };
    byUid.set(r.uid, job);
    return job;
  });
  for (const n of neighbours) {
    const job = byUid.get(n.self);
    if (job) (n.side === 'p' ? job.parents : job.children).push({ uid: n.uid, status: n.status.toUpperCase() });
  }
  return jobs;
}

function sqliteFloor(file: string): SqlFloor {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  db.pragma('journal_mode'); // WAL is the file's own setting; nothing to change for a reader
  const count = db.prepare('select count(*) as n from jobs where project_uid = ? and deleted = 0').pluck();
  const pageBrief = db.prepare(`select ${BRIEF} from jobs where project_uid = ? and deleted = 0 order by uid_num limit ?`);
  const pageFull = db.prepare(`select ${FULL} from jobs where project_uid = ? and deleted = 0 order by uid_num limit ?`);
  const neighbours = db.prepare(`
    select 'p' as side, e.child_uid as self, j.uid, j.status, j.uid_num from job_edges e
      join jobs j on j.project_uid = e.project_uid and j.uid = e.parent_uid
      where e.project_uid = @project and e.child_uid in (select value from json_each(@uids)) and j.deleted = 0
    union all
    select 'c', e.parent_uid, j.uid, j.status, j.uid_num from job_edges e
      join jobs j on j.project_uid = e.project_uid and j.uid = e.child_uid
      where e.project_uid = @project and e.parent_uid in (select value from json_each(@uids)) and j.deleted = 0
    order by uid_num`);
  const descendants = db.prepare(DESCENDANTS_SQL((n) => `@p${n}`));
  return {
    async page(projectUid, first, full) {
      const rows = (full ? pageFull : pageBrief).all(projectUid, first) as JobRow[];
      const edges = neighbours.all({ project: projectUid, uids: JSON.stringify(rows.map((r) => r.uid)) }) as NeighbourRow[];
      const jobs = assemble(rows, edges, full);
      return full ? { totalCount: count.get(projectUid) as number, jobs } : { jobs };
    },
    async descendants(projectUid, uid, maxDepth, first) {
      const rows = descendants.all({ p1: projectUid, p2: uid, p3: maxDepth, p4: first }) as { uid: string; status: string; depth: number }[];
      return rows.map((r) => ({ depth: r.depth, uid: r.uid, status: r.status.toUpperCase() }));
    },
    async close() {
      db.close();
    },
  };
}

function postgresFloor(url: string, schema: string): SqlFloor {
  // The gateway's pool size (10 by default), the search path set once per connection.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path="${schema}"` });
  const neighboursSql = `
    select 'p' as side, e.child_uid as self, j.uid, j.status, j.uid_num from job_edges e
      join jobs j on j.project_uid = e.project_uid and j.uid = e.parent_uid
      where e.project_uid = $1 and e.child_uid = any($2::text[]) and j.deleted = 0
    union all
    select 'c', e.parent_uid, j.uid, j.status, j.uid_num from job_edges e
      join jobs j on j.project_uid = e.project_uid and j.uid = e.child_uid
      where e.project_uid = $1 and e.parent_uid = any($2::text[]) and j.deleted = 0
    order by uid_num`;
  const descendantsSql = DESCENDANTS_SQL((n) => `$${n}`);
  return {
    async page(projectUid, first, full) {
      const [total, page] = await Promise.all([
        full ? pool.query<{ n: string }>({ name: 'floor-count', text: 'select count(*) as n from jobs where project_uid = $1 and deleted = 0', values: [projectUid] }) : undefined,
        pool.query<JobRow>({
          name: full ? 'floor-page-full' : 'floor-page',
          text: `select ${full ? FULL : BRIEF} from jobs where project_uid = $1 and deleted = 0 order by uid_num limit $2`,
          values: [projectUid, first],
        }),
      ]);
      const edges = await pool.query<NeighbourRow>({ name: 'floor-neighbours', text: neighboursSql, values: [projectUid, page.rows.map((r) => r.uid)] });
      const jobs = assemble(page.rows, edges.rows, full);
      return full ? { totalCount: Number(total!.rows[0]!.n), jobs } : { jobs };
    },
    async descendants(projectUid, uid, maxDepth, first) {
      const { rows } = await pool.query<{ uid: string; status: string; depth: number }>({ name: 'floor-descendants', text: descendantsSql, values: [projectUid, uid, maxDepth, first] });
      return rows.map((r) => ({ depth: r.depth, uid: r.uid, status: r.status.toUpperCase() }));
    },
    close: () => pool.end(),
  };
}

/** The floor over the bench database: a SQLite file, or a PostgreSQL URL and schema. */
export function openSqlFloor(db: string, pgSchema: string): SqlFloor {
  return db.startsWith('postgres') ? postgresFloor(db, pgSchema) : sqliteFloor(db);
}
