import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/** Lifecycle times a frontend lists and sorts by; each column holds the document's value. */
const TIMES = ['queued_at', 'launched_at', 'started_at', 'running_at', 'waiting_at', 'completed_at', 'failed_at', 'killed_at'] as const;

/**
 * Columns for the job fields frontends list, filter and sort by, so that
 * reading them never touches the document: the lifecycle times and the
 * document's own `has_error` flag (the `has_error` column also counts run
 * errors, for filtering). Back-filled from the stored documents in SQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const text = isPostgres ? sql`text collate "C"` : sql`text`;
  for (const column of TIMES) await db.schema.alterTable('jobs').addColumn(column, text).execute();
  await db.schema.alterTable('jobs').addColumn('error_logged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await backfillJobColumns(db);
}

/** Copies the new columns' values out of every stored document, in one statement. */
export async function backfillJobColumns(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const field = (name: string) => (isPostgres ? sql`doc->>${name}` : sql`json_extract(doc, ${`$.${name}`})`);
  const flag = isPostgres ? sql`case when (doc->>'has_error')::boolean then 1 else 0 end` : sql`case when json_extract(doc, '$.has_error') then 1 else 0 end`;
  await sql`update jobs set ${sql.join(
    [...TIMES.map((column) => sql`${sql.ref(column)} = ${field(column)}`), sql`error_logged = ${flag}`],
    sql`, `,
  )}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...TIMES, 'error_logged']) await db.schema.alterTable('jobs').dropColumn(column).execute();
}
