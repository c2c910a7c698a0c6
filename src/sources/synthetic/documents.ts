/**
 * Pass 2 of the synthetic generator: the v5 job documents built from the
 * plan once the end of the timeline, and so the ISO dates, are known;
 * inputs, outputs, resource allocations and instance information.
 */
import { deepFreeze, type Slot } from './job-types.js';
import { ABSENT, DAY, HOUR, MINUTE, type Plan, type ProjectContext } from './plan-model.js';
import type { Rng } from './random.js';
import { FAILURE_MESSAGES, type GpuModel, type Host, type HostAllocation, USER_NAMES } from './samples.js';
import { type RawInput, type RawInputResult, type RawJobDocument, type RawOutput, type RawOutputResult, STATUS_ORDER, SYNTHETIC_CRYOSPARC_VERSION } from './types.js';

export interface DocContext {
  readonly ctx: ProjectContext;
  readonly projectUid: string;
  readonly projectUidNum: number;
  /** Epoch ms of the plan's time zero. */
  readonly origin: number;
  readonly nowMs: number;
  readonly idSalt: string;
  readonly users: readonly string[];
  readonly tags: readonly string[];
}

/** Character codes of the cached day, `YYYY-MM-DD`. */
const isoDay = new Array<number>(10).fill(48);
let isoDayKey = Number.NaN;

/**
 * `Date#toISOString` without a Date per call, as one flat string: template
 * literals leave chains of cons-strings that made up a large part of the
 * retained heap and of the generation time.
 */
function formatIso(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const day = Math.floor(ms / DAY);
  if (day !== isoDayKey) {
    isoDayKey = day;
    const prefix = new Date(day * DAY).toISOString();
    for (let i = 0; i < 10; i++) isoDay[i] = prefix.charCodeAt(i);
  }
  let rest = ms - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / MINUTE);
  rest -= minutes * MINUTE;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const d = isoDay as readonly number[] as [number, number, number, number, number, number, number, number, number, number];
  return String.fromCharCode(
    d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], 84,
    48 + Math.floor(hours / 10), 48 + (hours % 10), 58,
    48 + Math.floor(minutes / 10), 48 + (minutes % 10), 58,
    48 + Math.floor(seconds / 10), 48 + (seconds % 10), 46,
    48 + Math.floor(millis / 100), 48 + (Math.floor(millis / 10) % 10), 48 + (millis % 10), 90,
  );
}

function iso(dc: DocContext, t: number): string | null {
  return t === ABSENT ? null : formatIso(dc.origin + t);
}

export function isoRequired(dc: DocContext, t: number): string {
  return formatIso(dc.origin + t);
}

/** An ObjectId-like id: creation seconds, a kind nibble + project number + salt, a counter. */
export function objectId(dc: DocContext, kind: number, epochMs: number, counter: number): string {
  const seconds = Math.max(0, Math.floor(epochMs / 1000));
  return (
    seconds.toString(16).padStart(8, '0').slice(-8) +
    kind.toString(16) +
    (dc.projectUidNum & 0xfffff).toString(16).padStart(5, '0') +
    dc.idSalt +
    (counter & 0xffffff).toString(16).padStart(6, '0')
  );
}

function buildInputs(plan: Plan): Record<string, RawInput> {
  const inputs: Record<string, RawInput> = {};
  for (const [inDef, refs] of plan.inputs) {
    inputs[inDef.name] = {
      type: inDef.type,
      title: inDef.title,
      description: '',
      slots: inDef.docSlots as RawInput['slots'],
      count_min: inDef.countMin,
      count_max: inDef.countMax,
      repeat_allowed: false,
      connections: refs.map((r) => {
        const outDef = r.plan.outputs.find((o) => o.name === r.output);
        const results = (outDef ? outDef.allSlots : NONE).map(
          ([name, dtype]): RawInputResult => ({
            name: inDef.slotNames.has(name) ? name : null,
            dtype,
            job_uid: r.plan.uid,
            output: r.output,
            result: name,
            version: 'F',
          }),
        );
        return { job_uid: r.plan.uid, output: r.output, results };
      }),
    };
  }
  return inputs;
}

const NONE: readonly never[] = Object.freeze([]);
const EMPTY_MAP: Readonly<Record<string, never>> = Object.freeze({});
/** Shared frozen empty list/map, typed for the document fields they fill. */
const emptyList = <T>(): T[] => NONE as unknown as T[];
const emptyMap = <T>(): Record<string, T> => EMPTY_MAP as Record<string, T>;
const VERSION_ZERO: readonly number[] = Object.freeze([0]);

/**
 * Outputs of a job. Results of one output share their (frozen) `versions`,
 * `metafiles` and `num_items` lists: the output's own results are in one
 * metafile, the passed-through ones in another.
 */
