import type { LogEvent } from 'kysely';
import type { JobStore } from './job-store.js';
import { KyselyJobStore } from './kysely-job-store.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { withUnavailableErrors } from './unavailable.js';

export interface OpenStoreOptions {
  /** A SQLite file path (or `:memory:`), or a `postgres://` / `postgresql://` URL. */
  db: string;
  /** PostgreSQL schema (tests isolate themselves with one each). @default 'public' */
  schema?: string;
  /** PostgreSQL pool size. @default 10 */
  poolMax?: number;
  onQuery?: (event: LogEvent) => void;
}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//.test(db);
}

/** Opens the store the `db` setting names and brings its schema up to date. */
export async function openStore({ db, schema, poolMax, onQuery }: OpenStoreOptions): Promise<JobStore> {
  if (isPostgresUrl(db)) {
    return withUnavailableErrors(new KyselyJobStore(await openPostgres({ url: db, schema, poolMax, onQuery }), 'postgres'));
  }
  return withUnavailableErrors(new KyselyJobStore(await openSqlite({ file: db, onQuery }), 'sqlite'));
}
