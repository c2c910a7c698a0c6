import DataLoader from 'dataloader';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import type { JobKey, JobStore, WorkspaceKey } from '../store/job-store.js';

const cacheKeyFn = (key: { projectUid: string; uid: string }) => `${key.projectUid}/${key.uid}`;

/** Every per-request batch loader, in one object. A new set per request: no data leaks between viewers. */
export function createLoaders(store: JobStore) {
  const job = new DataLoader<JobKey, Job | null, string>(async (keys) => (await store.findJobs(keys)).map((j) => j ?? null), {
    cacheKeyFn,
  });
  /** Puts jobs fetched by a listing into the job cache, so a later lookup by key costs nothing. */
  const primeJobs = (jobs: readonly Job[]) => {
    for (const j of jobs) job.prime({ projectUid: j.project_uid, uid: j.uid }, j);
  };
  const parents = new DataLoader<JobKey, Job[], string>(
    async (keys) => {
      const lists = await store.findParents(keys);
      lists.forEach(primeJobs);
      return lists;
    },
    { cacheKeyFn },
  );
  const children = new DataLoader<JobKey, Job[], string>(
    async (keys) => {
      const lists = await store.findChildren(keys);
      lists.forEach(primeJobs);
      return lists;
    },
    { cacheKeyFn },
  );
  const project = new DataLoader<string, Project | null>(async (uids) => (await store.findProjects(uids)).map((p) => p ?? null));
  const workspace = new DataLoader<WorkspaceKey, Workspace | null, string>(
    async (keys) => (await store.findWorkspaces(keys)).map((w) => w ?? null),
    { cacheKeyFn },
  );
  const workspacesOfProject = new DataLoader<string, Workspace[]>((uids) => store.listWorkspaces(uids));
  const statusCounts = new DataLoader<string, Map<JobStatus, number>>(async (uids) => {
    const counts = await store.countJobsByStatus(uids);
    return uids.map((u) => counts.get(u) ?? new Map());
  });
  return { job, primeJobs, parents, children, project, workspace, workspacesOfProject, statusCounts };
}

export type Loaders = ReturnType<typeof createLoaders>;
