import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { loadProjects } from '../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../src/sources/synthetic/generate.js';
import type { JobStatus } from '../src/model/job-status.js';
import type { Database } from '../src/store/database.js';
import type { JobKey } from '../src/store/job-store.js';
import { KyselyJobStore } from '../src/store/kysely-job-store.js';
import { openPostgres } from '../src/store/postgres.js';
import { openSqlite } from '../src/store/sqlite.js';
import { type BenchOptions, ROOT, type Sizes, cliCommand, ensureDir, progress, say } from './context.js';

/** The seeded database every scenario reads, and what the scenarios need to know about it. */
export interface Dataset {
  /** SQLite file or PostgreSQL URL. */
  db: string;
  pgSchema: string;
  /** Jobs seeded by `jobgraph seed` (P1..P<projects>). */
  jobs: number;
  projects: number;
  /** J1 of the extra lineage project: its descendants form the lineage sub-graph. */
  lineageRoot: JobKey;
  lineageProjectJobs: number;
  lineageDescendants: number;
  /** Events appended for the replay scenario: seq afterSeq+1 .. afterSeq+count. */
  replay: { afterSeq: number; count: number };
  /** Seconds each step took when the dataset was built (in this run, or earlier when it came from the cache). */
  buildSeconds: { seed: number; lineageProject: number; replayEvents: number };
  /** When it was built. */
  builtAt: string;
  /** Whether this run reused the cached dataset. */
  cached: boolean;
}

const MANIFEST_VERSION = 2;
const LINEAGE_SEED = 1; // an 18,000-job project with this seed gives J1 11,014 descendants

/** A Kysely handle on the bench database (the same openers the store uses). */
export async function openBenchDb(db: string, pgSchema: string): Promise<Kysely<Database>> {
  return db.startsWith('postgres') ? openPostgres({ url: db, schema: pgSchema, poolMax: 4 }) : openSqlite({ file: db });
}

/**
 * Seeds (or reuses, from `.bench-cache/`) `sizes.jobs` jobs over
 * `sizes.projects` projects with the real CLI (`jobgraph seed`), then adds the
 * lineage project and the replay events. A manifest written last marks the
 * dataset complete; anything short of it is rebuilt.
 */
export async function prepareDataset(options: BenchOptions, sizes: Sizes, workDir: string): Promise<Dataset> {
  const tag = `${sizes.jobs}-${sizes.projects}`;
  const sqlite = options.dialect === 'sqlite';
  const db = sqlite ? join(ensureDir(workDir), `jobgraph-${tag}.db`) : options.pgUrl;
  const pgSchema = sqlite ? 'public' : `jobgraph_bench_${tag.replace('-', '_')}`;
  const manifestFile = join(workDir, `dataset-${tag}.json`);
  const lineageProject = `P${sizes.projects + 1}`;

  const cached = readManifest(manifestFile);
  if (cached && (await looksIntact(db, pgSchema, cached))) {
    say(`dataset: reusing ${sqlite ? db : `${db} schema ${pgSchema}`} (${cached.jobs.toLocaleString('en-US')} jobs, ${cached.projects} projects, from the cache)`);
    return { ...cached, cached: true };
  }

  say(`dataset: building ${tag} on ${options.dialect} (cached afterwards in ${workDir})`);
  await dropDatabase(db, pgSchema);
  let started = performance.now();
  await runSeed(db, pgSchema, sizes);
  const seedSeconds = (performance.now() - started) / 1000;

  const kysely = await openBenchDb(db, pgSchema);
  const store = new KyselyJobStore(kysely, sqlite ? 'sqlite' : 'postgres');
  try {
    started = performance.now();
    say(`dataset: adding ${lineageProject} (${sizes.lineageProjectJobs.toLocaleString('en-US')} jobs) for the lineage sub-graph`);
    const bar = progress(`dataset: ${lineageProject} jobs`, sizes.lineageProjectJobs);
    await loadProjects(store, [generateProject({ projectUid: lineageProject, jobs: sizes.lineageProjectJobs, seed: LINEAGE_SEED })], { onProgress: (n) => bar.update(n) });
    bar.finish();
    const lineageRoot = { projectUid: lineageProject, uid: 'J1' };
    const lineageDescendants = (await store.findLineageUids(lineageRoot, 'descendants')).size;
    if (lineageDescendants < sizes.lineageNodes) {
      throw new Error(`${lineageProject}/J1 has ${lineageDescendants} descendants, fewer than the ${sizes.lineageNodes} the lineage scenario needs`);
    }
    const lineageSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const replay = await appendReplayEvents(kysely, sizes);
    const replaySeconds = (performance.now() - started) / 1000;

    const dataset: Dataset = {
      db,
      pgSchema,
      jobs: sizes.jobs,
      projects: sizes.projects,
      lineageRoot,
      lineageProjectJobs: sizes.lineageProjectJobs,
      lineageDescendants,
      replay,
      buildSeconds: { seed: seedSeconds, lineageProject: lineageSeconds, replayEvents: replaySeconds },
      builtAt: new Date().toISOString(),
      cached: false,
    };
    writeFileSync(manifestFile, `${JSON.stringify({ version: MANIFEST_VERSION, ...dataset }, null, 2)}\n`);
    return dataset;
  } finally {
    await store.close();
  }
}

