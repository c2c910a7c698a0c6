/**
 * Writes a synthetic project as a CryoSPARC project directory (reference
 * section 8): `project.json`, `workspaces.json` and one `J<n>/job.json` plus an
 * empty `J<n>/job.log` per job. A share of the jobs can be written in the
 * legacy v4 document shape (reference section 10), so importers can be tested
 * on mixed directories.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RawInput, RawJobDocument, RawOutput, SyntheticProject } from './types.js';

export interface WriteProjectDirectoryOptions {
  /**
   * Share of the jobs (0..1) written in the v4 shape: top-level `job_type`,
   * `input_slot_groups`, `output_result_groups`, `output_results`,
   * `params_base`/`params_spec`/`params_secs`, dates as `{"$date": …}`. The
   * v4 jobs are spread evenly over the uids, and the same share always picks
   * the same jobs.
   * @default 0
   */
  legacyV4Share?: number;
  /**
   * Jobs written at the same time.
   * @default 64
   */
  concurrency?: number;
}

/** CryoSPARC version stamped on jobs written in the v4 shape. */
export const LEGACY_V4_VERSION = 'v4.7.1';

/**
 * Writes `project` under `dir` (created when missing; existing files are
 * overwritten). Documents are pretty-printed JSON.
 * @throws RangeError when `legacyV4Share` is outside 0..1 or `concurrency` is below 1.
 */
export async function writeProjectDirectory(
  dir: string,
  project: SyntheticProject,
  options: WriteProjectDirectoryOptions = {},
): Promise<void> {
  const { legacyV4Share = 0, concurrency = 64 } = options;
  if (!(legacyV4Share >= 0 && legacyV4Share <= 1)) {
    throw new RangeError(`legacyV4Share must be between 0 and 1, got ${legacyV4Share}`);
  }
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(path.join(dir, 'project.json'), toJson(project.project)),
    writeFile(path.join(dir, 'workspaces.json'), toJson(project.workspaces)),
  ]);
  await forEachBounded(project.jobs, concurrency, async (job, index) => {
    const jobDir = path.join(dir, job.job_dir);
    await mkdir(jobDir, { recursive: true });
    const doc = isLegacyV4Index(index, legacyV4Share) ? toLegacyV4JobDocument(job) : job;
    await Promise.all([writeFile(path.join(jobDir, 'job.json'), toJson(doc)), writeFile(path.join(jobDir, 'job.log'), '')]);
  });
}

/**
 * Whether the job at `index` (0-based, uid order) is written in the v4 shape
 * for a given share: true exactly when `floor((index + 1) * share)` steps up,
 * which picks `round(n * share)`-ish jobs spread evenly.
 */
