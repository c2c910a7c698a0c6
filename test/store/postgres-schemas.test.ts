import { describe, expect, it } from 'vitest';
import { seedTwoProjects } from '../helpers/dataset.js';
import { dropSchema, storeAvailable } from '../helpers/stores.js';
import { openStore } from '../../src/store/open-store.js';
import { PG_URL } from '../helpers/global-setup.js';
import { randomBytes } from 'node:crypto';

describe('PostgreSQL schemas', () => {
  it.skipIf(!storeAvailable('postgres'))('keep deployments apart: each migrates and serves its own data, whichever came first', async () => {
    const schemas = [0, 1].map(() => `jg_test_${randomBytes(6).toString('hex')}`);
    try {
      // One after the other: the second finds the first's migration tables in the same database.
      for (const [i, schema] of schemas.entries()) {
        const store = await openStore({ db: PG_URL, schema, poolMax: 2 });
        try {
          await seedTwoProjects(store, [5 + i, 1]);
          expect(await store.countJobs({})).toBe(6 + i);
        } finally {
          await store.close();
        }
      }
      const reopened = await openStore({ db: PG_URL, schema: schemas[0]!, poolMax: 2 });
      try {
        expect(await reopened.countJobs({})).toBe(6);
      } finally {
        await reopened.close();
      }
    } finally {
      await Promise.all(schemas.map(dropSchema));
    }
  });
});
