/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Section of the job builder a job type belongs to. */
export type JobCategory =
  /** The `ctf_estimation` section. */
  | 'CTF_ESTIMATION'
  /** The `ctf_refinement` section. */
  | 'CTF_REFINEMENT'
  /** The `deep_picker` section. */
  | 'DEEP_PICKER'
  /** The `exposure_curation` section. */
  | 'EXPOSURE_CURATION'
  /** The `extraction` section. */
  | 'EXTRACTION'
  /** The `flexibility` section. */
  | 'FLEXIBILITY'
  /** The `helix` section. */
  | 'HELIX'
  /** The `import` section. */
  | 'IMPORT'
  /** The `instance_testing` section. */
  | 'INSTANCE_TESTING'
  /** The `live` section. */
  | 'LIVE'
  /** The `local_refinement` section. */
  | 'LOCAL_REFINEMENT'
  /** The `motion_correction` section. */
  | 'MOTION_CORRECTION'
  /** The `particle_curation` section. */
  | 'PARTICLE_CURATION'
  /** The `particle_picking` section. */
  | 'PARTICLE_PICKING'
  /** The `postprocessing` section. */
  | 'POSTPROCESSING'
  /** The `reconstruction` section. */
  | 'RECONSTRUCTION'
  /** The `refinement` section. */
  | 'REFINEMENT'
  /** The `simulations` section. */
  | 'SIMULATIONS'
  /** The `utilities` section. */
  | 'UTILITIES'
  /** The `variability` section. */
  | 'VARIABILITY'
  /** The `workflows` section. */
  | 'WORKFLOWS';

/** Conditions a job must meet; every given field must hold, and list fields match any of their values. */
export type JobFilter = {
  /** Any of these job categories. */
  category?: Array<JobCategory> | null | undefined;
  /** Created strictly after this instant. */
  createdAfter?: string | null | undefined;
  /** Created strictly before this instant. */
  createdBefore?: string | null | undefined;
  /** Jobs whose log holds an error or that recorded run errors (true), or neither (false). */
  hasError?: boolean | null | undefined;
  /** Include soft-deleted jobs (hidden by default). */
  includeDeleted?: boolean | null | undefined;
  /** Only jobs of this project, e.g. `P3`. */
  projectUid?: string | null | undefined;
  /** Any of these statuses. */
  status?: Array<JobStatus> | null | undefined;
  /** Jobs carrying at least one of these tags. */
  tags?: Array<string> | null | undefined;
  /** Substring of the title, ignoring case in any script (`2.8 å` finds `2.8 Å`, `strasse` finds `Straße`); `%`, `_` and `\` are plain characters. */
  titleContains?: string | null | undefined;
  /** Any of these job types (`spec.type`), e.g. `homo_abinit`. */
  type?: Array<string> | null | undefined;
  /** Only these job uids. */
  uids?: Array<string> | null | undefined;
  /** Updated strictly after this instant. */
  updatedAfter?: string | null | undefined;
  /** Updated strictly before this instant. */
  updatedBefore?: string | null | undefined;
  /** Only jobs linked to this workspace, e.g. `W2` (combine with projectUid). */
  workspaceUid?: string | null | undefined;
};

/** One sort key. Ties are always broken by project and job number, so paging is stable. */
export type JobOrder = {
  /** Sort direction. */
  direction?: OrderDirection;
  /** Sort key. */
  field: JobOrderField;
};

/** What to sort jobs by. */
export type JobOrderField =
  /** Creation time. */
  | 'CREATED_AT'
  /** Queue priority. */
  | 'PRIORITY'
  /** Lifecycle order: building first, failed last. */
  | 'STATUS'
  /** Title. */
  | 'TITLE'
  /** Job type. */
  | 'TYPE'
  /** Project, then job number (J1, J2, … J10). */
  | 'UID'
  /** Last modification time. */
  | 'UPDATED_AT';

/** Names one job. */
export type JobRefInput = {
  /** Project uid, e.g. `P3`. */
  projectUid: string;
  /** Job uid, e.g. `J42`. */
  uid: string;
};

/** Where a job is in its lifecycle: building → queued → launched → started → running (⇄ waiting) → completed | killed | failed. */
export type JobStatus =
  /** Being configured: params and connections can still change. */
  | 'BUILDING'
  /** Finished successfully (or marked completed). */
  | 'COMPLETED'
  /** Stopped by an error. */
  | 'FAILED'
  /** Stopped by a user. */
  | 'KILLED'
  /** Handed to a worker by the scheduler. */
  | 'LAUNCHED'
  /** Waiting in the scheduler queue. */
  | 'QUEUED'
  /** Its main process is running. */
  | 'RUNNING'
  /** Its monitor process has started. */
  | 'STARTED'
  /** An interactive job waiting for the user. */
  | 'WAITING';

