import type { GraphQLResolveInfo } from 'graphql';
import type { Job } from '../model/job.js';
import { jobType } from '../store/lazy-job.js';
import { categoryOfJobType } from '../model/job-category.js';
import { parentUidsOf } from '../model/edges.js';
import type { JobFilter, JobOrder, PageArgs } from '../store/job-store.js';
import { builder, pageComplexity } from './builder.js';
import { toConnection } from './connection.js';
import type { Context } from './context.js';
import { JobAttachStatusRef, JobCategoryRef, JobImportStatusRef, JobStatusRef, QueueStatusRef } from './job-enums.js';
import { JobFilterInput, JobOrderInput, checkJobOrder, toStoreFilter } from './job-filter.js';
import { uidInput } from './input-checks.js';
import { AllocatedResourcesRef, InstanceInformationRef } from './job-resources.js';
import { JobBuildErrorRef, JobLastAccessedRef, JobWorkflowInfoRef, RunErrorRef, UiTileImageRef } from './job-records.js';
import { JobSpecRef } from './job-spec.js';
import { jobReadOptions, pageLookAhead } from './selection.js';
import { jobWithItsWalk } from './walk-ahead.js';

export const JobRef = builder.objectRef<Job>('Job');

/** Local part of a Job's global id: `P3/J42`. */
export function jobLocalId(job: Pick<Job, 'project_uid' | 'uid'>): string {
  return `${job.project_uid}/${job.uid}`;
}

export function parseJobLocalId(id: string): { projectUid: string; uid: string } | null {
  const match = /^(P\d+)\/(J\d+)$/.exec(id);
  return match ? { projectUid: match[1]!, uid: match[2]! } : null;
}

type DateKey = { [K in keyof Job]: Job[K] extends string | null ? K : never }[keyof Job];

// Lifecycle and bookkeeping timestamps: [GraphQL name, document key, meaning].
const NULLABLE_DATES: [string, DateKey, string][] = [
  ['dumpedAt', 'dumped_at', 'When the job was last dumped to disk.'],
  ['queuedAt', 'queued_at', 'When it was added to the queue.'],
  ['launchedAt', 'launched_at', 'When it was launched.'],
  ['startedAt', 'started_at', 'When it was started.'],
  ['runningAt', 'running_at', 'When its main process started running.'],
  ['waitingAt', 'waiting_at', 'When it last began waiting for interactive input.'],
  ['completedAt', 'completed_at', 'When it completed.'],
  ['killedAt', 'killed_at', 'When it was killed.'],
  ['failedAt', 'failed_at', 'When it failed.'],
  ['heartbeatAt', 'heartbeat_at', 'Last heartbeat from the running job.'],
  ['tokensAcquiredAt', 'tokens_acquired_at', 'When the licence server allowed it to run.'],
  ['tokensRequestedAt', 'tokens_requested_at', 'When it started waiting for licence tokens.'],
  ['lastScheduledAt', 'last_scheduled_at', "The scheduler's last launch attempt."],
  ['clusterJobMonitorLastRunAt', 'cluster_job_monitor_last_run_at', 'Last run of the cluster job monitor.'],
  ['lastIntermediateDataClearedAt', 'last_intermediate_data_cleared_at', 'Last clean-up of intermediate results.'],
  ['intermediateResultsSizeLastUpdated', 'intermediate_results_size_last_updated', 'When the intermediate results were measured.'],
  ['lastExportedAt', 'last_exported_at', 'Last export of its outputs.'],
  ['importedAt', 'imported_at', 'When it was imported.'],
  ['deletedAt', 'deleted_at', 'When it was deleted.'],
  ['requeueWindowsEndsAt', 'requeue_windows_ends_at', 'Until then, clearing and requeueing keeps its place in the queue.'],
];

type StringKey = { [K in keyof Job]: Job[K] extends string | null ? K : never }[keyof Job];

