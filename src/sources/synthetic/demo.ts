/**
 * A small, stable demo dataset for a first start: two projects built by the
 * synthetic generator with fixed seeds and a fixed clock.
 */
import { generateProject } from './generate.js';
import type { SyntheticProject } from './types.js';

export interface DemoDatasetOptions {
  /**
   * End of the demo timeline. Pass `new Date()` to make the running jobs look
   * live; the default keeps the output byte-for-byte stable.
   * @default DEMO_NOW
   */
  now?: Date;
}

/** Default end of the demo timeline. */
export const DEMO_NOW = new Date('2026-11-24T09:00:00.000Z');

/**
 * P1 "Apoferritin demo" (60 jobs, 3 workspaces) and P2 "TRPV1 nanodisc"
 * (40 jobs, 2 workspaces). The seeds were picked so that P1 alone has running,
 * queued, completed, failed, killed, cloned and deleted jobs and diamonds
 * (e.g. a heterogeneous refinement with volumes from several jobs);
 * `test/ingest/synthetic.test.ts` checks this.
 */
export function demoDataset(options: DemoDatasetOptions = {}): SyntheticProject[] {
  const { now = DEMO_NOW } = options;
  return [
    generateProject({
      projectUid: 'P1',
      jobs: 60,
      seed: 2,
      workspaces: 3,
      title: 'Apoferritin demo',
      sample: 'apoferritin',
      now,
    }),
    generateProject({
      projectUid: 'P2',
      jobs: 40,
      seed: 5,
      workspaces: 2,
      title: 'TRPV1 nanodisc',
      sample: 'trpv1',
      now,
    }),
  ];
}
