/**
 * The Kysely store's writes: projects and workspaces, and the single write
 * path of jobs, which upserts rows, edges, workspaces and tags and appends
 * status events in one transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import { type Database, type JobEdgeTable, type JobTable, type JobTagTable, type JobWorkspaceTable, rowToJob } from './database.js';
import { chunk, groupByProject, keyOf, projectToRow, rowsOfJob, workspaceToRow } from './job-rows.js';
import type { JobKey, StoredStatusEvent, WriteJobsOptions, WriteJobsResult } from './job-store.js';
import { eventRowToEvent } from './kysely-events.js';
import { type Db, type Dialect, INSERT_CHUNK, LOOKUP_CHUNK, named } from './kysely-shared.js';

export async function writeProjects(db: Kysely<Database>, projects: readonly Project[]): Promise<void> {
  if (projects.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(projects.map(projectToRow), INSERT_CHUNK)) {
      await trx
        .insertInto('projects')
        .values(part)
        .onConflict((oc) =>
          oc.column('uid').doUpdateSet((eb) => ({
            uid_num: eb.ref('excluded.uid_num'),
            title: eb.ref('excluded.title'),
            created_at: eb.ref('excluded.created_at'),
            updated_at: eb.ref('excluded.updated_at'),
            deleted: eb.ref('excluded.deleted'),
            doc: eb.ref('excluded.doc'),
          })),
        )
        .modifyEnd(named('writeProjects'))
        .execute();
    }
  });
}

export async function writeWorkspaces(db: Kysely<Database>, workspaces: readonly Workspace[]): Promise<void> {
  if (workspaces.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const part of chunk(workspaces.map(workspaceToRow), INSERT_CHUNK)) {
      await trx
        .insertInto('workspaces')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['project_uid', 'uid']).doUpdateSet((eb) => ({
            uid_num: eb.ref('excluded.uid_num'),
            title: eb.ref('excluded.title'),
            created_at: eb.ref('excluded.created_at'),
            updated_at: eb.ref('excluded.updated_at'),
            deleted: eb.ref('excluded.deleted'),
            doc: eb.ref('excluded.doc'),
          })),
        )
        .modifyEnd(named('writeWorkspaces'))
        .execute();
    }
  });
}

export async function writeJobs(db: Kysely<Database>, dialect: Dialect, jobs: readonly Job[], options: WriteJobsOptions = {}): Promise<WriteJobsResult> {
  if (jobs.length === 0) return { created: 0, updated: 0, events: [] };
  return db.transaction().execute((trx) => writeJobsIn(trx, jobs, options, dialect));
}

export async function updateJob(db: Kysely<Database>, dialect: Dialect, key: JobKey, change: (job: Job) => Job): Promise<{ job: Job; event?: StoredStatusEvent } | undefined> {
  return db.transaction().execute(async (trx) => {
    let read = trx.selectFrom('jobs').select(['doc']).where('project_uid', '=', key.projectUid).where('uid', '=', key.uid);
    // SQLite has one writer at a time already; PostgreSQL needs the row lock.
    if (dialect === 'postgres') read = read.forUpdate();
    const row = await read.modifyEnd(named('readJobForUpdate')).executeTakeFirst();
    if (!row) return undefined;
    const next = change(rowToJob(row));
    const { events } = await writeJobsIn(trx, [next], {}, dialect);
    return { job: next, event: events[0] };
  });
}

/** Every column of a job row but its key: what an upsert overwrites. */
const JOB_UPDATE_COLUMNS = [
  'uid_num', 'project_uid_num', 'status', 'type', 'category', 'title', 'title_folded', 'priority', 'has_error', 'deleted', 'created_at', 'updated_at',
  'queued_at', 'launched_at', 'started_at', 'running_at', 'waiting_at', 'completed_at', 'failed_at', 'killed_at', 'error_logged', 'doc',
] as const satisfies readonly Exclude<keyof JobTable, 'project_uid' | 'uid'>[];
// Fails to compile when a column is added to JobTable but not to the list above.
type UnwrittenColumn = Exclude<Exclude<keyof JobTable, 'project_uid' | 'uid'>, (typeof JOB_UPDATE_COLUMNS)[number]>;
const everyColumnWritten: [UnwrittenColumn] extends [never] ? true : UnwrittenColumn = true;
void everyColumnWritten;

/** The single write path: rows, edges, workspaces, tags and status events in the caller's transaction. */
// Any fixed number: the same in every jobgraph process sharing a database.
const EVENT_LOG_LOCK = 0x6a6f6265;

