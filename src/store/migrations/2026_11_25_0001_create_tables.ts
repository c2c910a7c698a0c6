import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const docType = isPostgres ? sql`jsonb` : sql`text`;
  const seqType = isPostgres ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
  // Byte-order text in PostgreSQL, as in SQLite: sorting and keyset paging agree across dialects.
  const text = isPostgres ? sql`text collate "C"` : sql`text`;

  await db.schema
    .createTable('projects')
    .addColumn('uid', text, (c) => c.primaryKey())
    .addColumn('uid_num', 'integer', (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('doc', docType, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('workspaces')
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('uid', text, (c) => c.notNull())
    .addColumn('uid_num', 'integer', (c) => c.notNull())
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('doc', docType, (c) => c.notNull())
    .addPrimaryKeyConstraint('workspaces_pk', ['project_uid', 'uid'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('uid', text, (c) => c.notNull())
    .addColumn('uid_num', 'integer', (c) => c.notNull())
    .addColumn('project_uid_num', 'integer', (c) => c.notNull())
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('type', text, (c) => c.notNull())
    .addColumn('category', text)
    .addColumn('title', text, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('has_error', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text, (c) => c.notNull())
    .addColumn('doc', docType, (c) => c.notNull())
    .addPrimaryKeyConstraint('jobs_pk', ['project_uid', 'uid'])
    .execute();
  await db.schema.createIndex('jobs_project_uid_num').on('jobs').columns(['project_uid', 'uid_num']).unique().execute();
  await db.schema.createIndex('jobs_project_status').on('jobs').columns(['project_uid', 'status']).execute();
  await db.schema.createIndex('jobs_project_type').on('jobs').columns(['project_uid', 'type']).execute();
  await db.schema.createIndex('jobs_created').on('jobs').columns(['created_at', 'project_uid', 'uid_num']).execute();
  await db.schema.createIndex('jobs_updated').on('jobs').columns(['updated_at', 'project_uid', 'uid_num']).execute();
  await db.schema.createIndex('jobs_status').on('jobs').columns(['status']).execute();

  await db.schema
    .createTable('job_workspaces')
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('job_uid', text, (c) => c.notNull())
    .addColumn('workspace_uid', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('job_workspaces_pk', ['project_uid', 'workspace_uid', 'job_uid'])
    .execute();
  await db.schema.createIndex('job_workspaces_job').on('job_workspaces').columns(['project_uid', 'job_uid']).execute();

  await db.schema
    .createTable('job_tags')
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('job_uid', text, (c) => c.notNull())
    .addColumn('tag', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('job_tags_pk', ['project_uid', 'tag', 'job_uid'])
    .execute();
  await db.schema.createIndex('job_tags_job').on('job_tags').columns(['project_uid', 'job_uid']).execute();

  await db.schema
    .createTable('job_edges')
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('parent_uid', text, (c) => c.notNull())
    .addColumn('child_uid', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('job_edges_pk', ['project_uid', 'parent_uid', 'child_uid'])
    .execute();
  await db.schema.createIndex('job_edges_child').on('job_edges').columns(['project_uid', 'child_uid', 'parent_uid']).execute();

  await db.schema
    .createTable('job_events')
    .addColumn('seq', seqType)
    .addColumn('project_uid', text, (c) => c.notNull())
    .addColumn('job_uid', text, (c) => c.notNull())
    .addColumn('previous_status', text)
    .addColumn('status', text, (c) => c.notNull())
    .addColumn('at', text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_events_job').on('job_events').columns(['project_uid', 'job_uid', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['job_events', 'job_edges', 'job_tags', 'job_workspaces', 'jobs', 'workspaces', 'projects']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
