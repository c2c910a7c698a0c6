import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { seedTwoProjects } from '../helpers/dataset.js';
import { PG_URL } from '../helpers/global-setup.js';
import type { JobStore } from '../../src/store/job-store.js';
import { createTestStore, storeAvailable } from '../helpers/stores.js';

/** Per job table: analysed at all, and the row count the planner now assumes (-1 before any analysis). */
async function statistics(client: pg.Client, schema: string): Promise<Record<string, { analysed: boolean; rows: number }>> {
  const { rows } = await client.query<{ relname: string; analysed: boolean; rows: number }>(
    `select s.relname, s.last_analyze is not null as analysed, c.reltuples::float8 as rows
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid
     where s.schemaname = $1 and s.relname in ('jobs', 'job_edges')`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, { analysed: r.analysed, rows: r.rows }]));
}

type Probe = { store: JobStore; schema: string; client: pg.Client; serverKeepsThem: boolean };

/** A fresh PostgreSQL store, a client to read its statistics, and whether the server analyses by itself (autovacuum). */
async function withFreshStore(test: (probe: Probe) => Promise<void>): Promise<void> {
  const { store, schema, dispose } = await createTestStore('postgres');
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ on: string }>(`select current_setting('autovacuum') as on`);
    await test({ store, schema, client, serverKeepsThem: rows[0]!.on === 'on' });
  } finally {
    await client.end();
    await dispose();
  }
}

describe('PostgreSQL table statistics', () => {
  it.skipIf(!storeAvailable('postgres'))('are gathered after a load when the server does not gather them itself', () =>
    withFreshStore(async ({ store, schema, client, serverKeepsThem }) => {
      expect((await statistics(client, schema)).jobs).toEqual({ analysed: false, rows: -1 });
      // Two loads: the second comes while the first one's analysis may still run, and must be counted too.
      const jobs = await seedTwoProjects(store, [160, 70]);
      const edges = jobs.reduce((n, job) => n + new Set(job.parents).size, 0);
      const deadline = Date.now() + 10_000;
      let seen = await statistics(client, schema);
      while (!serverKeepsThem && (seen.jobs!.rows !== 230 || seen.job_edges!.rows !== edges) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await statistics(client, schema);
      }
      // With autovacuum on, the server analyses on its own schedule and the gateway leaves it alone.
      if (serverKeepsThem) expect(seen.jobs!.analysed).toBe(false);
      else expect(seen).toEqual({ jobs: { analysed: true, rows: 230 }, job_edges: { analysed: true, rows: edges } });
    }));

  it.skipIf(!storeAvailable('postgres'))('are left behind by a load that closes the store at once (an import), however quick its batches', () =>
    withFreshStore(async ({ store, schema, client, serverKeepsThem }) => {
      // Batches closer together than the pause between two analyses: the last one waits, and closing runs it.
      const first = await seedTwoProjects(store, [120, 40]);
      const second = await seedTwoProjects(store, [200, 30]);
      await store.close();
      const jobs = new Set([...first, ...second].map((job) => `${job.project_uid}/${job.uid}`)).size;
      const seen = await statistics(client, schema);
      if (serverKeepsThem) expect(seen.jobs!.analysed).toBe(false);
      else expect(seen.jobs).toEqual({ analysed: true, rows: jobs });
    }));
});
