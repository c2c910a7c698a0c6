import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { parseJobDocument } from '../../src/model/job.js';
import { foldText } from '../../src/model/text-fold.js';
import type { JobStore } from '../../src/store/job-store.js';
import { jobToRow } from '../../src/store/job-rows.js';
import * as createTables from '../../src/store/migrations/2026_11_25_0001_create_tables.js';
import { openStore } from '../../src/store/open-store.js';
import { PG_URL } from '../helpers/global-setup.js';
import { STORES, type StoreKind, type TestStore, createTestStore, dropSchema, storeAvailable } from '../helpers/stores.js';

/** Titles with capitals outside ASCII, LIKE's special characters, and plain ones, on the first jobs of a project. */
const TITLES = [
  'NU-refine 2.8 Å',
  'ÉCHANTILLON B',
  'Straße der Proteine',
  'ΣΊΣΥΦΟΣ',
  'οσο γρήγορα',
  'İSTANBUL data',
  'Москва session',
  '100% of particles',
  '100 of particles',
  'under_score',
  'underXscore',
  'back\\slash',
  'backslash',
  'plain refine',
];

/** Terms in lower, upper and mixed case, and the titles each must find (nothing else among TITLES). */
const SEARCHES: [string, string[]][] = [
  ['2.8 Å', ['NU-refine 2.8 Å']],
  ['2.8 å', ['NU-refine 2.8 Å']],
  ['2.8 \u212B', ['NU-refine 2.8 Å']], // ANGSTROM SIGN
  ['2.8 A\u030A', ['NU-refine 2.8 Å']], // A + COMBINING RING ABOVE
  ['échantillon', ['ÉCHANTILLON B']],
  ['ÉchantilloN', ['ÉCHANTILLON B']],
  ['STRASSE', ['Straße der Proteine']],
  ['straße', ['Straße der Proteine']],
  ['σίσυφος', ['ΣΊΣΥΦΟΣ']],
  ['ΣΊΣΥΦΟΣ', ['ΣΊΣΥΦΟΣ']],
  ['ος', ['ΣΊΣΥΦΟΣ', 'οσο γρήγορα']],
  ['ΟΣΟ', ['οσο γρήγορα']],
  ['istanbul', ['İSTANBUL data']],
  ['МОСКВА', ['Москва session']],
  ['москва', ['Москва session']],
  ['%', ['100% of particles']],
  ['0% ', ['100% of particles']],
  ['_', ['under_score']],
  ['r_s', ['under_score']],
  ['\\', ['back\\slash']],
  ['k\\s', ['back\\slash']],
  ['REFINE', ['NU-refine 2.8 Å', 'plain refine']],
];

function storedTitlesOf(store: JobStore) {
  return async (term: string): Promise<string[]> => {
    const page = await store.listJobs({ filter: { projectUid: 'P1', titleContains: term, includeDeleted: true }, orderBy: [{ field: 'UID', direction: 'ASC' }], page: { first: 100 } });
    return page.edges.map((e) => e.node.title).sort();
  };
}

const answers = new Map<StoreKind, Map<string, string[]>>();

