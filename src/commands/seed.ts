import cliProgress from 'cli-progress';
import { type OpenStoreOptions, openStore } from '../store/open-store.js';
import { loadProjects } from '../sources/synthetic/load-dataset.js';
import { generateDataset } from '../sources/synthetic/generate.js';

export interface SeedOptions {
  /** Where to store them. */
  store: OpenStoreOptions;
  jobs: number;
  projects: number;
  seed?: number;
  /** Draw a progress bar on stderr. */
  progress?: boolean;
}

/** `jobgraph seed`: generates `jobs` synthetic jobs over `projects` projects and stores them; resolves to the elapsed milliseconds. */
export async function seedDatabase({ store: storeOptions, jobs, projects, seed = 1, progress = false }: SeedOptions): Promise<number> {
  const started = performance.now();
  const store = await openStore(storeOptions);
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
