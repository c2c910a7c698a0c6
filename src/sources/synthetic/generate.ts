/**
 * Deterministic synthetic CryoSPARC projects: raw v5 documents (snake_case,
 * ISO dates) shaped like what a CryoSPARC instance holds, for demos, imports,
 * tests and benchmarks. The same options always give the same output.
 *
 * The job DAG follows a single-particle pipeline (import -> motion -> CTF ->
 * curate -> pick -> extract -> 2D -> select -> ab-initio -> refinements ->
 * post-processing) with sibling branches, multi-parent jobs (diamonds), reruns
 * (clones), failed and killed jobs, and a handful of queued/running/waiting/
 * building jobs at the end. Job uids follow creation order and every parent
 * has a smaller uid than its child.
 *
 * Generation runs in two passes: a plan of every job (type, connections,
 * status, times in ms from a zero origin), then documents built from the plan
 * once the end of the timeline, and so the ISO dates, are known.
 */

// ---------------------------------------------------------------------------
// Public types: minimal views of the raw documents (the model's zod schemas
// are the authority; these only type what this module writes).

/** Statuses as written by the generator (CryoSPARC's nine). */
export type SyntheticJobStatus =
  | 'building'
  | 'queued'
  | 'launched'
  | 'started'
  | 'running'
  | 'waiting'
  | 'completed'
  | 'killed'
  | 'failed';

/** CryoSPARC's status order; `status_num` is the index here (the upstream mapping is undocumented). */
const STATUS_ORDER: readonly SyntheticJobStatus[] = [
  'building',
  'queued',
  'launched',
  'started',
  'running',
  'waiting',
  'completed',
  'killed',
  'failed',
];

export interface RawInputResult {
  name: string | null;
  dtype: string;
  job_uid: string;
  output: string;
  result: string;
  version: number | 'F';
}

export interface RawConnection {
  job_uid: string;
  output: string;
  results: RawInputResult[];
}

export interface RawInput {
  type: string;
  title: string;
  description: string;
  slots: { name: string; dtype: string; required: boolean }[];
  count_min: number;
  count_max: number | 'inf';
  repeat_allowed: boolean;
  connections: RawConnection[];
}

export interface RawOutputResult {
  name: string;
  dtype: string;
  versions: number[];
  metafiles: string[];
  num_items: number[];
  passthrough: boolean;
}

export interface RawOutput {
  type: string;
  title: string;
  description: string;
  slots: { name: string; dtype: string }[];
  passthrough: string | null;
  results: RawOutputResult[];
  num_items: number;
  image: string | null;
  summary: Record<string, unknown>;
  latest_summary_stats: Record<string, unknown>;
}

export interface RawJobSpec {
  type: string;
  params: Record<string, unknown>;
  inputs: Record<string, RawInput>;
  outputs: Record<string, RawOutput>;
  ui_tile_width: number;
  ui_tile_height: number;
  resource_spec: { cpu: number; gpu: number; ram: number; ssd: boolean };
}

/** A v5 job document; the typed keys are the ones consumers of synthetic data usually read. */
export type RawJobDocument = Record<string, unknown> & {
  _id: string;
  uid: string;
  uid_num: number;
  project_uid: string;
  project_uid_num: number;
  workspace_uids: string[];
  spec: RawJobSpec;
  job_dir: string;
  title: string;
  description: string;
  status: SyntheticJobStatus;
  status_num: number;
  created_at: string;
  updated_at: string;
  queued_at: string | null;
  launched_at: string | null;
  started_at: string | null;
  running_at: string | null;
  waiting_at: string | null;
  completed_at: string | null;
  killed_at: string | null;
  failed_at: string | null;
  heartbeat_at: string | null;
  deleted_at: string | null;
  cloned_from: string | null;
  parents: string[];
  children: string[];
  deleted: boolean;
  errors_run: { message: string; warning: boolean }[];
  has_error: boolean;
  tags: string[];
};

export type RawProjectDocument = Record<string, unknown> & {
  _id: string;
  uid: string;
  uid_num: number;
  title: string;
  project_dir: string;
  created_at: string;
  updated_at: string;
};

export type RawWorkspaceDocument = Record<string, unknown> & {
  _id: string;
  uid: string;
  uid_num: number;
  project_uid: string;
  title: string;
  workspace_type: 'base';
  created_at: string;
  updated_at: string;
};

/**
 * One project: its document, its workspaces and its jobs in uid order.
 *
 * The documents are JSON-compatible data. Parts that repeat across jobs are
 * frozen and shared rather than copied (a large share of generation time
 * went to copying them): empty lists and maps, input/output `slots`,
 * `resources_allocated` and `instance_information` (per host and
 * allocation), and the `versions`/`metafiles`/`num_items` lists an output's
 * results share. Copy a document before mutating it.
 */
export interface SyntheticProject {
  project: RawProjectDocument;
  workspaces: RawWorkspaceDocument[];
  jobs: RawJobDocument[];
}

/** Samples a project can be about; they set symmetry, pixel size, box and particle size. */
export type SyntheticSample =
  | 'apoferritin'
  | 'trpv1'
  | 'beta_galactosidase'
  | 'aldolase'
  | 'proteasome'
  | 'ribosome'
  | 'gpcr'
  | 'spike';

export interface GenerateProjectOptions {
  /** Project uid, `P<n>`. */
  projectUid: string;
  /** Exact number of jobs (J1..JN). */
  jobs: number;
  /** PRNG seed. @default a hash of `projectUid` */
  seed?: number;
  /** Number of workspaces W1..Wk. @default 3 */
  workspaces?: number;
  /** The instant the data describes: the latest timestamp lies just before it. @default DEFAULT_SYNTHETIC_NOW */
  now?: Date;
  /** Project title. @default derived from the sample */
  title?: string;
  /** What the project is about. @default chosen by the PRNG */
  sample?: SyntheticSample;
}

export interface GenerateDatasetOptions {
  /** Number of projects P1..Pn. */
  projects: number;
  /** Total number of jobs, spread evenly over the projects (the first ones take the remainder). */
  jobs: number;
  /** PRNG seed. @default 1 */
  seed?: number;
  /** See {@link GenerateProjectOptions.now}. @default DEFAULT_SYNTHETIC_NOW */
  now?: Date;
}

/** Fixed default end of the timeline, so output does not depend on the wall clock. */
export const DEFAULT_SYNTHETIC_NOW = new Date('2026-11-24T12:00:00.000Z');

/** CryoSPARC version written into the documents. */
export const SYNTHETIC_CRYOSPARC_VERSION = 'v5.0.3';

// ---------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for test data. */
class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) total += weight;
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += ((this.next() * 0x10000) >>> 0).toString(16).padStart(4, '0');
    return out.slice(0, length);
  }
}

/** FNV-1a, to turn strings and seed mixes into 32-bit seeds. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------
// Samples, hosts, users

interface SampleInfo {
  readonly title: string;
  readonly symmetry: string;
  readonly psizeA: number;
  readonly boxPix: number;
  readonly diameterA: number;
  readonly particlesPerMic: readonly [number, number];
}

const SAMPLES: Readonly<Record<SyntheticSample, SampleInfo>> = {
  apoferritin: { title: 'Apoferritin', symmetry: 'O', psizeA: 0.83, boxPix: 256, diameterA: 130, particlesPerMic: [250, 600] },
  trpv1: { title: 'TRPV1 nanodisc', symmetry: 'C4', psizeA: 1.0, boxPix: 256, diameterA: 150, particlesPerMic: [120, 300] },
  beta_galactosidase: { title: 'β-galactosidase', symmetry: 'D2', psizeA: 0.87, boxPix: 320, diameterA: 180, particlesPerMic: [150, 350] },
  aldolase: { title: 'Aldolase', symmetry: 'D2', psizeA: 0.93, boxPix: 224, diameterA: 110, particlesPerMic: [200, 500] },
  proteasome: { title: '20S proteasome', symmetry: 'D7', psizeA: 1.06, boxPix: 300, diameterA: 170, particlesPerMic: [100, 250] },
  ribosome: { title: '80S ribosome', symmetry: 'C1', psizeA: 1.34, boxPix: 400, diameterA: 300, particlesPerMic: [40, 120] },
  gpcr: { title: 'GPCR–Gs complex', symmetry: 'C1', psizeA: 0.86, boxPix: 288, diameterA: 140, particlesPerMic: [150, 400] },
  spike: { title: 'SARS-CoV-2 spike', symmetry: 'C3', psizeA: 1.06, boxPix: 384, diameterA: 250, particlesPerMic: [60, 180] },
};
const SAMPLE_KEYS = Object.keys(SAMPLES) as SyntheticSample[];

interface GpuModel {
  readonly name: string;
  readonly memBytes: number;
  readonly powerLimit: number;
}

const GPU_MODELS: readonly GpuModel[] = [
  { name: 'NVIDIA RTX A5000', memBytes: 25_393_692_672, powerLimit: 230 },
  { name: 'NVIDIA A100-SXM4-80GB', memBytes: 85_899_345_920, powerLimit: 400 },
  { name: 'NVIDIA GeForce RTX 3090', memBytes: 25_438_126_080, powerLimit: 350 },
  { name: 'NVIDIA L40S', memBytes: 48_305_799_168, powerLimit: 350 },
];

const CPU_MODELS = ['AMD EPYC 7543 32-Core Processor', 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', 'AMD EPYC 9354 32-Core Processor'];

interface HostAllocation {
  readonly resources: Readonly<Record<string, unknown>>;
  readonly instance: Readonly<Record<string, unknown>>;
}

interface Host {
  /** The scheduler target, frozen and shared by the `resources_allocated` of every job on the host. */
  readonly target: Readonly<Record<string, unknown>>;
  /** Allocations seen so far, by slot key; see buildAllocation(). */
  readonly allocations: Map<string, HostAllocation>;
  readonly hostname: string;
  readonly gpu: GpuModel;
  readonly gpuCount: number;
  readonly cores: number;
  readonly ramSlots: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
}

