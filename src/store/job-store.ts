import type { Job } from '../model/job.js';
import type { JobColumn } from './lazy-job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';

/** Identity of a job: uids are unique only inside a project. */
/** A job and which of its neighbours to read. */
export interface NeighbourKey extends JobKey {
  side: 'parents' | 'children';
}

export interface JobKey {
  projectUid: string;
  uid: string;
}

export interface WorkspaceKey {
  projectUid: string;
  uid: string;
}

/** Narrows a job listing. Every given condition must hold; list-valued ones match any of their values. */
export interface JobFilter {
  projectUid?: string | null;
  /** Only jobs of these projects (an access restriction; combines with projectUid). */
  projectUids?: readonly string[] | null;
  workspaceUid?: string | null;
  uids?: readonly string[] | null;
  status?: readonly JobStatus[] | null;
  type?: readonly string[] | null;
  category?: readonly string[] | null;
  /** Jobs carrying at least one of these tags. */
  tags?: readonly string[] | null;
  /** Case-insensitive substring of the title. */
  titleContains?: string | null;
  createdAfter?: string | null;
  createdBefore?: string | null;
  updatedAfter?: string | null;
  updatedBefore?: string | null;
  /** The job's event log has an error, or it recorded run errors. */
  hasError?: boolean | null;
  /** Soft-deleted jobs are hidden unless this is true. */
  includeDeleted?: boolean | null;
}

export const JOB_ORDER_FIELDS = ['CREATED_AT', 'UPDATED_AT', 'UID', 'PRIORITY', 'STATUS', 'TITLE', 'TYPE'] as const;
export type JobOrderField = (typeof JOB_ORDER_FIELDS)[number];
export type OrderDirection = 'ASC' | 'DESC';

export interface JobOrder {
  field: JobOrderField;
  direction: OrderDirection;
}

/** Relay-style page request; `first`/`after` page forward, `last`/`before` backward. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface PageEdge<T> {
  cursor: string;
  node: T;
}

export interface Page<T> {
  edges: PageEdge<T>[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** What a job listing may read besides its page, in the same statement (see `JobStore.listJobs`). */
export interface PageExtras {
  /** Each listed job's non-deleted parents and/or children, read from these columns (besides their key). */
  neighbours?: { parents?: readonly JobColumn[]; children?: readonly JobColumn[] };
  /** Also count every job the filter matches, ignoring paging. */
  withTotal?: boolean;
}

/** A page of jobs with the extras asked for: neighbour lists aligned with `edges`, ordered by uid number. */
export interface JobPage extends Page<Job> {
  /** Undefined when not asked for, or when the page is empty (nothing carried the count). */
  totalCount?: number;
  neighbours?: { parents?: Job[][]; children?: Job[][] };
}

export type LineageWalk = 'ancestors' | 'descendants';

export interface LineageEdgeItem {
  cursor: string;
  node: Job;
  /** Shortest distance from the root: 1 = direct parent or child. */
  depth: number;
}

export interface LineagePage {
  edges: LineageEdgeItem[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Matching jobs within the depth bound, ignoring paging; undefined when `countTotal` was false. */
  totalCount?: number;
  /** With `withRoot`: the root job (its key columns at least), or null when it does not exist. */
  root?: Job | null;
}

export type SubgraphDirection = 'ANCESTORS' | 'DESCENDANTS' | 'BOTH';

export interface SubgraphNode {
  job: Job;
  /** 0 for the root, otherwise the shortest distance from it. */
  depth: number;
  relation: 'ROOT' | 'ANCESTOR' | 'DESCENDANT';
}

export interface Subgraph {
  root: Job;
  nodes: SubgraphNode[];
  edges: { parentUid: string; childUid: string }[];
  /** True when the node limit cut the walk short. */
  truncated: boolean;
}

/** One row of the status event log. `seq` is the log's monotonic order. */
export interface StoredStatusEvent {
  seq: number;
  projectUid: string;
  jobUid: string;
  previousStatus: JobStatus | null;
  status: JobStatus;
  at: string;
}

export interface EventQuery {
  afterSeq: number;
  /** Only events of these projects (an access restriction). */
  projectUids?: readonly string[] | null;
  /** Inclusive upper bound. */
  upToSeq?: number | null;
  limit: number;
  projectUid?: string | null;
  jobUids?: readonly string[] | null;
  statuses?: readonly JobStatus[] | null;
  /**
   * Also read each event's job as it is now, columns only (see lazy-job.ts),
   * in the same statement: a replay then costs one statement per batch.
   */
  withJobColumns?: boolean;
}

export interface WriteJobsOptions {
  /** Append status events for created and changed jobs. @default true */
  recordEvents?: boolean;
}

export interface WriteJobsResult {
  created: number;
  updated: number;
  events: StoredStatusEvent[];
}

/**
 * How much of a job to read. With `columnsOnly`, the job is read without its
 * document: from every column (`true`) or from these columns only, besides
 * its key (see lazy-job.ts). Reading any other field of such a job throws,
 * so callers ask for it only when they know what will be read
 * (schema/selection.ts).
 */
export interface JobReadOptions {
  columnsOnly?: boolean | readonly JobColumn[];
}

/**
 * The storage contract. Every implementation keeps these promises:
 * - reads never return soft-deleted jobs unless a filter says `includeDeleted`
 *   (lookups by key do return them: a client holding a key may see it is deleted);
 * - batched lookups return results aligned with their keys;
 * - every write is one transaction: a job, its edges, workspaces, tags and its
 *   status event are stored together or not at all;
 * - lineage is computed by one recursive query bounded by depth and node count.
 */
export interface JobStore {
  readonly dialect: 'sqlite' | 'postgres';

