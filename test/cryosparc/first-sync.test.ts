import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CryosparcSim } from '../../src/cryosparc-sim/sim.js';
import { openStore } from '../../src/store/open-store.js';
import type { ServerProcess } from '../helpers/process.js';
import { spawnFollower, until } from './helpers.js';

describe('the first sync', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-first-sync-'));
  const sim = new CryosparcSim({ jobs: 5000, projects: 3, seed: 3 });
  let gateway: ServerProcess | undefined;

  afterAll(async () => {
    await gateway?.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("of a 5,000-job stand-in stores exactly the stand-in's own listing", async () => {
    const { url } = await sim.start(0);
    const db = join(dir, 'jobgraph.db');
    gateway = await spawnFollower(url, ['--db', db], { pollMs: 500 });
    await until(() => /first sync from CryoSPARC done/.test(gateway!.output()), 'the first sync', 60_000);
    await gateway.stop();
    gateway = undefined;

    const listed = sim.listJobs().map((d) => `${d.project_uid}/${d.uid} ${d.status} ${d.updated_at}`);
    expect(listed.length).toBeGreaterThan(4500);
    const store = await openStore({ db });
    try {
      const stored: string[] = [];
      for (const project of ['P1', 'P2', 'P3']) {
        let after: string | null = null;
        do {
          const page = await store.listJobs({ filter: { projectUid: project }, page: { first: 100, after }, columnsOnly: ['status', 'updated_at'] });
          stored.push(...page.edges.map(({ node }) => `${node.project_uid}/${node.uid} ${node.status} ${node.updated_at}`));
          after = page.hasNextPage ? page.edges.at(-1)!.cursor : null;
        } while (after);
      }
      expect(stored.sort()).toEqual(listed.sort());
      expect(await store.countProjects()).toBe(3);
    } finally {
      await store.close();
    }
  });
});
