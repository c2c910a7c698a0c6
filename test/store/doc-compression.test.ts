import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_URL } from '../helpers/global-setup.js';
import { STORES, createTestStore, storeAvailable } from '../helpers/stores.js';
import { seedTwoProjects } from '../helpers/dataset.js';

describe.each(STORES)('the doc_compression migration on %s', (kind) => {
  it.skipIf(!storeAvailable(kind))('applies, and documents written after it read back whole', async () => {
    const { store, schema, dispose } = await createTestStore(kind);
    try {
      const jobs = await seedTwoProjects(store, [20, 5]);
      const [read] = await store.findJobs([{ projectUid: jobs[3]!.project_uid, uid: jobs[3]!.uid }]);
      expect(JSON.parse(JSON.stringify(read))).toEqual(JSON.parse(JSON.stringify(jobs[3])));
      if (kind !== 'postgres') return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ method: string | null }>(
          `select distinct pg_column_compression(doc) as method from "${schema}".jobs where pg_column_compression(doc) is not null`,
        );
        // A server built without LZ4 keeps pglz; the migration must not fail there.
        const { rows: supported } = await client.query<{ lz4: boolean }>(
          `select attcompression = 'l' as lz4 from pg_attribute where attrelid = '"${schema}".jobs'::regclass and attname = 'doc'`,
        );
        expect(rows.map((r) => r.method)).toEqual([supported[0]!.lz4 ? 'lz4' : 'pglz']);
        // Since 0005 documents are kept as the text written, in every table that holds them.
        const { rows: types } = await client.query<{ table_name: string; data_type: string }>(
          `select table_name, data_type from information_schema.columns where table_schema = $1 and column_name = 'doc' order by table_name`,
          [schema],
        );
        expect(types).toEqual(['jobs', 'projects', 'workspaces'].map((table_name) => ({ table_name, data_type: 'text' })));
      } finally {
        await client.end();
      }
    } finally {
      await dispose();
    }
  });
});
