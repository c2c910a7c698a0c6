import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillJobColumns } from '../../src/store/migrations/2026_11_30_0003_job_columns.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

/** Every Job field served from columns, as a frontend's list or graph view asks for them. */
const COLUMN_FIELDS = `
  __typename id uid uidNum projectUid projectUidNum title status priority type category
  createdAt updatedAt queuedAt launchedAt startedAt runningAt waitingAt completedAt failedAt killedAt hasError deleted`;

const PAGE = (extra: string) => `
  query Page($after: String) {
    jobs(filter: { projectUid: "P1", includeDeleted: true }, orderBy: [{ field: UID, direction: ASC }], first: 100, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ${COLUMN_FIELDS} ${extra}
        parents { ${COLUMN_FIELDS} ${extra} }
        children { ${COLUMN_FIELDS} ${extra} }
        childUids
        project { uid }
      } }
    }
  }`;

const LINEAGE = (extra: string) => `
  query Lineage {
    job(projectUid: "P1", uid: "J5") { ${COLUMN_FIELDS} ${extra}
      descendants(first: 50, maxDepth: 3) { totalCount edges { depth node { ${COLUMN_FIELDS} ${extra} } } }
      ancestors(first: 50) { edges { depth node { ${COLUMN_FIELDS} ${extra} } } }
    }
    lineage(projectUid: "P1", uid: "J5", maxDepth: 3) {
      root { ${COLUMN_FIELDS} ${extra} }
      nodes { depth relation job { ${COLUMN_FIELDS} ${extra} } }
      edges { parentUid childUid }
      truncated
    }
  }`;

/** The same selection spelled with fragments: on Job, on Node, inline and nested. */
const FRAGMENTS = (extra: string) => `
  query Fragments {
    jobs(filter: { projectUid: "P1" }, orderBy: [{ field: UID, direction: ASC }], first: 30) {
      edges { node { ...Row ... on Node { id } ... on Job { parents { ...Row } } } }
    }
  }
  fragment Row on Job { ${COLUMN_FIELDS} ${extra} ...Times }
  fragment Times on Job { createdAt ... on Node { id } }`;

async function post(url: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Removes `description` (the document-only field added to force reading documents) everywhere. */
function withoutDescription(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescription);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'description').map(([k, v]) => [k, withoutDescription(v)]));
  return value;
}