function readManifest(file: string): Dataset | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Dataset & { version?: number };
    return manifest.version === MANIFEST_VERSION ? { ...manifest, builtAt: manifest.builtAt ?? statSync(file).mtime.toISOString() } : undefined;
  } catch {
    return undefined;
  }
}

/** The cache file may outlive the data (a PostgreSQL schema dropped, a SQLite file deleted): check the data is there. */
async function looksIntact(db: string, pgSchema: string, manifest: Dataset): Promise<boolean> {
  if (!db.startsWith('postgres') && !existsSync(db)) return false;
  try {
    const kysely = await openBenchDb(db, pgSchema);
    try {
      const jobs = await kysely.selectFrom('jobs').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      const events = await kysely.selectFrom('job_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
      return Number(jobs.n) === manifest.jobs + manifest.lineageProjectJobs && Number(events?.seq ?? 0) >= manifest.replay.afterSeq + manifest.replay.count;
    } finally {
      await kysely.destroy();
    }
  } catch {
    return false;
  }
}

async function dropDatabase(db: string, pgSchema: string) {
  if (!db.startsWith('postgres')) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
    return;
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${pgSchema}" cascade`);
  } finally {
    await client.end();
  }
}

/** `jobgraph seed` as a user runs it; its progress bar shows when stderr is a terminal, plain lines otherwise. */
async function runSeed(db: string, pgSchema: string, sizes: Sizes) {
  const { args } = cliCommand();
  const cli = [...args, 'seed', '--jobs', String(sizes.jobs), '--projects', String(sizes.projects), '--db', db, '--log-level', 'warn'];
  if (db.startsWith('postgres')) cli.push('--pg-schema', pgSchema);
  say(`dataset: node ${cli.map((a) => a.replace(ROOT, '')).join(' ')}`);
  const child = spawn(process.execPath, cli, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  const started = performance.now();
  const ticker = process.stderr.isTTY ? undefined : setInterval(() => say(`dataset: seeding… ${Math.round((performance.now() - started) / 1000)} s`), 15_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (ticker) clearInterval(ticker);
  if (code !== 0) throw new Error(`jobgraph seed exited with ${code}`);
}

/**
 * Appends `sizes.replayEvents` status events straight to the log: a mixed
 * stream over every seeded project (event i touches project 1 + i mod P), as
 * a gateway would have logged them while a client was away. Only the log is
 * written — the replay scenario reads it back.
 */
async function appendReplayEvents(kysely: Kysely<Database>, sizes: Sizes): Promise<{ afterSeq: number; count: number }> {
  const head = await kysely.selectFrom('job_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  const afterSeq = Number(head?.seq ?? 0);
  const perProject = Math.floor(sizes.jobs / sizes.projects);
  const cycle: JobStatus[] = ['building', 'queued', 'launched', 'started', 'running', 'completed'];
  const at = new Date().toISOString();
  const bar = progress('dataset: replay events', sizes.replayEvents);
  await kysely.transaction().execute(async (trx) => {
    for (let start = 0; start < sizes.replayEvents; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(start + 500, sizes.replayEvents); i++) {
        const project = 1 + (i % sizes.projects);
        const job = 1 + (Math.floor(i / sizes.projects) % perProject);
        const step = Math.floor(i / sizes.jobs) % cycle.length;
        rows.push({
          project_uid: `P${project}`,
          job_uid: `J${job}`,
          previous_status: cycle[(step + cycle.length - 1) % cycle.length]!,
          status: cycle[step]!,
          at,
        });
      }
      await trx.insertInto('job_events').values(rows).execute();
      bar.update(start + rows.length);
    }
  });
  bar.finish();
  return { afterSeq, count: sizes.replayEvents };
}
