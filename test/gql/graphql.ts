/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Progress of attaching a job to a project. */
export type JobAttachStatus =
  /** Attach attaching. */
  | 'ATTACHING'
  /** Attach complete. */
  | 'COMPLETE'
  /** Attach failed. */
  | 'FAILED';

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

/** Progress of importing a job from another instance. */
export type JobImportStatus =
  /** Import complete. */
  | 'COMPLETE'
  /** Import failed. */
  | 'FAILED'
  /** Import importing. */
  | 'IMPORTING';

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

/** Why a queued job is not running yet. */
export type QueueStatus =
  /** Queued and eligible to launch. */
  | 'ACTIVELY_QUEUED'
  /** Being launched. */
  | 'LAUNCHED'
  /** Its project is paused. */
  | 'PROJECT_PAUSED'
  /** Its parents have not finished. */
  | 'WAITING_INPUTS'
  /** Waiting for licence tokens. */
  | 'WAITING_LICENSES'
  /** The instance is in maintenance mode. */
  | 'WAITING_MAINTENANCE'
  /** Waiting for free resources in its lane. */
  | 'WAITING_RESOURCES';

/** Move a job through its lifecycle (queue, kill, clear, mark completed, …). */
export type SetJobStatusInput = {
  /** Project uid, e.g. `P3`. */
  projectUid: string;
  /** The new status; must be allowed from the current one (see the README). */
  status: JobStatus;
  /** Job uid, e.g. `J42`. */
  uid: string;
};

/** Edit the descriptive fields of a job; omitted fields stay as they are. */
export type UpdateJobInput = {
  /** New markdown description (at most 100,000 characters). */
  description?: string | null | undefined;
  /** New queue priority. */
  priority?: number | null | undefined;
  /** Project uid, e.g. `P3`. */
  projectUid: string;
  /** New tag list (replaces the old one; at most 100 tags). */
  tags?: Array<string> | null | undefined;
  /** New title (at most 200 characters). */
  title?: string | null | undefined;
  /** Job uid, e.g. `J42`. */
  uid: string;
};

export type DemoJobsQueryVariables = Exact<{ [key: string]: never; }>;