/** Which side of a job to walk. */
export type LineageDirection =
  /** Parents, their parents, and so on. */
  | 'ANCESTORS'
  /** Ancestors and descendants. */
  | 'BOTH'
  /** Children, their children, and so on. */
  | 'DESCENDANTS';

/** How a node of a lineage graph relates to its root. */
export type LineageRelation =
  /** Upstream of the root. */
  | 'ANCESTOR'
  /** Downstream of the root. */
  | 'DESCENDANT'
  /** The job the graph was asked for. */
  | 'ROOT';

/** Sort direction. */
export type OrderDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** Move a job through its lifecycle (queue, kill, clear, mark completed, …). */
export type SetJobStatusInput = {
  /** Project uid, e.g. `P3`. */
  projectUid: string;
  /** The new status; must be allowed from the current one (see the README). */
  status: JobStatus;
  /** Job uid, e.g. `J42`. */
  uid: string;
};

export type GraphJobFragment = { uid: string, title: string, type: string, status: JobStatus, parents: Array<{ uid: string }> };

export type ViewerGraphPageQueryVariables = Exact<{
  projectUid: string;
  first: number;
  after?: string | null | undefined;
  withCount: boolean;
  filter?: JobFilter | null | undefined;
  withBounds?: boolean | null | undefined;
}>;


