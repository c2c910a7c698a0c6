import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { openStore } from '../store/open-store.js';
import { loadProjects } from './load-dataset.js';
import { generateDataset } from './synthetic.js';

export interface SeedOptions {
  config: Config;
  jobs: number;
  projects: number;
  seed?: number;
  /** Draw a progress bar on stderr. */
  progress?: boolean;
}

/** Generates `jobs` synthetic jobs over `projects` projects and stores them; resolves to the elapsed milliseconds. */
export async function seedDatabase({ config, jobs, projects, seed = 1, progress = false }: SeedOptions): Promise<number> {
  const started = performance.now();
  const store = await openStore({ db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax });
  const bar = progress ? new cliProgress.SingleBar({ format: 'seed [{bar}] {value}/{total} jobs | {eta}s left' }, cliProgress.Presets.shades_classic) : null;
  bar?.start(jobs, 0);
  try {
    await loadProjects(store, generateDataset({ projects, jobs, seed }), { onProgress: (n) => bar?.update(n) });
  } finally {
    bar?.stop();
    await store.close();
  }
  const elapsed = performance.now() - started;
  process.stderr.write(`seeded ${jobs} jobs in ${projects} projects in ${(elapsed / 1000).toFixed(1)} s\n`);
  return elapsed;
}
