import type { Kysely } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/**
 * Where a source that follows another system (a CryoSPARC instance) stands,
 * and who follows it:
 * - `follower_positions`: one row per followed system, its position as the
 *   follower wrote it (opaque text, JSON by convention), so a restart goes on
 *   from there instead of reading everything again;
 * - `leases`: one row per lease; `holder` keeps it until `expires_at`
 *   (ISO-8601 UTC, which sorts as text), so exactly one of several gateways
 *   sharing a database follows, and another takes over when it stops renewing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('follower_positions')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leases').execute();
  await db.schema.dropTable('follower_positions').execute();
}
