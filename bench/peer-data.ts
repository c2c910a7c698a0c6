/**
 * The peer's side of the bench: PostGraphile v4 installed on demand into
 * bench/peer (its own package: it needs graphql 15, the gateway pins 16), and
 * an idiomatic relational schema for it — `project`, `job` (the scalar columns
 * a frontend reads, plus the document as jsonb), `job_edge` (foreign keys both
 * ways, indexed) — holding exactly the jobs and edges of the bench dataset.
 *
 * On PostgreSQL the rows are copied from the gateway's tables with SQL; on a
 * SQLite run the same dataset is loaded from the SQLite file into PostgreSQL
 * (PostGraphile runs only on PostgreSQL). The schema is kept between runs and
 * rebuilt when the dataset it came from was rebuilt (the schema's comment
 * names it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { JOB_STATUSES } from '../src/model/job-status.js';
import { type BenchContext, ROOT, progress, say } from './context.js';
import type { Dataset } from './dataset.js';

export const PEER_DIR = join(ROOT, 'bench/peer');

/** `npm ci` in bench/peer when its node_modules is missing (never part of the root install). */
export function ensurePeerInstalled(): void {
  if (existsSync(join(PEER_DIR, 'node_modules/postgraphile'))) return;
  say('peer: installing PostGraphile into bench/peer (npm ci, once)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm ci --prefix bench/peer failed (${result.error?.message ?? `exit ${result.status}`})`);
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * DDL of the peer's schema, as a PostGraphile user would write it: surrogate
 * integer keys (pg-many-to-many follows single-column foreign keys only, and
 * the simplify inflector names `*_id` relations after their table), natural
 * keys as unique constraints, the edge table as a junction with both foreign
 * keys indexed.
 */
function ddl(schema: string): string {
  const s = quote(schema);
  return `
create schema ${s};
create type ${s}.job_status as enum (${JOB_STATUSES.map((v) => `'${v}'`).join(', ')});
create table ${s}.project (
  id integer primary key,
  uid text not null unique,
  title text not null
);
create table ${s}.job (
  id integer primary key generated always as identity,
  project_id integer not null references ${s}.project (id),
  uid text not null,
  uid_num integer not null,
  status ${s}.job_status not null,
  type text not null,
  title text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  deleted boolean not null default false,
  doc jsonb not null,
  unique (project_id, uid),
  unique (project_id, uid_num)
);
create table ${s}.job_edge (
  parent_id integer not null,
  child_id integer not null,
  primary key (parent_id, child_id),
  constraint job_edge_parent_fkey foreign key (parent_id) references ${s}.job (id),
  constraint job_edge_child_fkey foreign key (child_id) references ${s}.job (id)
);
comment on constraint job_edge_parent_fkey on ${s}.job_edge is '@manyToManyFieldName parents';
comment on constraint job_edge_child_fkey on ${s}.job_edge is '@manyToManyFieldName children';
`;
}

/** Indexes added once the rows are in (PostGraphile users index every foreign key). */
function indexes(schema: string): string {
  const s = quote(schema);
  return `
create index job_project_status_idx on ${s}.job (project_id, status);
create index job_edge_child_idx on ${s}.job_edge (child_id);
analyze ${s}.project;
analyze ${s}.job;
analyze ${s}.job_edge;
`;
}

/** Edges by natural key (project uid, parent uid, child uid) → the junction's surrogate keys. */
function edgesFrom(schema: string, source: string): string {
  const t = quote(schema);
  return `insert into ${t}.job_edge (parent_id, child_id)
    select p.id, c.id from ${source} e
    join ${t}.project pr on pr.uid = e.project_uid
    join ${t}.job p on p.project_id = pr.id and p.uid = e.parent_uid
    join ${t}.job c on c.project_id = pr.id and c.uid = e.child_uid`;
}

export interface PeerData {
  /** PostgreSQL URL PostGraphile connects to. */
  url: string;
  schema: string;
  jobs: number;
  edges: number;
  cached: boolean;
  seconds: number;
}

/** Creates (or reuses) the peer's schema holding the bench dataset. */
export async function preparePeerData(ctx: BenchContext, dataset: Dataset): Promise<PeerData> {
  const url = ctx.options.pgUrl;
  const source = ctx.options.dialect === 'postgres' ? 'pg' : 'sqlite';
  const schema = `jobgraph_peer_${source}_${dataset.jobs}_${dataset.projects}`;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`PostGraphile runs only on PostgreSQL, and none answers at ${url} (--pg-url): ${error instanceof Error ? error.message : String(error)}`);
  }
  // Other scenarios change jobs of the dataset (fanout, filtered): a copy made before them no longer agrees.
  const version = await datasetVersion(ctx, client);
  const stamp = `bench peer data (schema 2) from the dataset built ${dataset.builtAt}, at ${version}`;
  const started = performance.now();
  try {
    const comment = await client.query<{ comment: string | null }>(
      'select obj_description(oid, $1) as comment from pg_namespace where nspname = $2',
      ['pg_namespace', schema],
    );
    const count = async () => {
      const { rows } = await client.query<{ jobs: string; edges: string }>(
        `select (select count(*) from ${quote(schema)}.job) as jobs, (select count(*) from ${quote(schema)}.job_edge) as edges`,
      );
      return { jobs: Number(rows[0]!.jobs), edges: Number(rows[0]!.edges) };
    };
    const expected = dataset.jobs + dataset.lineageProjectJobs;
    if (comment.rows[0]?.comment === stamp) {
      const n = await count();
      if (n.jobs === expected) {
        say(`peer: reusing schema ${schema} (${n.jobs.toLocaleString('en-US')} jobs, ${n.edges.toLocaleString('en-US')} edges)`);
        return { url, schema, ...n, cached: true, seconds: 0 };
      }
    }
    say(`peer: building schema ${schema} from the ${ctx.options.dialect} dataset`);
    await client.query(`drop schema if exists ${quote(schema)} cascade`);
    await client.query(ddl(schema));
    if (source === 'pg') await copyFromPostgres(client, ctx.pgSchema, schema);
    else await copyFromSqlite(client, ctx.db, schema);
    await client.query(indexes(schema));
    await client.query(`comment on schema ${quote(schema)} is '${stamp.replace(/'/g, "''")}'`);
    const n = await count();
    if (n.jobs !== expected) throw new Error(`peer schema ${schema} holds ${n.jobs} jobs, the dataset ${expected}`);
    const seconds = (performance.now() - started) / 1000;
    say(`peer: ${n.jobs.toLocaleString('en-US')} jobs, ${n.edges.toLocaleString('en-US')} edges in ${seconds.toFixed(0)} s`);
    return { url, schema, ...n, cached: false, seconds };
  } finally {
    await client.end();
  }
}

