import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/** Lifecycle times a frontend lists and sorts by; each column holds the document's value. */
const TIMES = ['queued_at', 'launched_at', 'started_at', 'running_at', 'waiting_at', 'completed_at', 'failed_at', 'killed_at'] as const;

/**
 * Columns for the job fields frontends list, filter and sort by, so that
 * reading them never touches the document: the lifecycle times and the
 * document's own `has_error` flag (the `has_error` column also counts run
 * errors, for filtering), back-filled from the stored documents in SQL; and
 * an index that counts a project's jobs (`totalCount`) without reading them.
 *
 * SQLite stores a row's columns in order, and a column after the ~9 KB
 * document is reached only by walking the document's overflow pages: there
 * the table is rebuilt with the document last. PostgreSQL keeps large
 * documents out of line (TOAST), so adding the columns is enough.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const column of TIMES) await db.schema.alterTable('jobs').addColumn(column, sql`text collate "C"`).execute();
    await db.schema.alterTable('jobs').addColumn('error_logged', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('jobs_project_deleted').on('jobs').columns(['project_uid', 'deleted']).execute();
    await backfillJobColumns(db);
    return;
  }
  // Kysely does not wrap SQLite migrations in a transaction: a failure half-way must leave the old table.
  if (db.isTransaction) await rebuildSqliteJobs(db);
  else await db.transaction().execute(rebuildSqliteJobs);
}

async function rebuildSqliteJobs(db: Kysely<any>): Promise<void> {
  const kept = sql.raw(
    'project_uid, uid, uid_num, project_uid_num, status, type, category, title, title_folded, priority, has_error, deleted, created_at, updated_at',
  );
  await sql`create table jobs_rebuilt (
    project_uid text not null,
    uid text not null,
    uid_num integer not null,
    project_uid_num integer not null,
    status text not null,
    type text not null,
    category text,
    title text not null,
    title_folded text not null default '',
    priority integer not null,
    has_error integer not null,
    deleted integer not null,
    created_at text not null,
    updated_at text not null,
    ${sql.raw(TIMES.map((column) => `${column} text`).join(', '))},
    error_logged integer not null default 0,
    doc text not null,
    constraint jobs_pk primary key (project_uid, uid)
  )`.execute(db);
  await sql`insert into jobs_rebuilt (${kept}, doc) select ${kept}, doc from jobs`.execute(db);
  await sql`drop table jobs`.execute(db);
  await sql`alter table jobs_rebuilt rename to jobs`.execute(db);
  // The indexes of 2026_11_25_0001 and 2026_11_30_0001, which went with the old table.
  await db.schema.createIndex('jobs_project_uid_num').on('jobs').columns(['project_uid', 'uid_num']).unique().execute();
  await db.schema.createIndex('jobs_project_status').on('jobs').columns(['project_uid', 'status']).execute();
  await db.schema.createIndex('jobs_project_type').on('jobs').columns(['project_uid', 'type']).execute();
  await db.schema.createIndex('jobs_created').on('jobs').columns(['created_at', 'project_uid', 'uid_num']).execute();
  await db.schema.createIndex('jobs_updated').on('jobs').columns(['updated_at', 'project_uid', 'uid_num']).execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status']).execute();
  await db.schema.createIndex('jobs_title_folded').on('jobs').columns(['title_folded', 'project_uid', 'uid']).execute();
  await db.schema.createIndex('jobs_project_deleted').on('jobs').columns(['project_uid', 'deleted']).execute();
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

export async function down(): Promise<void> {
  throw new Error('2026_11_30_0003_job_columns cannot be undone');
}
