import DataLoader from 'dataloader';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import type { JobKey, JobReadOptions, JobStore, WorkspaceKey } from '../store/job-store.js';

const cacheKeyFn = (key: { projectUid: string; uid: string }) => `${key.projectUid}/${key.uid}`;

/** Every per-request batch loader, in one object. A new set per request: no data leaks between viewers. */
export function createLoaders(store: JobStore) {
  // Two of each job loader: one reading columns only, for operations that ask for nothing else
  // (schema/selection.ts), and one reading the document too. A job read whole serves both.
  const job = new DataLoader<JobKey, Job | null, string>(async (keys) => (await store.findJobs(keys)).map((j) => j ?? null), {
    cacheKeyFn,
  });
  const jobColumns = new DataLoader<JobKey, Job | null, string>(
    async (keys) => (await store.findJobs(keys, { columnsOnly: true })).map((j) => j ?? null),
    { cacheKeyFn },
  );
  /**
   * Puts jobs fetched by a listing into the job caches, so a later lookup by key costs nothing:
   * jobs read with their document into both, jobs read from their columns into the columns cache only.
   */
  const primeJobs = (jobs: readonly Job[], { columnsOnly = false }: JobReadOptions = {}) => {
    for (const j of jobs) {
      const key = { projectUid: j.project_uid, uid: j.uid };
      if (!columnsOnly) job.prime(key, j);
      jobColumns.prime(key, j);
    }
  };
  const neighbours = (side: 'findParents' | 'findChildren', options: JobReadOptions) =>
    new DataLoader<JobKey, Job[], string>(
      async (keys) => {
        const lists = await store[side](keys, options);
        for (const list of lists) primeJobs(list, options);
        return lists;
      },
      { cacheKeyFn },
    );
  const parents = neighbours('findParents', {});
  const parentColumns = neighbours('findParents', { columnsOnly: true });
  const children = neighbours('findChildren', {});
  const childColumns = neighbours('findChildren', { columnsOnly: true });
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
  return { job, jobColumns, primeJobs, parents, parentColumns, children, childColumns, project, workspace, workspacesOfProject, statusCounts };
}

export type Loaders = ReturnType<typeof createLoaders>;
