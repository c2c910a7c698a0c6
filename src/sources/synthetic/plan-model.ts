/**
 * What the synthetic generator's first pass works on: the plan of each job
 * (type, connections, status, lifecycle times in ms from a zero origin), the
 * lineage a job hands to its successors, and the project it belongs to.
 */
import type { InputDef, JobTypeDef, OutputDef } from './job-types.js';
import type { Rng } from './random.js';
import type { Host, SampleInfo } from './samples.js';
import type { SyntheticJobStatus, SyntheticSample } from './types.js';

export interface Ref {
  readonly plan: Plan;
  readonly output: string;
}

/** Per-pipeline state shared by every job processing one imported dataset. */
export interface Dataset {
  readonly id: number;
  readonly templates: Ref[];
  readonly particleSources: Ref[];
  readonly volumeSources: Ref[];
}

/** What a job hands to its successors: the most relevant upstream outputs. */
export interface Lineage {
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

export const TIME_FIELD_COUNT = 15;

/**
 * Lifecycle times of one job in ms from the plan's zero (ABSENT when unset),
 * stored in a per-project Float64Array: as plain object fields every value
 * would be a boxed heap number.
 */
export class Times {
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

export const ABSENT = -1;

export interface Plan {
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

export interface Draft {
  def: JobTypeDef;
  outputs: readonly OutputDef[];
  params: Record<string, unknown>;
  inputs: (readonly [InputDef, readonly Ref[]])[];
  items: Record<string, number>;
  /** Builds the lineage once the job's plan exists (it names its own outputs). */
  lineage: (self: Plan) => Lineage;
}

export interface ProjectContext {
  readonly rng: Rng;
  readonly sample: SampleInfo;
  readonly sampleKey: SyntheticSample;
  readonly hosts: readonly Host[];
  readonly master: Host;
  readonly workspaceCount: number;
  readonly datasets: Dataset[];
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function ref(plan: Plan, outputName: string): Ref {
  return { plan, output: outputName };
}

export function itemsOf(r: Ref | null): number {
  return r ? (r.plan.items[r.output] ?? 0) : 0;
}
