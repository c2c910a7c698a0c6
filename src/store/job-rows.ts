import type { Job } from '../model/job.js';
import { categoryOfJobType } from '../model/job-category.js';
import { parentUidsOf } from '../model/edges.js';
import { foldText } from '../model/text-fold.js';
import type { Project, Workspace } from '../model/project.js';
import type { Database, JobEdgeTable, JobTagTable, JobWorkspaceTable, NewJobRow } from './database.js';
import type { Insertable } from 'kysely';
import { lazyJob } from './lazy-job.js';

/** Column values of a job document: what the indexes and filters work on. */
export function jobToRow(job: Job): NewJobRow {
  return {
    project_uid: job.project_uid,
    uid: job.uid,
    uid_num: job.uid_num,
    project_uid_num: job.project_uid_num,
    status: job.status,
    type: job.spec.type,
    category: categoryOfJobType(job.spec.type),
    title: job.title,
    title_folded: foldText(job.title),
    priority: job.priority,
    has_error: job.has_error || job.errors_run.length > 0 ? 1 : 0,
    deleted: job.deleted ? 1 : 0,
    created_at: job.created_at,
    updated_at: job.updated_at,
    queued_at: job.queued_at,
    launched_at: job.launched_at,
    started_at: job.started_at,
    running_at: job.running_at,
    waiting_at: job.waiting_at,
    completed_at: job.completed_at,
    failed_at: job.failed_at,
    killed_at: job.killed_at,
    error_logged: job.has_error ? 1 : 0,
    doc: JSON.stringify(job),
  };
}

export function jobEdgeRows(job: Job): JobEdgeTable[] {
  return parentUidsOf(job).map((parent_uid) => ({ project_uid: job.project_uid, parent_uid, child_uid: job.uid }));
}

export function jobWorkspaceRows(job: Job): JobWorkspaceTable[] {
  return [...new Set(job.workspace_uids)].map((workspace_uid) => ({ project_uid: job.project_uid, job_uid: job.uid, workspace_uid }));
}

export function jobTagRows(job: Job): JobTagTable[] {
  return [...new Set(job.tags)].map((tag) => ({ project_uid: job.project_uid, job_uid: job.uid, tag }));
}

/** Every row `writeJobs` stores for one job. Plain data: it crosses worker threads. */
export interface JobRows {
  job: NewJobRow;
  edges: JobEdgeTable[];
  workspaces: JobWorkspaceTable[];
  tags: JobTagTable[];
}

export function jobRows(job: Job): JobRows {
  return { job: jobToRow(job), edges: jobEdgeRows(job), workspaces: jobWorkspaceRows(job), tags: jobTagRows(job) };
}

const preparedRows = new WeakMap<Job, JobRows>();

/**
 * The job whose rows were already built (by an import worker): writing it
 * reuses them, and its document is parsed only if a field outside the row's
 * columns is read. Do not modify it: the rows would not follow.
 */
export function preparedJob(rows: JobRows): Job {
  const job = lazyJob(rows.job, rows.job.doc as string);
  preparedRows.set(job, rows);
  return job;
}

/** The rows of `job`, built now unless it came from {@link preparedJob}. */
export function rowsOfJob(job: Job): JobRows {
  return preparedRows.get(job) ?? jobRows(job);
}

export function projectToRow(project: Project): Insertable<Database['projects']> {
  return {
    uid: project.uid,
    uid_num: project.uid_num,
    title: project.title,
    created_at: project.created_at,
    updated_at: project.updated_at,
    deleted: project.deleted ? 1 : 0,
    doc: JSON.stringify(project),
  };
}

export function workspaceToRow(workspace: Workspace): Insertable<Database['workspaces']> {
  return {
    project_uid: workspace.project_uid,
    uid: workspace.uid,
    uid_num: workspace.uid_num,
    title: workspace.title ?? '',
    created_at: workspace.created_at,
    updated_at: workspace.updated_at,
    deleted: workspace.deleted ? 1 : 0,
    doc: JSON.stringify(workspace),
  };
}

/** Splits rows so that one multi-row INSERT stays under both dialects' bound-parameter limits. */
export function chunk<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Groups keys by project so a batch becomes `project_uid = ? and uid in (...)` per project. */
export function groupByProject<K extends { projectUid: string; uid: string }>(keys: readonly K[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const list = groups.get(key.projectUid);
    if (list) list.push(key.uid);
    else groups.set(key.projectUid, [key.uid]);
  }
  return groups;
}

export function keyOf(projectUid: string, uid: string): string {
  return `${projectUid}/${uid}`;
}
