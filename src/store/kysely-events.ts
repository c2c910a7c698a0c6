/** The Kysely store's event log: reading it (with the events' job columns when asked) and its last sequence number. */
import type { Kysely } from 'kysely';
import type { Job } from '../model/job.js';
import { type Database, type JobEventRow, rowToJob } from './database.js';
import type { EventQuery, StoredStatusEvent } from './job-store.js';
import { JOB_COLUMNS } from './lazy-job.js';
import { named } from './kysely-shared.js';

/** Job columns as readEvents joins them, under aliases that cannot clash with the event's own. */
const JOINED_JOB_COLUMNS = JOB_COLUMNS.map((column) => [column, `j_${column}`] as const);

export function eventRowToEvent(row: JobEventRow): StoredStatusEvent {
  return {
    seq: Number(row.seq),
    projectUid: row.project_uid,
    jobUid: row.job_uid,
    previousStatus: row.previous_status,
    status: row.status,
    at: row.at,
  };
}

export async function readEvents(db: Kysely<Database>, query: EventQuery): Promise<(StoredStatusEvent & { job?: Job })[]> {
  let q = db.selectFrom('job_events').selectAll().where('seq', '>', query.afterSeq);
  if (query.upToSeq != null) q = q.where('seq', '<=', query.upToSeq);
  if (query.projectUid != null) q = q.where('project_uid', '=', query.projectUid);
  if (query.projectUids) q = q.where('project_uid', 'in', query.projectUids.length ? [...query.projectUids] : ['']);
  if (query.jobUids) q = q.where('job_uid', 'in', query.jobUids.length ? [...query.jobUids] : ['']);
  if (query.statuses) q = q.where('status', 'in', query.statuses.length ? [...query.statuses] : ['building']);
  q = q.orderBy('seq').limit(query.limit);
  if (!query.withJobColumns) return (await q.modifyEnd(named('readEvents')).execute()).map(eventRowToEvent);
  // The page of events first, then its jobs: joined before the limit, PostgreSQL would join the whole range.
  const rows = await db
    .selectFrom(q.as('e'))
    .leftJoin('jobs as j', (join) => join.onRef('j.project_uid', '=', 'e.project_uid').onRef('j.uid', '=', 'e.job_uid'))
    .selectAll('e')
    .select(JOINED_JOB_COLUMNS.map(([column, alias]) => `j.${column} as ${alias}` as const))
    .orderBy('e.seq')
    .modifyEnd(named('readEventsWithJobs'))
    .execute();
  return rows.map((row) => {
    const event: StoredStatusEvent & { job?: Job } = eventRowToEvent(row);
    if (row.j_uid != null) {
      const columns: Record<string, unknown> = { doc: null };
      for (const [column, alias] of JOINED_JOB_COLUMNS) columns[column] = row[alias];
      event.job = rowToJob(columns as { doc: null });
    }
    return event;
  });
}

export async function lastEventSeq(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('job_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .modifyEnd(named('lastEventSeq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

export async function deploymentId(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('deployment').select('id').modifyEnd(named('deploymentId')).executeTakeFirst();
  if (!row) throw new Error('the deployment table is empty: this database was not created by jobgraph migrations');
  return row.id;
}
