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

const JSONB_OID = 3802;

/** Opens a pooled PostgreSQL connection and runs migrations under an advisory lock. */
export async function openPostgres({ url, schema = 'public', poolMax = 10, onQuery }: OpenPostgresOptions): Promise<Kysely<Database>> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    options: schema === 'public' ? undefined : `-c search_path=${schema}`,
    // Documents come back as text, parsed only when a field outside the columns is read (see lazy-job.ts).
    types: { getTypeParser: (oid, format) => (oid === JSONB_OID ? (text: string) => text : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
  });
  // A connection the server drops (restart, pg_terminate_backend) emits 'error' on its client, idle or checked
  // out; unheard, that would crash the process. The query in flight fails on its own and the pool replaces the client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
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
