import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m0001 from './migrations/2026_11_25_0001_create_tables.js';
import * as mTitleFolded from './migrations/2026_11_30_0001_title_folded.js';
import * as mDeployment from './migrations/2026_11_30_0002_deployment.js';
import * as mJobColumns from './migrations/2026_11_30_0003_job_columns.js';
import * as mDocCompression from './migrations/2026_11_30_0004_doc_compression.js';
import * as mDocAsText from './migrations/2026_11_30_0005_doc_as_text.js';
import * as mFollower from './migrations/2026_12_01_0001_follower.js';

const migrations: Record<string, Migration> = {
  '2026_11_25_0001_create_tables': m0001,
  '2026_11_30_0001_title_folded': mTitleFolded,
  '2026_11_30_0002_deployment': mDeployment,
  '2026_11_30_0003_job_columns': mJobColumns,
  '2026_11_30_0004_doc_compression': mDocCompression,
  '2026_11_30_0005_doc_as_text': mDocAsText,
  '2026_12_01_0001_follower': mFollower,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Brings the database to the latest schema; throws with the failing
 * migration's name. `schema` (PostgreSQL) is where the migrations' own
 * bookkeeping tables live: without it Kysely, seeing them in any schema of the
 * database, would take another deployment's for ours.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }
}
