import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { PG_URL } from '../helpers/global-setup.js';
import { STORES, createTestStore, dropSchema, storeAvailable } from '../helpers/stores.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(STORES)('deployment identity (%s)', (kind) => {
  it.skipIf(!storeAvailable(kind))('is drawn once when the database is created and stays with it: every store on it reads the same id', async () => {
    const [first, second] = [await createTestStore(kind), await createTestStore(kind)];
    try {
      const id = await first.store.deploymentId();
      expect(id).toMatch(UUID);
      expect(await second.store.deploymentId()).not.toBe(id);
      const again = await openStore(kind === 'sqlite' ? { db: first.db } : { db: PG_URL, schema: first.schema, poolMax: 2 });
      try {
        expect(await again.deploymentId()).toBe(id);
      } finally {
        await again.close();
      }
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
  });
});

describe('deployment identity on PostgreSQL', () => {
  it.skipIf(!storeAvailable('postgres'))('lives in the deployment’s own schema, one row', async () => {
    const schema = `jg_test_${randomBytes(6).toString('hex')}`;
    const store = await openStore({ db: PG_URL, schema, poolMax: 2 });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>(`select id from "${schema}".deployment`);
      expect(rows.map((r) => r.id)).toEqual([await store.deploymentId()]);
    } finally {
      await client.end();
      await store.close();
      await dropSchema(schema);
    }
  });
});
