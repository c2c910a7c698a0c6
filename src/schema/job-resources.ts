import type {
  AllocatedResources,
  ClusterConfig,
  FixedResourceSlots,
  Gpu,
  GpuInfo,
  InstanceInformation,
  NodeConfig,
  ResourceSlots,
  SchedulerTarget,
} from '../model/job-resources.js';
import { builder } from './builder.js';

export const ResourceSlotsRef = builder.objectRef<ResourceSlots>('ResourceSlots').implement({
  description: 'Slot numbers of CPU cores, GPUs and 8 GB RAM slots.',
  fields: (t) => ({
    cpu: t.exposeIntList('CPU', { description: 'CPU core numbers.' }),
    gpu: t.exposeIntList('GPU', { description: 'GPU indices.' }),
    ram: t.exposeIntList('RAM', { description: 'RAM slot numbers (8 GB each).' }),
  }),
});

export const FixedResourceSlotsRef = builder.objectRef<FixedResourceSlots>('FixedResourceSlots').implement({
  description: 'Fixed resources of a target.',
  fields: (t) => ({ ssd: t.exposeBoolean('SSD', { description: 'SSD scratch space.' }) }),
});

export const GpuRef = builder.objectRef<Gpu>('Gpu').implement({
  description: 'A GPU of a worker node.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Device index.' }),
    name: t.exposeString('name', { description: 'Model name.' }),
    mem: t.field({ type: 'Float', description: 'Memory in bytes.', resolve: (g) => g.mem }),
  }),
});

export const GpuInfoRef = builder.objectRef<GpuInfo>('GpuInfo').implement({
  description: 'Details of a GPU as the job saw it.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Device index.' }),
    name: t.exposeString('name', { description: 'Model name.' }),
    mem: t.field({ type: 'Float', description: 'Memory in bytes.', resolve: (g) => g.mem }),
    busId: t.exposeString('bus_id', { description: 'PCI bus id.' }),
    computeMode: t.exposeString('compute_mode', { description: '`Default`, `Exclusive Thread`, `Prohibited` or `Exclusive Process`.' }),
    persistenceMode: t.exposeString('persistence_mode', { description: '`Disabled` or `Enabled`.' }),
    powerLimit: t.exposeFloat('power_limit', { description: 'Power limit in watts.' }),
    swPowerLimit: t.exposeString('sw_power_limit', { description: 'Software power capping: `Active` or `Not Active`.' }),
    hwPowerLimit: t.exposeString('hw_power_limit', { description: 'Hardware power capping: `Active` or `Not Active`.' }),
    maxPcieLinkGen: t.exposeInt('max_pcie_link_gen', { description: 'Highest PCIe generation supported.' }),
    currentPcieLinkGen: t.exposeInt('current_pcie_link_gen', { description: 'PCIe generation in use.' }),
    temperature: t.exposeInt('temperature', { description: 'Temperature in °C.' }),
    gpuUtilization: t.exposeInt('gpu_utilization', { description: 'GPU utilisation in percent.' }),
    memoryUtilization: t.exposeInt('memory_utilization', { description: 'Memory utilisation in percent.' }),
    driverVersion: t.exposeString('driver_version', { description: 'Driver version.' }),
  }),
});

export const NodeTargetConfigRef = builder.objectRef<NodeConfig>('NodeTargetConfig').implement({
  description: 'Configuration of a single worker node target.',
  fields: (t) => ({
    sshStr: t.exposeString('ssh_str', { description: 'SSH command used to reach the node.' }),
    resourceSlots: t.field({ type: ResourceSlotsRef, description: 'All slots of the node.', resolve: (c) => c.resource_slots }),
    resourceFixed: t.field({ type: FixedResourceSlotsRef, description: 'Fixed resources of the node.', resolve: (c) => c.resource_fixed }),
    monitorPort: t.exposeInt('monitor_port', { nullable: true, description: 'Unused upstream.' }),
    gpus: t.field({ type: [GpuRef], nullable: true, description: 'Every GPU, including excluded ones.', resolve: (c) => c.gpus }),
  }),
});

export const ClusterTargetConfigRef = builder.objectRef<ClusterConfig>('ClusterTargetConfig').implement({
  description: 'Configuration of a cluster (batch scheduler) target.',
  fields: (t) => ({
    sendCmdTpl: t.exposeString('send_cmd_tpl', { description: 'Template wrapping every command.' }),
    qsubCmdTpl: t.exposeString('qsub_cmd_tpl', { description: 'Submit command template.' }),
    qstatCmdTpl: t.exposeString('qstat_cmd_tpl', { description: 'Status command template.' }),
    qdelCmdTpl: t.exposeString('qdel_cmd_tpl', { description: 'Cancel command template.' }),
    qinfoCmdTpl: t.exposeString('qinfo_cmd_tpl', { description: 'Queue info command template.' }),
    scriptTpl: t.exposeString('script_tpl', { description: 'Submission script template.' }),
    customVars: t.field({ type: 'JSON', description: 'Custom template variables.', resolve: (c) => c.custom_vars }),
    tplVars: t.exposeStringList('tpl_vars', { description: 'Variables the templates use.' }),
    customVarNames: t.exposeStringList('custom_var_names', { description: 'Custom variables found in the templates.' }),
  }),
});

