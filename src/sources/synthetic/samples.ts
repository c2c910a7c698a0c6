/**
 * The sample catalogue of the synthetic generator: what a project can be
 * about (symmetry, pixel size, box and particle size), the hosts and GPUs
 * jobs run on, users, failure messages, titles and descriptions.
 */
import type { SyntheticSample } from './types.js';

export interface SampleInfo {
  readonly title: string;
  readonly symmetry: string;
  readonly psizeA: number;
  readonly boxPix: number;
  readonly diameterA: number;
  readonly particlesPerMic: readonly [number, number];
}

export const SAMPLES: Readonly<Record<SyntheticSample, SampleInfo>> = {
  apoferritin: { title: 'Apoferritin', symmetry: 'O', psizeA: 0.83, boxPix: 256, diameterA: 130, particlesPerMic: [250, 600] },
  trpv1: { title: 'TRPV1 nanodisc', symmetry: 'C4', psizeA: 1.0, boxPix: 256, diameterA: 150, particlesPerMic: [120, 300] },
  beta_galactosidase: { title: 'β-galactosidase', symmetry: 'D2', psizeA: 0.87, boxPix: 320, diameterA: 180, particlesPerMic: [150, 350] },
  aldolase: { title: 'Aldolase', symmetry: 'D2', psizeA: 0.93, boxPix: 224, diameterA: 110, particlesPerMic: [200, 500] },
  proteasome: { title: '20S proteasome', symmetry: 'D7', psizeA: 1.06, boxPix: 300, diameterA: 170, particlesPerMic: [100, 250] },
  ribosome: { title: '80S ribosome', symmetry: 'C1', psizeA: 1.34, boxPix: 400, diameterA: 300, particlesPerMic: [40, 120] },
  gpcr: { title: 'GPCR–Gs complex', symmetry: 'C1', psizeA: 0.86, boxPix: 288, diameterA: 140, particlesPerMic: [150, 400] },
  spike: { title: 'SARS-CoV-2 spike', symmetry: 'C3', psizeA: 1.06, boxPix: 384, diameterA: 250, particlesPerMic: [60, 180] },
};
export const SAMPLE_KEYS = Object.keys(SAMPLES) as SyntheticSample[];

export interface GpuModel {
  readonly name: string;
  readonly memBytes: number;
  readonly powerLimit: number;
}

export const GPU_MODELS: readonly GpuModel[] = [
  { name: 'NVIDIA RTX A5000', memBytes: 25_393_692_672, powerLimit: 230 },
  { name: 'NVIDIA A100-SXM4-80GB', memBytes: 85_899_345_920, powerLimit: 400 },
  { name: 'NVIDIA GeForce RTX 3090', memBytes: 25_438_126_080, powerLimit: 350 },
  { name: 'NVIDIA L40S', memBytes: 48_305_799_168, powerLimit: 350 },
];

export const CPU_MODELS = ['AMD EPYC 7543 32-Core Processor', 'Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz', 'AMD EPYC 9354 32-Core Processor'];

export interface HostAllocation {
  readonly resources: Readonly<Record<string, unknown>>;
  readonly instance: Readonly<Record<string, unknown>>;
}

export interface Host {
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

export const USER_NAMES = ['alice', 'bhavin', 'chen', 'dana', 'emeka', 'freya'];

export const FAILURE_MESSAGES = [
  'Job process terminated abnormally.',
  'CUDA_ERROR_OUT_OF_MEMORY: cuMemAlloc failed: out of memory',
  "OSError: [Errno 28] No space left on device: '/scratch/cryosparc_cache'",
  'AssertionError: Non-zero number of particles is required',
  'ValueError: Input exposures have no CTF information',
  'RuntimeError: Job heartbeat not detected for 180 seconds',
  'MemoryError: Unable to allocate 37.5 GiB for an array',
];

export const TITLE_NOTES = ['round 2', 'high-res', 'tight mask', 'binned', 'test', 'final', 'junk removal', 'more classes'];
export const DESCRIPTIONS = [
  'Looks good, use for refinement.',
  'Retry with more GPUs.',
  'Removed ice and edge picks.',
  'Compare with the previous run.',
  'For the figure.',
  'Thresholds from the curation notes.',
];

export const WORKSPACE_TITLES = [
  'Preprocessing',
  'Picking and 2D',
  '3D refinement',
  'Heterogeneity',
  'Local refinement',
  'Sandbox',
  'Figures',
  'Validation',
];