/** Where the dataset's jobs stand: the event log's head and the last update, which every write moves. */
async function datasetVersion(ctx: BenchContext, client: pg.Client): Promise<string> {
  const query = (schema: string) => `select (select coalesce(max(seq), 0) from ${schema}job_events) as seq, (select max(updated_at) from ${schema}jobs) as updated`;
  if (ctx.options.dialect === 'postgres') {
    const { rows } = await client.query<{ seq: string; updated: string | null }>(query(`${quote(ctx.pgSchema)}.`));
    return `log ${rows[0]!.seq}, updated ${rows[0]!.updated}`;
  }
  const db = new Sqlite(ctx.db, { readonly: true });
  try {
    const row = db.prepare(query('')).get() as { seq: number; updated: string | null };
    return `log ${row.seq}, updated ${row.updated}`;
  } finally {
    db.close();
  }
}

async function copyFromPostgres(client: pg.Client, from: string, to: string) {
  const f = quote(from);
  const t = quote(to);
  await client.query('begin');
  await client.query(`insert into ${t}.project (id, uid, title) select uid_num, uid, title from ${f}.projects`);
  // A project known only from its jobs (none today) still gets its row.
  await client.query(`insert into ${t}.project (id, uid, title) select distinct project_uid_num, project_uid, project_uid from ${f}.jobs on conflict do nothing`);
  await client.query(
    `insert into ${t}.job (project_id, uid, uid_num, status, type, title, created_at, updated_at, deleted, doc)
     select project_uid_num, uid, uid_num, status::text::${t}.job_status, type, title, created_at::timestamptz, updated_at::timestamptz, deleted <> 0, doc::jsonb
     from ${f}.jobs order by project_uid_num, uid_num`,
  );
  await client.query(edgesFrom(to, `${f}.job_edges`));
  await client.query('commit');
}

