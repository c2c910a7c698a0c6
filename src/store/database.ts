import { lazyJob } from './lazy-job.js';
import type { Generated, Insertable, Selectable } from 'kysely';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';

/**
 * Table interfaces live here and nowhere else. Timestamps are ISO-8601 UTC
 * strings in both dialects (fixed width, so they sort as text); documents are
 * the JSON text jobgraph wrote, in both dialects (migration 0005), parsed
 * only when a field outside the columns is read (lazy-job.ts).
 */
export interface Database {
  projects: ProjectTable;
  workspaces: WorkspaceTable;
  jobs: JobTable;
  job_workspaces: JobWorkspaceTable;
  job_tags: JobTagTable;
  job_edges: JobEdgeTable;
  job_events: JobEventTable;
  deployment: DeploymentTable;
  follower_positions: FollowerPositionTable;
  leases: LeaseTable;
}

/** One row: the deployment's identity, drawn when its database was created (see the 2026_11_30_0002 migration). */
export interface DeploymentTable {
  id: string;
  created_at: string;
}

/** Where a follower of another system stands (see the 2026_12_01_0001 migration). */
export interface FollowerPositionTable {
  source: string;
  position: string;
  updated_at: string;
}

/** Who holds a lease, until when (ISO-8601 UTC). */
export interface LeaseTable {
  name: string;
  holder: string;
  expires_at: string;
}

export interface ProjectTable {
  uid: string;
  uid_num: number;
  title: string;
  created_at: string;
  updated_at: string;
  deleted: number;
  doc: unknown;
}

export interface WorkspaceTable {
  project_uid: string;
  uid: string;
  uid_num: number;
  title: string;
  created_at: string;
  updated_at: string;
  deleted: number;
  doc: unknown;
}

export interface JobTable {
  project_uid: string;
  uid: string;
  uid_num: number;
  project_uid_num: number;
  status: JobStatus;
  type: string;
  category: string | null;
  title: string;
  /** The title folded for case-insensitive search in any script (model/text-fold.ts), written with every row. */
  title_folded: string;
  priority: number;
  has_error: number;
  deleted: number;
  created_at: string;
  updated_at: string;
  queued_at: string | null;
  launched_at: string | null;
  started_at: string | null;
  running_at: string | null;
  waiting_at: string | null;
  completed_at: string | null;
  failed_at: string | null;
  killed_at: string | null;
  /** The document's own `has_error` (the `has_error` column also counts run errors). */
  error_logged: number;
  doc: unknown;
}

export interface JobWorkspaceTable {
  project_uid: string;
  job_uid: string;
  workspace_uid: string;
}

export interface JobTagTable {
  project_uid: string;
  job_uid: string;
  tag: string;
}

export interface JobEdgeTable {
  project_uid: string;
  parent_uid: string;
  child_uid: string;
}

export interface JobEventTable {
  seq: Generated<number>;
  project_uid: string;
  job_uid: string;
  previous_status: JobStatus | null;
  status: JobStatus;
  at: string;
}

export type JobRow = Selectable<JobTable>;
export type NewJobRow = Insertable<JobTable>;
export type ProjectRow = Selectable<ProjectTable>;
export type WorkspaceRow = Selectable<WorkspaceTable>;
export type JobEventRow = Selectable<JobEventTable>;

function parseDoc<T>(doc: unknown): T {
  return (typeof doc === 'string' ? JSON.parse(doc) : doc) as T;
}

/**
 * The stored document is the normalised CryoSPARC job; columns only index it.
 * Column values in `row` (uid, status, …) are served without parsing the document.
 */
export function rowToJob(row: { doc: JobRow['doc'] | null } & Partial<JobRow>): Job {
  return typeof row.doc === 'string' || row.doc === null ? lazyJob(row, row.doc) : (row.doc as Job);
}

export function rowToProject(row: Pick<ProjectRow, 'doc'>): Project {
  return parseDoc<Project>(row.doc);
}

export function rowToWorkspace(row: Pick<WorkspaceRow, 'doc'>): Workspace {
  return parseDoc<Workspace>(row.doc);
}