const NULLABLE_STRINGS: [string, StringKey, string][] = [
  ['lastDumpedVersion', 'last_dumped_version', 'CryoSPARC version of the last dump.'],
  ['runAsUser', 'run_as_user', 'Internal: developer job register to use.'],
  ['createdByUserId', 'created_by_user_id', 'Id of the user who created it.'],
  ['createdByJobUid', 'created_by_job_uid', 'Job that created this job (Live, workflows).'],
  ['clonedFrom', 'cloned_from', 'Uid of the job this one was cloned from.'],
  ['versionCreated', 'version_created', 'CryoSPARC version that created it.'],
  ['version', 'version', 'CryoSPARC version that last ran it.'],
  ['queuedByUserId', 'queued_by_user_id', 'Id of the user who queued it.'],
  ['queuedToLane', 'queued_to_lane', 'Lane chosen at queue time.'],
  ['queuedToHostname', 'queued_to_hostname', 'Target host chosen at queue time.'],
  ['queueMessage', 'queue_message', 'Why it is still queued, in words.'],
  ['jobSig', 'job_sig', 'Signature from the licensing module.'],
  ['clusterJobId', 'cluster_job_id', 'Id given by the cluster scheduler.'],
  ['clusterJobStatus', 'cluster_job_status', 'Status text from the cluster scheduler.'],
  ['clusterJobStatusCode', 'cluster_job_status_code', 'Status code from the cluster scheduler.'],
  ['clusterJobMonitorEventId', 'cluster_job_monitor_event_id', 'Event of the cluster job monitor.'],
  ['clusterJobSubmissionScript', 'cluster_job_submission_script', 'The rendered cluster submission script.'],
  ['lastExportedLocation', 'last_exported_location', 'Where its outputs were last exported.'],
  ['lastExportedVersion', 'last_exported_version', 'CryoSPARC version of the last export.'],
];

