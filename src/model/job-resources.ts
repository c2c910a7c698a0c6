/**
 * Where and on what a job runs: scheduler targets, allocated resources, GPUs
 * and the instance details recorded at run time (reference section 5).
 */
import { z } from 'zod';
import {
  boolWithDefault,
  intSchema,
  type KnownFields,
  listOf,
  longSchema,
  mapOf,
  nullable,
  numberSchema,
  withDefault,
} from './zod-helpers.js';

/** CPU architectures of scheduler targets. */
export const ARCHES = ['aarch64', 'x86_64'] as const;
export type Arch = (typeof ARCHES)[number];

/** Lane kinds; `AllocatedResources.lane_type` is typed as a plain string upstream. */
export const LANE_TYPES = ['node', 'cluster'] as const;
export type LaneType = (typeof LANE_TYPES)[number];

/** Known `GpuInfo.compute_mode` values (nvidia-smi); other strings are accepted. */
export const GPU_COMPUTE_MODES = ['Default', 'Exclusive Thread', 'Prohibited', 'Exclusive Process'] as const;

/** Allocatable slot numbers: CPU cores, GPU indices, RAM slots of 8 GiB. */
export const resourceSlotsSchema = z.looseObject({
  CPU: listOf(intSchema),
  GPU: listOf(intSchema),
  RAM: listOf(intSchema),
});

/** Fixed resources: SSD scratch. */
export const fixedResourceSlotsSchema = z.looseObject({
  SSD: boolWithDefault(false),
});

/** A GPU of a target; `mem` in bytes. */
export const gpuSchema = z.looseObject({
  id: intSchema,
  name: z.string(),
  mem: longSchema,
});

/** A GPU as seen by the instance at run time (nvidia-smi details). */
export const gpuInfoSchema = gpuSchema.extend({
  bus_id: withDefault(z.string(), () => ''),
  compute_mode: withDefault(z.string(), () => 'Default'),
  persistence_mode: withDefault(z.string(), () => 'Disabled'),
  power_limit: withDefault(numberSchema, () => 0),
  sw_power_limit: withDefault(z.string(), () => 'Not Active'),
  hw_power_limit: withDefault(z.string(), () => 'Not Active'),
  max_pcie_link_gen: withDefault(intSchema, () => 0),
  current_pcie_link_gen: withDefault(intSchema, () => 0),
  temperature: withDefault(intSchema, () => 0),
  gpu_utilization: withDefault(intSchema, () => 0),
  memory_utilization: withDefault(intSchema, () => 0),
  driver_version: withDefault(z.string(), () => ''),
});

/** Config of a worker node target (`config.type` = `node`). */
export const nodeConfigSchema = z.looseObject({
  type: z.literal('node'),
  ssh_str: z.string(),
  resource_slots: withDefault(resourceSlotsSchema, () => ({})),
  resource_fixed: withDefault(fixedResourceSlotsSchema, () => ({})),
  monitor_port: nullable(intSchema),
  gpus: nullable(z.array(gpuSchema)),
});

/** Config of a cluster target (`config.type` = `cluster`): Jinja command and script templates. */
export const clusterConfigSchema = z.looseObject({
  type: z.literal('cluster'),
  send_cmd_tpl: withDefault(z.string(), () => '{{ command }}'),
  qsub_cmd_tpl: withDefault(z.string(), () => 'qsub {{ script_path_abs }}'),
  qstat_cmd_tpl: withDefault(z.string(), () => 'qstat -as {{ cluster_job_id }}'),
  qdel_cmd_tpl: withDefault(z.string(), () => 'qdel {{ cluster_job_id }}'),
  qinfo_cmd_tpl: withDefault(z.string(), () => 'qstat -q'),
  script_tpl: withDefault(z.string(), () => ''),
  custom_vars: mapOf(z.string()),
  tpl_vars: z.array(z.string()),
  custom_var_names: z.array(z.string()),
});

const schedulerTargetFields = {
  cache_path: nullable(z.string()),
  cache_reserve_mb: nullable(intSchema),
  cache_quota_mb: nullable(intSchema),
  lane: z.string(),
  name: z.string(),
  title: z.string(),
  desc: nullable(z.string()),
  hostname: z.string(),
  worker_bin_path: z.string(),
  arch: withDefault(z.enum(ARCHES), () => 'x86_64'),
};

/** A node or cluster target; tell them apart by `config.type`. */
export const schedulerTargetSchema = z.looseObject({
  ...schedulerTargetFields,
  config: z.discriminatedUnion('type', [nodeConfigSchema, clusterConfigSchema]),
});

/** A target whose config is a node. */
export const schedulerTargetNodeSchema = z.looseObject({ ...schedulerTargetFields, config: nodeConfigSchema });

/** A target whose config is a cluster. */
export const schedulerTargetClusterSchema = z.looseObject({ ...schedulerTargetFields, config: clusterConfigSchema });

/** What the scheduler allocated at launch (`Job.resources_allocated`). */
export const allocatedResourcesSchema = z.looseObject({
  lane: nullable(z.string()),
  /** `node` or `cluster`. */
  lane_type: nullable(z.string()),
  hostname: z.string(),
  target: nullable(schedulerTargetSchema),
  slots: withDefault(resourceSlotsSchema, () => ({})),
  fixed: withDefault(fixedResourceSlotsSchema, () => ({})),
  licenses_acquired: withDefault(intSchema, () => 0),
});

/** Machine details recorded when the job ran; every field has a default. */
export const instanceInformationSchema = z.looseObject({
  platform_node: withDefault(z.string(), () => ''),
  platform_release: withDefault(z.string(), () => ''),
  platform_version: withDefault(z.string(), () => ''),
  platform_architecture: withDefault(z.string(), () => ''),
  cpu_model: withDefault(z.string(), () => ''),
  physical_cores: withDefault(intSchema, () => 0),
  /** MHz. */
  max_cpu_freq: withDefault(numberSchema, () => 0),
  total_memory: withDefault(z.string(), () => '0B'),
  available_memory: withDefault(z.string(), () => '0B'),
  used_memory: withDefault(z.string(), () => '0B'),
  ofd_soft_limit: withDefault(intSchema, () => 0),
  ofd_hard_limit: withDefault(intSchema, () => 0),
  driver_version: nullable(z.string()),
  toolkit_version: nullable(z.string()),
  CUDA_version: nullable(z.string()),
  nvrtc_version: nullable(z.string()),
  gpu_info: nullable(z.array(gpuInfoSchema)),
  /** CryoSPARC version. */
  version: withDefault(z.string(), () => ''),
  arch: withDefault(z.string(), () => 'x86_64'),
});

export type ResourceSlots = KnownFields<z.output<typeof resourceSlotsSchema>>;
export type FixedResourceSlots = KnownFields<z.output<typeof fixedResourceSlotsSchema>>;
export type Gpu = KnownFields<z.output<typeof gpuSchema>>;
export type GpuInfo = KnownFields<z.output<typeof gpuInfoSchema>>;
export type NodeConfig = KnownFields<z.output<typeof nodeConfigSchema>>;
export type ClusterConfig = KnownFields<z.output<typeof clusterConfigSchema>>;
export type SchedulerTarget = KnownFields<z.output<typeof schedulerTargetSchema>>;
export type SchedulerTargetNode = KnownFields<z.output<typeof schedulerTargetNodeSchema>>;
export type SchedulerTargetCluster = KnownFields<z.output<typeof schedulerTargetClusterSchema>>;
export type AllocatedResources = KnownFields<z.output<typeof allocatedResourcesSchema>>;
export type InstanceInformation = KnownFields<z.output<typeof instanceInformationSchema>>;
