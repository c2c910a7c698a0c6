/**
 * Ingest: `jobgraph import DIR` of a 10,000-job CryoSPARC project directory
 * (written once by writeProjectDirectory and cached) into an empty database,
 * as a user runs it. The rate is jobs ÷ the import's own elapsed time (it
 * prints it); the wall time of the whole command, process start and
 * migrations included, is reported beside it.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { writeProjectDirectory } from '../src/sources/synthetic/write-project-dir.js';
import { generateProject } from '../src/sources/synthetic/generate.js';
import { type BenchContext, CACHE_DIR, ROOT, cliCommand, ensureDir, say } from './context.js';
import type { ScenarioResult } from './figures.js';
import { median } from './stats.js';

const IMPORT_PROJECT = 'P900';

/** The project directory, written on first use and kept in .bench-cache. */
async function projectDirectory(jobs: number): Promise<string> {
  const dir = join(CACHE_DIR, `import-${jobs}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  say(`import: writing a ${jobs.toLocaleString('en-US')}-job project directory to ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  await writeProjectDirectory(dir, generateProject({ projectUid: IMPORT_PROJECT, jobs, seed: 900 }));
  writeFileSync(marker, new Date().toISOString());
  return dir;
}

async function resetTarget(ctx: BenchContext): Promise<{ db: string; schema?: string }> {
  if (ctx.options.dialect === 'sqlite') {
    const db = join(ensureDir(join(ctx.workDir, 'tmp')), 'import.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    return { db };
  }
  const schema = 'jobgraph_bench_import';
  const client = new pg.Client({ connectionString: ctx.options.pgUrl });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end());
  return { db: ctx.options.pgUrl, schema };
}

async function importOnce(ctx: BenchContext, dir: string): Promise<{ jobs: number; seconds: number; wallSeconds: number }> {
  const target = await resetTarget(ctx);
  const { args } = cliCommand();
  const cli = [...args, 'import', dir, '--db', target.db, '--log-level', 'warn', ...(target.schema ? ['--pg-schema', target.schema] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, cli, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  const match = /imported (\d+) jobs.* in ([\d.]+) s/.exec(stderr);
  if (code !== 0 || !match) throw new Error(`jobgraph import exited with ${code}:\n${stderr.slice(-2000)}`);
  return { jobs: Number(match[1]), seconds: Number(match[2]), wallSeconds };
}

export async function runImport(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  const { importJobs, importRuns } = ctx.sizes;
  const dir = await projectDirectory(importJobs);
  const runs = [];
  for (let i = 1; i <= importRuns; i++) {
    const run = await importOnce(ctx, dir);
    say(`import: run ${i}/${importRuns}: ${run.jobs.toLocaleString('en-US')} jobs in ${run.seconds.toFixed(1)} s (${run.wallSeconds.toFixed(1)} s with process start)`);
    runs.push(run);
  }
  await resetTarget(ctx);
  const rate = median(runs.map((r) => r.jobs / r.seconds));
  return {
    scenario: 'import',
    method: `\`jobgraph import\` of a ${importJobs.toLocaleString('en-US')}-job v5 project directory (job.json per job, ~9 KB each) into an empty database, median of ${importRuns} run${importRuns === 1 ? '' : 's'}; rate from the import's own elapsed time.`,
    figures: [
      { scenario: 'import', measure: `import rate (${importJobs.toLocaleString('en-US')}-job directory)`, value: rate, unit: 'jobs/s', target: { op: '>=', bound: 5_000 } },
      { scenario: 'import', measure: 'whole command, process start included', value: median(runs.map((r) => r.jobs / r.wallSeconds)), unit: 'jobs/s' },
    ],
    seconds: (performance.now() - started) / 1000,
  };
}
