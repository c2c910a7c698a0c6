/**
 * The demo that moves: while `serve --demo` runs, a few jobs of the demo's
 * projects walk through their lifecycle (queued → launched → started →
 * running → completed, now and then failed), one step every few seconds,
 * through the same writer as every other change, so subscribers and the
 * viewer see live events at once. `--no-demo-activity` turns it off.
 */
import type { JobStatus } from '../../model/job-status.js';
import { applyStatusChange } from '../../model/status-change.js';
import type { JobWriter } from '../../events/job-writer.js';
import type { JobStore } from '../../store/job-store.js';
import { Rng } from './random.js';

export interface DemoActivityOptions {
  store: JobStore;
  writer: JobWriter;
  /** Time between two steps. @default 3000 */
  intervalMs?: number;
  /** Jobs walking through their lifecycle at once. @default 3 */
  inFlight?: number;
  /** Seed of the choices (same seed, same walk over the same data). @default 1 */
  seed?: number;
  /** Where a failed step is reported; the activity goes on. */
  onError?: (error: unknown) => void;
}

export interface DemoActivity {
  stop(): void;
}

/** Each job's next step on its way to an end; a finished job is cleared (building) and queued again later. */
const NEXT: Partial<Record<JobStatus, JobStatus>> = {
  building: 'queued',
  queued: 'launched',
  launched: 'started',
  started: 'running',
  waiting: 'running',
};

export function startDemoActivity({ store, writer, intervalMs = 3000, inFlight = 3, seed = 1, onError }: DemoActivityOptions): DemoActivity {
  const random = new Rng(seed);
  const walking: { projectUid: string; uid: string }[] = [];
  let busy = false;

  async function pickJob(): Promise<{ projectUid: string; uid: string } | undefined> {
    const projects = await store.listProjects({ first: 10 });
    const project = projects.edges[Math.floor(random.next() * projects.edges.length)]?.node;
    if (!project) return undefined;
    const page = await store.listJobs({ filter: { projectUid: project.uid, status: ['completed', 'failed', 'killed'] }, page: { first: 100 } });
    const job = page.edges[Math.floor(random.next() * page.edges.length)]?.node;
    return job && !walking.some((w) => w.projectUid === job.project_uid && w.uid === job.uid) ? { projectUid: job.project_uid, uid: job.uid } : undefined;
  }

  async function step(): Promise<void> {
    if (walking.length < inFlight) {
      const picked = await pickJob();
      if (picked) walking.push(picked);
    }
    const index = Math.floor(random.next() * walking.length);
    const key = walking[index];
    if (!key) return;
    const now = new Date().toISOString();
    let done = false;
    await writer.updateJob(key, (job) => {
      let to = NEXT[job.status];
      if (job.status === 'running') to = random.next() < 0.2 ? 'failed' : 'completed';
      if (job.status === 'completed' || job.status === 'failed' || job.status === 'killed') to = 'building';
      if (!to) return job;
      done = to === 'completed' || to === 'failed';
      return applyStatusChange(job, to, now);
    });
    if (done) walking.splice(index, 1);
  }

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    step()
      .catch((error: unknown) => onError?.(error))
      .finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
