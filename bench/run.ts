/**
 * `npm run bench` — seeds (or reuses) the bench dataset, runs every scenario
 * with the gateway in its own process, prints a table and writes BENCHMARKS.md.
 *
 *   npm run bench                         full sizes on SQLite → BENCHMARKS.md
 *   npm run bench -- --postgres           PostgreSQL (+ Redis bus) instead
 *   npm run bench -- --quick              smoke sizes, a few minutes → .bench-cache/<db>/BENCHMARKS.quick.md
 *   npm run bench -- --only fanout,replay only these scenarios → .bench-cache/<db>/BENCHMARKS.fanout+replay.md
 *   npm run bench -- --profile            also write a CPU profile of every gateway (node --cpu-prof) and summarise it
 *
 * The `peer` scenario also runs PostGraphile v4 (installed on demand into bench/peer with npm ci) on PostgreSQL —
 * at --pg-url even on a SQLite run, where the dataset is copied there for it.
 *
 * Flags: --postgres, --pg-url URL (default postgres://postgres@127.0.0.1:5432/test), --redis URL (default with
 * --postgres: redis://127.0.0.1:6379), --quick, --only a,b, --profile, --report FILE.
 */
import { join } from 'node:path';
import net from 'node:net';
import { parseArgs } from 'node:util';
import {
  type BenchContext,
  type BenchOptions,
  CACHE_DIR,
  DEFAULT_PG_URL,
  DEFAULT_REDIS_URL,
  FULL,
  QUICK,
  ROOT,
  SCENARIOS,
  type ScenarioName,
  cliCommand,
  ensureDir,
  say,
} from './context.js';
import { type Dataset, prepareDataset } from './dataset.js';
import { runFanout } from './fanout.js';
import type { ScenarioResult } from './figures.js';
import { runFiltered } from './filtered.js';
import { runIdleMemory } from './idle-memory.js';
import { runImport } from './import.js';
import { runCryosparc } from './cryosparc.js';
import { runJobsPage } from './jobs-page.js';
import { runLineage } from './lineage.js';
import { runPeer } from './peer.js';
import { runReplay } from './replay.js';
import { runViewer } from './viewer.js';
import { formatTable, writeReport } from './report.js';

const BUDGET_MINUTES = 15;

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      postgres: { type: 'boolean', default: false },
      'pg-url': { type: 'string', default: DEFAULT_PG_URL },
      redis: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      report: { type: 'string' },
    },
  });
  const only = (values.only?.split(',').map((s) => s.trim()).filter(Boolean) ?? []) as ScenarioName[];
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const dialect = values.postgres ? 'postgres' : 'sqlite';
  const partial = values.quick ? `quick${only.length > 0 ? `.${only.join('+')}` : ''}` : only.length > 0 ? only.join('+') : null;
  return {
    dialect,
    pgUrl: values['pg-url']!,
    redis: values.redis ?? (values.postgres ? DEFAULT_REDIS_URL : undefined),
    quick: values.quick!,
    only: only.length > 0 ? only : SCENARIOS,
    profile: values.profile!,
    reportFile: values.report ?? (partial ? join(CACHE_DIR, dialect, `BENCHMARKS.${partial}.md`) : join(ROOT, 'BENCHMARKS.md')),
  };
}

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function main() {
  const startedAt = new Date();
  const started = performance.now();
  const options = parseOptions(process.argv.slice(2));
  const sizes = options.quick ? QUICK : FULL;
  if (options.dialect === 'postgres' && !(await reachable(options.pgUrl))) throw new Error(`PostgreSQL is not reachable at ${options.pgUrl}`);
  if (options.redis && !(await reachable(options.redis))) throw new Error(`Redis is not reachable at ${options.redis}`);
  const workDir = ensureDir(join(CACHE_DIR, options.dialect));
  say(`${options.quick ? 'quick' : 'full'} run on ${options.dialect}${options.redis ? ` with Redis ${options.redis}` : ''}: ${options.only.join(', ')}`);

  const needsDataset = options.only.some((s) => s !== 'import' && s !== 'cryosparc' && s !== 'viewer');
  const dataset: Dataset | undefined = needsDataset ? await prepareDataset(options, sizes, workDir) : undefined;
  const ctx: BenchContext = {
    options,
    sizes,
    db: dataset?.db ?? (options.dialect === 'sqlite' ? join(workDir, 'unused.db') : options.pgUrl),
    pgSchema: dataset?.pgSchema ?? 'public',
    workDir,
  };

  const scenarios: Record<ScenarioName, () => Promise<ScenarioResult>> = {
    'jobs-page': () => runJobsPage(ctx),
    lineage: () => runLineage(ctx, dataset!),
    peer: () => runPeer(ctx, dataset!),
    replay: () => runReplay(ctx, dataset!),
    'idle-memory': () => runIdleMemory(ctx),
    fanout: () => runFanout(ctx),
    filtered: () => runFiltered(ctx),
    import: () => runImport(ctx),
    cryosparc: () => runCryosparc(ctx),
    viewer: () => runViewer(ctx),
  };
  const results: ScenarioResult[] = [];
  for (const name of SCENARIOS.filter((s) => options.only.includes(s))) {
    const scenarioStarted = performance.now();
    say(`── ${name} ──`);
    try {
      results.push(await scenarios[name]());
    } catch (error) {
      // One broken scenario must not cost the others' figures.
      say(`${name} FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      results.push({
        scenario: name,
        method: 'did not complete',
        figures: [],
        caveats: [`failed: ${error instanceof Error ? error.message : String(error)}`],
        seconds: (performance.now() - scenarioStarted) / 1000,
      });
    }
    say(`${name}: ${((performance.now() - scenarioStarted) / 1000).toFixed(0)} s (${((performance.now() - started) / 60_000).toFixed(1)} min so far)`);
  }

  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`\n${formatTable(results)}\n\n`);
  if (options.reportFile) {
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
    const gatewayCommand = `node ${cliCommand().args.map((a) => a.replace(ROOT, '')).join(' ')} serve`;
    writeReport(options.reportFile, ctx, { startedAt, seconds, command, dataset, gatewayCommand }, results);
    say(`wrote ${options.reportFile}`);
  }
  say(`done in ${(seconds / 60).toFixed(1)} min${seconds > BUDGET_MINUTES * 60 ? ` — over the ${BUDGET_MINUTES}-minute budget` : ''}`);
  if (results.some((r) => r.figures.length === 0)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
