/**
 * `Job.spec`: the job type, its params, and the inputs and outputs whose
 * connections define lineage (reference section 4).
 */
import { z } from 'zod';
import {
  boolWithDefault,
  intSchema,
  type KnownFields,
  listOf,
  mapOf,
  nullable,
  withDefault,
} from './zod-helpers.js';

/**
 * Data types of inputs and outputs known to CryoSPARC v5. The schemas accept
 * any string here (new CryoSPARC versions add types); this list documents the
 * known ones.
 */
export const DATA_TYPES = [
  'exposure',
  'particle',
  'template',
  'volume',
  'volume_multi',
  'mask',
  'live',
  'ml_model',
  'symmetry_candidate',
  'flex_mesh',
  'flex_model',
  'hyperparameter',
  'denoise_model',
  'annotation_model',
] as const;

export type DataType = (typeof DATA_TYPES)[number];

export function isKnownDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}

/** Lenient data type: any string, see {@link DATA_TYPES}. */
const dataTypeSchema = z.string();

/** Resources a job needs; computed upstream. `ram` counts 8 GiB slots. */
export const resourceSpecSchema = z.looseObject({
  cpu: withDefault(intSchema, () => 1),
  gpu: withDefault(intSchema, () => 0),
  ram: withDefault(intSchema, () => 1),
  ssd: boolWithDefault(false),
});

/** A low-level slot an input expects (`name` is the field prefix in the `.cs` dataset). */
export const inputSlotSchema = z.looseObject({
  name: z.string(),
  dtype: z.string(),
  required: boolWithDefault(false),
});

/** One slot binding of a connection; `job_uid` may differ from the connection's (result override). */
export const inputResultSchema = z.looseObject({
  name: nullable(z.string()),
  dtype: z.string(),
  job_uid: z.string(),
  output: z.string(),
  result: z.string(),
  /** Result version, or `"F"` for the final one. */
  version: withDefault(z.union([intSchema, z.literal('F')]), () => 'F' as const),
});

/** One parent output feeding an input: the edge `job_uid -> this job`. */
export const connectionSchema = z.looseObject({
  job_uid: z.string(),
  output: z.string(),
  results: listOf(inputResultSchema),
});

/** One entry of `spec.inputs`. */
export const inputSchema = z.looseObject({
  type: dataTypeSchema,
  title: z.string(),
  description: withDefault(z.string(), () => ''),
  slots: listOf(inputSlotSchema),
  count_min: withDefault(intSchema, () => 0),
  count_max: withDefault(z.union([intSchema, z.literal('inf')]), () => 'inf' as const),
  repeat_allowed: boolWithDefault(false),
  connections: listOf(connectionSchema),
});

/** A low-level result definition of an output. */
export const outputSlotSchema = z.looseObject({
  name: z.string(),
  dtype: z.string(),
});

/** A concrete result of an output; `metafiles` and `num_items` run parallel to `versions`. */
export const outputResultSchema = z.looseObject({
  name: z.string(),
  dtype: z.string(),
  versions: listOf(intSchema),
  metafiles: listOf(z.string()),
  num_items: listOf(intSchema),
  passthrough: boolWithDefault(false),
});

/** One entry of `spec.outputs`. */
export const outputSchema = z.looseObject({
  type: dataTypeSchema,
  title: z.string(),
  description: withDefault(z.string(), () => ''),
  slots: listOf(outputSlotSchema),
  passthrough: nullable(z.string()),
  results: listOf(outputResultSchema),
  num_items: withDefault(intSchema, () => 0),
  image: nullable(z.string()),
  summary: mapOf(z.unknown()),
  latest_summary_stats: mapOf(z.unknown()),
});

/** Job type, params, inputs and outputs. Tile size and resources are computed upstream and defaulted here. */
export const jobSpecSchema = z.looseObject({
  type: z.string().min(1, { error: 'expected a job type such as "homo_abinit"' }),
  params: mapOf(z.unknown()),
  inputs: mapOf(inputSchema),
  outputs: mapOf(outputSchema),
  ui_tile_width: withDefault(intSchema, () => 1),
  ui_tile_height: withDefault(intSchema, () => 1),
  resource_spec: withDefault(resourceSpecSchema, () => ({})),
});

export type ResourceSpec = KnownFields<z.output<typeof resourceSpecSchema>>;
export type InputSlot = KnownFields<z.output<typeof inputSlotSchema>>;
export type InputResult = KnownFields<z.output<typeof inputResultSchema>>;
export type JobConnection = KnownFields<z.output<typeof connectionSchema>>;
export type JobInput = KnownFields<z.output<typeof inputSchema>>;
export type OutputSlot = KnownFields<z.output<typeof outputSlotSchema>>;
export type OutputResult = KnownFields<z.output<typeof outputResultSchema>>;
export type JobOutput = KnownFields<z.output<typeof outputSchema>>;
export type JobSpec = KnownFields<z.output<typeof jobSpecSchema>>;