describe.each(STORES)('reads that follow the selection on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let statements: string[] = [];

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind, (event) => statements.push(event.query.sql));
    await seedTwoProjects(ts.store, [240, 10]);
    // Every field at three levels is heavier than a frontend's page; the cost limit is not what is tested here.
    server = await startTestServer(ts.store, { maxCost: 500_000 });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  async function run(query: string, variables?: Record<string, unknown>) {
    statements = [];
    const data = await post(server.url, query, variables);
    return { data, statements: [...statements] };
  }
  /** Statements that read job documents (a project's own document, for `project { uid }`, is not one). */
  const readsDocuments = (sqls: string[]) => sqls.filter((s) => /\bdoc\b/.test(s) && !s.includes('/* findProjects */'));

  it.skipIf(!storeAvailable(kind))('answers column fields of pages, parents and children without reading a document, exactly as from documents', async () => {
    const fromColumns = await run(PAGE(''));
    const fromDocuments = await run(PAGE('description'));
    expect(readsDocuments(fromColumns.statements)).toEqual([]);
    expect(readsDocuments(fromDocuments.statements).length).toBeGreaterThan(0);
    expect(fromColumns.data).toEqual(withoutDescription(fromDocuments.data));
    const page = fromColumns.data as { jobs: { totalCount: number; edges: { node: { parents: unknown[]; queuedAt: string | null; type: string } }[] } };
    expect(page.jobs.edges).toHaveLength(100);
    expect(page.jobs.edges.some((e) => e.node.parents.length > 0)).toBe(true);
    expect(page.jobs.edges.some((e) => e.node.queuedAt !== null)).toBe(true);
    // The second page, through the cursor of the first: the keyset is the same on both paths.
    const after = (fromColumns.data as { jobs: { pageInfo: { endCursor: string } } }).jobs.pageInfo.endCursor;
    const second = await run(PAGE(''), { after });
    expect(readsDocuments(second.statements)).toEqual([]);
    expect(second.data).toEqual(withoutDescription((await run(PAGE('description'), { after })).data));
  });

  it.skipIf(!storeAvailable(kind))('walks lineage from columns alone when nothing else is asked for', async () => {
    const fromColumns = await run(LINEAGE(''));
    const fromDocuments = await run(LINEAGE('description'));
    expect(readsDocuments(fromColumns.statements)).toEqual([]);
    expect(fromColumns.data).toEqual(withoutDescription(fromDocuments.data));
    expect((fromColumns.data as { lineage: { nodes: unknown[] } }).lineage.nodes.length).toBeGreaterThan(3);
  });

  it.skipIf(!storeAvailable(kind))('follows fragments: a document field anywhere in them reads documents, none reads none', async () => {
    const fromColumns = await run(FRAGMENTS(''));
    const fromDocuments = await run(FRAGMENTS('description'));
    expect(readsDocuments(fromColumns.statements)).toEqual([]);
    expect(readsDocuments(fromDocuments.statements).length).toBeGreaterThan(0);
    expect(fromColumns.data).toEqual(withoutDescription(fromDocuments.data));
  });

  it.skipIf(!storeAvailable(kind))('reads only the columns the selection names, besides the key and the sort', async () => {
    const { statements: sqls } = await run(`{ jobs(filter: { projectUid: "P1" }, orderBy: [{ field: UID, direction: ASC }], first: 50) {
      edges { node { uid status parents { uid } children { title } } } } }`);
    // One statement: the page's columns in a derived table, its parents and children as JSON arrays beside them.
    const page = sqls.find((s) => s.includes('/* listJobColumnsWithExtras */'))!.replaceAll('"', '');
    const own = /from \(select (.*?) from jobs /.exec(page)![1]!;
    expect(own).toMatch(/status/);
    expect(own).not.toMatch(/title|created_at|queued_at|priority|type/);
    // Parents first, then children, each of the columns asked for.
    const arrays = [...page.matchAll(/json_(?:build_)?array\(([^)]*)\)/g)].map((m) => m[1]!);
    expect(arrays).toHaveLength(2);
    expect(arrays[0]).toMatch(/uid/);
    expect(arrays[0]).not.toMatch(/status|title/);
    expect(arrays[1]).toMatch(/title/);
    expect(arrays[1]).not.toMatch(/status|created_at/);
  });

  it.skipIf(!storeAvailable(kind))('reads one document for one job with every field', async () => {
    const { statements: sqls, data } = await run(`{ job(projectUid: "P1", uid: "J7") { uid spec { type } document } }`);
    expect((data as { job: { uid: string } }).job.uid).toBe('J7');
    expect(readsDocuments(sqls)).toHaveLength(1);
  });

  it.skipIf(!storeAvailable(kind))('back-fills the new columns of jobs stored before them', async () => {
    const db = (ts.store as unknown as { db: Kysely<any> }).db;
    const before = await sql<Record<string, unknown>>`select uid, queued_at, completed_at, failed_at, error_logged from jobs order by project_uid, uid_num`.execute(db);
    expect(before.rows.some((r) => r.queued_at !== null)).toBe(true);
    await sql`update jobs set queued_at = null, launched_at = null, started_at = null, running_at = null, waiting_at = null, completed_at = null, failed_at = null, killed_at = null, error_logged = 0`.execute(db);
    // The migration ran when PostgreSQL still kept documents as jsonb (until 0005): back-fill on that table.
    if (kind === 'postgres') await sql`alter table jobs alter column doc type jsonb using doc::jsonb`.execute(db);
    await backfillJobColumns(db);
    if (kind === 'postgres') await sql`alter table jobs alter column doc type text using doc::text`.execute(db);
    const after = await sql<Record<string, unknown>>`select uid, queued_at, completed_at, failed_at, error_logged from jobs order by project_uid, uid_num`.execute(db);
    expect(after.rows).toEqual(before.rows);
  });

  // Only this dialect has what the test looks at: the test exists only where it applies.
  if (kind === 'sqlite') {
    it('keeps the SQLite document last in its row, with every index of the table', async () => {
      const db = (ts.store as unknown as { db: Kysely<any> }).db;
      const columns = await sql<{ name: string }>`select name from pragma_table_info('jobs')`.execute(db);
      expect(columns.rows.at(-1)!.name).toBe('doc');
      const indexes = await sql<{ name: string }>`select name from pragma_index_list('jobs') where origin = 'c' order by name`.execute(db);
      expect(indexes.rows.map((r) => r.name)).toEqual([
        'jobs_created',
        'jobs_project_deleted',
        'jobs_project_status',
        'jobs_project_type',
        'jobs_project_uid_num',
        'jobs_status',
        'jobs_title_folded',
        'jobs_updated',
      ]);
    });
  }
});
