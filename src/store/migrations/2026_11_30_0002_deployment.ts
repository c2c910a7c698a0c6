import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/**
 * The deployment's identity: one row with a random id, drawn once when the
 * database (on PostgreSQL: the deployment's schema) is created or upgraded.
 * Gateways of one deployment read the same id; the Redis bus derives its
 * channel from it, so deployments sharing one Redis never hear each other.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('deployment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('deployment').values({ id: randomUUID(), created_at: new Date().toISOString() }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('deployment').execute();
}
