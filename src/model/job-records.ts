/**
 * Small records hanging off a Job: errors, UI tiles, last access, workflow.
 */
import { z } from 'zod';
import {
  YEAR_ONE_ISO,
  boolWithDefault,
  dateWithDefault,
  intSchema,
  type KnownFields,
  mapOf,
  nullable,
  withDefault,
} from './zod-helpers.js';

/** A runtime error of the job (`errors_run`, last 10 kept upstream). */
export const runErrorSchema = z.looseObject({
  message: z.string(),
  warning: boolWithDefault(false),
});

/**
 * A build (validation) error, shaped like a pydantic v2 error record. There is
 * no message: build one from `type`, `loc` and `ctx`. `type` is one of
 * pydantic's error codes (`missing`, `value_error`, …), accepted as any string.
 */
export const jobBuildErrorSchema = z.looseObject({
  type: z.string(),
  loc: z.array(z.union([z.string(), intSchema])),
  input: z.unknown(),
  ctx: mapOf(z.unknown()),
  input_type: z.string(),
});

/** An image on the job's tile in the UI; `fileid` is an asset id. */
export const uiTileImageSchema = z.looseObject({
  name: z.string(),
  fileid: z.string(),
  num_rows: nullable(intSchema),
  num_cols: nullable(intSchema),
});

/** Who last opened the job in the UI, and when. */
export const jobLastAccessedSchema = z.looseObject({
  name: z.string(),
  accessed_at: dateWithDefault(YEAR_ONE_ISO),
});

/** The workflow a job was created from; `jobId` is camelCase upstream too. */
export const jobWorkflowInfoSchema = z.looseObject({
  id: z.string(),
  jobId: z.string(),
  run: withDefault(intSchema, () => 0),
});

export type RunError = KnownFields<z.output<typeof runErrorSchema>>;
export type JobBuildError = KnownFields<z.output<typeof jobBuildErrorSchema>>;
export type UiTileImage = KnownFields<z.output<typeof uiTileImageSchema>>;
export type JobLastAccessed = KnownFields<z.output<typeof jobLastAccessedSchema>>;
export type JobWorkflowInfo = KnownFields<z.output<typeof jobWorkflowInfoSchema>>;
