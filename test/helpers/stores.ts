import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEvent } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import type { JobStore } from '../../src/store/job-store.js';
import { openStore } from '../../src/store/open-store.js';
import { PG_URL } from './global-setup.js';

export type StoreKind = 'sqlite' | 'postgres';

/** The dialects a parameterised suite runs on; `JOBGRAPH_TEST_STORES=sqlite` narrows it. */
export const STORES: StoreKind[] = (process.env.JOBGRAPH_TEST_STORES?.split(',') as StoreKind[] | undefined) ?? ['sqlite', 'postgres'];

export function storeAvailable(kind: StoreKind): boolean {
  return kind === 'sqlite' || inject('pgAvailable');
}

export interface TestStore {
  store: JobStore;
  /** The `db` setting that reaches the same data (a file path or URL). */
  db: string;
  /** PostgreSQL schema, or 'public' for SQLite. */
  schema: string;
  dispose(): Promise<void>;
}

/** A fresh, empty store: its own SQLite file or its own PostgreSQL schema. */
export async function createTestStore(kind: StoreKind, onQuery?: (event: LogEvent) => void): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jobgraph-test-'));
    const db = join(dir, 'test.db');
    const store = await openStore({ db, onQuery });
    return {
      store,
      db,
      schema: 'public',
      async dispose() {
        await store.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `jg_test_${randomBytes(6).toString('hex')}`;
  const store = await openStore({ db: PG_URL, schema, poolMax: 5, onQuery });
  return {
    store,
    db: PG_URL,
    schema,
    async dispose() {
      await store.close().catch(() => {});
      await dropSchema(schema);
    },
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