async function copyFromSqlite(client: pg.Client, file: string, to: string) {
  const t = quote(to);
  const sqlite = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    await client.query('begin');
    const projects = sqlite.prepare('select uid, uid_num, title from projects').all() as { uid: string; uid_num: number; title: string }[];
    await client.query(`insert into ${t}.project (uid, id, title) select * from unnest($1::text[], $2::int[], $3::text[])`, [
      projects.map((p) => p.uid),
      projects.map((p) => p.uid_num),
      projects.map((p) => p.title),
    ]);
    const extra = sqlite.prepare('select distinct project_uid, project_uid_num from jobs').all() as { project_uid: string; project_uid_num: number }[];
    await client.query(`insert into ${t}.project (uid, id, title) select u, n, u from unnest($1::text[], $2::int[]) as x(u, n) on conflict do nothing`, [
      extra.map((p) => p.project_uid),
      extra.map((p) => p.project_uid_num),
    ]);

    type Row = {
      project_uid: string;
      uid: string;
      uid_num: number;
      project_uid_num: number;
      status: string;
      type: string;
      title: string;
      created_at: string;
      updated_at: string;
      deleted: number;
      doc: string;
    };
    const total = (sqlite.prepare('select count(*) as n from jobs').get() as { n: number }).n;
    const bar = progress('peer: jobs loaded from SQLite', total);
    let batch: Row[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const column = <K extends keyof Row>(k: K) => batch.map((r) => r[k]);
      await client.query(
        `insert into ${t}.job (project_id, uid, uid_num, status, type, title, created_at, updated_at, deleted, doc)
         select pn, u, un, s::${t}.job_status, ty, ti, c::timestamptz, up::timestamptz, de <> 0, d::jsonb
         from unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[])
           as x(p, u, un, pn, s, ty, ti, c, up, de, d)`,
        [
          column('project_uid'),
          column('uid'),
          column('uid_num'),
          column('project_uid_num'),
          column('status'),
          column('type'),
          column('title'),
          column('created_at'),
          column('updated_at'),
          column('deleted'),
          column('doc'),
        ],
      );
      done += batch.length;
      bar.update(done);
      batch = [];
    };
    const jobs = sqlite.prepare('select project_uid, uid, uid_num, project_uid_num, status, type, title, created_at, updated_at, deleted, doc from jobs order by project_uid_num, uid_num');
    for (const row of jobs.iterate() as IterableIterator<Row>) {
      batch.push(row);
      if (batch.length >= 1000) await flush();
    }
    await flush();
    bar.finish();

    const edges = sqlite.prepare('select project_uid, parent_uid, child_uid from job_edges').all() as { project_uid: string; parent_uid: string; child_uid: string }[];
    await client.query('create temporary table edge_load (project_uid text, parent_uid text, child_uid text) on commit drop');
    for (let i = 0; i < edges.length; i += 20_000) {
      const slice = edges.slice(i, i + 20_000);
      await client.query(`insert into edge_load select * from unnest($1::text[], $2::text[], $3::text[])`, [
        slice.map((e) => e.project_uid),
        slice.map((e) => e.parent_uid),
        slice.map((e) => e.child_uid),
      ]);
    }
    await client.query(edgesFrom(to, 'edge_load'));
    await client.query('commit');
  } finally {
    sqlite.close();
  }
}

/**
 * Vacuums and analyses every table of these schemas before they are measured,
 * as autovacuum leaves a database in its steady state: a freshly loaded table
 * has no visibility map, so every index-only scan (a count, an edge lookup)
 * would still visit the table's rows. Done for every system alike.
 */
export async function settleTables(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ schema: string; name: string }>(
      'select schemaname as schema, tablename as name from pg_tables where schemaname = any($1::text[]) order by 1, 2',
      [schemas],
    );
    for (const table of rows) await client.query(`vacuum (analyze) ${quote(table.schema)}.${quote(table.name)}`);
  } finally {
    await client.end();
  }
}
