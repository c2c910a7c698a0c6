import { parseJobDocument } from '../../model/job.js';
import { parseProjectDocument, parseWorkspaceDocument } from '../../model/project.js';
import type { JobStore } from '../../store/job-store.js';

/** Raw CryoSPARC documents of one project, as generated or read from disk. */
export interface RawProjectBundle {
  project: unknown;
  workspaces: readonly unknown[];
  jobs: readonly unknown[];
}

export interface LoadOptions {
  /** Append status events for the loaded jobs. @default false (a bulk load is history, not news) */
  recordEvents?: boolean;
  /** Jobs per transaction. @default 2000 */
  batchSize?: number;
  onProgress?: (jobsLoaded: number) => void;
}

/**
 * Validates and stores whole projects. Documents are parsed with the model's
 * zod schemas first, so an invalid one throws before anything of its batch is written.
 */
export async function loadProjects(store: JobStore, bundles: Iterable<RawProjectBundle>, options: LoadOptions = {}): Promise<number> {
  const { recordEvents = false, batchSize = 2000, onProgress } = options;
  let loaded = 0;
  for (const bundle of bundles) {
    await store.writeProjects([parseProjectDocument(bundle.project)]);
    await store.writeWorkspaces(bundle.workspaces.map((w) => parseWorkspaceDocument(w)));
    for (let i = 0; i < bundle.jobs.length; i += batchSize) {
      const batch = bundle.jobs.slice(i, i + batchSize).map((j) => parseJobDocument(j));
      await store.writeJobs(batch, { recordEvents });
      loaded += batch.length;
      onProgress?.(loaded);
    }
  }
  return loaded;
}