async function writeJobsIn(trx: Db, jobs: readonly Job[], { recordEvents = true }: WriteJobsOptions, dialect: Dialect): Promise<WriteJobsResult> {
  // A batch may name the same job twice (a watched file rewritten quickly): the last document wins.
  const latest = new Map<string, Job>();
  for (const job of jobs) latest.set(keyOf(job.project_uid, job.uid), job);
  const batch = [...latest.values()];
  const keys = batch.map((j) => ({ projectUid: j.project_uid, uid: j.uid }));
  const batchRows = batch.map(rowsOfJob);

  const previous = new Map<string, JobStatus>();
  for (const [projectUid, uids] of groupByProject(keys)) {
    for (const part of chunk(uids, LOOKUP_CHUNK)) {
      const rows = await trx
        .selectFrom('jobs')
        .select(['uid', 'status'])
        .where('project_uid', '=', projectUid)
        .where('uid', 'in', part)
        .modifyEnd(named('readPreviousStatus'))
        .execute();
      for (const row of rows) previous.set(keyOf(projectUid, row.uid), row.status);
    }
  }

  for (const part of chunk(batchRows.map((r) => r.job), INSERT_CHUNK)) {
    await trx
      .insertInto('jobs')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['project_uid', 'uid']).doUpdateSet((eb) => Object.fromEntries(JOB_UPDATE_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .modifyEnd(named('upsertJobs'))
      .execute();
  }

  const existing = groupByProject(keys.filter((k) => previous.has(keyOf(k.projectUid, k.uid))));
  for (const [projectUid, uids] of existing) {
    for (const part of chunk(uids, LOOKUP_CHUNK)) {
      await trx.deleteFrom('job_edges').where('project_uid', '=', projectUid).where('child_uid', 'in', part).modifyEnd(named('clearEdges')).execute();
      await trx.deleteFrom('job_workspaces').where('project_uid', '=', projectUid).where('job_uid', 'in', part).modifyEnd(named('clearWorkspaces')).execute();
      await trx.deleteFrom('job_tags').where('project_uid', '=', projectUid).where('job_uid', 'in', part).modifyEnd(named('clearTags')).execute();
    }
  }
  const edges = batchRows.flatMap((r) => r.edges);
  const workspaces = batchRows.flatMap((r) => r.workspaces);
  const tags = batchRows.flatMap((r) => r.tags);
  if (dialect === 'postgres') {
    await insertByColumn(trx, 'job_edges', EDGE_COLUMNS, edges, 'insertEdges');
    await insertByColumn(trx, 'job_workspaces', WORKSPACE_COLUMNS, workspaces, 'insertWorkspaces');
    await insertByColumn(trx, 'job_tags', TAG_COLUMNS, tags, 'insertTags');
  } else {
    for (const part of chunk(edges, INSERT_CHUNK * 4)) {
      await trx.insertInto('job_edges').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertEdges')).execute();
    }
    for (const part of chunk(workspaces, INSERT_CHUNK * 4)) {
      await trx.insertInto('job_workspaces').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertWorkspaces')).execute();
    }
    for (const part of chunk(tags, INSERT_CHUNK * 4)) {
      await trx.insertInto('job_tags').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertTags')).execute();
    }
  }

  const at = new Date().toISOString();
  const changes = recordEvents
    ? batch
        .filter((job) => previous.get(keyOf(job.project_uid, job.uid)) !== job.status)
        .map((job) => ({
          project_uid: job.project_uid,
          job_uid: job.uid,
          previous_status: previous.get(keyOf(job.project_uid, job.uid)) ?? null,
          status: job.status,
          at,
        }))
    : [];
  const events: StoredStatusEvent[] = [];
  if (changes.length > 0 && dialect === 'postgres') {
    // Sequence numbers must commit in order, or a reader could pass 42 before 41 becomes visible and never
    // see 41. Taking this lock before drawing numbers, and holding it to commit, makes commit order = seq order.
    // SQLite has a single writer, so it already is.
    await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`.execute(trx);
  }
  for (const part of chunk(changes, INSERT_CHUNK)) {
    const rows = await trx.insertInto('job_events').values(part).returningAll().modifyEnd(named('appendEvents')).execute();
    events.push(...rows.map(eventRowToEvent));
  }
  events.sort((a, b) => a.seq - b.seq);
  return { created: batch.length - previous.size, updated: previous.size, events };
}

/**
 * Link rows (edges, workspaces, tags) on PostgreSQL go in by column: `insert … select * from
 * unnest($1::text[], …)` binds one array per column instead of one parameter per value, which
 * PostgreSQL parses and plans faster than a multi-row VALUES list, with no bound-parameter limit.
 * Not the jobs: an array literal of ~9 KB JSON documents costs more to escape and parse than
 * the parameters it saves.
 */
type PgColumns<T> = readonly (readonly [keyof T & string, 'text'])[];

const EDGE_COLUMNS: PgColumns<JobEdgeTable> = [['project_uid', 'text'], ['parent_uid', 'text'], ['child_uid', 'text']];
const WORKSPACE_COLUMNS: PgColumns<JobWorkspaceTable> = [['project_uid', 'text'], ['job_uid', 'text'], ['workspace_uid', 'text']];
const TAG_COLUMNS: PgColumns<JobTagTable> = [['project_uid', 'text'], ['job_uid', 'text'], ['tag', 'text']];

/** `insert into table (columns) select * from unnest($1::type[], …)`, one array per column. */
function insertSelectByColumn<T>(table: string, columns: PgColumns<T>, rows: readonly T[]) {
  const arrays = columns.map(([column, type]) => {
    const values = rows.map((row) => (row as Record<string, unknown>)[column] ?? null);
    return sql`${values}::${sql.raw(type)}[]`;
  });
  return sql`insert into ${sql.table(table)} (${sql.join(columns.map(([column]) => sql.ref(column)))}) select * from unnest(${sql.join(arrays)})`;
}

async function insertByColumn<T>(trx: Db, table: string, columns: PgColumns<T>, rows: readonly T[], name: string): Promise<void> {
  if (rows.length === 0) return;
  await sql`${insertSelectByColumn(table, columns, rows)} on conflict do nothing ${named(name)}`.execute(trx);
}
