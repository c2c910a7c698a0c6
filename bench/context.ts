import { existsSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/node-flags.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CACHE_DIR = join(ROOT, '.bench-cache');

export const SCENARIOS = ['jobs-page', 'lineage', 'peer', 'fanout', 'filtered', 'idle-memory', 'replay', 'import', 'cryosparc', 'viewer'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface BenchOptions {
  dialect: 'sqlite' | 'postgres';
  /** PostgreSQL URL (with --postgres). */
  pgUrl: string;
  /** Redis URL of the gateway's bus (with --postgres, or --redis). */
  redis: string | undefined;
  quick: boolean;
  only: readonly ScenarioName[];
  /** Write a CPU profile of every gateway process (node --cpu-prof) into .bench-cache/profiles. */
  profile: boolean;
  /** Where BENCHMARKS.md goes; none with --no-report. */
  reportFile: string | null;
}

/** Sizes of one run: the full ones from the issue, or `--quick` ones for a smoke run. */
export interface Sizes {
  jobs: number;
  projects: number;
  /** Jobs of the extra project whose J1 roots the lineage sub-graph. */
  lineageProjectJobs: number;
  lineageNodes: number;
  /** Events in the log for the replay scenario. */
  replayEvents: number;
  importJobs: number;
  fanoutSubscribers: number;
  fanoutRounds: number;
  filteredSubscribers: number;
  filteredEventsPerSecond: number;
  filteredSeconds: number;
  idleSubscribers: number;
  loadSeconds: number;
  loadConnections: number;
  lineageIterations: number;
  importRuns: number;
  wsWorkers: number;
}

export const FULL: Sizes = {
  jobs: 100_000,
  projects: 50,
  lineageProjectJobs: 18_000,
  lineageNodes: 10_000,
  replayEvents: 100_000,
  importJobs: 10_000,
  fanoutSubscribers: 10_000,
  fanoutRounds: 5,
  filteredSubscribers: 1_000,
  filteredEventsPerSecond: 2_000,
  filteredSeconds: 20,
  idleSubscribers: 10_000,
  loadSeconds: 15,
  loadConnections: 8,
  lineageIterations: 30,
  importRuns: 3,
  wsWorkers: 2,
};

export const QUICK: Sizes = {
  jobs: 10_000,
  projects: 10,
  lineageProjectJobs: 18_000,
  lineageNodes: 10_000,
  replayEvents: 20_000,
  importJobs: 2_000,
  fanoutSubscribers: 1_000,
  fanoutRounds: 2,
  filteredSubscribers: 200,
  filteredEventsPerSecond: 500,
  filteredSeconds: 5,
  idleSubscribers: 1_000,
  loadSeconds: 4,
  loadConnections: 8,
  lineageIterations: 5,
  importRuns: 1,
  wsWorkers: 1,
};

export interface BenchContext {
  options: BenchOptions;
  sizes: Sizes;
  /** The seeded database the scenarios read: a SQLite file or the PostgreSQL URL. */
  db: string;
  /** PostgreSQL schema of the dataset ('public' on SQLite). */
  pgSchema: string;
  /** Directory for this dialect's cached files, logs and profiles. */
  workDir: string;
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The gateway's command, with the V8 flags it ships with (src/node-flags.ts):
 * `dist/cli.js` when a build exists and is newer than every source file
 * (other engineers edit `src/` while a build may be stale), else the sources
 * through tsx.
 */
export function cliCommand(): { args: string[]; compiled: boolean } {
  const built = join(ROOT, 'dist/cli.js');
  if (existsSync(built) && statSync(built).mtimeMs > newestMtime(join(ROOT, 'src'))) return { args: [...NODE_FLAGS, built], compiled: true };
  return { args: [...NODE_FLAGS, '--import', 'tsx', join(ROOT, 'src/cli.ts')], compiled: false };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Progress on stderr: plain lines, so they read the same in a terminal, a pipe or a CI log. */
export function say(message: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${message}\n`);
}

/** A counter printing `label n/total` at most every `everyMs`, and once at the end. */
export function progress(label: string, total: number, everyMs = 2000) {
  let last = 0;
  let done = 0;
  const started = performance.now();
  return {
    update(n: number) {
      done = n;
      const now = performance.now();
      if (now - last >= everyMs && n < total) {
        last = now;
        say(`${label} ${n.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`);
      }
    },
    finish() {
      say(`${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}

/** The floor servers' command (bench/floor-server.ts), with the gateway's V8 flags: the same process model. */
export const FLOOR_SERVER: readonly string[] = [...NODE_FLAGS, '--import', 'tsx', 'bench/floor-server.ts'];