export function isLegacyV4Index(index: number, share: number): boolean {
  return Math.floor((index + 1) * share) > Math.floor(index * share);
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await run(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

// ---------------------------------------------------------------------------
// v4 shape

/** Top-level date fields of a job; written as `{"$date": …}` in v4 documents. */
const DATE_FIELDS = new Set([
  'created_at',
  'updated_at',
  'queued_at',
  'started_at',
  'launched_at',
  'running_at',
  'waiting_at',
  'completed_at',
  'killed_at',
  'failed_at',
  'heartbeat_at',
  'tokens_acquired_at',
  'tokens_requested_at',
  'last_scheduled_at',
  'job_dir_size_last_updated',
  'cluster_job_monitor_last_run_at',
  'last_intermediate_data_cleared_at',
  'intermediate_results_size_last_updated',
  'last_exported_at',
  'imported_at',
  'deleted_at',
]);

/** v5 fields with no v4 counterpart (the v5 dump machinery, computed fields, newer features). */
const V5_ONLY_FIELDS = new Set([
  'spec',
  'status_num',
  'build_errors',
  'autodump',
  'dumped_at',
  'last_dumped_version',
  'deleting',
  'starred_by',
  'workflow',
  'import_status',
  'attach_status',
  'requeue_windows_ends_at',
]);

/** Minimal `.cs` field lists per result dtype, as v4 `min_fields` ([name, numpy dtype] pairs). */
const MIN_FIELDS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  blob: [['path', 'O'], ['idx', 'u4'], ['shape', '2u4'], ['psize_A', 'f4']],
  ctf: [['type', 'O'], ['accel_kv', 'f4'], ['cs_mm', 'f4'], ['df1_A', 'f4'], ['df2_A', 'f4'], ['df_angle_rad', 'f4']],
  location: [['micrograph_uid', '<u8'], ['micrograph_path', 'O'], ['center_x_frac', 'f4'], ['center_y_frac', 'f4']],
  alignments2D: [['class', 'u4'], ['pose', 'f4'], ['shift', '2f4']],
  alignments3D: [['pose', '3f4'], ['shift', '2f4'], ['error', 'f4']],
  micrograph_blob: [['path', 'O'], ['shape', '2u4'], ['psize_A', 'f4']],
  movie_blob: [['path', 'O'], ['shape', '3u4'], ['psize_A', 'f4']],
  volume: [['path', 'O'], ['shape', '3u4'], ['psize_A', 'f4']],
};

const dateValue = (value: unknown): unknown => (typeof value === 'string' ? { $date: value } : value);

function titleOf(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function paramType(value: unknown): string {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return value.startsWith('/') ? 'path' : 'string';
  return 'string';
}

function inputSlotGroups(inputs: Record<string, RawInput>): Record<string, unknown>[] {
  return Object.entries(inputs).map(([name, input]) => ({
    type: input.type,
    name,
    title: input.title,
    description: input.description,
    count_min: input.count_min,
    count_max: input.count_max === 'inf' ? null : input.count_max,
    repeat_allowed: input.repeat_allowed,
    slots: input.slots.map((slot) => ({
      type: slot.dtype,
      name: slot.name,
      title: titleOf(slot.name),
      description: '',
      optional: !slot.required,
    })),
    connections: input.connections.map((connection) => ({
      job_uid: connection.job_uid,
      group_name: connection.output,
      slots: connection.results.map((result) => ({
        slot_name: result.name,
        job_uid: result.job_uid,
        group_name: result.output,
        result_name: result.result,
        result_type: result.dtype,
        version: result.version,
      })),
    })),
  }));
}

function outputGroups(uid: string, outputs: Record<string, RawOutput>): {
  groups: Record<string, unknown>[];
  results: Record<string, unknown>[];
} {
  const groups: Record<string, unknown>[] = [];
  const results: Record<string, unknown>[] = [];
  for (const [name, out] of Object.entries(outputs)) {
    groups.push({
      uid: `${uid}.${name}`,
      type: out.type,
      name,
      title: out.title,
      description: out.description,
      contains: out.slots.map((slot) => ({
        uid: `${uid}.${name}.${slot.name}`,
        type: slot.dtype,
        name: slot.name,
        group_name: name,
        passthrough: out.results.find((r) => r.name === slot.name)?.passthrough ?? false,
      })),
      passthrough: out.passthrough ?? false,
      num_items: out.num_items,
      summary: out.summary,
    });
    for (const result of out.results) {
      results.push({
        uid: `${uid}.${name}.${result.name}`,
        type: result.dtype,
        name: result.name,
        group_name: name,
        title: titleOf(result.name),
        description: '',
        versions: result.versions,
        metafiles: result.metafiles,
        min_fields: MIN_FIELDS[result.dtype] ?? [['uid', '<u8']],
        // v4 keeps the final version's count only.
        num_items: result.num_items[result.num_items.length - 1] ?? 0,
        passthrough: result.passthrough,
      });
    }
  }
  return { groups, results };
}

/** v4 scheduler targets are flat: the node config sits beside `hostname`. */
function flattenTarget(resources: unknown): unknown {
  if (typeof resources !== 'object' || resources === null) return resources;
  const { target, ...rest } = resources as Record<string, unknown>;
  if (typeof target !== 'object' || target === null) return resources;
  const { config, ...targetRest } = target as Record<string, unknown>;
  return { ...rest, target: { ...targetRest, ...(config as Record<string, unknown>) } };
}

/**
 * The v4 `job.json` shape of a v5 document (reference section 10): the spec
 * split into `job_type`, input slot groups, output result groups and results,
 * and `params_*`; dates as MongoDB extended JSON; v5-only fields dropped.
 */
export function toLegacyV4JobDocument(job: RawJobDocument): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(job)) {
    if (V5_ONLY_FIELDS.has(key)) continue;
    doc[key] = DATE_FIELDS.has(key) ? dateValue(value) : value;
  }
  const { spec } = job;
  const { groups, results } = outputGroups(job.uid, spec.outputs);
  const paramNames = Object.keys(spec.params);
  const lastAccessed = job.last_accessed as { name: string; accessed_at: string } | null;
  Object.assign(doc, {
    job_type: spec.type,
    version: LEGACY_V4_VERSION,
    version_created: LEGACY_V4_VERSION,
    input_slot_groups: inputSlotGroups(spec.inputs),
    output_result_groups: groups,
    output_results: results,
    params_base: Object.fromEntries(
      paramNames.map((name, order) => [
        name,
        {
          value: spec.params[name],
          title: titleOf(name),
          desc: '',
          order,
          section: 'general',
          advanced: false,
          hidden: false,
          type: paramType(spec.params[name]),
        },
      ]),
    ),
    params_spec: Object.fromEntries(paramNames.map((name) => [name, { value: spec.params[name] }])),
    params_secs: { general: { title: 'General settings', desc: '', order: 0 } },
    last_accessed: lastAccessed ? { name: lastAccessed.name, accessed_at: dateValue(lastAccessed.accessed_at) } : null,
    resources_allocated: flattenTarget(job.resources_allocated),
  });
  const instance = job.instance_information as Record<string, unknown> | undefined;
  if (instance && Object.keys(instance).length > 0) doc.instance_information = { ...instance, version: LEGACY_V4_VERSION };
  return doc;
}
