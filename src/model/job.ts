/**
 * The CryoSPARC v5 Job document (reference section 2): all 96 fields with
 * CryoSPARC's snake_case keys, defaults for missing fields, unknown fields
 * kept, dates normalised to ISO-8601 UTC strings. `parseJobDocument` also
 * accepts the v4 `job.json` shape (see `legacy.ts`).
 */
import { z } from 'zod';
import { JOB_STATUSES } from './job-status.js';
import { allocatedResourcesSchema, instanceInformationSchema } from './job-resources.js';
import {
  jobBuildErrorSchema,
  jobLastAccessedSchema,
  jobWorkflowInfoSchema,
  runErrorSchema,
  uiTileImageSchema,
} from './job-records.js';
import { jobSpecSchema } from './job-spec.js';
import { MAX_TITLE_LENGTH } from './document-limits.js';
import { convertLegacyJob, isLegacyJobDocument } from './legacy.js';
import {
  EPOCH_ISO,
  boolWithDefault,
  dateTimeSchema,
  dateWithDefault,
  intSchema,
  type KnownFields,
  listOf,
  longSchema,
  mapOf,
  nullable,
  nullableDateSchema,
  numberSchema,
  objectIdSchema,
  uidNumber,
  checkUidNumber,
  type DocumentSource,
  uidSchema,
  withDefault,
  withStorableText,
} from './zod-helpers.js';

/** Why a queued job is not running yet. */
export const QUEUE_STATUSES = [
  'waiting_inputs',
  'project_paused',
  'actively_queued',
  'launched',
  'waiting_maintenance',
  'waiting_licenses',
  'waiting_resources',
] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

/** `Job.import_status`. */
export const JOB_IMPORT_STATUSES = ['importing', 'complete', 'failed'] as const;
export type JobImportStatus = (typeof JOB_IMPORT_STATUSES)[number];

/** `Job.attach_status`. */
export const JOB_ATTACH_STATUSES = ['attaching', 'complete', 'failed'] as const;
export type JobAttachStatus = (typeof JOB_ATTACH_STATUSES)[number];

const stringOrNull = nullable(z.string());

/** Old databases hold `false` or `{}` for "not allocated". */
const resourcesAllocatedSchema = z.preprocess(
  (value) =>
    value === undefined ||
    value === false ||
    (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)
      ? null
      : value,
  allocatedResourcesSchema.nullable(),
);

/** `[start, end-or-null]` pairs per benchmark key. */
const benchTimingSchema = z.tuple([dateTimeSchema, nullable(dateTimeSchema)]);

/** The Job document before computed fields are filled in; keys in CryoSPARC's source order. */
const jobDocumentSchema = z.looseObject({
  _id: objectIdSchema,
  updated_at: dateWithDefault(EPOCH_ISO),
  created_at: dateWithDefault(EPOCH_ISO),
  dumped_at: nullableDateSchema,
  last_dumped_version: stringOrNull,
  autodump: boolWithDefault(true),
  uid: uidSchema('J'),
  project_uid: uidSchema('P'),
  workspace_uids: withDefault(
    z.array(uidSchema('W')).min(1, { error: 'a job belongs to at least one workspace' }),
    () => ['W1'],
  ),
  spec: jobSpecSchema,
  job_dir: z.string(),
  job_dir_size: withDefault(longSchema, () => 0),
  job_dir_size_last_updated: dateTimeSchema,
  run_as_user: stringOrNull,
  title: withDefault(z.string().max(MAX_TITLE_LENGTH, { error: (issue) => `at most ${MAX_TITLE_LENGTH} characters, received ${String((issue.input as string).length)}` }), () => ''),
  description: withDefault(z.string(), () => ''),
  status: withDefault(z.enum(JOB_STATUSES), () => 'building'),
  created_by_user_id: stringOrNull,
  created_by_job_uid: stringOrNull,
  cloned_from: stringOrNull,
  queued_at: nullableDateSchema,
  started_at: nullableDateSchema,
  launched_at: nullableDateSchema,
  running_at: nullableDateSchema,
  waiting_at: nullableDateSchema,
  completed_at: nullableDateSchema,
  killed_at: nullableDateSchema,
  failed_at: nullableDateSchema,
  heartbeat_at: nullableDateSchema,
  tokens_acquired_at: nullableDateSchema,
  tokens_requested_at: nullableDateSchema,
  last_scheduled_at: nullableDateSchema,
  last_accessed: nullable(jobLastAccessedSchema),
  has_error: boolWithDefault(false),
  has_warning: boolWithDefault(false),
  version_created: stringOrNull,
  version: stringOrNull,
  priority: withDefault(intSchema, () => 0),
  deleted: boolWithDefault(false),
  deleting: boolWithDefault(false),
  parents: listOf(z.string()),
  children: listOf(z.string()),
  resources_allocated: resourcesAllocatedSchema,
  queued_by_user_id: stringOrNull,
  queued_to_lane: stringOrNull,
  queued_to_hostname: stringOrNull,
  queued_to_gpu: nullable(z.array(intSchema)),
  queue_status: nullable(z.enum(QUEUE_STATUSES)),
  queue_message: stringOrNull,
  queued_job_hash: nullable(longSchema),
  num_tokens: withDefault(intSchema, () => 0),
  job_sig: stringOrNull,
  errors_run: listOf(runErrorSchema),
  interactive_port: nullable(intSchema),
  PID_monitor: nullable(intSchema),
  PID_main: nullable(intSchema),
  PID_workers: listOf(intSchema),
  cluster_job_id: stringOrNull,
  cluster_job_status: stringOrNull,
  cluster_job_status_code: stringOrNull,
  cluster_job_monitor_event_id: stringOrNull,
  cluster_job_monitor_retries: withDefault(intSchema, () => 0),
  cluster_job_monitor_last_run_at: nullableDateSchema,
  cluster_job_submission_script: stringOrNull,
  cluster_job_custom_vars: mapOf(z.string()),
  ui_tile_images: listOf(uiTileImageSchema),
  is_experiment: boolWithDefault(false),
  enable_bench: boolWithDefault(false),
  bench: mapOf(z.union([numberSchema, z.record(z.string(), z.unknown())])),
  bench_timings: mapOf(z.array(benchTimingSchema)),
  completed_count: withDefault(intSchema, () => 0),
  instance_information: withDefault(instanceInformationSchema, () => ({})),
  last_intermediate_data_cleared_at: nullableDateSchema,
  last_intermediate_data_cleared_amount: withDefault(longSchema, () => 0),
  intermediate_results_size_bytes: withDefault(longSchema, () => 0),
  intermediate_results_size_last_updated: nullableDateSchema,
  is_final_result: boolWithDefault(false),
  is_ancestor_of_final_result: boolWithDefault(false),
  no_check_inputs_ready: boolWithDefault(false),
  progress: listOf(z.record(z.string(), z.unknown())),
  last_exported_at: nullableDateSchema,
  last_exported_location: stringOrNull,
  last_exported_version: stringOrNull,
  tags: listOf(z.string()),
  workflow: nullable(jobWorkflowInfoSchema),
  imported_at: nullableDateSchema,
  deleted_at: nullableDateSchema,
  import_status: nullable(z.enum(JOB_IMPORT_STATUSES)),
  attach_status: nullable(z.enum(JOB_ATTACH_STATUSES)),
  starred_by: listOf(z.string()),
  requeue_windows_ends_at: nullableDateSchema,
  oversubscribe_gpus: boolWithDefault(false),
  // Computed upstream: uid numbers are derived from the uids below (and must agree when present), status_num when absent.
  uid_num: intSchema.optional(),
  project_uid_num: intSchema.optional(),
  status_num: intSchema.optional(),
  build_errors: listOf(jobBuildErrorSchema),
});

