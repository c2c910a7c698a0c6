/** The Kysely store's reads of jobs: by key, pages with filters, sorting and cursors, and counts. */
import { type Kysely, expressionBuilder, sql } from 'kysely';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import { PageEdge, decodeCursor } from './cursor.js';
import { type Database, rowToJob } from './database.js';
import { type SortKey, type SortableRow, jobFilterExpression, jobSortKeys, keysetAfter } from './job-filter.js';
import { chunk, groupByProject, keyOf } from './job-rows.js';
import type { JobFilter, JobKey, JobPage, JobReadOptions, JobStore } from './job-store.js';
import { type Dialect, LOOKUP_CHUNK, columnsToRead, named, resolvePage } from './kysely-shared.js';
import { pageExtraSelections, readPageExtras } from './page-extras.js';

/** What a page is sorted and cut on before its documents are joined. */
const PAGE_KEY_COLUMNS = ['project_uid', 'uid', 'created_at', 'updated_at', 'priority', 'status', 'title', 'type', 'project_uid_num', 'uid_num'] as const;

/** Orders rows in memory exactly as the SQL sort keys do (for a page that came back through a join). */
function compareBy(keys: readonly SortKey[]) {
  return (a: SortableRow, b: SortableRow) => {
    for (const key of keys) {
      const x = key.valueOf(a);
      const y = key.valueOf(b);
      if (x !== y) return (x < y ? -1 : 1) * (key.direction === 'asc' ? 1 : -1);
    }
    return 0;
  };
}

export async function findJobs(db: Kysely<Database>, keys: readonly JobKey[], options: JobReadOptions = {}): Promise<(Job | undefined)[]> {
  const columns = columnsToRead(options);
  const found = new Map<string, Job>();
  const unique = [...new Map(keys.map((k) => [keyOf(k.projectUid, k.uid), k])).values()];
  // One statement for keys of many projects (a replay batch spans them all), not one per project.
  for (const part of chunk(unique, LOOKUP_CHUNK)) {
    const query = db
      .selectFrom('jobs')
      .where((eb) => eb.or([...groupByProject(part)].map(([projectUid, uids]) => eb.and([eb('project_uid', '=', projectUid), eb('uid', 'in', uids)]))));
    const rows = columns
      ? (await query.select(columns).modifyEnd(named('findJobColumns')).execute()).map((row) => ({ ...row, doc: null }))
      : await query.select(['project_uid', 'uid', 'status', 'doc']).modifyEnd(named('findJobs')).execute();
    for (const row of rows) found.set(keyOf(row.project_uid, row.uid), rowToJob(row));
  }
  return keys.map((k) => found.get(keyOf(k.projectUid, k.uid)));
}

export async function listJobs(db: Kysely<Database>, dialect: Dialect, { filter, orderBy, page, columnsOnly, extras }: Parameters<JobStore['listJobs']>[0]): Promise<JobPage> {
  const { size, backward, cursor } = resolvePage(page);
  const eb = expressionBuilder<Database, 'jobs'>();
  const sort = jobSortKeys(eb, orderBy);
  const keys = backward ? sort.keys.map((k) => ({ ...k, direction: k.direction === 'asc' ? ('desc' as const) : ('asc' as const) })) : sort.keys;
  const after = cursor == null ? null : decodeCursor(cursor, sort.id, sort.keys.length);
  // Sort and cut on the columns first; the (large) documents, when needed, are joined for just this page:
  // sorting whole rows made SQLite move every matching document through its sorter.
  const asked = columnsToRead({ columnsOnly });
  // The sort keys are read too: a page's cursors are made of them.
  const columns = asked ? [...new Set([...asked, ...keys.map((k) => k.column)])] : PAGE_KEY_COLUMNS;
  let narrow = db
    .selectFrom('jobs')
    .select(columns)
    .where((w) => jobFilterExpression(w, filter));
  if (after) narrow = narrow.where((w) => keysetAfter(w, keys, after));
  // Within one project its number is the same on every row: left out, the order is the (project, uid number) index's.
  const ordering = filter?.projectUid != null ? keys.filter((k) => k.column !== 'project_uid_num') : keys;
  for (const key of ordering) narrow = narrow.orderBy(key.expression as never, key.direction);
  // Parents, children and the total, when asked, come in the same statement (page-extras.ts).
  const extra = pageExtraSelections(dialect, extras, filter);
  const rows = (
    asked
      ? await (extra.length === 0
          ? narrow.limit(sql.lit(size + 1)).modifyEnd(named('listJobColumns'))
          : db
              .selectFrom(narrow.limit(sql.lit(size + 1)).as('k'))
              .selectAll('k')
              .select(extra as never)
              .modifyEnd(named('listJobColumnsWithExtras'))
        ).execute()
      : await db
          .selectFrom(narrow.limit(sql.lit(size + 1)).as('k'))
          .innerJoin('jobs as j', (join) => join.onRef('j.project_uid', '=', 'k.project_uid').onRef('j.uid', '=', 'k.uid'))
          .selectAll('k')
          .select('j.doc')
          .select(extra as never)
          .modifyEnd(named(extra.length === 0 ? 'listJobs' : 'listJobsWithExtras'))
          .execute()
  ) as unknown as (SortableRow & { doc: unknown })[];
  // Read without documents: the rows become column-only jobs (set in place; a copy per row showed in profiles).
  if (asked) for (const row of rows) row.doc = null;
  rows.sort(compareBy(keys));
  const more = rows.length > size;
  const pageRows = rows.slice(0, size);
  if (backward) pageRows.reverse();
  return {
    ...readPageExtras(extras, pageRows as unknown as Record<string, unknown>[]),
    edges: pageRows.map((row) => new PageEdge(rowToJob(row as { doc: unknown }), sort.id, () => sort.keys.map((k) => k.valueOf(row)))),
    hasNextPage: backward ? cursor != null : more,
    hasPreviousPage: backward ? more : cursor != null,
  };
}

export async function countJobs(db: Kysely<Database>, filter?: JobFilter | null): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where((w) => jobFilterExpression(w, filter))
    .modifyEnd(named('countJobs'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countJobsByStatus(db: Kysely<Database>, projectUids: readonly string[]): Promise<Map<string, Map<JobStatus, number>>> {
  const result = new Map<string, Map<JobStatus, number>>(projectUids.map((p) => [p, new Map()]));
  if (projectUids.length === 0) return result;
  const rows = await db
    .selectFrom('jobs')
    .select(['project_uid', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('project_uid', 'in', [...projectUids])
    .where('deleted', '=', 0)
    .groupBy(['project_uid', 'status'])
    .modifyEnd(named('countJobsByStatus'))
    .execute();
  for (const row of rows) result.get(row.project_uid)?.set(row.status, Number(row.n));
  return result;
}
