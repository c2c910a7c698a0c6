import type { Job } from './job.js';
import { JOB_STATUSES, type JobStatus, assertTransition } from './job-status.js';

/** The timestamp field each status sets when a job enters it. */
export const STATUS_TIMESTAMP: Partial<Record<JobStatus, keyof Job>> = {
  queued: 'queued_at',
  launched: 'launched_at',
  started: 'started_at',
  running: 'running_at',
  waiting: 'waiting_at',
  completed: 'completed_at',
  killed: 'killed_at',
  failed: 'failed_at',
};

/**
 * The job after a control action moves it to `to`: the transition is checked
 * against the lifecycle (throws InvalidTransitionError), the matching
 * timestamp is set, and clearing back to `building` forgets the last run.
 */
export function applyStatusChange(job: Job, to: JobStatus, now: string): Job {
  assertTransition(job.status, to);
  const next: Job = { ...job, status: to, status_num: JOB_STATUSES.indexOf(to), updated_at: now };
  const stamp = STATUS_TIMESTAMP[to];
  if (stamp) (next as Record<string, unknown>)[stamp] = now;
  if (to === 'completed') next.completed_count = job.completed_count + 1;
  if (to === 'queued') next.queue_status = 'actively_queued';
  if (to !== 'queued') next.queue_status = null;
  if (to === 'building') {
    for (const key of Object.values(STATUS_TIMESTAMP)) (next as Record<string, unknown>)[key] = null;
    next.errors_run = [];
    next.has_error = false;
    next.PID_main = null;
    next.PID_monitor = null;
    next.PID_workers = [];
  }
  return next;
}
