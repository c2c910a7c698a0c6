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
  // What a statement read together with a job for one of its fields (a page's parents and children, a walk read with
  // its root), by job, then field and way of reading: the field's resolver takes it as it is, with no key, promise or batch.
  const readWithJob = new WeakMap<Job, Map<string, unknown>>();
  const keepWithJob = (job: Job, field: string, options: JobReadOptions, value: unknown) => {
    let kept = readWithJob.get(job);
    if (!kept) readWithJob.set(job, (kept = new Map()));
    kept.set(`${field}\n${readKey(options)}`, value);
  };
  const keptWithJob = <T>(job: Job, field: string, options: JobReadOptions) => readWithJob.get(job)?.get(`${field}\n${readKey(options)}`) as T | undefined;
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
    /** Keeps the neighbour lists a page read with its jobs (aligned with `jobs`) for their `side` resolvers. */
    keepNeighbours(side: NeighbourKey['side'], options: JobReadOptions, jobs: readonly Job[], lists: readonly Job[][]) {
      jobs.forEach((job, i) => {
        keepWithJob(job, side, options, lists[i]!);
        primeJobs(lists[i]!, options);
      });
    },
    /** The `side` of `job` a page read with it (see keepNeighbours), if read as `options` says. */
    keptNeighbours: (job: Job, side: NeighbourKey['side'], options: JobReadOptions) => keptWithJob<Job[]>(job, side, options),
    /** Keeps a walk's page, read with its root `job`, for the walk's resolver under `responseName`. */
    keepWalk: (job: Job, responseName: string, options: JobReadOptions, page: LineagePage) => keepWithJob(job, `walk:${responseName}`, options, page),
    /** The page kept for this walk of `job` (see keepWalk), if it was read as `options` says. */
    keptWalk: (job: Job, responseName: string, options: JobReadOptions) => keptWithJob<LineagePage>(job, `walk:${responseName}`, options),
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
