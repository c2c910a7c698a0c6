import { InvalidTransitionError } from './errors.js';

/** CryoSPARC job statuses, in CryoSPARC's own order (also the gateway's `status_num`). */
export const JOB_STATUSES = [
  'building',
  'queued',
  'launched',
  'started',
  'running',
  'waiting',
  'completed',
  'killed',
  'failed',
] as const;

export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses a job ends in (`wait_for_done` in cryosparc-tools waits for these). */
export const TERMINAL_STATUSES = ['completed', 'killed', 'failed'] as const satisfies readonly JobStatus[];

/** "Active" jobs in CryoSPARC's sense: running or waiting for interaction; they cannot be deleted. */
export const ACTIVE_STATUSES = ['running', 'waiting'] as const satisfies readonly JobStatus[];

export function isJobStatus(value: unknown): value is JobStatus {
  return typeof value === 'string' && (JOB_STATUSES as readonly string[]).includes(value);
}

/** True for `completed`, `killed` and `failed`. */
export function isTerminalStatus(status: JobStatus): boolean {
  return (TERMINAL_STATUSES as readonly JobStatus[]).includes(status);
}

/** True for `running` and `waiting`. */
export function isActiveStatus(status: JobStatus): boolean {
  return (ACTIVE_STATUSES as readonly JobStatus[]).includes(status);
}

/**
 * Status changes the gateway accepts, following CryoSPARC's commands (the
 * upstream source has no table; this is our reading of it):
 *
 * | from        | to                                         | by                          |
 * | ----------- | ------------------------------------------ | --------------------------- |
 * | `building`  | `queued`                                   | queue (`jobs.enqueue`)      |
 * | `queued`    | `launched`, `killed`, `building`           | scheduler, kill, clear      |
 * | `launched`  | `started`, `killed`, `failed`              | scheduler, kill, fail       |
 * | `started`   | `running`, `killed`, `failed`              | scheduler, kill, fail       |
 * | `running`   | `waiting`, `completed`, `killed`, `failed` | job, complete, kill, fail   |
 * | `waiting`   | `running`, `completed`, `killed`, `failed` | job, complete, kill, fail   |
 * | `completed` | `building`                                 | clear                       |
 * | `killed`    | `completed`, `building`                    | mark_completed, clear       |
 * | `failed`    | `completed`, `building`                    | mark_completed, clear       |
 *
 * A status never transitions to itself.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  building: ['queued'],
  queued: ['launched', 'killed', 'building'],
  launched: ['started', 'killed', 'failed'],
  started: ['running', 'killed', 'failed'],
  running: ['waiting', 'completed', 'killed', 'failed'],
  waiting: ['running', 'completed', 'killed', 'failed'],
  completed: ['building'],
  killed: ['completed', 'building'],
  failed: ['completed', 'building'],
};

/** True when {@link ALLOWED_TRANSITIONS} lets a job go from `from` to `to`. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

/**
 * Throws unless `from -> to` is allowed.
 * @throws InvalidTransitionError naming both statuses and the allowed targets.
 */
export function assertTransition(from: JobStatus, to: JobStatus): void {
  if (canTransition(from, to)) return;
  const allowed = ALLOWED_TRANSITIONS[from];
  throw new InvalidTransitionError(
    `cannot change job status from "${from}" to "${to}"; from "${from}" a job may go to: ${allowed.join(', ')}`,
    { details: { from, to, allowed } },
  );
}