const USER_NAMES = ['alice', 'bhavin', 'chen', 'dana', 'emeka', 'freya'];

const FAILURE_MESSAGES = [
  'Job process terminated abnormally.',
  'CUDA_ERROR_OUT_OF_MEMORY: cuMemAlloc failed: out of memory',
  "OSError: [Errno 28] No space left on device: '/scratch/cryosparc_cache'",
  'AssertionError: Non-zero number of particles is required',
  'ValueError: Input exposures have no CTF information',
  'RuntimeError: Job heartbeat not detected for 180 seconds',
  'MemoryError: Unable to allocate 37.5 GiB for an array',
];

const TITLE_NOTES = ['round 2', 'high-res', 'tight mask', 'binned', 'test', 'final', 'junk removal', 'more classes'];
const DESCRIPTIONS = [
  'Looks good, use for refinement.',
  'Retry with more GPUs.',
  'Removed ice and edge picks.',
  'Compare with the previous run.',
  'For the figure.',
  'Thresholds from the curation notes.',
];

const WORKSPACE_TITLES = [
  'Preprocessing',
  'Picking and 2D',
  '3D refinement',
  'Heterogeneity',
  'Local refinement',
  'Sandbox',
  'Figures',
  'Validation',
];

// ---------------------------------------------------------------------------
// Job type catalog

type DataType = 'exposure' | 'particle' | 'template' | 'volume' | 'mask';
type Slot = readonly [name: string, dtype: string];

interface InputDef {
  readonly name: string;
  readonly type: DataType;
  readonly title: string;
  readonly countMin: number;
  readonly countMax: number | 'inf';
  readonly slots: readonly Slot[];
  readonly slotNames: ReadonlySet<string>;
  /** `slots` as written into documents; frozen and shared by every job of the type. */
  readonly docSlots: readonly { readonly name: string; readonly dtype: string; readonly required: boolean }[];
}

interface OutputDef {
  readonly name: string;
  readonly type: DataType;
  readonly title: string;
  readonly own: readonly Slot[];
  readonly passthroughInput: string | null;
  readonly passthrough: readonly Slot[];
  /** `slots` as written into documents; frozen and shared by every job of the type. */
  readonly docSlots: readonly { readonly name: string; readonly dtype: string }[];
  /** `own` then `passthrough`: what a connection to this output binds. */
  readonly allSlots: readonly Slot[];
}

interface JobTypeDef {
  readonly type: string;
  readonly title: string;
  readonly category: string;
  /** 0 preprocessing, 1 picking and 2D, 2 3D; picks the workspace. */
  readonly stage: 0 | 1 | 2;
  readonly inputs: readonly InputDef[];
  readonly outputs: readonly OutputDef[];
  readonly resources: { readonly cpu: number; readonly gpu: number; readonly ram: number; readonly ssd: boolean };
  readonly runtimeMin: readonly [number, number];
  readonly interactive: boolean;
  /** Bytes in the job directory per output item (rough). */
  readonly bytesPerItem: number;
  readonly bytesFixed: number;
}

const s = (name: string, dtype: string = name): Slot => [name, dtype];

const MOVIE = [s('movie_blob'), s('mscope_params'), s('gain_ref_blob')];
const MIC_OWN = [
  s('micrograph_blob'),
  s('micrograph_blob_non_dw', 'micrograph_blob'),
  s('micrograph_thumbnail_blob_1x', 'micrograph_thumbnail_blob'),
  s('background_blob', 'stat_blob'),
  s('rigid_motion', 'motion'),
  s('spline_motion', 'motion'),
];
const EXPOSURE_PT = [
  s('micrograph_blob'),
  s('micrograph_thumbnail_blob_1x', 'micrograph_thumbnail_blob'),
  s('background_blob', 'stat_blob'),
  s('mscope_params'),
];
const CTF_OWN = [s('ctf'), s('ctf_stats')];
const CTF_EXPOSURE = [...CTF_OWN, ...EXPOSURE_PT];
const PARTICLE_PT = [s('blob'), s('ctf'), s('location')];
const PARTICLE_2D = [...PARTICLE_PT, s('alignments2D')];
const VOLUME_OWN = [
  s('map', 'volume'),
  s('map_sharp', 'volume'),
  s('map_half_A', 'volume'),
  s('map_half_B', 'volume'),
  s('precision', 'volume'),
];
const CLASS_VOLUME = [s('map', 'volume'), s('map_half_A', 'volume'), s('map_half_B', 'volume')];
const MASK_OWN = [s('mask', 'volume'), s('mask_fsc', 'volume')];

function input(name: string, type: DataType, title: string, slots: readonly Slot[], countMin = 1, countMax: number | 'inf' = 1): InputDef {
  const docSlots = deepFreeze(slots.map(([slot, dtype]) => ({ name: slot, dtype, required: true })));
  return { name, type, title, countMin, countMax, slots, slotNames: new Set(slots.map(([slot]) => slot)), docSlots };
}

