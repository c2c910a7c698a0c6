/**
 * Control actions sent to the followed CryoSPARC (the `JobControl` of a
 * gateway that follows one). Each action is the operation the public client
 * would call; CryoSPARC's answer (the job's document) is applied at once
 * through the follower, so the mutation's answer and its status event show
 * upstream truth. A refusal or an unreachable instance changes nothing
 * locally, and nothing is kept to be sent later.
 *
 * | mutation | operation |
 * | --- | --- |
 * | setJobStatus QUEUED / KILLED / BUILDING / COMPLETED / FAILED | `jobs.enqueue` / `jobs.kill` / `jobs.clear` / `jobs.mark_completed` / `jobs.mark_failed` |
 * | setJobStatus LAUNCHED, STARTED, RUNNING, WAITING | refused: SCHEDULER_STATUS (CryoSPARC's scheduler sets them) |
 * | updateJob title / description / priority | `jobs.set_title` / `jobs.set_description` / `jobs.set_priority` |
 * | updateJob tags | `jobs.add_tag` and `jobs.remove_tag` for the difference |
 * | starJob / unstarJob | `jobs.star_job` / `jobs.unstar_job` (as the CryoSPARC user jobgraph logs in as) |
 */
import type { ControlResult, JobControl, JobEdits } from '../../events/job-control.js';
import { SchedulerStatusError, UpstreamError } from '../../model/errors.js';
import type { JobStatus } from '../../model/job-status.js';
import type { JobKey, JobStore } from '../../store/job-store.js';
import type { CryosparcClient } from './api-client.js';
import type { CryosparcFollower } from './follower.js';

const STATUS_OPERATIONS: Partial<Record<JobStatus, string>> = {
  queued: 'jobs.enqueue',
  killed: 'jobs.kill',
  building: 'jobs.clear',
  completed: 'jobs.mark_completed',
  failed: 'jobs.mark_failed',
};

/**
 * Every operation control needs: connecting fails when one is missing. Unstarring is not among them: the
 * public client's contract names `jobs.star_job` only, so an instance without `jobs.unstar_job` is followed
 * and `unstarJob` alone is refused.
 */
export const CONTROL_OPERATIONS = [
  ...Object.values(STATUS_OPERATIONS),
  'jobs.set_title',
  'jobs.set_description',
  'jobs.set_priority',
  'jobs.add_tag',
  'jobs.remove_tag',
  'jobs.star_job',
] as const;

const UNSTAR_OPERATION = 'jobs.unstar_job';

export function createUpstreamJobControl({ client, follower, store }: { client: CryosparcClient; follower: CryosparcFollower; store: JobStore }): JobControl {
  const path = (key: JobKey) => [key.projectUid, key.uid];
  /** The job as jobgraph holds it; undefined when unknown (NOT_FOUND, nothing sent). */
  const known = async (key: JobKey) => (await store.findJobs([key], { columnsOnly: ['updated_at'] }))[0];

  /** Applies one action; when the status did not move (a poll applied it first), the job's last event stands for it. */
  const act = async (key: JobKey, call: () => Promise<unknown>): Promise<ControlResult> => {
    const result = await follower.act(call);
    if (result.event) return result;
    const head = await store.lastEventSeq();
    const recent = await store.readEvents({ afterSeq: Math.max(0, head - 10_000), projectUid: key.projectUid, jobUids: [key.uid], limit: 10_000 });
    return { job: result.job, event: recent.at(-1) };
  };

  return {
    target: 'upstream',
    async setStatus(key, status) {
      const operation = STATUS_OPERATIONS[status];
      if (!operation) {
        throw new SchedulerStatusError(
          `${status.toUpperCase()} is set by CryoSPARC's scheduler, not by a client: queue the job (QUEUED) and CryoSPARC moves it through launched, started and running.`,
          { details: { status: status.toUpperCase() } },
        );
      }
      if (!(await known(key))) return undefined;
      return act(key, async () => (await client.call(operation, { path: path(key) })).body);
    },
    async update(key, edits: JobEdits) {
      const current = await store.findJobs([key]);
      const job = current[0];
      if (!job) return undefined;
      const calls: (() => Promise<unknown>)[] = [];
      if (edits.title != null) calls.push(async () => (await client.call('jobs.set_title', { path: path(key), args: { title: edits.title } })).body);
      if (edits.description != null) calls.push(async () => (await client.call('jobs.set_description', { path: path(key), args: { body: edits.description } })).body);
      if (edits.priority != null) calls.push(async () => (await client.call('jobs.set_priority', { path: path(key), args: { priority: edits.priority } })).body);
      if (edits.tags != null) {
        const wanted = new Set(edits.tags);
        for (const tag of edits.tags) if (!job.tags.includes(tag)) calls.push(async () => (await client.call('jobs.add_tag', { path: [...path(key), tag], args: { tag_uid: tag } })).body);
        for (const tag of job.tags) if (!wanted.has(tag)) calls.push(async () => (await client.call('jobs.remove_tag', { path: [...path(key), tag], args: { tag_uid: tag } })).body);
      }
      if (calls.length === 0) return { job };
      let result: ControlResult | undefined;
      for (const call of calls) result = await follower.act(call);
      return result!;
    },
    async star(key, _userId, starred) {
      if (!(await known(key))) return undefined;
      if (!starred && !client.has(UNSTAR_OPERATION)) {
        throw new UpstreamError(`This CryoSPARC offers no "${UNSTAR_OPERATION}" operation: unstar the job in CryoSPARC itself.`, { details: { operation: UNSTAR_OPERATION } });
      }
      const operation = starred ? 'jobs.star_job' : UNSTAR_OPERATION;
      return follower.act(async () => (await client.call(operation, { path: path(key) })).body);
    },
  };
}