  /**
   * Jobs by key, aligned with `keys` (undefined where missing). With
   * `columnsOnly`, only the fields kept in columns are read (see
   * lazy-job.ts): reading any other field of such a job throws.
   */
  findJobs(keys: readonly JobKey[], options?: JobReadOptions): Promise<(Job | undefined)[]>;
  /**
   * A page of jobs; with `extras`, also their parents and children and the
   * total, in the same statement (one round trip for a dashboard's page).
   */
  listJobs(args: { filter?: JobFilter | null; orderBy?: readonly JobOrder[] | null; page: PageArgs; extras?: PageExtras } & JobReadOptions): Promise<JobPage>;
  countJobs(filter?: JobFilter | null): Promise<number>;
  /** Non-deleted parents of each job, aligned with `keys`, ordered by uid number. */
  findParents(keys: readonly JobKey[], options?: JobReadOptions): Promise<Job[][]>;
  /** Non-deleted children of each job, aligned with `keys`, ordered by uid number. */
  findChildren(keys: readonly JobKey[], options?: JobReadOptions): Promise<Job[][]>;
  /** Non-deleted parents or children (as each key says) of each job, aligned with `keys`, ordered by uid number: both sides in one statement. */
  findNeighbours(keys: readonly NeighbourKey[], options?: JobReadOptions): Promise<Job[][]>;
  countJobsByStatus(projectUids: readonly string[]): Promise<Map<string, Map<JobStatus, number>>>;

  /** Ancestors or descendants of `root`, ordered by (depth, uid number), paged forward. */
  listLineage(args: {
    root: JobKey;
    walk: LineageWalk;
    maxDepth?: number | null;
    filter?: JobFilter | null;
    page: { first: number; after?: string | null };
    /** Also read the root (in the walk's statement where it can): for `job(…) { descendants }`, which asks nothing else of it. */
    withRoot?: boolean;
    /** Count the matching jobs (`totalCount`); false when nobody asked, which spares a bounded walk its count. @default true */
    countTotal?: boolean;
  } & JobReadOptions): Promise<LineagePage>;
  /** The sub-graph around `root`, or undefined when the root does not exist. */
  findSubgraph(args: { root: JobKey; direction: SubgraphDirection; maxDepth?: number | null; limit: number } & JobReadOptions): Promise<Subgraph | undefined>;
  /** Uids of all descendants (or ancestors) of `root`, unbounded; used to follow a lineage live. */
  findLineageUids(root: JobKey, walk: LineageWalk): Promise<Set<string>>;

  findProjects(uids: readonly string[]): Promise<(Project | undefined)[]>;
  /** Projects by uid number; `uids` restricts the listing (access control). */
  listProjects(page: PageArgs, uids?: readonly string[] | null): Promise<Page<Project>>;
  countProjects(uids?: readonly string[] | null): Promise<number>;
  findWorkspaces(keys: readonly WorkspaceKey[]): Promise<(Workspace | undefined)[]>;
  listWorkspaces(projectUids: readonly string[]): Promise<Workspace[][]>;

  writeProjects(projects: readonly Project[]): Promise<void>;
  writeWorkspaces(workspaces: readonly Workspace[]): Promise<void>;
  /** Upserts jobs with their edges, workspaces and tags, appending status events, in one transaction. */
  writeJobs(jobs: readonly Job[], options?: WriteJobsOptions): Promise<WriteJobsResult>;
  /**
   * Reads a job, applies `change` and writes the result in one transaction.
   * `change` may throw to abort without writing. Returns undefined for an unknown job.
   */
  updateJob(key: JobKey, change: (job: Job) => Job): Promise<{ job: Job; event?: StoredStatusEvent } | undefined>;

  /** Events after `afterSeq`, in log order; with `withJobColumns`, each with its job where it still exists. */
  readEvents(query: EventQuery): Promise<(StoredStatusEvent & { job?: Job })[]>;
  /** The highest sequence number in the log (0 when empty). */
  lastEventSeq(): Promise<number>;
  /**
   * This deployment's identity: a random id drawn once when its database (on
   * PostgreSQL, its schema) was created, the same for every gateway that serves it.
   */
  deploymentId(): Promise<string>;

  /** Where the follower of `source` (e.g. `cryosparc:<url>`) stands, as it last wrote it; undefined before its first write. */
  readFollowerPosition(source: string): Promise<string | undefined>;
  /** The sources some follower recorded a position for (empty when the database never followed anything). */
  listFollowerSources(): Promise<string[]>;
  /** Records the follower's position (opaque text) for a restart to continue from. */
  writeFollowerPosition(source: string, position: string): Promise<void>;
  /**
   * Takes the lease `name` for `holder` for `ttlMs`, or renews it when
   * `holder` already has it. True when `holder` holds it now; false while
   * another holder's lease has not expired. One statement: of several
   * gateways sharing a database, exactly one holds a lease at a time.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up at once (when `holder` still has it), so another may take it without waiting for expiry. */
  releaseLease(name: string, holder: string): Promise<void>;

  close(): Promise<void>;
}