function buildOutputs(plan: Plan): Record<string, RawOutput> {
  const outputs: Record<string, RawOutput> = {};
  const done = plan.status === 'completed';
  const uid = plan.uid;
  for (const o of plan.outputs) {
    const n = done ? (plan.items[o.name] ?? 0) : 0;
    const versions = (done ? VERSION_ZERO : NONE) as number[];
    const counts = (done ? Object.freeze([n]) : NONE) as number[];
    const ownFiles = (done && o.own.length > 0 ? Object.freeze([`${uid}/${uid}_${o.name}.cs`]) : NONE) as string[];
    const passFiles = (done && o.passthrough.length > 0 ? Object.freeze([`${uid}/${uid}_passthrough_${o.name}.cs`]) : NONE) as string[];
    // Exact-size arrays: push() over-allocates, and these all stay alive.
    const ownCount = o.own.length;
    const results = new Array<RawOutputResult>(ownCount + o.passthrough.length);
    for (let i = 0; i < ownCount; i++) {
      const [name, dtype] = o.own[i] as Slot;
      results[i] = { name, dtype, versions, metafiles: ownFiles, num_items: counts, passthrough: false };
    }
    for (let i = 0; i < o.passthrough.length; i++) {
      const [name, dtype] = o.passthrough[i] as Slot;
      results[ownCount + i] = { name, dtype, versions, metafiles: passFiles, num_items: counts, passthrough: true };
    }
    outputs[o.name] = {
      type: o.type,
      title: o.title,
      description: '',
      slots: o.docSlots as RawOutput['slots'],
      passthrough: o.passthroughInput,
      results,
      num_items: n,
      image: null,
      summary: emptyMap(),
      latest_summary_stats: emptyMap(),
    };
  }
  return outputs;
}

export function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

/**
 * `resources_allocated` and `instance_information` of a job that ran. Both are
 * frozen and shared by every job with the same allocation on the same host
 * (the scheduler hands out the lowest free slots, so allocations repeat).
 */
function buildAllocation(plan: Plan, host: Host, rng: Rng): HostAllocation {
  const gpuCount = plan.gpuCount;
  const cpu = Math.min(host.cores, plan.def.resources.cpu * Math.max(1, gpuCount));
  const ram = Math.min(host.ramSlots, plan.def.resources.ram * Math.max(1, gpuCount));
  const gpuStart = gpuCount > 0 ? rng.int(0, host.gpuCount - gpuCount) : 0;
  const ssd = plan.def.resources.ssd;
  const key = `${gpuStart}/${gpuCount}/${cpu}/${ram}/${ssd ? 1 : 0}`;
  const cached = host.allocations.get(key);
  if (cached) return cached;
  const gpus = range(gpuStart, gpuCount);
  const cpuStart = Math.min(gpuStart * Math.floor(host.cores / Math.max(1, host.gpuCount)), host.cores - cpu);
  const ramStart = Math.min(gpuStart * Math.floor(host.ramSlots / Math.max(1, host.gpuCount)), host.ramSlots - ram);
  const allocation: HostAllocation = deepFreeze({
    resources: {
      lane: 'default',
      lane_type: 'node',
      hostname: host.hostname,
      target: host.target,
      slots: { CPU: range(cpuStart, cpu), GPU: gpus, RAM: range(ramStart, ram) },
      fixed: { SSD: ssd },
      licenses_acquired: gpuCount,
    },
    instance: buildInstanceInformation(host, gpus),
  });
  host.allocations.set(key, allocation);
  return allocation;
}

export function schedulerTarget(hostname: string, gpu: GpuModel, gpuCount: number, cores: number, ramSlots: number): Readonly<Record<string, unknown>> {
  return deepFreeze({
    cache_path: '/scratch/cryosparc_cache',
    cache_reserve_mb: 10_000,
    cache_quota_mb: null,
    lane: 'default',
    name: hostname,
    title: `Worker node ${hostname}`,
    desc: null,
    hostname,
    worker_bin_path: '/opt/cryosparc/cryosparc_worker/bin/cryosparcw',
    config: {
      type: 'node',
      ssh_str: `cryosparc@${hostname}`,
      resource_slots: { CPU: range(0, cores), GPU: range(0, gpuCount), RAM: range(0, ramSlots) },
      resource_fixed: { SSD: true },
      monitor_port: null,
      gpus: range(0, gpuCount).map((id) => ({ id, name: gpu.name, mem: gpu.memBytes })),
    },
  });
}

