/**
 * What the control mutations do (setJobStatus, updateJob, starJob,
 * unstarJob), behind one contract with two implementations: the local one
 * below changes jobgraph's own copy through the writer; a followed CryoSPARC
 * (`sources/cryosparc/upstream-control.ts`) sends the action upstream and
 * applies the document CryoSPARC answers with. The schema sees only this
 * interface, already narrowed to the caller's access by {@link scopeControl}.
 */
import { type Access, canRead, canWrite } from '../model/access.js';
import { ForbiddenError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import { applyStatusChange } from '../model/status-change.js';
import type { JobKey, StoredStatusEvent } from '../store/job-store.js';
import type { JobWriter } from './job-writer.js';

/** The job after a control action, and the status event it appended (when its status moved). */
export interface ControlResult {
  job: Job;
  event?: StoredStatusEvent | undefined;
}

/** Descriptive fields to change; absent (or null) ones stay as they are. */
export interface JobEdits {
  title?: string | null;
  description?: string | null;
  tags?: readonly string[] | null;
  priority?: number | null;
}

/**
 * Control actions on one job. Each resolves to undefined for a job that does
 * not exist (or that the caller may not read), and throws a coded error
 * (INVALID_TRANSITION, FORBIDDEN, UPSTREAM_ERROR, UPSTREAM_UNAVAILABLE,
 * SCHEDULER_STATUS) when nothing was changed.
 */
export interface JobControl {
  /** Where changes go: `local` (jobgraph's copy) or `upstream` (the followed CryoSPARC). */
  readonly target: 'local' | 'upstream';
  setStatus(key: JobKey, status: JobStatus): Promise<ControlResult | undefined>;
  update(key: JobKey, edits: JobEdits): Promise<ControlResult | undefined>;
  /** Stars (`starred` true) or unstars the job for `userId`; idempotent. */
  star(key: JobKey, userId: string, starred: boolean): Promise<ControlResult | undefined>;
}

/** Control of jobgraph's own copy: every action is one `writer.updateJob` transaction. */
export function createLocalJobControl(writer: JobWriter): JobControl {
  const now = () => new Date().toISOString();
  return {
    target: 'local',
    setStatus: (key, status) => writer.updateJob(key, (job) => applyStatusChange(job, status, now())),
    update: (key, edits) =>
      writer.updateJob(key, (job) => ({
        ...job,
        title: edits.title ?? job.title,
        description: edits.description ?? job.description,
        tags: edits.tags ? [...edits.tags] : job.tags,
        priority: edits.priority ?? job.priority,
        updated_at: now(),
      })),
    star: (key, userId, starred) =>
      writer.updateJob(key, (job) => {
        const has = job.starred_by.includes(userId);
        if (starred === has) return job;
        return { ...job, starred_by: starred ? [...job.starred_by, userId] : job.starred_by.filter((u) => u !== userId) };
      }),
  };
}

/**
 * Control as one caller may use it: acting needs a write grant on the job's
 * project. A job the caller cannot read is missing (undefined → NOT_FOUND);
 * one it can read but not change is FORBIDDEN. Checked before anything is
 * sent anywhere.
 */
export function scopeControl(control: JobControl, access: Access): JobControl {
  if (access.admin) return control;
  const check = (key: JobKey): boolean => {
    if (!canRead(access, key.projectUid)) return false;
    if (!canWrite(access, key.projectUid)) throw new ForbiddenError(`No write access to project ${key.projectUid}.`);
    return true;
  };
  return {
    target: control.target,
    setStatus: async (key, status) => (check(key) ? control.setStatus(key, status) : undefined),
    update: async (key, edits) => (check(key) ? control.update(key, edits) : undefined),
    star: async (key, userId, starred) => (check(key) ? control.star(key, userId, starred) : undefined),
  };
}
