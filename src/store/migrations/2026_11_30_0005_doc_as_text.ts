import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/**
 * PostgreSQL keeps documents as the text jobgraph wrote, as SQLite does.
 * Nothing in SQL looks inside a document (every field a query filters, sorts
 * or lists by is a column), so `jsonb` only cost time: its parse on every
 * write was most of the server's share of an import (10,000 job documents:
 * 4.6 s as `jsonb`, 0.14 s as `text`), and its printing most of a document
 * read. The job documents keep LZ4 compression (0004).
 */
const TABLES = ['jobs', 'projects', 'workspaces'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of TABLES) await sql`alter table ${sql.table(table)} alter column doc type text using doc::text`.execute(db);
  await setJobCompression(db, 'lz4');
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of TABLES) await sql`alter table ${sql.table(table)} alter column doc type jsonb using doc::jsonb`.execute(db);
  await setJobCompression(db, 'lz4');
}

async function setJobCompression(db: Kysely<any>, method: 'lz4'): Promise<void> {
  // As in 0004: a server without LZ4 (or older than 14) keeps its default.
  await sql`do $$ begin
    execute 'alter table jobs alter column doc set compression ${sql.raw(method)}';
  exception when feature_not_supported or syntax_error or invalid_parameter_value then null;
  end $$`.execute(db);
}