export const SchedulerTargetConfigRef = builder.unionType('SchedulerTargetConfig', {
  description: 'A node or cluster target configuration.',
  types: [NodeTargetConfigRef, ClusterTargetConfigRef],
  resolveType: (config) => (config.type === 'cluster' ? ClusterTargetConfigRef : NodeTargetConfigRef),
});

export const SchedulerTargetRef = builder.objectRef<SchedulerTarget>('SchedulerTarget').implement({
  description: 'A place jobs run: a worker node or a cluster.',
  fields: (t) => ({
    cachePath: t.exposeString('cache_path', { nullable: true, description: 'SSD scratch directory.' }),
    cacheReserveMb: t.exposeInt('cache_reserve_mb', { nullable: true, description: 'Space to keep free on the SSD, in MB.' }),
    cacheQuotaMb: t.exposeInt('cache_quota_mb', { nullable: true, description: 'Largest cache size, in MB.' }),
    lane: t.exposeString('lane', { description: 'Lane name.' }),
    name: t.exposeString('name', { description: 'Target id.' }),
    title: t.exposeString('title', { description: 'Human title.' }),
    desc: t.exposeString('desc', { nullable: true, description: 'Description.' }),
    hostname: t.exposeString('hostname', { description: 'Host name (the target name for clusters).' }),
    workerBinPath: t.exposeString('worker_bin_path', { description: 'Path to `cryosparcw` on the target.' }),
    arch: t.exposeString('arch', { description: 'CPU architecture: `x86_64` or `aarch64`.' }),
    config: t.field({ type: SchedulerTargetConfigRef, description: 'Node or cluster configuration.', resolve: (s) => s.config }),
  }),
});

export const AllocatedResourcesRef = builder.objectRef<AllocatedResources>('AllocatedResources').implement({
  description: 'What the scheduler gave the job at launch.',
  fields: (t) => ({
    lane: t.exposeString('lane', { nullable: true, description: 'Lane queued to.' }),
    laneType: t.exposeString('lane_type', { nullable: true, description: '`node` or `cluster`.' }),
    hostname: t.exposeString('hostname', { description: 'Worker host chosen.' }),
    target: t.field({ type: SchedulerTargetRef, nullable: true, description: 'Full details of the chosen target.', resolve: (r) => r.target }),
    slots: t.field({ type: ResourceSlotsRef, description: 'Allocated CPU, GPU and RAM slots.', resolve: (r) => r.slots }),
    fixed: t.field({ type: FixedResourceSlotsRef, description: 'Allocated fixed resources.', resolve: (r) => r.fixed }),
    licensesAcquired: t.exposeInt('licenses_acquired', { description: 'GPU licence tokens taken.' }),
  }),
});

export const InstanceInformationRef = builder.objectRef<InstanceInformation>('InstanceInformation').implement({
  description: 'The machine the job ran on.',
  fields: (t) => ({
    platformNode: t.exposeString('platform_node', { description: 'Host name.' }),
    platformRelease: t.exposeString('platform_release', { description: 'OS release.' }),
    platformVersion: t.exposeString('platform_version', { description: 'OS version.' }),
    platformArchitecture: t.exposeString('platform_architecture', { description: 'Machine architecture.' }),
    cpuModel: t.exposeString('cpu_model', { description: 'CPU model.' }),
    physicalCores: t.exposeInt('physical_cores', { description: 'Physical cores.' }),
    maxCpuFreq: t.exposeFloat('max_cpu_freq', { description: 'Highest CPU frequency in MHz.' }),
    totalMemory: t.exposeString('total_memory', { description: 'Total memory, with units.' }),
    availableMemory: t.exposeString('available_memory', { description: 'Available memory, with units.' }),
    usedMemory: t.exposeString('used_memory', { description: 'Used memory, with units.' }),
    ofdSoftLimit: t.exposeInt('ofd_soft_limit', { description: 'Soft limit of open file descriptors.' }),
    ofdHardLimit: t.exposeInt('ofd_hard_limit', { description: 'Hard limit of open file descriptors.' }),
    driverVersion: t.exposeString('driver_version', { nullable: true, description: 'GPU driver version.' }),
    toolkitVersion: t.exposeString('toolkit_version', { nullable: true, description: 'CUDA toolkit version.' }),
    cudaVersion: t.exposeString('CUDA_version', { nullable: true, description: 'CUDA version (alias of the toolkit version).' }),
    nvrtcVersion: t.exposeString('nvrtc_version', { nullable: true, description: 'NVRTC version.' }),
    gpuInfo: t.field({ type: [GpuInfoRef], nullable: true, description: 'GPUs seen by the job.', resolve: (i) => i.gpu_info }),
    version: t.exposeString('version', { description: 'CryoSPARC version.' }),
    arch: t.exposeString('arch', { description: 'CPU architecture.' }),
  }),
});