function buildInstanceInformation(host: Host, gpus: readonly number[]): Record<string, unknown> {
  const usedGb = host.memoryGb * (0.1 + 0.05 * gpus.length);
  return {
    platform_node: host.hostname,
    platform_release: '5.15.0-119-generic',
    platform_version: '#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024',
    platform_architecture: 'x86_64',
    cpu_model: host.cpuModel,
    physical_cores: host.cores,
    max_cpu_freq: 3700.0,
    total_memory: `${host.memoryGb.toFixed(2)}GB`,
    available_memory: `${(host.memoryGb - usedGb).toFixed(2)}GB`,
    used_memory: `${usedGb.toFixed(2)}GB`,
    ofd_soft_limit: 1024,
    ofd_hard_limit: 1_048_576,
    driver_version: '12.4',
    toolkit_version: '12.4',
    nvrtc_version: '12.4',
    gpu_info: gpus.map((id) => ({
      id,
      name: host.gpu.name,
      mem: host.gpu.memBytes,
      bus_id: `0000:${(0x41 + id * 0x20).toString(16)}:00.0`,
      compute_mode: 'Default',
      persistence_mode: 'Enabled',
      power_limit: host.gpu.powerLimit,
      sw_power_limit: 'Not Active',
      hw_power_limit: 'Not Active',
      max_pcie_link_gen: 4,
      current_pcie_link_gen: 4,
      temperature: 34 + id,
      gpu_utilization: 0,
      memory_utilization: 0,
      driver_version: '550.90.07',
    })),
    version: SYNTHETIC_CRYOSPARC_VERSION,
  };
}

const PRIVATE_PORT_BASE = 39_000;

