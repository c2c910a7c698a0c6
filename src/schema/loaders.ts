import DataLoader from 'dataloader';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import type { JobKey, JobReadOptions, JobStore, LineagePage, NeighbourKey, WorkspaceKey } from '../store/job-store.js';

const cacheKeyFn = (key: { projectUid: string; uid: string }) => `${key.projectUid}/${key.uid}`;
const neighbourCacheKey = (key: NeighbourKey) => `${key.side}:${key.projectUid}/${key.uid}`;

/** One side of the neighbours loader, loaded by job key. */
function sideOf(loader: DataLoader<NeighbourKey, Job[], string>, side: NeighbourKey['side']) {
  return { load: (key: JobKey) => loader.load({ projectUid: key.projectUid, uid: key.uid, side }) };
}

/** Every per-request batch loader, in one object. A new set per request: no data leaks between viewers. */
export function createLoaders(store: JobStore) {
  // Job loaders come one per way of reading (the document, or a set of columns; schema/selection.ts),
  // made on first use: a job read one way is not served to a request that needs more of it.
  const jobReads = new Map<string, DataLoader<JobKey, Job | null, string>>();
  // Jobs listed by a page or a walk, kept for their read until a lookup of that read needs them: most
  // requests never look a listed job up again, and priming a loader costs a key and a map entry per job.
  const listed = new Map<string, { options: JobReadOptions; lists: (readonly Job[])[] }>();
  const jobs = (options: JobReadOptions = {}) => {
    const loader = loaderFor(jobReads, options, () => new DataLoader<JobKey, Job | null, string>(async (keys) => (await store.findJobs(keys, options)).map((j) => j ?? null), { cacheKeyFn }));
    const waiting = listed.get(readKey(options));
    if (waiting) {
      listed.delete(readKey(options));
      for (const list of waiting.lists) for (const j of list) loader.prime({ projectUid: j.project_uid, uid: j.uid }, j);
    }
    return loader;
  };
  /** Puts jobs fetched by a listing into the job cache of the same read, so a later lookup by key costs nothing. */
  const primeJobs = (list: readonly Job[], options: JobReadOptions = {}) => {
    if (list.length === 0) return;
    const key = readKey(options);
    const waiting = listed.get(key);
    if (waiting) waiting.lists.push(list);
    else listed.set(key, { options, lists: [list] });
  };
  // Parents and children share one loader per way of reading: a page asking for both costs one statement.
  const neighbourReads = new Map<string, DataLoader<NeighbourKey, Job[], string>>();
  const neighbours = (options: JobReadOptions = {}) =>
    loaderFor(
      neighbourReads,
      options,
      () =>
        new DataLoader<NeighbourKey, Job[], string>(
          async (keys) => {
            const lists = await store.findNeighbours(keys, options);
            for (const list of lists) primeJobs(list, options);
            return lists;
          },
          { cacheKeyFn: neighbourCacheKey },
        ),
    );
  /** After a write: every cached read of the job is stale; the written job is the new document read. */
  const replaceJob = (key: JobKey, job: Job) => {
    // Listed jobs go into their loaders first, so the stale one among them is cleared below.
    for (const { options } of [...listed.values()]) jobs(options);
    for (const loader of jobReads.values()) loader.clear(key);
    jobs().prime(key, job);
  };
  const keptNeighbours = new WeakMap<Job, { parents?: { read: string; list: Job[] }; children?: { read: string; list: Job[] } }>();
  // Walks read with their root (schema/walk-ahead.ts), by root job and response name, until their resolver takes them.
  const walks = new WeakMap<Job, Map<string, { read: string; page: LineagePage }>>();
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
  return {
    /** Jobs by key, read as `options` says (default: with their document). */
    jobs,
    primeJobs,
    replaceJob,
    /**
     * Keeps the neighbour lists a page read with its jobs (aligned with `jobs`) for their resolvers: a list
     * handed over as it is, not through a loader, costs no key, no promise and no batch.
     */
    keepNeighbours(side: NeighbourKey['side'], options: JobReadOptions, jobs: readonly Job[], lists: readonly Job[][]) {
      const read = readKey(options);
      jobs.forEach((job, i) => {
        let kept = keptNeighbours.get(job);
        if (!kept) keptNeighbours.set(job, (kept = {}));
        kept[side] = { read, list: lists[i]! };
        primeJobs(lists[i]!, options);
      });
    },
    /** The `side` of `job` a page read with it (see keepNeighbours), if read as `options` says. */
    keptNeighbours(job: Job, side: NeighbourKey['side'], options: JobReadOptions): Job[] | undefined {
      const kept = keptNeighbours.get(job)?.[side];
      return kept && kept.read === readKey(options) ? kept.list : undefined;
    },
    /** Keeps a walk's page, read with its root `job`, for the walk's resolver under `responseName`. */
    keepWalk(job: Job, responseName: string, options: JobReadOptions, page: LineagePage) {
      let kept = walks.get(job);
      if (!kept) walks.set(job, (kept = new Map()));
      kept.set(responseName, { read: readKey(options), page });
    },
    /** The page kept for this walk of `job`, if it was read as `options` says; once. */
    takeWalk(job: Job, responseName: string, options: JobReadOptions): LineagePage | undefined {
      const kept = walks.get(job)?.get(responseName);
      if (!kept || kept.read !== readKey(options)) return undefined;
      walks.get(job)!.delete(responseName);
      return kept.page;
    },
    /** Non-deleted parents of jobs, read as `options` says. */
    parents: (options?: JobReadOptions) => sideOf(neighbours(options), 'parents'),
    /** Non-deleted children of jobs, read as `options` says. */
    children: (options?: JobReadOptions) => sideOf(neighbours(options), 'children'),
    project,
    workspace,
    workspacesOfProject,
    statusCounts,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

const readKeys = new WeakMap<JobReadOptions, string>();

/** The key of a way of reading; worked out once per options object (the schema's are made once per field, see selection.ts). */
function readKey(options: JobReadOptions): string {
  let key = readKeys.get(options);
  if (key === undefined) {
    const { columnsOnly } = options;
    readKeys.set(options, (key = columnsOnly === true ? '*' : Array.isArray(columnsOnly) ? columnsOnly.join(',') : 'document'));
  }
  return key;
}

function loaderFor<L>(loaders: Map<string, L>, options: JobReadOptions, make: () => L): L {
  const key = readKey(options);
  let loader = loaders.get(key);
  if (!loader) loaders.set(key, (loader = make()));
  return loader;
}
