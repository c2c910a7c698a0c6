/**
 * CryoSPARC Project and Workspace documents (reference section 6). Same
 * conventions as the Job schema: snake_case keys, unknown fields kept,
 * defaults for missing fields, dates as ISO-8601 UTC strings. The v4
 * `WorkspaceDocument` is a subset of the workspace shape and parses as is;
 * Live sessions (`workspace_type: "live"`) parse as workspaces with their
 * extra fields kept.
 */
import { z } from 'zod';
import {
  EPOCH_ISO,
  YEAR_ONE_ISO,
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
  objectIdSchema,
  checkUidNumber,
  type DocumentSource,
  uidNumber,
  uidSchema,
  withDefault,
  withStorableText,
} from './zod-helpers.js';

/** `Project.import_status`; `moving` appears in some upstream versions. */
export const PROJECT_IMPORT_STATUSES = ['importing', 'moving', 'complete', 'failed', 'accepted'] as const;
export type ProjectImportStatus = (typeof PROJECT_IMPORT_STATUSES)[number];

/** `Workspace.workspace_type`: a plain workspace or a Live session. */
export const WORKSPACE_TYPES = ['base', 'live'] as const;
export type WorkspaceType = (typeof WORKSPACE_TYPES)[number];

const stringOrNull = nullable(z.string());
const countsSchema = mapOf(intSchema);

const documentFields = {
  _id: objectIdSchema,
  updated_at: dateWithDefault(EPOCH_ISO),
  created_at: dateWithDefault(EPOCH_ISO),
  dumped_at: nullableDateSchema,
  last_dumped_version: stringOrNull,
  autodump: boolWithDefault(true),
};

/** Job counts of a project, by type, category (`job_sections`) and status. */
export const projectStatsSchema = z.looseObject({
  workspace_count: withDefault(intSchema, () => 0),
  session_count: withDefault(intSchema, () => 0),
  job_count: withDefault(intSchema, () => 0),
  job_types: countsSchema,
  job_sections: countsSchema,
  job_status: countsSchema,
  updated_at: nullableDateSchema,
});

/** Job types whose intermediate results are generated in this project. */
export const generateIntermediateResultsSettingsSchema = z.looseObject({
  class_2D_new: boolWithDefault(false),
  class_3D: boolWithDefault(false),
  var_3D_disp: boolWithDefault(false),
});

/** Workflow usage: the latest workflow applied and runs per workflow id. */
export const projectWorkflowInfoSchema = z.looseObject({
  latest_workflow_uid: stringOrNull,
  runs: countsSchema,
});

const projectDocumentSchema = z.looseObject({
  ...documentFields,
  uid: uidSchema('P'),
  /** Absolute path. Required upstream; defaulted here. */
  project_dir: withDefault(z.string(), () => ''),
  owner_user_id: withDefault(z.string(), () => ''),
  title: withDefault(z.string(), () => ''),
  description: withDefault(z.string(), () => ''),
  project_params_pdef: mapOf(z.unknown()),
  queue_paused: boolWithDefault(false),
  deleted: boolWithDefault(false),
  deleting: boolWithDefault(false),
  users_with_access: listOf(z.string()),
  /** Bytes. */
  size: withDefault(longSchema, () => 0),
  size_last_updated: dateWithDefault(EPOCH_ISO),
  last_accessed: nullable(
    z.looseObject({ name: withDefault(z.string(), () => ''), accessed_at: dateWithDefault(YEAR_ONE_ISO) }),
  ),
  archived: boolWithDefault(false),
  detached: boolWithDefault(false),
  generate_intermediate_results_settings: withDefault(generateIntermediateResultsSettingsSchema, () => ({})),
  last_exp_group_id_used: nullable(intSchema),
  develop_run_as_user: stringOrNull,
  imported_at: nullableDateSchema,
  import_status: nullable(z.enum(PROJECT_IMPORT_STATUSES)),
  project_stats: withDefault(projectStatsSchema, () => ({})),
  created_at_version: withDefault(z.string(), () => 'unknown'),
  last_archived_version: stringOrNull,
  last_detached_version: stringOrNull,
  is_cleanup_in_progress: boolWithDefault(false),
  tags: listOf(z.string()),
  starred_by: listOf(z.string()),
  autodump_failed: boolWithDefault(false),
  autodump_errors: listOf(z.string()),
  workflows: withDefault(projectWorkflowInfoSchema, () => ({})),
  uid_num: intSchema.optional(),
});