export type ViewerGraphPageQuery = { project: { uid: string, title: string, oldest?: { edges: Array<{ node: { createdAt: string } }> }, newest?: { edges: Array<{ node: { createdAt: string } }> }, jobs: { totalCount?: number, edges: Array<{ node: { uid: string, title: string, type: string, status: JobStatus, parents: Array<{ uid: string }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type ViewerLineageQueryVariables = Exact<{
  projectUid: string;
  uid: string;
  direction: LineageDirection;
  maxDepth?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type ViewerLineageQuery = { lineage: { truncated: boolean, nodes: Array<{ depth: number, relation: LineageRelation, job: { uid: string, title: string, type: string, status: JobStatus, parents: Array<{ uid: string }> } }>, edges: Array<{ parentUid: string, childUid: string }> } };

export type ViewerJobQueryVariables = Exact<{
  projectUid: string;
  uid: string;
}>;


export type ViewerJobQuery = { job: { uid: string, projectUid: string, title: string, type: string, category: JobCategory | null, status: JobStatus, description: string, createdAt: string, queuedAt: string | null, launchedAt: string | null, startedAt: string | null, runningAt: string | null, completedAt: string | null, failedAt: string | null, killedAt: string | null, updatedAt: string, starredBy: Array<string>, errorsRun: Array<{ message: string, warning: boolean }>, resourcesAllocated: { lane: string | null, hostname: string, slots: { cpu: Array<number>, gpu: Array<number>, ram: Array<number> } } | null, spec: { params: unknown }, parents: Array<{ uid: string, title: string, status: JobStatus }>, children: Array<{ uid: string, title: string, status: JobStatus }> } | null };

export type ViewerSetJobStatusMutationVariables = Exact<{
  input: SetJobStatusInput;
}>;


export type ViewerSetJobStatusMutation = { setJobStatus: { job: { uid: string, status: JobStatus } } };

export type ViewerStarJobMutationVariables = Exact<{
  input: JobRefInput;
}>;


export type ViewerStarJobMutation = { starJob: { job: { uid: string, starredBy: Array<string> } } };

export type ViewerUnstarJobMutationVariables = Exact<{
  input: JobRefInput;
}>;


export type ViewerUnstarJobMutation = { unstarJob: { job: { uid: string, starredBy: Array<string> } } };

export type ViewerStatusChangedSubscriptionVariables = Exact<{
  since?: string | null | undefined;
}>;


export type ViewerStatusChangedSubscription = { jobStatusChanged: { cursor: string, projectUid: string, jobUid: string, previousStatus: JobStatus | null, status: JobStatus, job: { uid: string, title: string, type: string, status: JobStatus, parents: Array<{ uid: string }> } } };

export type ViewerProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerProjectsQuery = { projects: { edges: Array<{ node: { uid: string, title: string, jobCountsByStatus: Array<{ status: JobStatus, count: number }> } }> } };

export type ViewerJobTableQueryVariables = Exact<{
  projectUid: string;
  filter?: JobFilter | null | undefined;
  orderBy?: Array<JobOrder> | JobOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ViewerJobTableQuery = { project: { uid: string, jobs: { totalCount: number, edges: Array<{ cursor: string, node: { uid: string, title: string, type: string, status: JobStatus, createdAt: string, updatedAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const GraphJobFragmentDoc = new TypedDocumentString(`
    fragment GraphJob on Job {
  uid
  title
  type
  status
  parents {
    uid
  }
}
    `, {"fragmentName":"GraphJob"}) as unknown as TypedDocumentString<GraphJobFragment, unknown>;
export const ViewerGraphPageDocument = new TypedDocumentString(`
    query ViewerGraphPage($projectUid: String!, $first: Int!, $after: String, $withCount: Boolean!, $filter: JobFilter, $withBounds: Boolean = false) {
  project(uid: $projectUid) {
    uid
    title
    oldest: jobs(last: 1) @include(if: $withBounds) {
      edges {
        node {
          createdAt
        }
      }
    }
    newest: jobs(first: 1) @include(if: $withBounds) {
      edges {
        node {
          createdAt
        }
      }
    }
    jobs(first: $first, after: $after, filter: $filter) {
      totalCount @include(if: $withCount)
      edges {
        node {
          ...GraphJob
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment GraphJob on Job {
  uid
  title
  type
  status
  parents {
    uid
  }
}`) as unknown as TypedDocumentString<ViewerGraphPageQuery, ViewerGraphPageQueryVariables>;
export const ViewerLineageDocument = new TypedDocumentString(`
    query ViewerLineage($projectUid: String!, $uid: String!, $direction: LineageDirection!, $maxDepth: Int, $limit: Int) {
  lineage(
    projectUid: $projectUid
    uid: $uid
    direction: $direction
    maxDepth: $maxDepth
    limit: $limit
  ) {
    truncated
    nodes {
      depth
      relation
      job {
        ...GraphJob
      }
    }
    edges {
      parentUid
      childUid
    }
  }
}
    fragment GraphJob on Job {
  uid
  title
  type
  status
  parents {
    uid
  }
}`) as unknown as TypedDocumentString<ViewerLineageQuery, ViewerLineageQueryVariables>;
export const ViewerJobDocument = new TypedDocumentString(`
    query ViewerJob($projectUid: String!, $uid: String!) {
  job(projectUid: $projectUid, uid: $uid) {
    uid
    projectUid
    title
    type
    category
    status
    description
    createdAt
    queuedAt
    launchedAt
    startedAt
    runningAt
    completedAt
    failedAt
    killedAt
    updatedAt
    starredBy
    errorsRun {
      message
      warning
    }
    resourcesAllocated {
      lane
      hostname
      slots {
        cpu
        gpu
        ram
      }
    }
    spec {
      params
    }
    parents {
      uid
      title
      status
    }
    children {
      uid
      title
      status
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerJobQuery, ViewerJobQueryVariables>;
export const ViewerSetJobStatusDocument = new TypedDocumentString(`
    mutation ViewerSetJobStatus($input: SetJobStatusInput!) {
  setJobStatus(input: $input) {
    job {
      uid
      status
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerSetJobStatusMutation, ViewerSetJobStatusMutationVariables>;
export const ViewerStarJobDocument = new TypedDocumentString(`
    mutation ViewerStarJob($input: JobRefInput!) {
  starJob(input: $input) {
    job {
      uid
      starredBy
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerStarJobMutation, ViewerStarJobMutationVariables>;
export const ViewerUnstarJobDocument = new TypedDocumentString(`
    mutation ViewerUnstarJob($input: JobRefInput!) {
  unstarJob(input: $input) {
    job {
      uid
      starredBy
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerUnstarJobMutation, ViewerUnstarJobMutationVariables>;
export const ViewerStatusChangedDocument = new TypedDocumentString(`
    subscription ViewerStatusChanged($since: String) {
  jobStatusChanged(since: $since) {
    cursor
    projectUid
    jobUid
    previousStatus
    status
    job {
      ...GraphJob
    }
  }
}
    fragment GraphJob on Job {
  uid
  title
  type
  status
  parents {
    uid
  }
}`) as unknown as TypedDocumentString<ViewerStatusChangedSubscription, ViewerStatusChangedSubscriptionVariables>;
export const ViewerProjectsDocument = new TypedDocumentString(`
    query ViewerProjects {
  projects(first: 100) {
    edges {
      node {
        uid
        title
        jobCountsByStatus {
          status
          count
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerProjectsQuery, ViewerProjectsQueryVariables>;
export const ViewerJobTableDocument = new TypedDocumentString(`
    query ViewerJobTable($projectUid: String!, $filter: JobFilter, $orderBy: [JobOrder!], $first: Int, $after: String, $last: Int, $before: String) {
  project(uid: $projectUid) {
    uid
    jobs(
      filter: $filter
      orderBy: $orderBy
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      edges {
        cursor
        node {
          uid
          title
          type
          status
          createdAt
          updatedAt
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerJobTableQuery, ViewerJobTableQueryVariables>;