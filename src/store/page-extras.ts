/**
 * What a page of jobs reads besides its rows, in the page's own statement:
 * each listed job's parents and children as one JSON array per side (a
 * correlated subquery per row, through the edge indexes), and the total as an
 * uncorrelated subquery the database runs once. A dashboard's page with its
 * neighbours and count is then one round trip instead of three.
 */
import { type Expression, type RawBuilder, type SqlBool, expressionBuilder, sql } from 'kysely';
import type { Job } from '../model/job.js';
import type { Database } from './database.js';
import { jobFilterExpression } from './job-filter.js';
import type { JobFilter, JobPage, PageExtras } from './job-store.js';
import type { Dialect } from './kysely-shared.js';
import { columnsToRead } from './kysely-shared.js';
import { type JobColumn, lazyJob } from './lazy-job.js';

type Side = 'parents' | 'children';
const SIDES: readonly Side[] = ['parents', 'children'];
/** Result column of each extra; the page's own columns never start with `x_`. */
const COLUMN_OF_SIDE = { parents: 'x_parents', children: 'x_children' } as const;
const TOTAL_COLUMN = 'x_total';

/** The neighbours' columns in the order their JSON arrays hold them (the project is the listed job's). */
function neighbourColumns(columns: readonly JobColumn[]): JobColumn[] {
  return columnsToRead({ columnsOnly: columns })!.filter((c) => c !== 'project_uid');
}

/**
 * The extra select items for `extras`, over the page's rows aliased `k`
 * (their `project_uid` and `uid`). Empty when nothing extra is asked.
 */
export function pageExtraSelections(dialect: Dialect, extras: PageExtras | undefined, filter: JobFilter | null | undefined): RawBuilder<unknown>[] {
  if (!extras) return [];
  const items: RawBuilder<unknown>[] = [];
  for (const side of SIDES) {
    const columns = extras.neighbours?.[side];
    if (!columns) continue;
    const [self, other] = side === 'parents' ? [sql.raw('child_uid'), sql.raw('parent_uid')] : [sql.raw('parent_uid'), sql.raw('child_uid')];
    const values = sql.join(neighbourColumns(columns).map((c) => sql.ref(`n.${c}`)));
    const list =
      dialect === 'postgres' ? sql`json_agg(json_build_array(${values}) order by n.uid_num)` : sql`json_group_array(json_array(${values}) order by n.uid_num)`;
    items.push(sql`(select ${list} from job_edges e inner join jobs n on n.project_uid = e.project_uid and n.uid = e.${other}
      where e.project_uid = k.project_uid and e.${self} = k.uid and n.deleted = 0) as ${sql.ref(COLUMN_OF_SIDE[side])}`);
  }
  if (extras.withTotal) {
    const where: Expression<SqlBool> = jobFilterExpression(expressionBuilder<Database, 'jobs'>(), filter);
    items.push(sql`(select count(*) from jobs where ${where}) as ${sql.ref(TOTAL_COLUMN)}`);
  }
  return items;
}

/** Reads the extras off the page's rows (in page order) into what `listJobs` returns. */
export function readPageExtras(extras: PageExtras | undefined, rows: Record<string, unknown>[]): Pick<JobPage, 'totalCount' | 'neighbours'> {
  if (!extras) return {};
  const result: Pick<JobPage, 'totalCount' | 'neighbours'> = {};
  for (const side of SIDES) {
    const columns = extras.neighbours?.[side];
    if (!columns) continue;
    const names = neighbourColumns(columns);
    const key = COLUMN_OF_SIDE[side];
    // The extra columns stay on the rows (a `delete` would slow every later read of them); jobs read only their own.
    (result.neighbours ??= {})[side] = rows.map((row) => parseList(row[key]).map((values) => neighbourJob(row.project_uid as string, names, values)));
  }
  if (extras.withTotal && rows.length > 0) {
    result.totalCount = Number(rows[0]![TOTAL_COLUMN]);
  }
  return result;
}

/** PostgreSQL's driver parses `json`; SQLite returns text; no neighbour is `null` (PostgreSQL) or `[]`. */
function parseList(value: unknown): unknown[][] {
  if (value == null) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as unknown[][];
}

function neighbourJob(projectUid: string, names: readonly JobColumn[], values: readonly unknown[]): Job {
  const row: Record<string, unknown> = { project_uid: projectUid };
  for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
  return lazyJob(row, null);
}
