import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { type Job, parseJobDocument } from '../../src/model/job.js';
import { JOB_STATUSES } from '../../src/model/job-status.js';
import type { JobStore } from '../../src/store/job-store.js';

/** Two synthetic projects, stored, plus the parsed documents the tests compute expectations from. */
export async function seedTwoProjects(store: JobStore, sizes: [number, number] = [160, 70]): Promise<Job[]> {
  const bundles = [generateProject({ projectUid: 'P1', jobs: sizes[0], seed: 11 }), generateProject({ projectUid: 'P2', jobs: sizes[1], seed: 12 })];
  await loadProjects(store, bundles);
  return bundles.flatMap((b) => b.jobs.map((j) => parseJobDocument(j)));
}

export const statusRank = (status: string) => (JOB_STATUSES as readonly string[]).indexOf(status);

/** Lower-case enum value as the API shows it. */
export const apiStatus = (status: string) => status.toUpperCase();

export function byUid(a: Job, b: Job): number {
  return a.project_uid_num - b.project_uid_num || a.uid_num - b.uid_num;
}
