import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/**
 * PostgreSQL compresses each ~9 KB job document it keeps out of line (TOAST);
 * with the default method (pglz) that compression costs more server time
 * than parsing the document as `jsonb`, and bounds how fast jobs are
 * written. LZ4 compresses these documents several times faster to about the
 * same size. Documents written from now on use it; those already stored keep
 * theirs (PostgreSQL reads both). A server built without LZ4 support (or
 * older than 14) keeps the default. SQLite does not compress: nothing to do.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await setCompression(db, 'lz4');
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await setCompression(db, 'default');
}

async function setCompression(db: Kysely<any>, method: 'lz4' | 'default'): Promise<void> {
  // EXECUTE so that a server that does not know the clause (before 14) or the method fails inside the block.
  await sql`do $$ begin
    execute 'alter table jobs alter column doc set compression ${sql.raw(method)}';
  exception when feature_not_supported or syntax_error or invalid_parameter_value then null;
  end $$`.execute(db);
}