function output(
  name: string,
  type: DataType,
  title: string,
  own: readonly Slot[],
  passthroughInput: string | null = null,
  passthrough: readonly Slot[] = [],
): OutputDef {
  const docSlots = deepFreeze([...own, ...passthrough].map(([slot, dtype]) => ({ name: slot, dtype })));
  return { name, type, title, own, passthroughInput, passthrough, docSlots, allSlots: [...own, ...passthrough] };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

type DefBase = Omit<JobTypeDef, 'interactive' | 'bytesFixed'> & { interactive?: boolean; bytesFixed?: number };
const def = (d: DefBase): JobTypeDef => ({ interactive: false, bytesFixed: 50_000, ...d });

const refineInputs = [
  input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf'),
  input('volume', 'volume', 'Initial volume', [s('map', 'volume')]),
  input('mask', 'mask', 'Static mask', [s('mask', 'volume')], 0, 1),
];
const refineOutputs = [
  output('particles', 'particle', 'Refined particles', [s('alignments3D')], 'particles', PARTICLE_PT),
  output('volume', 'volume', 'Refined volume', VOLUME_OWN),
  output('mask', 'mask', 'Mask', MASK_OWN),
];

const DEFS: Readonly<Record<string, JobTypeDef>> = Object.fromEntries(
  [
    def({
      type: 'import_movies', title: 'Import Movies', category: 'import', stage: 0,
      inputs: [],
      outputs: [output('imported_movies', 'exposure', 'Imported movies', MOVIE)],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 10], bytesPerItem: 3_000,
    }),
    def({
      type: 'patch_motion_correction_multi', title: 'Patch Motion Correction', category: 'motion_correction', stage: 0,
      inputs: [input('movies', 'exposure', 'Movies', MOVIE, 1, 'inf')],
      outputs: [
        output('micrographs', 'exposure', 'Motion-corrected micrographs', MIC_OWN, 'movies', MOVIE),
        output('micrographs_incomplete', 'exposure', 'Incomplete micrographs', MIC_OWN, 'movies', MOVIE),
      ],
      resources: { cpu: 6, gpu: 1, ram: 2, ssd: false }, runtimeMin: [20, 180], bytesPerItem: 48_000_000,
    }),
    def({
      type: 'patch_ctf_estimation_multi', title: 'Patch CTF Estimation', category: 'ctf_estimation', stage: 0,
      inputs: [input('exposures', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params'), s('background_blob', 'stat_blob')], 1, 'inf')],
      outputs: [output('exposures', 'exposure', 'Micrographs with CTF', CTF_OWN, 'exposures', EXPOSURE_PT)],
      resources: { cpu: 2, gpu: 1, ram: 1, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 400_000,
    }),
    def({
      type: 'curate_exposures_v2', title: 'Manually Curate Exposures', category: 'exposure_curation', stage: 0,
      inputs: [input('exposures', 'exposure', 'Exposures', [s('ctf'), s('micrograph_blob'), s('mscope_params')], 1, 'inf')],
      outputs: [
        output('exposures_accepted', 'exposure', 'Accepted exposures', [], 'exposures', CTF_EXPOSURE),
        output('exposures_rejected', 'exposure', 'Rejected exposures', [], 'exposures', CTF_EXPOSURE),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [5, 45], interactive: true, bytesPerItem: 2_000,
    }),
    def({
      type: 'blob_picker_gpu', title: 'Blob Picker', category: 'particle_picking', stage: 1,
      inputs: [input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf')],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Particles', [s('location'), s('pick_stats')], 'micrographs', [s('ctf')]),
      ],
      resources: { cpu: 1, gpu: 1, ram: 1, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 120,
    }),
    def({
      type: 'template_picker_gpu', title: 'Template Picker', category: 'particle_picking', stage: 1,
      inputs: [
        input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf'),
        input('templates', 'template', 'Templates', [s('blob')], 1, 'inf'),
      ],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Particles', [s('location'), s('pick_stats')], 'micrographs', [s('ctf')]),
      ],
      resources: { cpu: 1, gpu: 1, ram: 1, ssd: false }, runtimeMin: [10, 60], bytesPerItem: 120,
    }),
    def({
      type: 'extract_micrographs_multi', title: 'Extract From Micrographs', category: 'extraction', stage: 1,
      inputs: [
        input('micrographs', 'exposure', 'Micrographs', [s('micrograph_blob'), s('mscope_params')], 1, 'inf'),
        input('particles', 'particle', 'Particles', [s('location')], 1, 'inf'),
      ],
      outputs: [
        output('micrographs', 'exposure', 'Micrographs', [], 'micrographs', CTF_EXPOSURE),
        output('particles', 'particle', 'Extracted particles', [s('blob'), s('location')], 'particles', [s('ctf'), s('pick_stats')]),
      ],
      resources: { cpu: 4, gpu: 1, ram: 2, ssd: false }, runtimeMin: [10, 90], bytesPerItem: 130_000,
    }),
    def({
      type: 'particle_sets', title: 'Particle Sets Tool', category: 'utilities', stage: 1,
      inputs: [
        input('particles_A', 'particle', 'Particles (A)', [], 1, 'inf'),
        input('particles_B', 'particle', 'Particles (B)', [], 1, 'inf'),
      ],
      outputs: [
        output('intersect', 'particle', 'A ∩ B', [], 'particles_A', PARTICLE_PT),
        output('A_minus_B', 'particle', 'A − B', [], 'particles_A', PARTICLE_PT),
        output('B_minus_A', 'particle', 'B − A', [], 'particles_B', PARTICLE_PT),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 5], bytesPerItem: 100,
    }),
    def({
      type: 'class_2D_new', title: '2D Classification', category: 'particle_curation', stage: 1,
      inputs: [input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf')],
      outputs: [
        output('particles', 'particle', 'Particles', [s('alignments2D')], 'particles', PARTICLE_PT),
        output('class_averages', 'template', '2D class averages', [s('blob')]),
      ],
      resources: { cpu: 2, gpu: 1, ram: 3, ssd: true }, runtimeMin: [20, 240], bytesPerItem: 300, bytesFixed: 80_000_000,
    }),
    def({
      type: 'select_2D', title: 'Select 2D Classes', category: 'particle_curation', stage: 1,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('alignments2D')]),
        input('templates', 'template', 'Templates', [s('blob')]),
      ],
      outputs: [
        output('particles_selected', 'particle', 'Selected particles', [], 'particles', PARTICLE_2D),
        output('particles_excluded', 'particle', 'Excluded particles', [], 'particles', PARTICLE_2D),
        output('templates_selected', 'template', 'Selected templates', [], 'templates', [s('blob')]),
        output('templates_excluded', 'template', 'Excluded templates', [], 'templates', [s('blob')]),
      ],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [3, 20], interactive: true, bytesPerItem: 100,
    }),
    def({
      type: 'homo_abinit', title: 'Ab-Initio Reconstruction', category: 'reconstruction', stage: 2,
      inputs: [input('particles', 'particle', 'Particle stacks', [s('blob')], 1, 'inf')],
      outputs: [], // per class count, see classOutputs()
      resources: { cpu: 4, gpu: 1, ram: 8, ssd: true }, runtimeMin: [30, 300], bytesPerItem: 200, bytesFixed: 400_000_000,
    }),
    def({
      type: 'homo_refine_new', title: 'Homogeneous Refinement', category: 'refinement', stage: 2,
      inputs: refineInputs, outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 3, ssd: true }, runtimeMin: [40, 300], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'nonuniform_refine_new', title: 'Non-uniform Refinement', category: 'refinement', stage: 2,
      inputs: refineInputs, outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 480], bytesPerItem: 250, bytesFixed: 1_100_000_000,
    }),
    def({
      type: 'hetero_refine', title: 'Heterogeneous Refinement', category: 'refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf')], 1, 'inf'),
        input('volume', 'volume', 'Initial volumes', [s('map', 'volume')], 1, 'inf'),
      ],
      outputs: [],
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 600], bytesPerItem: 250, bytesFixed: 700_000_000,
    }),
    def({
      type: 'class_3D', title: '3D Classification', category: 'refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particle stacks', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Initial volumes', [s('map', 'volume')], 0, 'inf'),
        input('mask', 'mask', 'Solvent mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [],
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 480], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'ctf_refine_global', title: 'Global CTF Refinement', category: 'ctf_refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Map', [s('map_half_A', 'volume'), s('map_half_B', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [output('particles', 'particle', 'Particles', [s('ctf')], 'particles', [s('blob'), s('location'), s('alignments3D')])],
      resources: { cpu: 2, gpu: 1, ram: 2, ssd: false }, runtimeMin: [10, 90], bytesPerItem: 80,
    }),
    def({
      type: 'new_local_refine', title: 'Local Refinement', category: 'local_refinement', stage: 2,
      inputs: [
        input('particles', 'particle', 'Particles', [s('blob'), s('ctf'), s('alignments3D')], 1, 'inf'),
        input('volume', 'volume', 'Volume', [s('map', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')]),
      ],
      outputs: refineOutputs,
      resources: { cpu: 4, gpu: 1, ram: 4, ssd: true }, runtimeMin: [60, 400], bytesPerItem: 250, bytesFixed: 900_000_000,
    }),
    def({
      type: 'sharpen', title: 'Sharpening Tools', category: 'postprocessing', stage: 2,
      inputs: [input('volume', 'volume', 'Volume', [s('map', 'volume')])],
      outputs: [output('volume', 'volume', 'Sharpened volume', [s('map_sharp', 'volume')], 'volume', CLASS_VOLUME)],
      resources: { cpu: 1, gpu: 0, ram: 1, ssd: false }, runtimeMin: [1, 4], bytesPerItem: 0, bytesFixed: 150_000_000,
    }),
    def({
      type: 'local_resolution', title: 'Local Resolution Estimation', category: 'postprocessing', stage: 2,
      inputs: [
        input('volume', 'volume', 'Volume', [s('map_half_A', 'volume'), s('map_half_B', 'volume')]),
        input('mask', 'mask', 'Mask', [s('mask', 'volume')], 0, 1),
      ],
      outputs: [
        output('volume', 'volume', 'Local resolution', [s('map_locres', 'volume'), s('map_locres_fsc', 'volume')], 'volume', CLASS_VOLUME),
      ],
      resources: { cpu: 2, gpu: 1, ram: 2, ssd: false }, runtimeMin: [5, 40], bytesPerItem: 0, bytesFixed: 250_000_000,
    }),
  ].map((d) => [d.type, d]),
);

function typeDef(type: string): JobTypeDef {
  const found = DEFS[type];
  if (!found) throw new Error(`unknown synthetic job type ${type}`);
  return found;
}

const classOutputCache = new Map<number, readonly OutputDef[]>();

/** Outputs of multi-class jobs (ab-initio, hetero refinement, 3D classification). */
function classOutputs(classes: number): readonly OutputDef[] {
  let cached = classOutputCache.get(classes);
  if (!cached) {
    const list: OutputDef[] = [
      output('particles_all_classes', 'particle', 'All particles', [s('alignments3D')], 'particles', PARTICLE_PT),
    ];
    for (let k = 0; k < classes; k++) {
      list.push(output(`particles_class_${k}`, 'particle', `Particles class ${k}`, [s('alignments3D')], 'particles', PARTICLE_PT));
      list.push(output(`volume_class_${k}`, 'volume', `Volume class ${k}`, CLASS_VOLUME));
    }
    cached = list;
    classOutputCache.set(classes, cached);
  }
  return cached;
}

/** Which job types may follow a job of a type, with weights. Types with none end a branch. */
const NEXT: Readonly<Record<string, readonly (readonly [string, number])[]>> = {
  import_movies: [['patch_motion_correction_multi', 1]],
  patch_motion_correction_multi: [['patch_ctf_estimation_multi', 1]],
  patch_ctf_estimation_multi: [['curate_exposures_v2', 4], ['blob_picker_gpu', 3], ['template_picker_gpu', 2]],
  curate_exposures_v2: [['blob_picker_gpu', 4], ['template_picker_gpu', 2]],
  blob_picker_gpu: [['extract_micrographs_multi', 1]],
  template_picker_gpu: [['extract_micrographs_multi', 1]],
  extract_micrographs_multi: [['class_2D_new', 6], ['homo_abinit', 1], ['particle_sets', 1]],
  particle_sets: [['class_2D_new', 2], ['homo_abinit', 1]],
  class_2D_new: [['select_2D', 1]],
  select_2D: [['homo_abinit', 4], ['class_2D_new', 2], ['template_picker_gpu', 2]],
  homo_abinit: [['nonuniform_refine_new', 4], ['homo_refine_new', 2], ['hetero_refine', 3]],
  hetero_refine: [['nonuniform_refine_new', 3], ['homo_refine_new', 1], ['hetero_refine', 1]],
  class_3D: [['nonuniform_refine_new', 2], ['homo_refine_new', 1]],
  homo_refine_new: [['sharpen', 2], ['local_resolution', 1], ['ctf_refine_global', 2], ['hetero_refine', 1], ['nonuniform_refine_new', 1]],
  nonuniform_refine_new: [
    ['sharpen', 2], ['local_resolution', 2], ['ctf_refine_global', 2], ['new_local_refine', 1], ['class_3D', 1], ['hetero_refine', 1],
  ],
  ctf_refine_global: [['nonuniform_refine_new', 3], ['homo_refine_new', 1]],
  new_local_refine: [['local_resolution', 1], ['sharpen', 1]],
  sharpen: [],
  local_resolution: [],
};

// ---------------------------------------------------------------------------
// Plan

interface Ref {
  readonly plan: Plan;
  readonly output: string;
}

/** Per-pipeline state shared by every job processing one imported dataset. */
interface Dataset {
  readonly id: number;
  readonly templates: Ref[];
  readonly particleSources: Ref[];
  readonly volumeSources: Ref[];
}

/** What a job hands to its successors: the most relevant upstream outputs. */
interface Lineage {
  readonly ds: Dataset;
  readonly mics: Ref | null;
  readonly particles: Ref | null;
  readonly volume: Ref | null;
  readonly mask: Ref | null;
  readonly templates: Ref | null;
  /** Per-class volumes and particles of multi-class jobs, parallel. */
  readonly classVolumes: readonly Ref[];
  readonly classParticles: readonly Ref[];
}

const TIME_FIELD_COUNT = 15;

/**
 * Lifecycle times of one job in ms from the plan's zero (ABSENT when unset),
 * stored in a per-project Float64Array: as plain object fields every value
 * would be a boxed heap number.
 */
class Times {
  constructor(
    private readonly table: Float64Array,
    private readonly base: number,
  ) {}

  get created(): number {
    return this.table[this.base + 0] as number;
  }
  set created(value: number) {
    this.table[this.base + 0] = value;
  }
  get queued(): number {
    return this.table[this.base + 1] as number;
  }
  set queued(value: number) {
    this.table[this.base + 1] = value;
  }
  get lastScheduled(): number {
    return this.table[this.base + 2] as number;
  }
  set lastScheduled(value: number) {
    this.table[this.base + 2] = value;
  }
  get tokensRequested(): number {
    return this.table[this.base + 3] as number;
  }
  set tokensRequested(value: number) {
    this.table[this.base + 3] = value;
  }
  get tokensAcquired(): number {
    return this.table[this.base + 4] as number;
  }
  set tokensAcquired(value: number) {
    this.table[this.base + 4] = value;
  }
  get launched(): number {
    return this.table[this.base + 5] as number;
  }
  set launched(value: number) {
    this.table[this.base + 5] = value;
  }
  get started(): number {
    return this.table[this.base + 6] as number;
  }
  set started(value: number) {
    this.table[this.base + 6] = value;
  }
  get running(): number {
    return this.table[this.base + 7] as number;
  }
  set running(value: number) {
    this.table[this.base + 7] = value;
  }
  get waiting(): number {
    return this.table[this.base + 8] as number;
  }
  set waiting(value: number) {
    this.table[this.base + 8] = value;
  }
  get completed(): number {
    return this.table[this.base + 9] as number;
  }
  set completed(value: number) {
    this.table[this.base + 9] = value;
  }
  get failed(): number {
    return this.table[this.base + 10] as number;
  }
  set failed(value: number) {
    this.table[this.base + 10] = value;
  }
  get killed(): number {
    return this.table[this.base + 11] as number;
  }
  set killed(value: number) {
    this.table[this.base + 11] = value;
  }
  get heartbeat(): number {
    return this.table[this.base + 12] as number;
  }
  set heartbeat(value: number) {
    this.table[this.base + 12] = value;
  }
  get deleted(): number {
    return this.table[this.base + 13] as number;
  }
  set deleted(value: number) {
    this.table[this.base + 13] = value;
  }
  get updated(): number {
    return this.table[this.base + 14] as number;
  }
  set updated(value: number) {
    this.table[this.base + 14] = value;
  }
}

const ABSENT = -1;

interface Plan {
  readonly uidNum: number;
  readonly uid: string;
  def: JobTypeDef;
  outputs: readonly OutputDef[];
  params: Record<string, unknown>;
  inputs: (readonly [InputDef, readonly Ref[]])[];
  /** Items per output name (for not-run jobs these are what they would produce). */
  items: Record<string, number>;
  lin: Lineage;
  anchor: Plan | null;
  clonedFrom: Plan | null;
  status: SyntheticJobStatus;
  queueStatus: string | null;
  times: Times;
  parents: Plan[];
  children: Plan[];
  workspaces: string[];
  user: number;
  title: string;
  description: string;
  deleted: boolean;
  finalResult: boolean;
  ancestorOfFinal: boolean;
  host: Host | null;
  gpuCount: number;
}

interface Draft {
  def: JobTypeDef;
  outputs: readonly OutputDef[];
  params: Record<string, unknown>;
  inputs: (readonly [InputDef, readonly Ref[]])[];
  items: Record<string, number>;
  /** Builds the lineage once the job's plan exists (it names its own outputs). */
  lineage: (self: Plan) => Lineage;
}

interface ProjectContext {
  readonly rng: Rng;
  readonly sample: SampleInfo;
  readonly sampleKey: SyntheticSample;
  readonly hosts: readonly Host[];
  readonly master: Host;
  readonly workspaceCount: number;
  readonly datasets: Dataset[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function ref(plan: Plan, outputName: string): Ref {
  return { plan, output: outputName };
}

function itemsOf(r: Ref | null): number {
  return r ? (r.plan.items[r.output] ?? 0) : 0;
}

function paramsFor(ctx: ProjectContext, type: string, gpus: number): Record<string, unknown> {
  const { rng, sample } = ctx;
  switch (type) {
    case 'import_movies':
      return {
        blob_paths: `/data/raw/${ctx.sampleKey}/grid${rng.int(1, 9)}/Images-Disc1/*/Data/*_fractions.tiff`,
        gainref_path: `/data/raw/${ctx.sampleKey}/gain/CountRef.mrc`,
        psize_A: sample.psizeA,
        accel_kv: 300,
        cs_mm: 2.7,
        total_dose_e_per_A2: rng.pick([40, 50, 55, 60]),
        phase_plate_data: false,
      };
    case 'patch_motion_correction_multi':
      return { res_max_align: 5, bfactor: 500, frame_start: 0, output_fcrop_factor: rng.pick([1, 0.5]), compute_num_gpus: gpus };
    case 'patch_ctf_estimation_multi':
      return { amp_contrast: 0.1, res_min_align: 25, res_max_align: 4, df_search_min: 1000, df_search_max: 40000, compute_num_gpus: gpus };
    case 'curate_exposures_v2':
      return { ctf_fit_to_A_max: rng.pick([4, 5, 6]), astigmatism_max: 1000, total_motion_max: rng.pick([30, 50, 80]) };
    case 'blob_picker_gpu':
      return { diameter: Math.round(sample.diameterA * 0.8), diameter_max: Math.round(sample.diameterA * 1.2), use_circle: true, lowpass_res: 20 };
    case 'template_picker_gpu':
      return { diameter: sample.diameterA, min_distance: 0.5, lowpass_res: 20, angular_sampling: 5 };
    case 'extract_micrographs_multi': {
      const box = sample.boxPix;
      return { box_size_pix: box, bin_size_pix: rng.chance(0.4) ? Math.round(box / 2 / 8) * 8 : null, output_f16: true, compute_num_gpus: gpus };
    }
    case 'particle_sets':
      return { action: 'intersect', field: 'uid' };
    case 'class_2D_new':
      return { class2D_K: rng.pick([50, 100, 150, 200]), class2D_max_res: 6, class2D_window_inner_A: sample.diameterA, class2D_num_full_iter_batch: 40, compute_use_ssd: true };
    case 'select_2D':
      return { class_sort: rng.pick(['num_particles', 'resolution', 'ecaI']) };
    case 'homo_abinit':
      return { abinit_K: 1, abinit_max_res: rng.pick([12, 9, 6]), abinit_symmetry: rng.chance(0.7) ? 'C1' : sample.symmetry, compute_use_ssd: true };
    case 'homo_refine_new':
      return { refine_symmetry: sample.symmetry, refine_num_final_iter: 0, refine_minimize_over_per_particle_scale: rng.chance(0.5), refine_ctf_global_refine: rng.chance(0.3), compute_use_ssd: true };
    case 'nonuniform_refine_new':
      return { refine_symmetry: sample.symmetry, refine_defocus_refine: rng.chance(0.5), refine_ctf_global_refine: rng.chance(0.5), refine_minimize_over_per_particle_scale: true, compute_use_ssd: true };
    case 'hetero_refine':
      return { multirefine_K: 2, multirefine_res_init: rng.pick([6, 8, 10]), multirefine_symmetry: 'C1', multirefine_force_hard_class: rng.chance(0.3) };
    case 'class_3D':
      return { class3D_N_K: 4, class3D_filter_res: rng.pick([6, 8]), class3D_init_mode: 'simple' };
    case 'ctf_refine_global':
      return { crg_fit_tetra: rng.chance(0.5), crg_fit_aniso_mag: rng.chance(0.3), crg_min_res_A: 10 };
    case 'new_local_refine':
      return { use_alignment_prior: true, sigma_prior_r: rng.pick([3, 5, 7]), sigma_prior_shift: rng.pick([2, 3]), refine_symmetry: 'C1' };
    case 'sharpen':
      return { sharp_bfactor: -rng.int(4, 16) * 10, sharp_do_global_filter: true };
    case 'local_resolution':
      return { locres_fsc_thresh: 0.143, locres_use_mask: true };
    default:
      return {};
  }
}

function newDataset(ctx: ProjectContext): Dataset {
  const ds: Dataset = { id: ctx.datasets.length, templates: [], particleSources: [], volumeSources: [] };
  ctx.datasets.push(ds);
  return ds;
}

const NO_REFS: readonly Ref[] = Object.freeze([]);
const EMPTY_LINEAGE_REFS = { mics: null, particles: null, volume: null, mask: null, templates: null, classVolumes: NO_REFS, classParticles: NO_REFS };

function classCount(rng: Rng): number {
  return rng.weighted([
    [1, 3],
    [2, 4],
    [3, 3],
    [4, 1],
  ]);
}

/** Splits `total` into `k` positive-ish shares. */
function splitItems(rng: Rng, total: number, k: number): number[] {
  const weights = Array.from({ length: k }, () => rng.range(0.3, 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => Math.max(1, Math.round((total * w) / sum)));
}

function multiClassDraft(
  ctx: ProjectContext,
  a: Plan,
  type: 'homo_abinit' | 'hetero_refine' | 'class_3D',
  particles: Ref,
  volumes: readonly Ref[],
  mask: Ref | null,
): Draft {
  const { rng } = ctx;
  const d = typeDef(type);
  const classes = type === 'homo_abinit' ? classCount(rng) : type === 'hetero_refine' ? volumes.length : rng.int(3, 6);
  const params = paramsFor(ctx, type, 1);
  if (type === 'homo_abinit') params.abinit_K = classes;
  if (type === 'hetero_refine') params.multirefine_K = classes;
  if (type === 'class_3D') params.class3D_N_K = classes;
  const outputs = classOutputs(classes);
  const total = itemsOf(particles);
  const shares = splitItems(rng, total, classes);
  const items: Record<string, number> = { particles_all_classes: total };
  shares.forEach((n, k) => {
    items[`particles_class_${k}`] = n;
    items[`volume_class_${k}`] = 1;
  });
  const [volumeInput, particleInput, maskInput] = [
    d.inputs.find((i) => i.name === 'volume'),
    d.inputs.find((i) => i.name === 'particles'),
    d.inputs.find((i) => i.name === 'mask'),
  ];
  const inputs: (readonly [InputDef, readonly Ref[]])[] = [];
  if (particleInput) inputs.push([particleInput, [particles]]);
  if (volumeInput) inputs.push([volumeInput, volumes]);
  if (maskInput) inputs.push([maskInput, mask ? [mask] : []]);
  let best = 0;
  shares.forEach((n, k) => {
    if (n > (shares[best] ?? 0)) best = k;
  });
  return {
    def: d,
    outputs,
    params,
    inputs,
    items,
    lineage: (self) => {
      const classVolumes = shares.map((_, k) => ref(self, `volume_class_${k}`));
      const classParticles = shares.map((_, k) => ref(self, `particles_class_${k}`));
      return {
        ds: a.lin.ds,
        mics: a.lin.mics,
        particles: classParticles[best] ?? null,
        volume: classVolumes[best] ?? null,
        mask: a.lin.mask,
        templates: a.lin.templates,
        classVolumes,
        classParticles,
      };
    },
  };
}

/** Picks the particle/volume pair a refinement continues from. */
function refinementSources(ctx: ProjectContext, a: Plan): { particles: Ref; volume: Ref } | null {
  const { rng } = ctx;
  const lin = a.lin;
  if (lin.classVolumes.length > 0) {
    const k = rng.int(0, lin.classVolumes.length - 1);
    const volume = lin.classVolumes[k];
    let particles = lin.classParticles[k] ?? null;
    // Often the full stack is refined against one class volume: a diamond over the stack's producer.
    if (rng.chance(0.35) && lin.ds.particleSources.length > 0) particles = rng.pick(recent(lin.ds.particleSources, 6));
    return volume && particles ? { particles, volume } : null;
  }
  return lin.particles && lin.volume ? { particles: lin.particles, volume: lin.volume } : null;
}

function recent<T>(items: readonly T[], n: number): readonly T[] {
  return items.length <= n ? items : items.slice(items.length - n);
}

function inputsOf(d: JobTypeDef, refs: Record<string, readonly Ref[]>): (readonly [InputDef, readonly Ref[]])[] {
  return d.inputs.map((i) => [i, refs[i.name] ?? []] as const);
}

/** A job of `type` continuing from `a`, or null when `a`'s lineage cannot feed it. */
function draftSuccessor(ctx: ProjectContext, type: string, a: Plan): Draft | null {
  const { rng } = ctx;
  const d = typeDef(type);
  const lin = a.lin;
  const simple = (
    refs: Record<string, readonly Ref[]>,
    items: Record<string, number>,
    lineage: (self: Plan) => Partial<Lineage>,
    gpus = d.resources.gpu,
  ): Draft => ({
    def: d,
    outputs: d.outputs,
    params: paramsFor(ctx, type, gpus),
    inputs: inputsOf(d, refs),
    items,
    lineage: (self) => {
      const next = lineage(self);
      return {
        ds: lin.ds,
        mics: next.mics !== undefined ? next.mics : lin.mics,
        particles: next.particles !== undefined ? next.particles : lin.particles,
        volume: next.volume !== undefined ? next.volume : lin.volume,
        mask: next.mask !== undefined ? next.mask : lin.mask,
        templates: next.templates !== undefined ? next.templates : lin.templates,
        classVolumes: NO_REFS,
        classParticles: NO_REFS,
      };
    },
  });

  switch (type) {
    case 'patch_motion_correction_multi': {
      const n = a.items.imported_movies ?? 0;
      const incomplete = rng.chance(0.3) ? rng.int(1, Math.max(1, Math.round(n * 0.01))) : 0;
      return simple(
        { movies: [ref(a, 'imported_movies')] },
        { micrographs: n - incomplete, micrographs_incomplete: incomplete },
        (self) => ({ mics: ref(self, 'micrographs') }),
        rng.int(1, 4),
      );
    }
    case 'patch_ctf_estimation_multi': {
      const mics = lin.mics;
      if (!mics) return null;
      return simple({ exposures: [mics] }, { exposures: itemsOf(mics) }, (self) => ({ mics: ref(self, 'exposures') }), rng.int(1, 4));
    }
    case 'curate_exposures_v2': {
      const mics = lin.mics;
      if (!mics) return null;
      const n = itemsOf(mics);
      const accepted = Math.round(n * rng.range(0.7, 0.97));
      return simple(
        { exposures: [mics] },
        { exposures_accepted: accepted, exposures_rejected: n - accepted },
        (self) => ({ mics: ref(self, 'exposures_accepted') }),
      );
    }
    case 'blob_picker_gpu':
    case 'template_picker_gpu': {
      const mics = lin.mics;
      if (!mics) return null;
      let templates: Ref | null = null;
      if (type === 'template_picker_gpu') {
        // Templates from a 2D selection, micrographs from the CTF/curation job: a diamond.
        templates = lin.templates ?? (lin.ds.templates.length > 0 ? rng.pick(recent(lin.ds.templates, 4)) : null);
        if (!templates) return null;
      }
      const n = itemsOf(mics);
      const [lo, hi] = ctx.sample.particlesPerMic;
      const picks = Math.round(n * rng.range(lo, hi) * (type === 'template_picker_gpu' ? 0.8 : 1.3));
      return simple(
        templates ? { micrographs: [mics], templates: [templates] } : { micrographs: [mics] },
        { micrographs: n, particles: picks },
        (self) => ({ mics: ref(self, 'micrographs'), particles: ref(self, 'particles') }),
      );
    }
    case 'extract_micrographs_multi': {
      if (!lin.particles || !lin.mics) return null;
      const particles = Math.round(itemsOf(lin.particles) * rng.range(0.85, 0.98));
      return simple(
        { micrographs: [lin.mics], particles: [lin.particles] },
        { micrographs: itemsOf(lin.mics), particles },
        (self) => ({ particles: ref(self, 'particles'), mics: ref(self, 'micrographs') }),
        rng.int(1, 2),
      );
    }
    case 'particle_sets': {
      const particlesA = lin.particles;
      if (!particlesA) return null;
      const others = lin.ds.particleSources.filter((r) => r.plan !== particlesA.plan);
      if (others.length === 0) return null;
      const particlesB = rng.pick(recent(others, 6));
      const nA = itemsOf(particlesA);
      const nB = itemsOf(particlesB);
      const both = Math.round(Math.min(nA, nB) * rng.range(0.4, 0.8));
      return simple(
        { particles_A: [particlesA], particles_B: [particlesB] },
        { intersect: both, A_minus_B: nA - both, B_minus_A: Math.max(0, nB - both) },
        (self) => ({ particles: ref(self, 'intersect') }),
      );
    }
    case 'class_2D_new': {
      if (!lin.particles) return null;
      const draft = simple(
        { particles: [lin.particles] },
        { particles: itemsOf(lin.particles), class_averages: 0 },
        (self) => ({ particles: ref(self, 'particles'), templates: ref(self, 'class_averages') }),
      );
      draft.items.class_averages = Number(draft.params.class2D_K);
      return draft;
    }
    case 'select_2D': {
      if (!lin.particles || !lin.templates) return null;
      const n = itemsOf(lin.particles);
      const t = itemsOf(lin.templates);
      const selected = Math.round(n * rng.range(0.25, 0.75));
      const templatesSelected = Math.max(1, Math.round(t * rng.range(0.1, 0.5)));
      return simple(
        { particles: [lin.particles], templates: [lin.templates] },
        {
          particles_selected: selected,
          particles_excluded: n - selected,
          templates_selected: templatesSelected,
          templates_excluded: Math.max(0, t - templatesSelected),
        },
        (self) => ({ particles: ref(self, 'particles_selected'), templates: ref(self, 'templates_selected') }),
      );
    }
    case 'homo_abinit': {
      if (!lin.particles) return null;
      return multiClassDraft(ctx, a, 'homo_abinit', lin.particles, [], null);
    }
    case 'hetero_refine': {
      const particles = lin.classParticles.length > 0 ? rng.pick(lin.classParticles) : lin.particles;
      if (!particles) return null;
      // Volumes from this job and from other jobs of the dataset (decoys, older maps): multi-parent.
      const volumes: Ref[] = lin.classVolumes.length > 0 ? [...lin.classVolumes] : lin.volume ? [lin.volume] : [];
      const extra = recent(lin.ds.volumeSources, 8).filter((v) => !volumes.some((x) => x.plan === v.plan && x.output === v.output));
      const wanted = rng.int(1, 2);
      for (let i = 0; i < wanted && extra.length > 0; i++) {
        const j = rng.int(0, extra.length - 1);
        volumes.push(...extra.splice(j, 1));
      }
      if (volumes.length < 2) return null;
      return multiClassDraft(ctx, a, 'hetero_refine', particles, volumes.slice(0, 5), null);
    }
    case 'class_3D': {
      if (!lin.particles) return null;
      return multiClassDraft(ctx, a, 'class_3D', lin.particles, lin.volume ? [lin.volume] : [], lin.mask);
    }
    case 'homo_refine_new':
    case 'nonuniform_refine_new': {
      const src = refinementSources(ctx, a);
      if (!src) return null;
      const mask = lin.mask && rng.chance(0.4) ? lin.mask : null;
      return simple(
        { particles: [src.particles], volume: [src.volume], mask: mask ? [mask] : [] },
        { particles: itemsOf(src.particles), volume: 1, mask: 1 },
        (self) => ({ particles: ref(self, 'particles'), volume: ref(self, 'volume'), mask: ref(self, 'mask') }),
      );
    }
    case 'new_local_refine': {
      if (!lin.particles || !lin.volume || !lin.mask) return null;
      return simple(
        { particles: [lin.particles], volume: [lin.volume], mask: [lin.mask] },
        { particles: itemsOf(lin.particles), volume: 1, mask: 1 },
        (self) => ({ particles: ref(self, 'particles'), volume: ref(self, 'volume'), mask: ref(self, 'mask') }),
      );
    }
    case 'ctf_refine_global': {
      if (!lin.particles || !lin.volume) return null;
      return simple(
        { particles: [lin.particles], volume: [lin.volume], mask: lin.mask ? [lin.mask] : [] },
        { particles: itemsOf(lin.particles) },
        (self) => ({ particles: ref(self, 'particles') }),
      );
    }
    case 'sharpen':
    case 'local_resolution': {
      if (!lin.volume) return null;
      const refs: Record<string, readonly Ref[]> = { volume: [lin.volume] };
      if (type === 'local_resolution') refs.mask = lin.mask ? [lin.mask] : [];
      return simple(refs, { volume: 1 }, (self) => ({ volume: ref(self, 'volume') }));
    }
    default:
      return null;
  }
}

function draftImport(ctx: ProjectContext): Draft {
  const d = typeDef('import_movies');
  const ds = newDataset(ctx);
  return {
    def: d,
    outputs: d.outputs,
    params: paramsFor(ctx, 'import_movies', 0),
    inputs: [],
    items: { imported_movies: ctx.rng.int(400, 9000) },
    lineage: (self) => ({ ds, ...EMPTY_LINEAGE_REFS, mics: ref(self, 'imported_movies') }),
  };
}

/** A rerun of `orig`: same type and connections, params copied (a value or two changed). */
function draftClone(ctx: ProjectContext, orig: Plan): Draft {
  const params = { ...orig.params };
  if (typeof params.class2D_K === 'number') params.class2D_K = ctx.rng.pick([50, 100, 150, 200]);
  if (typeof params.compute_num_gpus === 'number') params.compute_num_gpus = ctx.rng.int(1, 4);
  if (typeof params.sharp_bfactor === 'number') params.sharp_bfactor = -ctx.rng.int(4, 16) * 10;
  const items = { ...orig.items };
  if (typeof params.class2D_K === 'number') items.class_averages = params.class2D_K;
  return {
    def: orig.def,
    outputs: orig.outputs,
    params,
    inputs: orig.inputs,
    items,
    lineage: (self) => relink(orig.lin, orig, self),
  };
}

function relink(lin: Lineage, from: Plan, to: Plan): Lineage {
  const swap = (r: Ref | null): Ref | null => (r && r.plan === from ? ref(to, r.output) : r);
  return {
    ds: lin.ds,
    mics: swap(lin.mics),
    particles: swap(lin.particles),
    volume: swap(lin.volume),
    mask: swap(lin.mask),
    templates: swap(lin.templates),
    classVolumes: lin.classVolumes.map((r) => swap(r) as Ref),
    classParticles: lin.classParticles.map((r) => swap(r) as Ref),
  };
}

/** Records a completed job's outputs as sources later jobs of its dataset may pull in. */
function registerSources(plan: Plan): void {
  const ds = plan.lin.ds;
  switch (plan.def.type) {
    case 'extract_micrographs_multi':
      ds.particleSources.push(ref(plan, 'particles'));
      break;
    case 'select_2D':
      ds.particleSources.push(ref(plan, 'particles_selected'));
      ds.templates.push(ref(plan, 'templates_selected'));
      break;
    case 'homo_abinit':
    case 'hetero_refine':
    case 'class_3D':
      ds.volumeSources.push(...plan.lin.classVolumes);
      break;
    case 'homo_refine_new':
    case 'nonuniform_refine_new':
    case 'new_local_refine':
      ds.volumeSources.push(ref(plan, 'volume'));
      break;
    default:
      break;
  }
}

function emptyTimes(table: Float64Array, index: number, created: number): Times {
  const base = index * TIME_FIELD_COUNT;
  table.fill(ABSENT, base, base + TIME_FIELD_COUNT);
  const times = new Times(table, base);
  times.created = created;
  times.updated = created;
  return times;
}

function thinkGap(rng: Rng): number {
  const r = rng.next();
  if (r < 0.7) return rng.range(0.5, 15) * MINUTE;
  if (r < 0.9) return rng.range(15, 90) * MINUTE;
  if (r < 0.98) return rng.range(8, 16) * HOUR;
  return rng.range(1, 5) * DAY;
}

/** Fills lifecycle times consistent with `plan.status` (and sets `updated`). */
function simulateLifecycle(rng: Rng, plan: Plan, killedWhileQueued: boolean): void {
  const t = plan.times;
  const status = plan.status;
  if (status === 'building') return;
  t.queued = t.created + (rng.chance(0.7) ? rng.range(5_000, 3 * MINUTE) : rng.range(3 * MINUTE, 2 * HOUR));
  t.updated = t.queued;
  if (status === 'queued') {
    t.lastScheduled = t.queued + rng.range(200, 5_000);
    t.updated = t.lastScheduled;
    return;
  }
  if (status === 'killed' && killedWhileQueued) {
    t.killed = t.queued + rng.range(MINUTE, 3 * HOUR);
    t.updated = t.killed;
    return;
  }
  const wait = rng.chance(0.8) ? rng.range(2_000, 60_000) : rng.range(5 * MINUTE, 6 * HOUR);
  t.tokensRequested = t.queued + wait;
  t.tokensAcquired = t.tokensRequested + rng.range(200, 1_500);
  t.lastScheduled = t.tokensAcquired + rng.range(10, 200);
  t.launched = t.lastScheduled + rng.range(100, 800);
  t.updated = t.launched;
  if (status === 'launched') return;
  t.started = t.launched + rng.range(2_000, 15_000);
  t.updated = t.started;
  if (status === 'started') return;
  t.running = t.started + rng.range(3_000, 30_000);
  t.heartbeat = t.running;
  t.updated = t.running;
  const [lo, hi] = plan.def.runtimeMin;
  const runtime = rng.range(lo, hi) * MINUTE;
  switch (status) {
    case 'running':
      return;
    case 'waiting':
      t.waiting = t.running + rng.range(30_000, 10 * MINUTE);
      t.updated = t.waiting;
      return;
    case 'completed':
      if (plan.def.interactive) {
        t.waiting = t.running + rng.range(30_000, 3 * MINUTE);
        t.completed = t.waiting + runtime;
      } else {
        t.completed = t.running + runtime;
      }
      t.heartbeat = Math.max(t.running, t.completed - rng.range(1_000, 20_000));
      t.updated = t.completed;
      return;
    case 'failed':
      t.failed = t.running + runtime * rng.range(0.02, 0.9);
      t.heartbeat = Math.max(t.running, t.failed - rng.range(1_000, 20_000));
      t.updated = t.failed;
      return;
    case 'killed':
      t.killed = t.running + runtime * rng.range(0.05, 0.8);
      t.heartbeat = Math.max(t.running, t.killed - rng.range(1_000, 20_000));
      t.updated = t.killed;
      return;
    default:
      return;
  }
}

/** When a job's outputs became available to its children (or when it was created, for unfinished ones). */
function readyAt(plan: Plan): number {
  return plan.times.completed !== ABSENT ? plan.times.completed : plan.times.created;
}

function workspacesFor(ctx: ProjectContext, d: JobTypeDef, ds: Dataset): string[] {
  const k = ctx.workspaceCount;
  let base: number;
  if (k >= 3) base = d.stage < 2 ? d.stage + 1 : 3 + (ds.id % (k - 2));
  else base = Math.min(k, d.stage + 1);
  const list = [`W${base}`];
  if (k > 1 && ctx.rng.chance(0.12)) {
    const other = ctx.rng.int(1, k);
    if (other !== base) list.push(`W${other}`);
  }
  return list;
}

function assignHost(ctx: ProjectContext, plan: Plan): void {
  if (plan.times.launched === ABSENT) return;
  const gpuParam = plan.params.compute_num_gpus;
  const wantGpus = plan.def.resources.gpu === 0 ? 0 : typeof gpuParam === 'number' ? gpuParam : plan.def.resources.gpu;
  if (plan.def.interactive || wantGpus === 0) {
    plan.host = plan.def.interactive ? ctx.master : ctx.rng.pick(ctx.hosts);
    plan.gpuCount = 0;
    return;
  }
  plan.host = ctx.rng.pick(ctx.hosts);
  plan.gpuCount = Math.min(wantGpus, plan.host.gpuCount);
}

/** Pass 1: the type, connections, status and times (ms from a zero origin) of `n` jobs. */
function planJobs(ctx: ProjectContext, n: number): Plan[] {
  const { rng } = ctx;
  const plans: Plan[] = [];
  // Jobs later jobs may connect to, and those with successors (branch points).
  const usable: Plan[] = [];
  const branchable: Plan[] = [];
  const tail = n < 8 ? Math.min(n, 1) : Math.min(8, 3 + Math.floor(n / 200));
  const tailStart = n - tail;
  const timeTable = new Float64Array(n * TIME_FIELD_COUNT);
  let cursor: Plan | null = null;
  let clock = 0;
  let maxTime = 0;

  for (let index = 0; index < n; index++) {
    const uidNum = index + 1;
    const inTail = index >= tailStart;
    const last = plans[index - 1];
    let draft: Draft | null = null;
    let anchor: Plan | null = null;
    let clonedFrom: Plan | null = null;

    if (last && (last.status === 'failed' || last.status === 'killed') && rng.chance(0.6)) {
      clonedFrom = last;
    } else if (usable.length > 10 && rng.chance(0.03)) {
      const candidates = recent(usable, 30).filter((p) => p.def.type !== 'import_movies' && p.status === 'completed');
      if (candidates.length > 0) clonedFrom = rng.pick(candidates);
    }
    if (clonedFrom) {
      draft = draftClone(ctx, clonedFrom);
      anchor = clonedFrom.anchor;
    } else if (cursor && !rng.chance(0.012)) {
      const r = rng.next();
      let candidate: Plan = cursor;
      if (r >= 0.7 && r < 0.85 && cursor.anchor && isUsable(cursor.anchor)) candidate = cursor.anchor;
      else if (r >= 0.85 && branchable.length > 0) candidate = rng.pick(branchable);
      for (let attempt = 0; attempt < 12 && !draft; attempt++) {
        draft = draftFrom(ctx, candidate);
        if (draft) anchor = candidate;
        else if (branchable.length > 0) candidate = rng.pick(branchable);
        else break;
      }
    }
    if (!draft) {
      draft = draftImport(ctx);
      anchor = null;
    }

    const parents = uniqueParents(draft.inputs);
    let created = clock + thinkGap(rng);
    for (const parent of parents) created = Math.max(created, readyAt(parent) + rng.range(30_000, 10 * MINUTE));
    // The unfinished jobs at the end are the newest activity of the project.
    if (inTail) created = Math.max(created, maxTime + rng.range(10_000, 5 * MINUTE));
    clock = created;

    const plan: Plan = {
      uidNum,
      uid: `J${uidNum}`,
      def: draft.def,
      outputs: draft.outputs,
      params: draft.params,
      inputs: draft.inputs,
      items: draft.items,
      // Set right below: the lineage refers to this plan's own outputs.
      lin: undefined as unknown as Lineage,
      anchor,
      clonedFrom,
      status: 'completed',
      queueStatus: null,
      times: emptyTimes(timeTable, index, created),
      parents,
      children: [],
      workspaces: [],
      user: rng.chance(0.7) ? 0 : rng.int(1, 2),
      title: clonedFrom ? clonedFrom.title : draft.def.title,
      description: clonedFrom ? clonedFrom.description : '',
      deleted: false,
      finalResult: false,
      ancestorOfFinal: false,
      host: null,
      gpuCount: 0,
    };
    plan.lin = draft.lineage(plan);
    plan.workspaces = clonedFrom ? [...clonedFrom.workspaces] : workspacesFor(ctx, plan.def, plan.lin.ds);
    if (!clonedFrom && rng.chance(0.2)) plan.title = `${plan.def.title} (${rng.pick(TITLE_NOTES)})`;
    if (!clonedFrom && rng.chance(0.08)) plan.description = rng.pick(DESCRIPTIONS);

    let killedWhileQueued = false;
    if (inTail) {
      plan.status = tailStatus(rng, index - tailStart, tail, plan);
      if (plan.status === 'queued') {
        plan.queueStatus = parents.some((p) => p.status !== 'completed')
          ? 'waiting_inputs'
          : rng.pick(['actively_queued', 'waiting_resources', 'waiting_licenses']);
      }
    } else {
      const failRate = clonedFrom && clonedFrom.status !== 'completed' ? 0.04 : plan.def.type === 'import_movies' ? 0.03 : 0.08;
      const r = rng.next();
      plan.status = r < failRate ? 'failed' : r < failRate * 1.5 ? 'killed' : 'completed';
      killedWhileQueued = plan.status === 'killed' && rng.chance(0.25);
    }
    simulateLifecycle(rng, plan, killedWhileQueued);
    assignHost(ctx, plan);
    maxTime = Math.max(maxTime, plan.times.updated);

    plans.push(plan);
    if (isUsable(plan)) {
      usable.push(plan);
      cursor = plan;
      if (plan.status === 'completed') {
        registerSources(plan);
        if ((NEXT[plan.def.type] ?? []).length > 0) branchable.push(plan);
      }
    }
  }
  return plans;
}

/** Jobs whose outputs children may use: completed ones, and (at the end) unfinished ones. */
function isUsable(plan: Plan): boolean {
  return plan.status !== 'failed' && plan.status !== 'killed';
}

function draftFrom(ctx: ProjectContext, a: Plan): Draft | null {
  const options = [...(NEXT[a.def.type] ?? [])];
  while (options.length > 0) {
    const type = ctx.rng.weighted(options);
    const draft = draftSuccessor(ctx, type, a);
    if (draft) return draft;
    options.splice(
      options.findIndex(([t]) => t === type),
      1,
    );
  }
  return null;
}

function tailStatus(rng: Rng, position: number, tail: number, plan: Plan): SyntheticJobStatus {
  const parentsDone = plan.parents.every((p) => p.status === 'completed');
  if (position === tail - 1 && tail >= 3) return 'building';
  if (position < Math.ceil(tail / 2) && parentsDone) {
    if (position === 0) return 'running';
    if (plan.def.interactive && rng.chance(0.7)) return 'waiting';
    return rng.weighted([
      ['running', 8],
      ['launched', 1],
      ['started', 1],
    ]);
  }
  return 'queued';
}

function uniqueParents(inputs: readonly (readonly [InputDef, readonly Ref[]])[]): Plan[] {
  const parents: Plan[] = [];
  for (const [, refs] of inputs) {
    for (const r of refs) if (!parents.includes(r.plan)) parents.push(r.plan);
  }
  return parents;
}

/** Children lists, final result and its ancestors, deleted leaves. */
function finishPlans(ctx: ProjectContext, plans: Plan[], endTime: number): void {
  const { rng } = ctx;
  for (const plan of plans) for (const parent of plan.parents) parent.children.push(plan);

  // The newest completed map of the project is marked as the final result.
  for (let i = plans.length - 1; i >= 0; i--) {
    const plan = plans[i] as Plan;
    if (plan.status === 'completed' && ['nonuniform_refine_new', 'sharpen', 'homo_refine_new'].includes(plan.def.type)) {
      plan.finalResult = true;
      const stack = [...plan.parents];
      while (stack.length > 0) {
        const p = stack.pop() as Plan;
        if (p.ancestorOfFinal) continue;
        p.ancestorOfFinal = true;
        stack.push(...p.parents);
      }
      break;
    }
  }

  // About 1 % of the jobs are deleted: finished leaves outside the final result's lineage.
  const leaves = plans.filter(
    (p) => p.children.length === 0 && !p.finalResult && !p.ancestorOfFinal && (p.status === 'completed' || p.status === 'failed' || p.status === 'killed'),
  );
  let toDelete = Math.min(leaves.length, Math.round(plans.length * 0.01));
  while (toDelete > 0) {
    const j = rng.int(0, leaves.length - 1);
    const [leaf] = leaves.splice(j, 1);
    if (leaf) {
      leaf.deleted = true;
      leaf.times.deleted = leaf.times.updated + rng.next() * (endTime - leaf.times.updated);
      leaf.times.updated = leaf.times.deleted;
    }
    toDelete--;
  }
}

// ---------------------------------------------------------------------------
// Documents

interface DocContext {
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

function isoRequired(dc: DocContext, t: number): string {
  return formatIso(dc.origin + t);
}

/** An ObjectId-like id: creation seconds, a kind nibble + project number + salt, a counter. */
function objectId(dc: DocContext, kind: number, epochMs: number, counter: number): string {
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

function range(start: number, count: number): number[] {
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

function schedulerTarget(hostname: string, gpu: GpuModel, gpuCount: number, cores: number, ramSlots: number): Readonly<Record<string, unknown>> {
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

function buildJob(dc: DocContext, plan: Plan): RawJobDocument {
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

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-') || 'project'
  );
}

function parseProjectNumber(projectUid: string): number {
  const match = /^P(\d+)$/.exec(projectUid);
  if (!match) throw new RangeError(`projectUid must look like P3, got ${JSON.stringify(projectUid)}`);
  return Number(match[1]);
}

function makeHosts(rng: Rng): { hosts: Host[]; master: Host } {
  const gpu = rng.pick(GPU_MODELS);
  const cpuModel = rng.pick(CPU_MODELS);
  const count = rng.int(2, 4);
  const hosts = range(1, count).map((i): Host => {
    const hostname = `gpu-node${String(i).padStart(2, '0')}`;
    const gpuCount = rng.pick([4, 4, 8]);
    return { target: schedulerTarget(hostname, gpu, gpuCount, 64, 64), allocations: new Map(), hostname, gpu, gpuCount, cores: 64, ramSlots: 64, cpuModel, memoryGb: 503.7 };
  });
  const master: Host = {
    target: schedulerTarget('cryosparc-master', gpu, 0, 32, 16),
    allocations: new Map(),
    hostname: 'cryosparc-master',
    gpu,
    gpuCount: 0,
    cores: 32,
    ramSlots: 16,
    cpuModel,
    memoryGb: 251.5,
  };
  return { hosts, master };
}

/**
 * Generates one project with exactly `jobs` jobs. Deterministic: the same
 * options give deep-equal output.
 * @throws RangeError on a malformed `projectUid`, a negative or fractional job count, or fewer than 1 workspace.
 */
export function generateProject(options: GenerateProjectOptions): SyntheticProject {
  const { projectUid, jobs, workspaces: workspaceCount = 3, now = DEFAULT_SYNTHETIC_NOW } = options;
  const projectUidNum = parseProjectNumber(projectUid);
  if (!Number.isSafeInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  if (!Number.isSafeInteger(workspaceCount) || workspaceCount < 1) {
    throw new RangeError(`workspaces must be a positive integer, got ${workspaceCount}`);
  }
  const seed = options.seed ?? hash32(projectUid);
  const rng = new Rng(seed);
  const sampleKey = options.sample ?? rng.pick(SAMPLE_KEYS);
  const sample = SAMPLES[sampleKey];
  const { hosts, master } = makeHosts(rng);
  const ctx: ProjectContext = { rng, sample, sampleKey, hosts, master, workspaceCount, datasets: [] };
  const users = range(0, 3).map(() => rng.hex(24));
  const idSalt = rng.hex(4);
  const title = options.title ?? `${sample.title} ${rng.pick(['screening', 'dataset', 'collection'])} ${rng.int(1, 12)}`;

  const plans = planJobs(ctx, jobs);
  let endTime = 0;
  for (const plan of plans) endTime = Math.max(endTime, plan.times.updated);
  finishPlans(ctx, plans, endTime);

  // Align the timeline: the latest event sits a little before `now`.
  const nowMs = now.getTime();
  const origin = nowMs - endTime - rng.range(MINUTE, 10 * MINUTE);
  const dc: DocContext = {
    ctx,
    projectUid,
    projectUidNum,
    origin,
    nowMs,
    idSalt,
    users,
    tags: range(1, 4).map((i) => `T${i}`),
  };
  const jobDocs = plans.map((plan) => buildJob(dc, plan));

  const projectCreated = origin - rng.range(5 * MINUTE, HOUR);
  const projectCreatedIso = new Date(projectCreated).toISOString();
  const lastUpdate = jobDocs.length > 0 ? isoRequired(dc, endTime) : projectCreatedIso;
  const membersByWorkspace = new Map<string, RawJobDocument[]>();
  for (const job of jobDocs) {
    for (const w of job.workspace_uids) {
      const list = membersByWorkspace.get(w);
      if (list) list.push(job);
      else membersByWorkspace.set(w, [job]);
    }
  }
  const workspaceDocs: RawWorkspaceDocument[] = range(1, workspaceCount).map((w) => {
    const uid = `W${w}`;
    const members = membersByWorkspace.get(uid) ?? [];
    const created = members[0] ? Date.parse(members[0].created_at) - rng.range(MINUTE, 10 * MINUTE) : projectCreated + w * MINUTE;
    const updated = members.reduce((max, j) => (j.updated_at > max ? j.updated_at : max), new Date(created).toISOString());
    return {
      _id: objectId(dc, 1, created, w),
      updated_at: updated,
      created_at: new Date(created).toISOString(),
      dumped_at: updated,
      last_dumped_version: SYNTHETIC_CRYOSPARC_VERSION,
      autodump: false,
      uid,
      uid_num: w,
      project_uid: projectUid,
      project_uid_num: projectUidNum,
      workspace_type: 'base',
      created_by_user_id: users[0] ?? null,
      title: WORKSPACE_TITLES[(w - 1) % WORKSPACE_TITLES.length] ?? uid,
      description: '',
      created_by_job_uid: null,
      tags: [],
      starred_by: [],
      deleted: false,
      deleting: false,
      last_accessed: null,
      workspace_stats: {
        updated_at: updated,
        job_count: members.length,
        job_sections: countBy(members, (j) => typeDef(j.spec.type).category),
        job_status: countBy(members, (j) => j.status),
        job_types: countBy(members, (j) => j.spec.type),
      },
      imported_at: null,
      groups: [],
    };
  });

  const size = jobDocs.reduce((sum, j) => sum + (j.job_dir_size as number), 0);
  const project: RawProjectDocument = {
    _id: objectId(dc, 2, projectCreated, 0),
    updated_at: lastUpdate,
    created_at: projectCreatedIso,
    dumped_at: lastUpdate,
    last_dumped_version: SYNTHETIC_CRYOSPARC_VERSION,
    autodump: false,
    uid: projectUid,
    uid_num: projectUidNum,
    project_dir: `/data/cryosparc/CS-${slugify(title)}`,
    owner_user_id: users[0] ?? '',
    title,
    description: `Synthetic CryoSPARC project: ${sample.title}, ${sample.symmetry} symmetry, ${sample.psizeA} Å/pixel.`,
    project_params_pdef: {},
    queue_paused: false,
    deleted: false,
    deleting: false,
    users_with_access: users,
    size,
    size_last_updated: lastUpdate,
    last_accessed: { name: USER_NAMES[0], accessed_at: new Date(nowMs - rng.range(MINUTE, HOUR)).toISOString() },
    archived: false,
    detached: false,
    generate_intermediate_results_settings: { class_2D_new: false, class_3D: false, var_3D_disp: false },
    last_exp_group_id_used: 1,
    develop_run_as_user: null,
    imported_at: null,
    import_status: null,
    project_stats: {
      workspace_count: workspaceCount,
      session_count: 0,
      job_count: jobDocs.length,
      job_types: countBy(jobDocs, (j) => j.spec.type),
      job_sections: countBy(jobDocs, (j) => typeDef(j.spec.type).category),
      job_status: countBy(jobDocs, (j) => j.status),
      updated_at: lastUpdate,
    },
    created_at_version: SYNTHETIC_CRYOSPARC_VERSION,
    last_archived_version: null,
    last_detached_version: null,
    is_cleanup_in_progress: false,
    tags: [],
    starred_by: [],
    autodump_failed: false,
    autodump_errors: [],
    workflows: { latest_workflow_uid: null, runs: {} },
  };

  return { project, workspaces: workspaceDocs, jobs: jobDocs };
}

/**
 * Generates projects P1..Pn one at a time, so only one project's documents are
 * in memory at once. Deterministic for a given seed.
 * @throws RangeError when `projects` is not a positive integer or `jobs` is negative.
 */
export function* generateDataset(options: GenerateDatasetOptions): Generator<SyntheticProject> {
  const { projects, jobs, seed = 1, now = DEFAULT_SYNTHETIC_NOW } = options;
  if (!Number.isSafeInteger(projects) || projects < 1) throw new RangeError(`projects must be a positive integer, got ${projects}`);
  if (!Number.isSafeInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  const rng = new Rng(hash32(`dataset:${seed}`));
  const base = Math.floor(jobs / projects);
  const remainder = jobs % projects;
  for (let p = 1; p <= projects; p++) {
    const projectSeed = hash32(`project:${seed}:${p}`);
    const workspaces = rng.int(2, 5);
    yield generateProject({
      projectUid: `P${p}`,
      jobs: base + (p <= remainder ? 1 : 0),
      seed: projectSeed,
      workspaces,
      now,
    });
  }
}
