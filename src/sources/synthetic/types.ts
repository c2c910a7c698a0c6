/**
 * The public types of the synthetic generator: minimal views of the raw
 * CryoSPARC documents it writes (the model's zod schemas are the authority;
 * these only type what the generator writes), its options, and its fixed
 * clock and version.
 */

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
export const STATUS_ORDER: readonly SyntheticJobStatus[] = [
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