/** The Project schema; `uid_num` is derived from `uid` (a document stating another number is invalid). */
export const projectSchema = projectDocumentSchema.transform((doc, ctx) => {
  checkUidNumber(ctx, 'uid_num', doc.uid_num, doc.uid);
  return { ...doc, uid_num: uidNumber(doc.uid) };
});

/** Job counts of a workspace. */
export const workspaceStatsSchema = z.looseObject({
  updated_at: nullableDateSchema,
  job_count: withDefault(intSchema, () => 0),
  job_sections: countsSchema,
  job_status: countsSchema,
  job_types: countsSchema,
});

/** A named group of jobs inside a workspace (`jobs` are job uids). */
export const jobGroupSchema = z.looseObject({
  id: intSchema,
  jobs: listOf(z.string()),
  title: stringOrNull,
  description: stringOrNull,
  color: stringOrNull,
});

const workspaceDocumentSchema = z.looseObject({
  ...documentFields,
  uid: uidSchema('W'),
  project_uid: uidSchema('P'),
  workspace_type: withDefault(z.enum(WORKSPACE_TYPES), () => 'base'),
  created_by_user_id: stringOrNull,
  title: stringOrNull,
  description: stringOrNull,
  created_by_job_uid: stringOrNull,
  tags: listOf(z.string()),
  starred_by: listOf(z.string()),
  deleted: boolWithDefault(false),
  deleting: boolWithDefault(false),
  last_accessed: nullable(z.looseObject({ name: z.string(), accessed_at: dateTimeSchema })),
  workspace_stats: withDefault(workspaceStatsSchema, () => ({})),
  imported_at: nullableDateSchema,
  groups: listOf(jobGroupSchema),
  uid_num: intSchema.optional(),
  project_uid_num: intSchema.optional(),
});

/** The Workspace schema (also Live sessions); `uid_num`/`project_uid_num` derived from the uids, and must agree when present. */
export const workspaceSchema = workspaceDocumentSchema.transform((doc, ctx) => {
  checkUidNumber(ctx, 'uid_num', doc.uid_num, doc.uid);
  checkUidNumber(ctx, 'project_uid_num', doc.project_uid_num, doc.project_uid);
  return { ...doc, uid_num: uidNumber(doc.uid), project_uid_num: uidNumber(doc.project_uid) };
});

export type Project = KnownFields<z.output<typeof projectSchema>>;
export type ProjectStats = KnownFields<z.output<typeof projectStatsSchema>>;
export type Workspace = KnownFields<z.output<typeof workspaceSchema>>;
export type WorkspaceStats = KnownFields<z.output<typeof workspaceStatsSchema>>;
export type JobGroup = KnownFields<z.output<typeof jobGroupSchema>>;

/** @throws ZodError when the document is invalid or holds text no database can store (see `document-limits.ts`). */
export function parseProjectDocument(raw: unknown, source?: DocumentSource): Project {
  const result = safeParseProjectDocument(raw, source);
  if (!result.success) throw result.error;
  return result.data;
}

export function safeParseProjectDocument(raw: unknown, source?: DocumentSource): z.ZodSafeParseResult<Project> {
  return withStorableText(raw, projectSchema.safeParse(raw), source);
}

/** Accepts the v5 Workspace and the v4 WorkspaceDocument. @throws ZodError when invalid. */
export function parseWorkspaceDocument(raw: unknown, source?: DocumentSource): Workspace {
  const result = safeParseWorkspaceDocument(raw, source);
  if (!result.success) throw result.error;
  return result.data;
}

export function safeParseWorkspaceDocument(raw: unknown, source?: DocumentSource): z.ZodSafeParseResult<Workspace> {
  return withStorableText(raw, workspaceSchema.safeParse(raw), source);
}