/** The 96 reference fields of a Job, in CryoSPARC's source order (`id` is `_id`). */
export const JOB_FIELD_NAMES: readonly string[] = Object.freeze(Object.keys(jobDocumentSchema.shape));

type JobDocument = z.output<typeof jobDocumentSchema>;

function withComputedFields(doc: JobDocument, ctx: z.core.$RefinementCtx<JobDocument>) {
  // One identity per document: the numbers stored and served are the uids', whatever the document says.
  const uid_num = uidNumber(doc.uid);
  const project_uid_num = uidNumber(doc.project_uid);
  checkUidNumber(ctx, 'uid_num', doc.uid_num, doc.uid);
  checkUidNumber(ctx, 'project_uid_num', doc.project_uid_num, doc.project_uid);
  return {
    ...doc,
    uid_num,
    project_uid_num,
    // Upstream's mapping is undocumented; ours is the index in JOB_STATUSES.
    status_num: doc.status_num ?? JOB_STATUSES.indexOf(doc.status),
  };
}

/**
 * The v5 Job schema. Output keeps snake_case keys and unknown fields; dates
 * are ISO-8601 UTC strings; `uid_num` and `project_uid_num` are derived from
 * the uids (a document whose own numbers disagree is invalid), `status_num`
 * when missing. Compiled by zod: valid documents take a generated
 * fast path (about a third of the interpreted cost), anything else falls back
 * to the interpreter, so issues are reported exactly as without it.
 */
export const jobSchema = z.compile(jobDocumentSchema.transform(withComputedFields));

/** A parsed CryoSPARC job document. */
export type Job = KnownFields<z.output<typeof jobSchema>>;

/**
 * Parses a v5 or v4 (`job_type`, `input_slot_groups`, …) job document, and
 * checks that a database can store it (see `document-limits.ts`: no NUL
 * characters or lone surrogates in any string or key, bounded nesting).
 * @throws ZodError when the document is invalid; see `formatZodIssues`.
 */
export function parseJobDocument(raw: unknown, source?: DocumentSource): Job {
  const result = safeParseJobDocument(raw, source);
  if (!result.success) throw result.error;
  return result.data;
}

/** Like {@link parseJobDocument} but returns zod's `{ success, data | error }`. */
export function safeParseJobDocument(raw: unknown, source?: DocumentSource): z.ZodSafeParseResult<Job> {
  return withStorableText(raw, jobSchema.safeParse(isLegacyJobDocument(raw) ? convertLegacyJob(raw) : raw), source);
}

export { formatZodIssues } from './zod-helpers.js';
export type { AllocatedResources, GpuInfo, InstanceInformation, SchedulerTarget } from './job-resources.js';
export type { JobBuildError, JobLastAccessed, JobWorkflowInfo, RunError, UiTileImage } from './job-records.js';
export type { InputResult, JobConnection, JobInput, JobOutput, JobSpec, OutputResult } from './job-spec.js';