describe.each(STORES)('titleContains on %s', (kind) => {
  let ts: TestStore;

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    const bundle = generateProject({ projectUid: 'P1', jobs: 40, seed: 3 });
    // Other titles of the project must not match any term: the generator's own titles are replaced too.
    bundle.jobs.forEach((job, i) => ((job as { title: string }).title = TITLES[i] ?? `job number ${i}`));
    await loadProjects(ts.store, [bundle]);
  });
  afterAll(async () => {
    await ts?.dispose();
  });

  it.skipIf(!storeAvailable(kind))('finds titles whatever the case of either side, in any script, and takes % _ \\ literally', async () => {
    const titles = storedTitlesOf(ts.store);
    const got = new Map<string, string[]>();
    for (const [term] of SEARCHES) got.set(term, await titles(term));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(SEARCHES.map(([term, expected]) => [term, [...expected].sort()])));
    answers.set(kind, got);
  });

  it.skipIf(!storeAvailable(kind))('filters a lineage walk by title the same way', async () => {
    const walk = (titleContains?: string) =>
      ts.store.listLineage({ root: { projectUid: 'P1', uid: 'J1' }, walk: 'descendants', filter: titleContains ? { titleContains, includeDeleted: true } : { includeDeleted: true }, page: { first: 100 } });
    const all = (await walk()).edges.map((e) => e.node.title);
    const expected = all.filter((title) => /refine|ΣΊΣΥΦΟΣ/i.test(title)).sort();
    expect(expected.length).toBeGreaterThan(0);
    const found = [...(await walk('REFINE')).edges, ...(await walk('σίσυφοσ')).edges].map((e) => e.node.title).sort();
    expect(found).toEqual(expected);
  });

  it.skipIf(!storeAvailable(kind))('folds a title changed later, through the upsert', async () => {
    const [job] = await ts.store.findJobs([{ projectUid: 'P1', uid: 'J1' }]);
    await ts.store.writeJobs([{ ...job!, title: 'GROẞE KLASSE' }]);
    const titles = storedTitlesOf(ts.store);
    expect(await titles('große')).toEqual(['GROẞE KLASSE']);
    expect(await titles('2.8 å')).toEqual([]);
  });

  it.skipIf(!storeAvailable(kind))('refuses a term with NUL, which SQLite would cut short and match every title', async () => {
    await expect(storedTitlesOf(ts.store)('\u0000')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('titleContains across dialects', () => {
  it.skipIf(!STORES.includes('postgres') || !storeAvailable('postgres'))('gives the same answer on SQLite and PostgreSQL', () => {
    expect(answers.get('sqlite')?.size).toBe(SEARCHES.length);
    expect(answers.get('postgres')).toEqual(answers.get('sqlite'));
  });
});

/** The columns of `jobs` at the first migration, but the document. */
const FIRST_JOB_COLUMNS = ['project_uid', 'uid', 'uid_num', 'project_uid_num', 'status', 'type', 'category', 'title', 'priority', 'has_error', 'deleted', 'created_at', 'updated_at'];

/** A database at the first migration, as a gateway before title folding left it. */
async function openAtFirstMigration(kind: StoreKind): Promise<{ db: Kysely<any>; setting: string; schema: string; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'jobgraph-fold-'));
    const file = join(dir, 'old.db');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(file) }) });
    return { db, setting: file, schema: 'public', cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `jg_fold_${Math.random().toString(16).slice(2, 10)}`;
  const setup = new pg.Client({ connectionString: PG_URL });
  await setup.connect();
  await setup.query(`create schema "${schema}"`);
  await setup.end();
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 2, options: `-c search_path=${schema}` }) }) });
  return { db, setting: PG_URL, schema, cleanup: () => dropSchema(schema) };
}

describe.each(STORES)('the title_folded migration on %s', (kind) => {
  it.skipIf(!storeAvailable(kind))('back-folds every job stored before it, across batches and projects', async () => {
    const old = await openAtFirstMigration(kind);
    let store: JobStore | undefined;
    try {
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: async () => ({ '2026_11_25_0001_create_tables': createTables }) },
        ...(kind === 'postgres' ? { migrationTableSchema: old.schema } : {}),
      });
      const { error } = await migrator.migrateToLatest();
      expect(error).toBeUndefined();
      // 2,300 jobs over two projects: more than two batches, with a batch boundary inside a project.
      const base = parseJobDocument(generateProject({ projectUid: 'P1', jobs: 1, seed: 1 }).jobs[0]);
      const rows = [];
      for (const [projectUid, count] of [['P1', 1500], ['P2', 800]] as const) {
        for (let n = 1; n <= count; n++) {
          const title = n % 500 === 7 ? `ÉCHANTILLON ${projectUid} ${n}` : `job ${n}`;
          const row: Record<string, unknown> = jobToRow({ ...base, project_uid: projectUid, project_uid_num: Number(projectUid.slice(1)), uid: `J${n}`, uid_num: n, title });
          rows.push({ ...Object.fromEntries(FIRST_JOB_COLUMNS.map((column) => [column, row[column]])), doc: '{}' });
        }
      }
      for (let i = 0; i < rows.length; i += 500) await old.db.insertInto('jobs').values(rows.slice(i, i + 500)).execute();
      await old.db.destroy();

      store = await openStore({ db: old.setting, schema: old.schema, poolMax: 2 });
      const found = await store.listJobs({ filter: { titleContains: 'échantillon' }, orderBy: [{ field: 'UID', direction: 'ASC' }], page: { first: 100 } });
      expect(found.edges.map((e) => `${e.node.project_uid}/${e.node.uid}`)).toEqual(['P1/J7', 'P1/J507', 'P1/J1007', 'P2/J7', 'P2/J507']);
      // Every row was folded, not only the matching ones.
      expect(await store.countJobs({ titleContains: 'JOB ' })).toBe(rows.length - 5);
      expect(await store.countJobs({ titleContains: foldText('ÉCHANTILLON') })).toBe(5);
    } finally {
      await store?.close();
      await old.cleanup();
    }
  });
});
