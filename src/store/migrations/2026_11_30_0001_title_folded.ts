import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { foldText } from '../../model/text-fold.js';

// Frozen: never edit a migration once it has shipped; add a new one instead.

/** Rows read and rewritten per statement: 3 bound parameters each, far under both dialects' limits. */
const BATCH = 1000;

/**
 * `jobs.title_folded`: the title case-folded for any script by
 * `model/text-fold.ts`, which `titleContains` searches. SQL's `lower()`
 * folds ASCII only (and differently per dialect), so the folding is done in
 * JavaScript: written with every row from now on (store/job-rows.ts), and
 * here for the rows already stored, a batch at a time in primary-key order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Byte-order text, like every text column (see 2026_11_25_0001): LIKE compares code points on both dialects.
  const text = isPostgres ? sql`text collate "C"` : sql`text`;
  // PostgreSQL runs the migrations in one transaction already; SQLite's are not wrapped: wrap this one,
  // so that a failure half-way leaves neither the column nor a partial back-fill behind.
  const run = async (trx: Kysely<any>) => {
    await trx.schema.alterTable('jobs').addColumn('title_folded', text, (c) => c.notNull().defaultTo('')).execute();
    let after: { project_uid: string; uid: string } | undefined;
    for (;;) {
      let page = trx.selectFrom('jobs').select(['project_uid', 'uid', 'title']);
      if (after) page = page.where((eb) => eb(eb.refTuple('project_uid', 'uid'), '>', eb.tuple(after!.project_uid, after!.uid)));
      const rows: { project_uid: string; uid: string; title: string }[] = await page.orderBy('project_uid').orderBy('uid').limit(BATCH).execute();
      if (rows.length === 0) break;
      // VALUES columns are column1, column2, … on both dialects.
      const values = sql.join(rows.map((r) => sql`(${r.project_uid}, ${r.uid}, ${foldText(r.title)})`));
      await sql`update jobs set title_folded = v.column3 from (values ${values}) as v where jobs.project_uid = v.column1 and jobs.uid = v.column2`.execute(trx);
      after = rows[rows.length - 1];
      if (rows.length < BATCH) break;
    }
    // titleContains scans this small index instead of the rows (see store/job-filter.ts).
    await trx.schema.createIndex('jobs_title_folded').on('jobs').columns(['title_folded', 'project_uid', 'uid']).execute();
  };
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_title_folded').execute();
  await db.schema.alterTable('jobs').dropColumn('title_folded').execute();
}
