import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { BadInputError } from '../model/errors.js';
import { JOB_STATUSES } from '../model/job-status.js';
import { foldText } from '../model/text-fold.js';
import type { Database } from './database.js';
import type { JobFilter, JobOrder, JobOrderField } from './job-store.js';

type JobsEb = ExpressionBuilder<Database, 'jobs'>;

/** The WHERE clause of a job filter, over the unaliased `jobs` table. */
export function jobFilterExpression(eb: JobsEb, filter: JobFilter | null | undefined): Expression<SqlBool> {
  const f = filter ?? {};
  const and: Expression<SqlBool>[] = [];
  // A constant, not a parameter: PostgreSQL then plans `deleted = 0` as it is (see the note on constants in kysely-shared.ts).
  if (!f.includeDeleted) and.push(eb('jobs.deleted', '=', eb.lit(0)));
  if (f.projectUid != null) and.push(eb('jobs.project_uid', '=', f.projectUid));
  if (f.projectUids) and.push(f.projectUids.length ? eb('jobs.project_uid', 'in', [...f.projectUids]) : eb.lit(false));
  if (f.uids) and.push(f.uids.length ? eb('jobs.uid', 'in', [...f.uids]) : eb.lit(false));
  if (f.status) and.push(f.status.length ? eb('jobs.status', 'in', [...f.status]) : eb.lit(false));
  if (f.type) and.push(f.type.length ? eb('jobs.type', 'in', [...f.type]) : eb.lit(false));
  if (f.category) and.push(f.category.length ? eb('jobs.category', 'in', [...f.category]) : eb.lit(false));
  if (f.titleContains != null && f.titleContains !== '') and.push(titleContainsExpression(eb, f.titleContains));
  if (f.createdAfter != null) and.push(eb('jobs.created_at', '>', f.createdAfter));
  if (f.createdBefore != null) and.push(eb('jobs.created_at', '<', f.createdBefore));
  if (f.updatedAfter != null) and.push(eb('jobs.updated_at', '>', f.updatedAfter));
  if (f.updatedBefore != null) and.push(eb('jobs.updated_at', '<', f.updatedBefore));
  if (f.hasError != null) and.push(eb('jobs.has_error', '=', f.hasError ? 1 : 0));
  if (f.workspaceUid != null) {
    const workspaceUid = f.workspaceUid;
    and.push(
      eb.exists(
        eb
          .selectFrom('job_workspaces as jw')
          .select(eb.lit(1).as('one'))
          .whereRef('jw.project_uid', '=', 'jobs.project_uid')
          .whereRef('jw.job_uid', '=', 'jobs.uid')
          .where('jw.workspace_uid', '=', workspaceUid),
      ),
    );
  }
  if (f.tags) {
    const tags = [...f.tags];
    and.push(
      tags.length
        ? eb.exists(
            eb
              .selectFrom('job_tags as jt')
              .select(eb.lit(1).as('one'))
              .whereRef('jt.project_uid', '=', 'jobs.project_uid')
              .whereRef('jt.job_uid', '=', 'jobs.uid')
              .where('jt.tag', 'in', tags),
          )
        : eb.lit(false),
    );
  }
  return eb.and(and);
}

/** Longest LIKE pattern, in UTF-8 bytes: SQLite refuses patterns over 50,000 bytes ("LIKE or GLOB pattern too complex"). */
export const MAX_LIKE_PATTERN_BYTES = 50_000;

/**
 * Titles holding `term`, case folded alike on both sides for any script
 * (model/text-fold.ts; the column is folded when the row is written), with
 * `%`, `_` and `\` meaning themselves. Both dialects compare code points:
 * SQLite's LIKE folds ASCII case only, and the folded text has no ASCII
 * capitals; PostgreSQL's column is `collate "C"`. A term that cannot be
 * searched is `BAD_USER_INPUT`: one holding NUL (SQLite would end the
 * pattern there and match everything; PostgreSQL refuses it) or one whose
 * pattern is too long.
 *
 * A substring cannot use an index to seek, but it can scan a small one: the
 * matching keys come from the covering index `jobs_title_folded` (folded
 * title, project, uid). Tested on the row itself, SQLite would read each
 * job's whole document to reach the column stored after it (3-4 times slower).
 */
