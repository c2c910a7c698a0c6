/**
 * What the per-concern parts of the Kysely store share: statement names,
 * batch sizes, page arguments and the columns a read asks for.
 */
import { type Kysely, type Transaction, sql } from 'kysely';
import { BadInputError, PageSizeError } from '../model/errors.js';
import type { Database } from './database.js';
import type { JobReadOptions, PageArgs } from './job-store.js';
import { JOB_COLUMNS, type JobColumn } from './lazy-job.js';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

// 25 columns × 500 rows stays under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
export const INSERT_CHUNK = 500;
export const LOOKUP_CHUNK = 5000;
// Uids per `in (…)` over a walked lineage: one statement up to 5,000 jobs.
export const SET_CHUNK = 5000;

export const named = (name: string) => sql.raw(`/* ${name} */`);

/*
 * Constants of a statement — `deleted = 0`, a page's `limit` — are written as
 * literals, not parameters (`sql.lit`, `eb.lit`). PostgreSQL's plan cache then
 * finds the generic plan of a prepared page as cheap as a custom one and stops
 * planning it on every run: with them as parameters it planned each page anew
 * (1.2 ms of bind per page, and a slower plan: 4.0 ms to execute instead of 3.1).
 * A page's limit takes at most 101 values, so the statements stay few.
 */

export type Dialect = 'sqlite' | 'postgres';

/** The database, or a transaction on it. */
export type Db = Kysely<Database> | Transaction<Database>;

/** The columns to read for `options`, the key always among them; null to read the document. */
export function columnsToRead({ columnsOnly }: JobReadOptions): readonly JobColumn[] | null {
  if (!columnsOnly) return null;
  if (columnsOnly === true) return JOB_COLUMNS;
  return [...new Set<JobColumn>(['project_uid', 'uid', ...columnsOnly])];
}

/** Resolves first/last/after/before into one direction and a size; rejects what cannot be served. */
export function resolvePage(page: PageArgs): { size: number; backward: boolean; cursor: string | null } {
  const { first, last, after, before } = page;
  if (first != null && last != null) throw new BadInputError('Pass either `first` or `last`, not both.');
  if (first != null && before != null) throw new BadInputError('`before` pages backward: combine it with `last`, not `first`.');
  if (last != null && after != null) throw new BadInputError('`after` pages forward: combine it with `first`, not `last`.');
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  const name = last != null ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0) throw new BadInputError(`\`${name}\` must be a non-negative integer, got ${size}.`);
  if (size > MAX_PAGE_SIZE) throw new PageSizeError(`\`${name}\` is ${size}; the largest page is ${MAX_PAGE_SIZE}.`);
  const backward = last != null || before != null;
  return { size, backward, cursor: (backward ? before : after) ?? null };
}
