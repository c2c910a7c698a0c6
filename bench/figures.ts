/** What a scenario measured, in a shape the report can print and judge. */

export type Unit = 'ms' | 'req/s' | 'events/s' | 'jobs/s' | 'KB' | 'statements' | 'MB' | 'count';

export interface Target {
  /** `<=` or `>=`. */
  op: '<=' | '>=';
  /** Bound on the value itself, or (relative: true) on value ÷ floor, or (relative: 'peer') on value ÷ peer. */
  bound: number;
  relative?: boolean | 'peer';
}

export interface Figure {
  scenario: string;
  /** What was measured, e.g. `p50 latency`. */
  measure: string;
  value: number;
  unit: Unit;
  /** The same measure on the raw floor, when the scenario has one. */
  floor?: number;
  /** The same measure on the peer (PostGraphile), when the scenario has one. */
  peer?: number;
  target?: Target;
  note?: string;
}

export interface ScenarioResult {
  scenario: string;
  /** One line on how it was measured (sizes, clients, durations). */
  method: string;
  figures: Figure[];
  /** Anything scaled down or unusual, said plainly. */
  caveats?: string[];
  /** Markdown the report prints after the main table (side-by-side tables). */
  sections?: string[];
  seconds: number;
}

export function ratioToFloor(figure: Figure): number | undefined {
  return figure.floor != null && figure.floor > 0 ? figure.value / figure.floor : undefined;
}

export function ratioToPeer(figure: Figure): number | undefined {
  return figure.peer != null && figure.peer > 0 ? figure.value / figure.peer : undefined;
}

/** Whether the figure meets its target; undefined when it has none (or no floor for a relative one). */
export function meetsTarget(figure: Figure): boolean | undefined {
  const { target } = figure;
  if (!target || !Number.isFinite(figure.value)) return target ? false : undefined;
  const value = target.relative === 'peer' ? ratioToPeer(figure) : target.relative ? ratioToFloor(figure) : figure.value;
  if (value == null) return undefined;
  return target.op === '<=' ? value <= target.bound : value >= target.bound;
}

export function describeTarget(figure: Figure): string {
  const { target } = figure;
  if (!target) return '';
  if (target.relative === 'peer') return `${target.op} ${target.bound}× PostGraphile`;
  return target.relative ? `${target.op} ${target.bound}× floor` : `${target.op} ${formatValue(target.bound, figure.unit)}`;
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'ms' ? (value < 10 ? 2 : value < 100 ? 1 : 0) : unit === 'KB' || unit === 'MB' ? 1 : 0;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === 'count' ? text : `${text} ${unit}`;
}