builder.node(JobRef, {
  description: 'A CryoSPARC job: one step of processing, wired to the jobs that feed it (parents) and that it feeds (children).',
  id: { resolve: jobLocalId, description: 'Global id; refetch with `node(id:)`.' },
  loadMany: (ids, ctx) => Promise.all(ids.map((id) => ctx.loaders.jobs().load(parseJobLocalId(id) ?? { projectUid: '', uid: '' }))),
  fields: (t) => ({
    objectId: t.exposeString('_id', { description: 'Database ObjectId (24 hex digits).' }),
    uid: t.exposeString('uid', { description: 'Job uid, unique within its project, e.g. `J42`.' }),
    uidNum: t.exposeInt('uid_num', { description: 'The number in the uid.' }),
    projectUid: t.exposeString('project_uid', { description: 'Uid of the project, e.g. `P3`.' }),
    projectUidNum: t.exposeInt('project_uid_num', { description: 'The number in the project uid.' }),
    workspaceUids: t.exposeStringList('workspace_uids', { description: 'Workspaces the job belongs to (at least one).' }),
    type: t.string({ description: 'Job type (`spec.type`), e.g. `homo_abinit`.', resolve: (j) => jobType(j) }),
    category: t.field({
      type: JobCategoryRef,
      nullable: true,
      description: 'Job builder section of the type; null for types jobgraph does not know.',
      resolve: (j) => categoryOfJobType(jobType(j)),
    }),
    spec: t.field({ type: JobSpecRef, description: 'Type, params, inputs and outputs.', resolve: (j) => j.spec }),
    jobDir: t.exposeString('job_dir', { description: 'Job directory relative to the project directory.' }),
    jobDirSize: t.float({ description: 'Size of the job directory in bytes.', resolve: (j) => j.job_dir_size }),
    jobDirSizeLastUpdated: t.field({ type: 'DateTime', description: 'When that size was computed.', resolve: (j) => j.job_dir_size_last_updated }),
    title: t.exposeString('title', { description: 'Human title.' }),
    description: t.exposeString('description', { description: 'Markdown description.' }),
    status: t.field({ type: JobStatusRef, description: 'Scheduling status.', resolve: (j) => j.status }),
    statusNum: t.exposeInt('status_num', { description: 'Numeric status as stored upstream (opaque; jobgraph uses the lifecycle index when absent).' }),
    createdAt: t.field({ type: 'DateTime', description: 'Creation time (kept on import).', resolve: (j) => j.created_at }),
    updatedAt: t.field({ type: 'DateTime', description: 'Last modification.', resolve: (j) => j.updated_at }),
    autodump: t.exposeBoolean('autodump', { description: 'Changed recently and due to be dumped to disk.' }),
    lastAccessed: t.field({ type: JobLastAccessedRef, nullable: true, description: 'Who last opened it in the UI.', resolve: (j) => j.last_accessed }),
    hasError: t.exposeBoolean('has_error', { description: 'Its event log contains an error.' }),
    hasWarning: t.exposeBoolean('has_warning', { description: 'Its event log contains a warning.' }),
    priority: t.exposeInt('priority', { description: 'Queue priority; higher runs first.' }),
    deleted: t.exposeBoolean('deleted', { description: 'Soft-deleted.' }),
    deleting: t.exposeBoolean('deleting', { description: 'Deletion in progress.' }),
    parentUids: t.stringList({
      description: 'Uids of the parent jobs, from the input connections.',
      resolve: (j) => parentUidsOf(j),
    }),
    childUids: t.stringList({
      description: 'Uids of the child jobs: the jobs whose inputs connect to this one.',
      resolve: async (j, _a, ctx) => (await ctx.loaders.children({ columnsOnly: [] }).load({ projectUid: j.project_uid, uid: j.uid })).map((c) => c.uid),
    }),
    resourcesAllocated: t.field({
      type: AllocatedResourcesRef,
      nullable: true,
      description: 'What the scheduler gave it at launch.',
      resolve: (j) => j.resources_allocated,
    }),
    queuedToGpu: t.intList({ nullable: true, description: 'GPU indices requested at queue time.', resolve: (j) => j.queued_to_gpu }),
    queueStatus: t.field({ type: QueueStatusRef, nullable: true, description: 'Why a queued job is not running yet.', resolve: (j) => j.queue_status }),
    queuedJobHash: t.string({
      nullable: true,
      description: 'Scheduler hash (a large integer, as a string).',
      resolve: (j) => (j.queued_job_hash == null ? null : String(j.queued_job_hash)),
    }),
    numTokens: t.exposeInt('num_tokens', { description: 'GPU licence tokens needed.' }),
    errorsRun: t.field({ type: [RunErrorRef], description: 'Runtime errors, the last 10 at most.', resolve: (j) => j.errors_run }),
    buildErrors: t.field({ type: [JobBuildErrorRef], description: 'Configuration errors; a job with any cannot be queued.', resolve: (j) => j.build_errors }),
    interactivePort: t.exposeInt('interactive_port', { nullable: true, description: "Port of an interactive job's server, once waiting." }),
    pidMonitor: t.exposeInt('PID_monitor', { nullable: true, description: 'Process id of the monitor process.' }),
    pidMain: t.exposeInt('PID_main', { nullable: true, description: 'Process id of the main process.' }),
    pidWorkers: t.exposeIntList('PID_workers', { description: 'Process ids of the workers.' }),
    clusterJobMonitorRetries: t.exposeInt('cluster_job_monitor_retries', { description: 'Retries of the cluster job monitor.' }),
    clusterJobCustomVars: t.field({ type: 'JSON', description: 'Custom cluster template variables.', resolve: (j) => j.cluster_job_custom_vars }),
    uiTileImages: t.field({ type: [UiTileImageRef], description: "Images on the job's tile in the UI.", resolve: (j) => j.ui_tile_images }),
    isExperiment: t.exposeBoolean('is_experiment', { description: 'Part of an experiment.' }),
    enableBench: t.exposeBoolean('enable_bench', { description: 'Benchmarking is on.' }),
    bench: t.field({ type: 'JSON', description: 'Benchmark data.', resolve: (j) => j.bench }),
    benchTimings: t.field({ type: 'JSON', description: 'Timing pairs (start, end or null) per key.', resolve: (j) => j.bench_timings }),
    completedCount: t.exposeInt('completed_count', { description: 'How many times it was marked completed.' }),
    instanceInformation: t.field({ type: InstanceInformationRef, description: 'The machine it ran on.', resolve: (j) => j.instance_information }),
    lastIntermediateDataClearedAmount: t.float({ description: 'Bytes cleared at the last clean-up.', resolve: (j) => j.last_intermediate_data_cleared_amount }),
    intermediateResultsSizeBytes: t.float({ description: 'Size of intermediate results in bytes.', resolve: (j) => j.intermediate_results_size_bytes }),
    isFinalResult: t.exposeBoolean('is_final_result', { description: 'Marked final: it and its ancestors survive clean-up.' }),
    isAncestorOfFinalResult: t.exposeBoolean('is_ancestor_of_final_result', { description: 'An ancestor of a final result.' }),
    noCheckInputsReady: t.exposeBoolean('no_check_inputs_ready', { description: 'Launch even if parents have not finished.' }),
    progress: t.field({ type: 'JSON', description: 'Progress log entries.', resolve: (j) => j.progress }),
    tags: t.exposeStringList('tags', { description: 'Tag uids.' }),
    workflow: t.field({ type: JobWorkflowInfoRef, nullable: true, description: 'Workflow it was created from.', resolve: (j) => j.workflow }),
    importStatus: t.field({ type: JobImportStatusRef, nullable: true, description: 'Progress of an import.', resolve: (j) => j.import_status }),
    attachStatus: t.field({ type: JobAttachStatusRef, nullable: true, description: 'Progress of an attach.', resolve: (j) => j.attach_status }),
    starredBy: t.exposeStringList('starred_by', { description: 'Ids of users who starred it.' }),
    oversubscribeGpus: t.exposeBoolean('oversubscribe_gpus', { description: 'Allowed to share GPUs with other jobs.' }),
    document: t.field({ type: 'JSON', description: 'The whole stored document, including fields this schema does not model.', resolve: (j) => j }),
  }),
});

