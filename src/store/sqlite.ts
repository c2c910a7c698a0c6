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
  const sqlite = withStatementCache(new SQLite(file));
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

/** Prepared statements kept per connection; past this, the least recently used is dropped. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query it runs, and better-sqlite3 compiles a
 * statement on every `prepare`: for the small statements of a page that was
 * a tenth of their cost. Statements are kept by their text and reused, which
 * is safe because better-sqlite3 runs each to completion before the next.
 */
function withStatementCache(db: SQLite.Database): SQLite.Database {
  const statements = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source);
    } else {
      statement = db.prepare(source);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === 'prepare') return prepare;
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
