/** The Kysely store's follower bookkeeping: positions of followed systems and leases. */
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { named } from './kysely-shared.js';

export async function readFollowerPosition(db: Kysely<Database>, source: string): Promise<string | undefined> {
  const row = await db.selectFrom('follower_positions').select('position').where('source', '=', source).modifyEnd(named('readFollowerPosition')).executeTakeFirst();
  return row?.position;
}

export async function listFollowerSources(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('follower_positions').select('source').orderBy('source').modifyEnd(named('listFollowerSources')).execute();
  return rows.map((row) => row.source);
}

export async function writeFollowerPosition(db: Kysely<Database>, source: string, position: string): Promise<void> {
  await db
    .insertInto('follower_positions')
    .values({ source, position, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('source').doUpdateSet((eb) => ({ position: eb.ref('excluded.position'), updated_at: eb.ref('excluded.updated_at') })))
    .modifyEnd(named('writeFollowerPosition'))
    .execute();
}

export async function acquireLease(db: Kysely<Database>, name: string, holder: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  // One statement: take a free or expired lease, or renew our own; otherwise nothing is returned.
  const row = await db
    .insertInto('leases')
    .values({ name, holder, expires_at: expires })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
        .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now.toISOString())])),
    )
    .returning('holder')
    .modifyEnd(named('acquireLease'))
    .executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(db: Kysely<Database>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).modifyEnd(named('releaseLease')).execute();
}