builder.objectFields(JobRef, (t) =>
  Object.fromEntries([
    ...NULLABLE_DATES.map(([name, key, description]) => [
      name,
      t.field({ type: 'DateTime', nullable: true, description, resolve: (j) => j[key] as string | null }),
    ]),
    ...NULLABLE_STRINGS.map(([name, key, description]) => [
      name,
      t.string({ nullable: true, description, resolve: (j) => j[key] as string | null }),
    ]),
  ]),
);

export const JobConnectionRef = builder.connectionObject(
  { type: JobRef, name: 'JobConnection', description: 'A page of jobs.' },
  { name: 'JobConnectionEdge', description: 'A job of a page, with its cursor.' },
);

builder.queryFields((t) => ({
  job: t.field({
    type: JobRef,
    nullable: true,
    description: 'One job by project and uid; null when it does not exist.',
    args: {
      projectUid: t.arg.string({ required: true, description: 'Project uid, e.g. `P3`.', ...uidInput('P') }),
      uid: t.arg.string({ required: true, description: 'Job uid, e.g. `J42`.', ...uidInput('J') }),
    },
    resolve: async (_root, args, ctx, info) => {
      const key = { projectUid: args.projectUid, uid: args.uid };
      const withWalk = await jobWithItsWalk(ctx, key, info);
      return withWalk !== undefined ? withWalk : ctx.loaders.jobs(jobReadOptions(info)).load(key);
    },
  }),
  jobs: t.connection(
    {
      type: JobRef,
      description: 'Jobs across projects, filtered, sorted and paged (at most 100 per page).',
      complexity: pageComplexity,
      args: {
        filter: t.arg({ type: JobFilterInput, description: 'Which jobs.' }),
        orderBy: t.arg({ type: [JobOrderInput], description: 'Sort keys, first one first. Default: newest first.' }),
      },
      resolve: (_root, args, ctx, info) => resolveJobConnection(ctx, args, toStoreFilter(args.filter), info),
    },
    JobConnectionRef,
  ),
}));

/**
 * Shared by `Query.jobs`, `Project.jobs` and `Workspace.jobs`: one listing statement, reading
 * documents only when the selection needs them; the total is counted only if asked.
 */
export async function resolveJobConnection(
  ctx: Context,
  args: PageArgs & { orderBy?: readonly JobOrder[] | null },
  filter: JobFilter,
  info: GraphQLResolveInfo,
) {
  checkJobOrder(args.orderBy);
  const read = jobReadOptions(info);
  // The parents, children and total the selection asks for come with the page, in its statement.
  const ahead = pageLookAhead(info);
  const page = await ctx.store.listJobs({ filter, orderBy: args.orderBy, page: args, ...read, extras: { neighbours: ahead.neighbours, withTotal: ahead.totalCount } });
  const nodes = page.edges.map((e) => e.node);
  ctx.loaders.primeJobs(nodes, read);
  for (const side of ['parents', 'children'] as const) {
    const lists = page.neighbours?.[side];
    if (lists) ctx.loaders.keepNeighbours(side, { columnsOnly: ahead.neighbours[side] }, nodes, lists);
  }
  return toConnection(page, page.totalCount ?? (() => ctx.store.countJobs(filter)));
}
