/**
 * CryoSPARC v4 `job.json` documents (reference section 10) rewritten into the
 * v5 shape before the v5 schema parses them. The mapping is our reading of the
 * two shapes, not a documented migration:
 *
 * - `job_type` (or `type`) -> `spec.type`
 * - `input_slot_groups[]` -> `spec.inputs`, keyed by group `name`; a connection's
 *   `group_name` -> `output`, its `slots[]` -> `results[]` (`slot_name` -> `name`,
 *   `group_name` -> `output`, `result_name` -> `result`, `result_type` -> `dtype`);
 *   group slots (`type`, `optional`) -> `InputSlot` (`dtype`, `required`)
 * - `output_result_groups[]` + `output_results[]` -> `spec.outputs`, keyed by group
 *   `name`, results grouped by their `group_name`
 * - `params_base[*].value` overlaid with `params_spec[*].value` -> `spec.params`
 *
 * Other keys stay on the top level unchanged. This module does not validate:
 * malformed parts are passed on so the v5 schema reports them.
 */
import { EPOCH_ISO } from './zod-helpers.js';

type JsonObject = Record<string, unknown>;

function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The v4 keys consumed by the conversion (they do not survive on the top level). */
const CONSUMED_KEYS = [
  'job_type',
  'type',
  'input_slot_groups',
  'output_result_groups',
  'output_results',
  'params_base',
  'params_spec',
] as const;

/** True for a v4 job document: no `spec`, and v4 keys such as `job_type` or `input_slot_groups`. */
export function isLegacyJobDocument(raw: unknown): raw is JsonObject {
  if (!isRecord(raw) || raw.spec !== undefined) return false;
  return ['job_type', 'type', 'input_slot_groups', 'params_spec'].some((key) => raw[key] !== undefined);
}

function convertConnectionSlot(slot: unknown): unknown {
  if (!isRecord(slot)) return slot;
  const { slot_name, group_name, result_name, result_type, ...rest } = slot;
  return { ...rest, name: slot_name ?? null, dtype: result_type, output: group_name, result: result_name };
}

function convertConnection(connection: unknown): unknown {
  if (!isRecord(connection)) return connection;
  const { group_name, slots, ...rest } = connection;
  return { ...rest, output: group_name, results: Array.isArray(slots) ? slots.map(convertConnectionSlot) : slots };
}

function convertInputSlot(slot: unknown): unknown {
  if (!isRecord(slot)) return slot;
  const { type, optional, ...rest } = slot;
  return { ...rest, dtype: type, required: optional !== true };
}

function convertInputGroup(group: JsonObject): JsonObject {
  const { name: _name, count_max, slots, connections, ...rest } = group;
  return {
    ...rest,
    count_max: count_max === null || count_max === undefined ? 'inf' : count_max,
    slots: Array.isArray(slots) ? slots.map(convertInputSlot) : slots,
    connections: Array.isArray(connections) ? connections.map(convertConnection) : connections,
  };
}

/** Converts items of a v4 list into a v5 map keyed by each item's `name` (index when it has none). */
function keyByName(list: unknown, convert: (item: JsonObject) => JsonObject): unknown {
  if (!Array.isArray(list)) return list;
  const map: JsonObject = {};
  list.forEach((item, index) => {
    if (isRecord(item) && typeof item.name === 'string') map[item.name] = convert(item);
    else map[String(index)] = item;
  });
  return map;
}

function convertOutputResult(result: JsonObject): JsonObject {
  const { type, group_name: _group, num_items, ...rest } = result;
  // v4 keeps one count (the final version's); v5 keeps one per metafile.
  return { ...rest, dtype: type, num_items: typeof num_items === 'number' ? [num_items] : num_items };
}

function convertOutputs(groups: unknown, results: unknown): unknown {
  const resultList = Array.isArray(results) ? results.filter(isRecord) : [];
  return keyByName(groups, (group) => {
    const { name, contains, passthrough, ...rest } = group;
    return {
      ...rest,
      slots: Array.isArray(contains)
        ? contains.map((slot) => (isRecord(slot) ? { name: slot.name, dtype: slot.type } : slot))
        : contains,
      passthrough: passthrough === false ? null : passthrough,
      results: resultList.filter((result) => result.group_name === name).map(convertOutputResult),
    };
  });
}

function paramValues(params: unknown): JsonObject {
  if (!isRecord(params)) return {};
  const values: JsonObject = {};
  for (const [key, entry] of Object.entries(params)) {
    values[key] = isRecord(entry) && 'value' in entry ? entry.value : entry;
  }
  return values;
}

const NODE_CONFIG_KEYS = ['type', 'ssh_str', 'resource_slots', 'resource_fixed', 'monitor_port', 'gpus'];
const CLUSTER_CONFIG_KEYS = [
  'type',
  'send_cmd_tpl',
  'qsub_cmd_tpl',
  'qstat_cmd_tpl',
  'qdel_cmd_tpl',
  'qinfo_cmd_tpl',
  'script_tpl',
  'custom_vars',
  'tpl_vars',
  'custom_var_names',
];

/** v4 scheduler targets are flat (`type`, `ssh_str`, … beside `hostname`); v5 nests them in `config`. */
function convertTarget(target: unknown): unknown {
  if (!isRecord(target) || target.config !== undefined || typeof target.type !== 'string') return target;
  const configKeys = target.type === 'cluster' ? CLUSTER_CONFIG_KEYS : NODE_CONFIG_KEYS;
  const config: JsonObject = target.type === 'cluster' ? { tpl_vars: [], custom_var_names: [] } : {};
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(target)) {
    if (configKeys.includes(key)) config[key] = value;
    else rest[key] = value;
  }
  return { ...rest, config };
}

function convertResourcesAllocated(resources: unknown): unknown {
  if (!isRecord(resources) || resources.target === undefined) return resources;
  return { ...resources, target: convertTarget(resources.target) };
}

/**
 * Rewrites a v4 job document into the v5 shape (not validated). `job_dir`
 * defaults to the uid and `job_dir_size_last_updated` to the epoch when absent,
 * since v5 requires both.
 */
export function convertLegacyJob(raw: Readonly<JsonObject>): JsonObject {
  const rest: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(CONSUMED_KEYS as readonly string[]).includes(key)) rest[key] = value;
  }
  const spec: JsonObject = {
    type: raw.job_type ?? raw.type,
    params: { ...paramValues(raw.params_base), ...paramValues(raw.params_spec) },
    inputs: keyByName(raw.input_slot_groups ?? [], convertInputGroup),
    outputs: convertOutputs(raw.output_result_groups ?? [], raw.output_results),
  };
  return {
    ...rest,
    spec,
    job_dir: rest.job_dir ?? rest.uid,
    job_dir_size_last_updated: rest.job_dir_size_last_updated ?? EPOCH_ISO,
    resources_allocated: convertResourcesAllocated(rest.resources_allocated),
  };
}
