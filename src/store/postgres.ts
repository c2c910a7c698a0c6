import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';

export interface OpenPostgresOptions {
  /** `postgres://user@host:port/db` connection string. */
  url: string;
  /** Schema to use (created if missing); tests give each file its own. @default 'public' */
  schema?: string;
  /** Pool size. @default 10 */
  poolMax?: number;
  onQuery?: (event: LogEvent) => void;
}

// Any fixed number works: it only has to be the same for every jobgraph process.
const MIGRATION_LOCK_KEY = 0x6a6f6267;

/** Opens a pooled PostgreSQL connection and runs migrations under an advisory lock. */
export async function openPostgres({ url, schema = 'public', poolMax = 10, onQuery }: OpenPostgresOptions): Promise<Kysely<Database>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    options: schema === 'public' ? undefined : `-c search_path=${schema}`,
  });
  // A connection the server drops (restart, pg_terminate_backend) emits 'error' on its client, idle or checked
  // out; unheard, that would crash the process. The query in flight fails on its own and the pool replaces the client.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    preparingStatements(client);
  });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: onQuery ? (event) => onQuery(event) : undefined,
  });
  await db.connection().execute(async (conn) => {
    if (schema !== 'public') await sql`create schema if not exists ${sql.id(schema)}`.execute(conn);
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      await migrateToLatest(conn, schema);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
  return db;
}

/** Distinct statements a connection prepares; past this, further shapes run unprepared. */
const PREPARED_PER_CONNECTION = 200;

/**
 * Statements with an `in (…)` list longer than this run unprepared: the
 * lists of a batch (a page's parents and children, a loader's keys), whose
 * right plan depends on the values. Prepared, PostgreSQL switches a statement
 * to one generic plan after five runs; for a page's parents and children that
 * plan took 7–8 ms instead of 1.2 ms. Unprepared, they are planned for their
 * values. (Forcing custom plans for every statement instead cost the small
 * ones more in planning than it saved.)
 */
const MAX_PREPARED_LIST = 32;
const LONG_LIST = new RegExp(`\\bin \\((?:\\$\\d+, ){${MAX_PREPARED_LIST},}`, 'i');

/**
 * Runs each statement text as a named prepared statement of its connection,
 * so PostgreSQL parses and plans a page's statements once per connection
 * instead of on every request (a third of a small statement's server time).
 * Kysely always calls `query(text, values)`; statements without parameters
 * (migrations, one-off DDL) are left alone, and so are long `in (…)` lists
 * (see {@link MAX_PREPARED_LIST}). Shapes are bounded per connection; the
 * first ones seen are the hot ones.
 */
function preparingStatements(client: pg.PoolClient): void {
  /** Statement name by text; null: run it unprepared. */
  const names = new Map<string, string | null>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || rest.length > 0) return query(text, values, ...rest);
    let name = names.get(text);
    if (name === undefined) {
      if (names.size >= PREPARED_PER_CONNECTION) return query(text, values);
      name = LONG_LIST.test(text) ? null : `jg_${createHash('sha1').update(text).digest('base64url')}`;
      names.set(text, name);
    }
    return name === null ? query(text, values) : query({ name, text, values });
  };
}
