import type { Job } from '../model/job.js';
import type { JobKey, JobStore, StoredStatusEvent, WriteJobsOptions, WriteJobsResult } from '../store/job-store.js';
import type { EventBus } from './event-bus.js';

/**
 * The write path every producer uses (mutations, import, watch, ingest
 * endpoint): one store transaction, then — only after commit — the bus.
 */
export interface JobWriter {
  writeJobs(jobs: readonly Job[], options?: WriteJobsOptions): Promise<WriteJobsResult>;
  updateJob(key: JobKey, change: (job: Job) => Job): Promise<{ job: Job; event?: StoredStatusEvent } | undefined>;
}

export function createJobWriter({ store, bus }: { store: JobStore; bus: EventBus }): JobWriter {
  return {
    async writeJobs(jobs, options) {
      const result = await store.writeJobs(jobs, options);
      if (result.events.length > 0) {
        const written = new Map(jobs.map((job) => [`${job.project_uid}/${job.uid}`, job]));
        await bus.publish(result.events.map((event) => ({ ...event, job: written.get(`${event.projectUid}/${event.jobUid}`) })));
      }
      return result;
    },
    async updateJob(key, change) {
      const result = await store.updateJob(key, change);
      if (result?.event) await bus.publish([{ ...result.event, job: result.job }]);
      return result;
    },
  };
}