function titleContainsExpression(eb: JobsEb, term: string): Expression<SqlBool> {
  if (term.includes('\0')) throw new BadInputError('`titleContains` cannot contain a NUL character (U+0000).');
  const pattern = `%${escapeLike(foldText(term))}%`;
  if (Buffer.byteLength(pattern) > MAX_LIKE_PATTERN_BYTES) {
    throw new BadInputError(`\`titleContains\` is too long to search once case-folded (over ${MAX_LIKE_PATTERN_BYTES} bytes).`);
  }
  return eb(
    eb.refTuple('jobs.project_uid', 'jobs.uid'),
    'in',
    eb
      .selectFrom('jobs as titled')
      .select(['titled.project_uid', 'titled.uid'])
      .where(sql<SqlBool>`${sql.ref('titled.title_folded')} like ${pattern} escape '\\'`)
      .$asTuple('project_uid', 'uid'),
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Lifecycle order, so sorting by status reads building → failed rather than alphabetically. */
const statusRankSql = sql.raw(
  `(case jobs.status ${JOB_STATUSES.map((s, i) => `when '${s}' then ${i}`).join(' ')} else ${JOB_STATUSES.length} end)`,
);

export function statusRank(status: string): number {
  const index = (JOB_STATUSES as readonly string[]).indexOf(status);
  return index === -1 ? JOB_STATUSES.length : index;
}

/** A sort key: SQL expression plus how to read the same value off a row for a cursor. */
export interface SortKey {
  expression: Expression<unknown>;
  direction: 'asc' | 'desc';
  /** The column `valueOf` reads. */
  column: keyof SortableRow;
  valueOf(row: SortableRow): string | number;
}

export interface SortableRow {
  created_at: string;
  updated_at: string;
  priority: number;
  status: string;
  title: string;
  type: string;
  project_uid_num: number;
  uid_num: number;
}

function sortKeyOf(eb: JobsEb, field: JobOrderField, direction: 'asc' | 'desc'): SortKey[] {
  switch (field) {
    case 'CREATED_AT':
      return [{ expression: eb.ref('jobs.created_at'), direction, column: 'created_at', valueOf: (r) => r.created_at }];
    case 'UPDATED_AT':
      return [{ expression: eb.ref('jobs.updated_at'), direction, column: 'updated_at', valueOf: (r) => r.updated_at }];
    case 'PRIORITY':
      return [{ expression: eb.ref('jobs.priority'), direction, column: 'priority', valueOf: (r) => r.priority }];
    case 'STATUS':
      return [{ expression: statusRankSql, direction, column: 'status', valueOf: (r) => statusRank(r.status) }];
    case 'TITLE':
      return [{ expression: eb.ref('jobs.title'), direction, column: 'title', valueOf: (r) => r.title }];
    case 'TYPE':
      return [{ expression: eb.ref('jobs.type'), direction, column: 'type', valueOf: (r) => r.type }];
    case 'UID':
      return [
        { expression: eb.ref('jobs.project_uid_num'), direction, column: 'project_uid_num', valueOf: (r) => r.project_uid_num },
        { expression: eb.ref('jobs.uid_num'), direction, column: 'uid_num', valueOf: (r) => r.uid_num },
      ];
  }
}

export const DEFAULT_JOB_ORDER: readonly JobOrder[] = [{ field: 'CREATED_AT', direction: 'DESC' }];

/**
 * The full sort for an ordering: the requested keys, then (project, uid number)
 * as a unique tie-breaker so keyset pagination never skips or repeats a row.
 */
export function jobSortKeys(eb: JobsEb, orderBy: readonly JobOrder[] | null | undefined): { id: string; keys: SortKey[] } {
  const order = orderBy?.length ? orderBy : DEFAULT_JOB_ORDER;
  const keys = order.flatMap((o) => sortKeyOf(eb, o.field, o.direction === 'DESC' ? 'desc' : 'asc'));
  if (!order.some((o) => o.field === 'UID')) keys.push(...sortKeyOf(eb, 'UID', 'asc'));
  const id = order.map((o) => `${o.field}:${o.direction}`).join(',');
  return { id, keys };
}

/** Rows strictly after `values` in the order given by `keys` (each key's direction honoured). */
export function keysetAfter(eb: JobsEb, keys: readonly SortKey[], values: readonly (string | number)[]): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = keys.map((key, i) => {
    const ands: Expression<SqlBool>[] = keys.slice(0, i).map((k, j) => eb(k.expression as never, '=', values[j] as never));
    ands.push(eb(key.expression as never, key.direction === 'asc' ? '>' : '<', values[i] as never));
    return eb.and(ands);
  });
  return eb.or(ors);
}