export function buildJob(dc: DocContext, plan: Plan): RawJobDocument {
  const { rng } = dc.ctx;
  const t = plan.times;
  const d = plan.def;
  const ran = t.launched !== ABSENT;
  const done = plan.status === 'completed';
  const host = plan.host;
  const allocation = ran && host ? buildAllocation(plan, host, rng) : null;
  const resourcesAllocated = allocation ? allocation.resources : null;
  const instance = allocation ? allocation.instance : emptyMap();
  const active = plan.status === 'running' || plan.status === 'waiting' || plan.status === 'started' || plan.status === 'launched';
  let heartbeat = t.heartbeat;
  if (plan.status === 'running' || plan.status === 'waiting') heartbeat = Math.max(t.running, dc.nowMs - dc.origin - rng.range(2_000, 30_000));
  const totalItems = plan.outputs.reduce((sum, o) => sum + (plan.items[o.name] ?? 0), 0);
  const fullSize = Math.round(d.bytesFixed + d.bytesPerItem * totalItems);
  const jobDirSize = done ? fullSize : plan.status === 'failed' || plan.status === 'killed' ? Math.round(fullSize * rng.range(0, 0.3)) : ran ? Math.round(fullSize * 0.05) : 0;
  const userId = dc.users[plan.user] ?? dc.users[0] ?? '';
  const errorsRun =
    plan.status === 'failed'
      ? [{ message: rng.pick(FAILURE_MESSAGES), warning: false }]
      : plan.status === 'killed'
        ? [{ message: `Job was killed by ${USER_NAMES[plan.user] ?? 'a user'}.`, warning: true }]
        : emptyList<{ message: string; warning: boolean }>();
  const queuedAt = iso(dc, t.queued);
  const status = plan.status;
  const tags = rng.chance(0.04) ? [rng.pick(dc.tags)] : emptyList<string>();
  const intermediate = done && (d.type === 'class_2D_new' || d.type === 'homo_abinit' || d.category === 'refinement') ? Math.round(fullSize * rng.range(0.5, 2)) : 0;
  const pid = rng.int(10_000, 4_000_000);
  // A running job's heartbeats keep touching the document.
  const updatedIso = isoRequired(dc, heartbeat !== ABSENT && heartbeat > t.updated ? heartbeat : t.updated);
  const createdIso = isoRequired(dc, t.created);
  const gpuParam = d.resources.gpu === 0 ? 0 : Math.max(d.resources.gpu, typeof plan.params.compute_num_gpus === 'number' ? plan.params.compute_num_gpus : 0);
  const resourceSpec = {
    cpu: d.resources.cpu * Math.max(1, gpuParam),
    gpu: gpuParam,
    ram: d.resources.ram * Math.max(1, gpuParam),
    ssd: d.resources.ssd,
  };
  const lastAccessed =
    done && rng.chance(0.3)
      ? { name: USER_NAMES[plan.user] ?? 'alice', accessed_at: isoRequired(dc, t.updated + rng.next() * (dc.nowMs - dc.origin - t.updated)) }
      : null;

  return {
    _id: objectId(dc, 0, dc.origin + t.created, plan.uidNum),
    updated_at: updatedIso,
    created_at: createdIso,
    dumped_at: status === 'building' ? null : updatedIso,
    last_dumped_version: status === 'building' ? null : SYNTHETIC_CRYOSPARC_VERSION,
    autodump: !(done || status === 'failed' || status === 'killed'),
    uid: plan.uid,
    project_uid: dc.projectUid,
    workspace_uids: plan.workspaces,
    spec: {
      type: d.type,
      params: plan.params,
      inputs: buildInputs(plan),
      outputs: buildOutputs(plan),
      ui_tile_width: 1,
      ui_tile_height: 1,
      resource_spec: resourceSpec,
    },
    job_dir: plan.uid,
    job_dir_size: jobDirSize,
    job_dir_size_last_updated: updatedIso,
    run_as_user: null,
    title: plan.title,
    description: plan.description,
    status,
    created_by_user_id: userId,
    created_by_job_uid: null,
    cloned_from: plan.clonedFrom ? plan.clonedFrom.uid : null,
    queued_at: queuedAt,
    started_at: iso(dc, t.started),
    launched_at: iso(dc, t.launched),
    running_at: iso(dc, t.running),
    waiting_at: iso(dc, t.waiting),
    completed_at: iso(dc, t.completed),
    killed_at: iso(dc, t.killed),
    failed_at: iso(dc, t.failed),
    heartbeat_at: iso(dc, heartbeat),
    tokens_acquired_at: iso(dc, t.tokensAcquired),
    tokens_requested_at: iso(dc, t.tokensRequested),
    last_scheduled_at: iso(dc, t.lastScheduled),
    last_accessed: lastAccessed,
    has_error: status === 'failed',
    has_warning: status === 'killed' || (ran && rng.chance(0.05)),
    version_created: SYNTHETIC_CRYOSPARC_VERSION,
    version: SYNTHETIC_CRYOSPARC_VERSION,
    priority: status === 'queued' && rng.chance(0.3) ? rng.int(1, 3) : 0,
    deleted: plan.deleted,
    deleting: false,
    parents: plan.parents.map((p) => p.uid),
    children: plan.children.map((c) => c.uid),
    resources_allocated: resourcesAllocated,
    queued_by_user_id: queuedAt ? userId : null,
    queued_to_lane: queuedAt ? (d.interactive ? null : 'default') : null,
    queued_to_hostname: null,
    queued_to_gpu: null,
    queue_status: plan.queueStatus ?? (status === 'launched' ? 'launched' : null),
    queue_message:
      plan.queueStatus === 'waiting_inputs'
        ? 'Waiting for parent jobs to complete'
        : plan.queueStatus === 'waiting_resources'
          ? 'Waiting for resource in lane default: GPU'
          : plan.queueStatus === 'waiting_licenses'
            ? 'Waiting for licenses'
            : null,
    queued_job_hash: queuedAt ? rng.int(1, 2 ** 31 - 1) : null,
    num_tokens: gpuParam,
    job_sig: null,
    errors_run: errorsRun,
    interactive_port: status === 'waiting' ? PRIVATE_PORT_BASE + rng.int(0, 999) : null,
    PID_monitor: active ? pid : null,
    PID_main: active && t.running !== ABSENT ? pid + 7 : null,
    PID_workers: active && t.running !== ABSENT && plan.gpuCount > 1 ? range(pid + 20, plan.gpuCount) : emptyList(),
    cluster_job_id: null,
    cluster_job_status: null,
    cluster_job_status_code: null,
    cluster_job_monitor_event_id: null,
    cluster_job_monitor_retries: 0,
    cluster_job_monitor_last_run_at: null,
    cluster_job_submission_script: null,
    cluster_job_custom_vars: emptyMap(),
    ui_tile_images: emptyList(),
    is_experiment: false,
    enable_bench: false,
    bench: emptyMap(),
    bench_timings: emptyMap(),
    completed_count: done ? 1 : 0,
    instance_information: instance,
    last_intermediate_data_cleared_at: null,
    last_intermediate_data_cleared_amount: 0,
    intermediate_results_size_bytes: intermediate,
    intermediate_results_size_last_updated: intermediate > 0 ? updatedIso : null,
    is_final_result: plan.finalResult,
    is_ancestor_of_final_result: plan.ancestorOfFinal,
    no_check_inputs_ready: false,
    progress: emptyList(),
    last_exported_at: null,
    last_exported_location: null,
    last_exported_version: null,
    tags,
    workflow: null,
    imported_at: null,
    deleted_at: iso(dc, t.deleted),
    import_status: null,
    attach_status: null,
    starred_by: done && rng.chance(0.02) ? [userId] : emptyList(),
    requeue_windows_ends_at: null,
    uid_num: plan.uidNum,
    project_uid_num: dc.projectUidNum,
    status_num: STATUS_ORDER.indexOf(status),
    build_errors: emptyList(),
  };
}
