import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';

export interface OpenSqliteOptions {
  /** Path of the database file, or `:memory:`. */
  file: string;
  /** Called for every executed statement (statement counting, metrics, slow-query logs). */
  onQuery?: (event: LogEvent) => void;
}

/** Opens (creating if needed) a SQLite database in WAL mode and runs migrations. */
export async function openSqlite({ file, onQuery }: OpenSqliteOptions): Promise<Kysely<Database>> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: onQuery ? (event) => onQuery(event) : undefined,
  });
  await migrateToLatest(db);
  return db;
}