export type DemoJobsQuery = { jobs: { totalCount: number, edges: Array<{ cursor: string, node: { uid: string, title: string, type: string, status: JobStatus, createdAt: string, parents: Array<{ uid: string, status: JobStatus }>, children: Array<{ uid: string, status: JobStatus }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FailedJobsQueryVariables = Exact<{ [key: string]: never; }>;


export type FailedJobsQuery = { jobs: { totalCount: number, edges: Array<{ node: { projectUid: string, uid: string, title: string, status: JobStatus, failedAt: string | null, killedAt: string | null, errorsRun: Array<{ message: string, warning: boolean }>, resourcesAllocated: { hostname: string, lane: string | null, slots: { gpu: Array<number> } } | null } }> } };

export type JobLineageQueryVariables = Exact<{
  projectUid?: string;
  uid?: string;
}>;


export type JobLineageQuery = { lineage: { truncated: boolean, root: { uid: string, type: string, status: JobStatus }, nodes: Array<{ depth: number, relation: LineageRelation, job: { uid: string, type: string, status: JobStatus } }>, edges: Array<{ parentUid: string, childUid: string }> }, job: { descendants: { totalCount: number, edges: Array<{ depth: number, node: { uid: string, type: string, status: JobStatus } }> } } | null };

export type ProjectOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type ProjectOverviewQuery = { projects: { totalCount: number, edges: Array<{ node: { uid: string, title: string, workspaces: Array<{ uid: string, title: string | null }>, jobCountsByStatus: Array<{ status: JobStatus, count: number }> } }> } };

export type JobDetailQueryVariables = Exact<{
  projectUid: string;
  uid: string;
}>;


export type JobDetailQuery = { job: { id: string, objectId: string, uid: string, uidNum: number, projectUid: string, projectUidNum: number, workspaceUids: Array<string>, type: string, category: JobCategory | null, jobDir: string, jobDirSize: number, jobDirSizeLastUpdated: string, runAsUser: string | null, title: string, description: string, status: JobStatus, statusNum: number, createdByUserId: string | null, createdByJobUid: string | null, clonedFrom: string | null, queuedAt: string | null, startedAt: string | null, launchedAt: string | null, runningAt: string | null, waitingAt: string | null, completedAt: string | null, killedAt: string | null, failedAt: string | null, heartbeatAt: string | null, tokensAcquiredAt: string | null, tokensRequestedAt: string | null, lastScheduledAt: string | null, hasError: boolean, hasWarning: boolean, versionCreated: string | null, version: string | null, priority: number, deleted: boolean, deleting: boolean, parentUids: Array<string>, childUids: Array<string>, queuedByUserId: string | null, queuedToLane: string | null, queuedToHostname: string | null, queuedToGpu: Array<number> | null, queueStatus: QueueStatus | null, queueMessage: string | null, queuedJobHash: string | null, numTokens: number, jobSig: string | null, interactivePort: number | null, pidMonitor: number | null, pidMain: number | null, pidWorkers: Array<number>, clusterJobId: string | null, clusterJobStatus: string | null, clusterJobStatusCode: string | null, clusterJobMonitorEventId: string | null, clusterJobMonitorRetries: number, clusterJobMonitorLastRunAt: string | null, clusterJobSubmissionScript: string | null, clusterJobCustomVars: unknown, isExperiment: boolean, enableBench: boolean, bench: unknown, benchTimings: unknown, completedCount: number, lastIntermediateDataClearedAt: string | null, lastIntermediateDataClearedAmount: number, intermediateResultsSizeBytes: number, intermediateResultsSizeLastUpdated: string | null, isFinalResult: boolean, isAncestorOfFinalResult: boolean, noCheckInputsReady: boolean, progress: unknown, lastExportedAt: string | null, lastExportedLocation: string | null, lastExportedVersion: string | null, tags: Array<string>, importedAt: string | null, deletedAt: string | null, importStatus: JobImportStatus | null, attachStatus: JobAttachStatus | null, starredBy: Array<string>, requeueWindowsEndsAt: string | null, oversubscribeGpus: boolean, autodump: boolean, dumpedAt: string | null, lastDumpedVersion: string | null, createdAt: string, updatedAt: string, document: unknown, lastAccessed: { name: string, accessedAt: string } | null, resourcesAllocated: { lane: string | null, laneType: string | null, hostname: string, licensesAcquired: number, slots: { cpu: Array<number>, gpu: Array<number>, ram: Array<number> }, fixed: { ssd: boolean }, target: { name: string, lane: string, title: string, desc: string | null, hostname: string, workerBinPath: string, cachePath: string | null, cacheReserveMb: number | null, cacheQuotaMb: number | null, arch: string, config:
          | { __typename: 'ClusterTargetConfig', sendCmdTpl: string, qsubCmdTpl: string, qstatCmdTpl: string, qdelCmdTpl: string, qinfoCmdTpl: string, scriptTpl: string, customVars: unknown, tplVars: Array<string>, customVarNames: Array<string> }
          | { __typename: 'NodeTargetConfig', sshStr: string, monitorPort: number | null, resourceSlots: { cpu: Array<number>, gpu: Array<number>, ram: Array<number> }, resourceFixed: { ssd: boolean }, gpus: Array<{ id: number, name: string, mem: number }> | null }
         } | null } | null, errorsRun: Array<{ message: string, warning: boolean }>, uiTileImages: Array<{ name: string, fileid: string, numRows: number | null, numCols: number | null }>, instanceInformation: { platformNode: string, platformRelease: string, platformVersion: string, platformArchitecture: string, cpuModel: string, physicalCores: number, maxCpuFreq: number, totalMemory: string, availableMemory: string, usedMemory: string, ofdSoftLimit: number, ofdHardLimit: number, driverVersion: string | null, toolkitVersion: string | null, cudaVersion: string | null, nvrtcVersion: string | null, version: string, arch: string, gpuInfo: Array<{ id: number, name: string, mem: number, busId: string, computeMode: string, persistenceMode: string, powerLimit: number, swPowerLimit: string, hwPowerLimit: string, maxPcieLinkGen: number, currentPcieLinkGen: number, temperature: number, gpuUtilization: number, memoryUtilization: number, driverVersion: string }> | null }, workflow: { id: string, jobId: string, run: number } | null, buildErrors: Array<{ type: string, loc: Array<string>, input: unknown, ctx: unknown, inputType: string }>, spec: { type: string, params: unknown, uiTileWidth: number, uiTileHeight: number, resourceSpec: { cpu: number, gpu: number, ram: number, ssd: boolean }, inputs: Array<{ name: string, type: string, title: string, description: string, countMin: number, countMax: number | null, repeatAllowed: boolean, slots: Array<{ name: string, dtype: string, required: boolean }>, connections: Array<{ jobUid: string, output: string, results: Array<{ name: string | null, dtype: string, jobUid: string, output: string, result: string, version: string }> }> }>, outputs: Array<{ name: string, type: string, title: string, description: string, passthrough: string | null, numItems: number, image: string | null, summary: unknown, latestSummaryStats: unknown, slots: Array<{ name: string, dtype: string }>, results: Array<{ name: string, dtype: string, versions: Array<number>, metafiles: Array<string>, numItems: Array<number>, passthrough: boolean }> }> } } | null };

export type JobsPageQueryVariables = Exact<{
  filter?: JobFilter | null | undefined;
  orderBy?: Array<JobOrder> | JobOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type JobsPageQuery = { jobs: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, projectUid: string, uid: string, uidNum: number, status: JobStatus, type: string, category: JobCategory | null, title: string, priority: number, tags: Array<string>, workspaceUids: Array<string>, hasError: boolean, deleted: boolean, createdAt: string, updatedAt: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type JobsWithNeighboursQueryVariables = Exact<{
  filter?: JobFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type JobsWithNeighboursQuery = { jobs: { edges: Array<{ node: { uid: string, status: JobStatus, parents: Array<{ uid: string, status: JobStatus }>, children: Array<{ uid: string, status: JobStatus }> } }> } };

export type JobByUidQueryVariables = Exact<{
  projectUid: string;
  uid: string;
}>;


export type JobByUidQuery = { job: { id: string, uid: string, status: JobStatus, type: string, parentUids: Array<string>, childUids: Array<string>, project: { uid: string, title: string } | null, workspaces: Array<{ uid: string, title: string | null }> } | null };

export type JobAncestryQueryVariables = Exact<{
  projectUid: string;
  uid: string;
  up: boolean;
  maxDepth?: number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: JobFilter | null | undefined;
}>;


export type JobAncestryQuery = { job: { uid: string, ancestors?: { totalCount: number, edges: Array<{ cursor: string, depth: number, node: { uid: string, status: JobStatus } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null } }, descendants?: { totalCount: number, edges: Array<{ cursor: string, depth: number, node: { uid: string, status: JobStatus } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null } } } | null };

export type LineageGraphQueryVariables = Exact<{
  projectUid: string;
  uid: string;
  direction?: LineageDirection | null | undefined;
  maxDepth?: number | null | undefined;
  limit?: number | null | undefined;
}>;


export type LineageGraphQuery = { lineage: { truncated: boolean, root: { uid: string }, nodes: Array<{ depth: number, relation: LineageRelation, job: { uid: string, status: JobStatus } }>, edges: Array<{ parentUid: string, childUid: string }> } };

export type JobStatusChangedSubscriptionVariables = Exact<{
  projectUid?: string | null | undefined;
  workspaceUid?: string | null | undefined;
  jobUid?: string | null | undefined;
  statuses?: Array<JobStatus> | JobStatus | null | undefined;
  since?: string | null | undefined;
}>;


export type JobStatusChangedSubscription = { jobStatusChanged: { cursor: string, projectUid: string, jobUid: string, previousStatus: JobStatus | null, status: JobStatus, at: string, job: { uid: string, status: JobStatus } } };

export type JobStatusChangedWithDocumentSubscriptionVariables = Exact<{
  projectUid?: string | null | undefined;
}>;


export type JobStatusChangedWithDocumentSubscription = { jobStatusChanged: { cursor: string, jobUid: string, status: JobStatus, job: { document: unknown } } };

export type JobStatusChangedWithDetailsSubscriptionVariables = Exact<{
  projectUid?: string | null | undefined;
  since?: string | null | undefined;
}>;


export type JobStatusChangedWithDetailsSubscription = { jobStatusChanged: { cursor: string, jobUid: string, job: { uid: string, status: JobStatus, title: string, type: string, document: unknown } } };

export type LineageStatusChangedSubscriptionVariables = Exact<{
  projectUid: string;
  uid: string;
  direction?: LineageDirection | null | undefined;
  since?: string | null | undefined;
}>;


export type LineageStatusChangedSubscription = { lineageStatusChanged: { cursor: string, jobUid: string, previousStatus: JobStatus | null, status: JobStatus } };

export type SetJobStatusMutationVariables = Exact<{
  input: SetJobStatusInput;
}>;


export type SetJobStatusMutation = { setJobStatus: { job: { uid: string, status: JobStatus, queuedAt: string | null, completedAt: string | null, completedCount: number }, event: { cursor: string, previousStatus: JobStatus | null, status: JobStatus, jobUid: string } } };

export type UpdateJobMutationVariables = Exact<{
  input: UpdateJobInput;
}>;


export type UpdateJobMutation = { updateJob: { job: { uid: string, title: string, description: string, tags: Array<string>, priority: number } } };

export type StarJobMutationVariables = Exact<{
  input: JobRefInput;
}>;


export type StarJobMutation = { starJob: { job: { uid: string, starredBy: Array<string> } } };

export type UnstarJobMutationVariables = Exact<{
  input: JobRefInput;
}>;


export type UnstarJobMutation = { unstarJob: { job: { uid: string, starredBy: Array<string> } } };

export type ProjectDetailQueryVariables = Exact<{
  uid: string;
  filter?: JobFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type ProjectDetailQuery = { project: { id: string, uid: string, title: string, workspaces: Array<{ id: string, uid: string, title: string | null, workspaceType: string }>, jobCountsByStatus: Array<{ status: JobStatus, count: number }>, jobs: { totalCount: number, edges: Array<{ node: { uid: string, projectUid: string } }> } } | null };

export type ProjectsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ProjectsPageQuery = { projects: { totalCount: number, edges: Array<{ cursor: string, node: { uid: string, title: string } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null, startCursor: string | null } } };

export type WorkspaceJobsQueryVariables = Exact<{
  projectUid: string;
  uid: string;
  first?: number | null | undefined;
}>;


export type WorkspaceJobsQuery = { workspace: { id: string, uid: string, title: string | null, project: { uid: string } | null, jobs: { totalCount: number, edges: Array<{ node: { uid: string, workspaceUids: Array<string> } }> } } | null };

export type NodeLookupQueryVariables = Exact<{
  id: string | number;
  ids: Array<string | number> | string | number;
}>;


export type NodeLookupQuery = { node:
    | { __typename: 'Job', projectUid: string, uid: string, id: string }
    | { __typename: 'Project', uid: string, id: string }
    | { __typename: 'Workspace', projectUid: string, uid: string, id: string }
   | null, nodes: Array<
    | { __typename: 'Job', id: string }
    | { __typename: 'Project', id: string }
    | { __typename: 'Workspace', id: string }
   | null> };

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

export const DemoJobsDocument = new TypedDocumentString(`
    query DemoJobs {
  jobs(
    filter: {projectUid: "P1"}
    orderBy: [{field: CREATED_AT, direction: DESC}]
    first: 10
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
        parents {
          uid
          status
        }
        children {
          uid
          status
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<DemoJobsQuery, DemoJobsQueryVariables>;
export const FailedJobsDocument = new TypedDocumentString(`
    query FailedJobs {
  jobs(
    filter: {status: [FAILED, KILLED]}
    orderBy: [{field: UPDATED_AT, direction: DESC}]
    first: 20
  ) {
    totalCount
    edges {
      node {
        projectUid
        uid
        title
        status
        failedAt
        killedAt
        errorsRun {
          message
          warning
        }
        resourcesAllocated {
          hostname
          lane
          slots {
            gpu
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FailedJobsQuery, FailedJobsQueryVariables>;
export const JobLineageDocument = new TypedDocumentString(`
    query JobLineage($projectUid: String! = "P1", $uid: String! = "J10") {
  lineage(
    projectUid: $projectUid
    uid: $uid
    direction: BOTH
    maxDepth: 3
    limit: 200
  ) {
    root {
      uid
      type
      status
    }
    nodes {
      depth
      relation
      job {
        uid
        type
        status
      }
    }
    edges {
      parentUid
      childUid
    }
    truncated
  }
  job(projectUid: $projectUid, uid: $uid) {
    descendants(first: 20) {
      totalCount
      edges {
        depth
        node {
          uid
          type
          status
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobLineageQuery, JobLineageQueryVariables>;
export const ProjectOverviewDocument = new TypedDocumentString(`
    query ProjectOverview {
  projects(first: 10) {
    totalCount
    edges {
      node {
        uid
        title
        workspaces {
          uid
          title
        }
        jobCountsByStatus {
          status
          count
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectOverviewQuery, ProjectOverviewQueryVariables>;
export const JobDetailDocument = new TypedDocumentString(`
    query JobDetail($projectUid: String!, $uid: String!) {
  job(projectUid: $projectUid, uid: $uid) {
    id
    objectId
    uid
    uidNum
    projectUid
    projectUidNum
    workspaceUids
    type
    category
    jobDir
    jobDirSize
    jobDirSizeLastUpdated
    runAsUser
    title
    description
    status
    statusNum
    createdByUserId
    createdByJobUid
    clonedFrom
    queuedAt
    startedAt
    launchedAt
    runningAt
    waitingAt
    completedAt
    killedAt
    failedAt
    heartbeatAt
    tokensAcquiredAt
    tokensRequestedAt
    lastScheduledAt
    lastAccessed {
      name
      accessedAt
    }
    hasError
    hasWarning
    versionCreated
    version
    priority
    deleted
    deleting
    parentUids
    childUids
    resourcesAllocated {
      lane
      laneType
      hostname
      licensesAcquired
      slots {
        cpu
        gpu
        ram
      }
      fixed {
        ssd
      }
      target {
        name
        lane
        title
        desc
        hostname
        workerBinPath
        cachePath
        cacheReserveMb
        cacheQuotaMb
        arch
        config {
          __typename
          ... on NodeTargetConfig {
            sshStr
            monitorPort
            resourceSlots {
              cpu
              gpu
              ram
            }
            resourceFixed {
              ssd
            }
            gpus {
              id
              name
              mem
            }
          }
          ... on ClusterTargetConfig {
            sendCmdTpl
            qsubCmdTpl
            qstatCmdTpl
            qdelCmdTpl
            qinfoCmdTpl
            scriptTpl
            customVars
            tplVars
            customVarNames
          }
        }
      }
    }
    queuedByUserId
    queuedToLane
    queuedToHostname
    queuedToGpu
    queueStatus
    queueMessage
    queuedJobHash
    numTokens
    jobSig
    errorsRun {
      message
      warning
    }
    interactivePort
    pidMonitor
    pidMain
    pidWorkers
    clusterJobId
    clusterJobStatus
    clusterJobStatusCode
    clusterJobMonitorEventId
    clusterJobMonitorRetries
    clusterJobMonitorLastRunAt
    clusterJobSubmissionScript
    clusterJobCustomVars
    uiTileImages {
      name
      fileid
      numRows
      numCols
    }
    isExperiment
    enableBench
    bench
    benchTimings
    completedCount
    instanceInformation {
      platformNode
      platformRelease
      platformVersion
      platformArchitecture
      cpuModel
      physicalCores
      maxCpuFreq
      totalMemory
      availableMemory
      usedMemory
      ofdSoftLimit
      ofdHardLimit
      driverVersion
      toolkitVersion
      cudaVersion
      nvrtcVersion
      version
      arch
      gpuInfo {
        id
        name
        mem
        busId
        computeMode
        persistenceMode
        powerLimit
        swPowerLimit
        hwPowerLimit
        maxPcieLinkGen
        currentPcieLinkGen
        temperature
        gpuUtilization
        memoryUtilization
        driverVersion
      }
    }
    lastIntermediateDataClearedAt
    lastIntermediateDataClearedAmount
    intermediateResultsSizeBytes
    intermediateResultsSizeLastUpdated
    isFinalResult
    isAncestorOfFinalResult
    noCheckInputsReady
    progress
    lastExportedAt
    lastExportedLocation
    lastExportedVersion
    tags
    workflow {
      id
      jobId
      run
    }
    importedAt
    deletedAt
    importStatus
    attachStatus
    starredBy
    requeueWindowsEndsAt
    oversubscribeGpus
    buildErrors {
      type
      loc
      input
      ctx
      inputType
    }
    autodump
    dumpedAt
    lastDumpedVersion
    createdAt
    updatedAt
    document
    spec {
      type
      params
      uiTileWidth
      uiTileHeight
      resourceSpec {
        cpu
        gpu
        ram
        ssd
      }
      inputs {
        name
        type
        title
        description
        countMin
        countMax
        repeatAllowed
        slots {
          name
          dtype
          required
        }
        connections {
          jobUid
          output
          results {
            name
            dtype
            jobUid
            output
            result
            version
          }
        }
      }
      outputs {
        name
        type
        title
        description
        passthrough
        numItems
        image
        summary
        latestSummaryStats
        slots {
          name
          dtype
        }
        results {
          name
          dtype
          versions
          metafiles
          numItems
          passthrough
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobDetailQuery, JobDetailQueryVariables>;
export const JobsPageDocument = new TypedDocumentString(`
    query JobsPage($filter: JobFilter, $orderBy: [JobOrder!], $first: Int, $after: String, $last: Int, $before: String) {
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
        id
        projectUid
        uid
        uidNum
        status
        type
        category
        title
        priority
        tags
        workspaceUids
        hasError
        deleted
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
    `) as unknown as TypedDocumentString<JobsPageQuery, JobsPageQueryVariables>;
export const JobsWithNeighboursDocument = new TypedDocumentString(`
    query JobsWithNeighbours($filter: JobFilter, $first: Int) {
  jobs(filter: $filter, first: $first, orderBy: [{field: UID, direction: ASC}]) {
    edges {
      node {
        uid
        status
        parents {
          uid
          status
        }
        children {
          uid
          status
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobsWithNeighboursQuery, JobsWithNeighboursQueryVariables>;
export const JobByUidDocument = new TypedDocumentString(`
    query JobByUid($projectUid: String!, $uid: String!) {
  job(projectUid: $projectUid, uid: $uid) {
    id
    uid
    status
    type
    parentUids
    childUids
    project {
      uid
      title
    }
    workspaces {
      uid
      title
    }
  }
}
    `) as unknown as TypedDocumentString<JobByUidQuery, JobByUidQueryVariables>;
export const JobAncestryDocument = new TypedDocumentString(`
    query JobAncestry($projectUid: String!, $uid: String!, $up: Boolean!, $maxDepth: Int, $first: Int, $after: String, $filter: JobFilter) {
  job(projectUid: $projectUid, uid: $uid) {
    uid
    ancestors(maxDepth: $maxDepth, first: $first, after: $after, filter: $filter) @include(if: $up) {
      totalCount
      edges {
        cursor
        depth
        node {
          uid
          status
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
    descendants(maxDepth: $maxDepth, first: $first, after: $after, filter: $filter) @skip(if: $up) {
      totalCount
      edges {
        cursor
        depth
        node {
          uid
          status
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobAncestryQuery, JobAncestryQueryVariables>;
export const LineageGraphDocument = new TypedDocumentString(`
    query LineageGraph($projectUid: String!, $uid: String!, $direction: LineageDirection, $maxDepth: Int, $limit: Int) {
  lineage(
    projectUid: $projectUid
    uid: $uid
    direction: $direction
    maxDepth: $maxDepth
    limit: $limit
  ) {
    root {
      uid
    }
    nodes {
      depth
      relation
      job {
        uid
        status
      }
    }
    edges {
      parentUid
      childUid
    }
    truncated
  }
}
    `) as unknown as TypedDocumentString<LineageGraphQuery, LineageGraphQueryVariables>;
export const JobStatusChangedDocument = new TypedDocumentString(`
    subscription JobStatusChanged($projectUid: String, $workspaceUid: String, $jobUid: String, $statuses: [JobStatus!], $since: String) {
  jobStatusChanged(
    projectUid: $projectUid
    workspaceUid: $workspaceUid
    jobUid: $jobUid
    statuses: $statuses
    since: $since
  ) {
    cursor
    projectUid
    jobUid
    previousStatus
    status
    at
    job {
      uid
      status
    }
  }
}
    `) as unknown as TypedDocumentString<JobStatusChangedSubscription, JobStatusChangedSubscriptionVariables>;
export const JobStatusChangedWithDocumentDocument = new TypedDocumentString(`
    subscription JobStatusChangedWithDocument($projectUid: String) {
  jobStatusChanged(projectUid: $projectUid) {
    cursor
    jobUid
    status
    job {
      document
    }
  }
}
    `) as unknown as TypedDocumentString<JobStatusChangedWithDocumentSubscription, JobStatusChangedWithDocumentSubscriptionVariables>;
export const JobStatusChangedWithDetailsDocument = new TypedDocumentString(`
    subscription JobStatusChangedWithDetails($projectUid: String, $since: String) {
  jobStatusChanged(projectUid: $projectUid, since: $since) {
    cursor
    jobUid
    job {
      uid
      status
      title
      type
      document
    }
  }
}
    `) as unknown as TypedDocumentString<JobStatusChangedWithDetailsSubscription, JobStatusChangedWithDetailsSubscriptionVariables>;
export const LineageStatusChangedDocument = new TypedDocumentString(`
    subscription LineageStatusChanged($projectUid: String!, $uid: String!, $direction: LineageDirection, $since: String) {
  lineageStatusChanged(
    projectUid: $projectUid
    uid: $uid
    direction: $direction
    since: $since
  ) {
    cursor
    jobUid
    previousStatus
    status
  }
}
    `) as unknown as TypedDocumentString<LineageStatusChangedSubscription, LineageStatusChangedSubscriptionVariables>;
export const SetJobStatusDocument = new TypedDocumentString(`
    mutation SetJobStatus($input: SetJobStatusInput!) {
  setJobStatus(input: $input) {
    job {
      uid
      status
      queuedAt
      completedAt
      completedCount
    }
    event {
      cursor
      previousStatus
      status
      jobUid
    }
  }
}
    `) as unknown as TypedDocumentString<SetJobStatusMutation, SetJobStatusMutationVariables>;
export const UpdateJobDocument = new TypedDocumentString(`
    mutation UpdateJob($input: UpdateJobInput!) {
  updateJob(input: $input) {
    job {
      uid
      title
      description
      tags
      priority
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateJobMutation, UpdateJobMutationVariables>;
export const StarJobDocument = new TypedDocumentString(`
    mutation StarJob($input: JobRefInput!) {
  starJob(input: $input) {
    job {
      uid
      starredBy
    }
  }
}
    `) as unknown as TypedDocumentString<StarJobMutation, StarJobMutationVariables>;
export const UnstarJobDocument = new TypedDocumentString(`
    mutation UnstarJob($input: JobRefInput!) {
  unstarJob(input: $input) {
    job {
      uid
      starredBy
    }
  }
}
    `) as unknown as TypedDocumentString<UnstarJobMutation, UnstarJobMutationVariables>;
export const ProjectDetailDocument = new TypedDocumentString(`
    query ProjectDetail($uid: String!, $filter: JobFilter, $first: Int) {
  project(uid: $uid) {
    id
    uid
    title
    workspaces {
      id
      uid
      title
      workspaceType
    }
    jobCountsByStatus {
      status
      count
    }
    jobs(filter: $filter, first: $first, orderBy: [{field: UID, direction: ASC}]) {
      totalCount
      edges {
        node {
          uid
          projectUid
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectDetailQuery, ProjectDetailQueryVariables>;
export const ProjectsPageDocument = new TypedDocumentString(`
    query ProjectsPage($first: Int, $after: String, $last: Int, $before: String) {
  projects(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges {
      cursor
      node {
        uid
        title
      }
    }
    pageInfo {
      hasNextPage
      hasPreviousPage
      endCursor
      startCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectsPageQuery, ProjectsPageQueryVariables>;
export const WorkspaceJobsDocument = new TypedDocumentString(`
    query WorkspaceJobs($projectUid: String!, $uid: String!, $first: Int) {
  workspace(projectUid: $projectUid, uid: $uid) {
    id
    uid
    title
    project {
      uid
    }
    jobs(first: $first, orderBy: [{field: UID, direction: ASC}]) {
      totalCount
      edges {
        node {
          uid
          workspaceUids
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WorkspaceJobsQuery, WorkspaceJobsQueryVariables>;
export const NodeLookupDocument = new TypedDocumentString(`
    query NodeLookup($id: ID!, $ids: [ID!]!) {
  node(id: $id) {
    __typename
    id
    ... on Job {
      projectUid
      uid
    }
    ... on Project {
      uid
    }
    ... on Workspace {
      projectUid
      uid
    }
  }
  nodes(ids: $ids) {
    __typename
    id
  }
}
    `) as unknown as TypedDocumentString<NodeLookupQuery, NodeLookupQueryVariables>;