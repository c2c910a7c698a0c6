import { type Kysely, type Transaction, expressionBuilder, sql } from 'kysely';
import { BadInputError, PageSizeError } from '../model/errors.js';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { JOB_COLUMNS, type JobColumn } from './lazy-job.js';
import { type Database, type JobEventRow, type JobTable, rowToJob, rowToProject, rowToWorkspace } from './database.js';
import { type SortKey, type SortableRow, jobFilterExpression, jobSortKeys, keysetAfter } from './job-filter.js';
import {
  chunk,
  groupByProject,
  keyOf,
  projectToRow,
  rowsOfJob,
  workspaceToRow,
} from './job-rows.js';
import type {
  EventQuery,
  JobFilter,
  JobReadOptions,
  JobKey,
  JobOrder,
  JobStore,
  LineagePage,
  LineageWalk,
  Page,
  PageArgs,
  StoredStatusEvent,
  Subgraph,
  SubgraphDirection,
  WorkspaceKey,
  WriteJobsOptions,
  WriteJobsResult,
} from './job-store.js';
import {
  DEPTH_CARRYING_WALK_MAX,
  boundedDepth,
  lineageDepthsQuery,
  lineageEdgesQuery,
  lineageUidsQuery,
  nearestFirst,
  uidNumber,
} from './lineage.js';

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

// 25 columns × 500 rows stays under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 5000;
// Uids per `in (…)` over a walked lineage: one statement up to 5,000 jobs.
const SET_CHUNK = 5000;

const named = (name: string) => sql.raw(`/* ${name} */`);

/** What a page is sorted and cut on before its documents are joined. */
const PAGE_KEY_COLUMNS = ['project_uid', 'uid', 'created_at', 'updated_at', 'priority', 'status', 'title', 'type', 'project_uid_num', 'uid_num'] as const;

/** The columns to read for `options`, the key always among them; null to read the document. */
function columnsToRead({ columnsOnly }: JobReadOptions): readonly JobColumn[] | null {
  if (!columnsOnly) return null;
  if (columnsOnly === true) return JOB_COLUMNS;
  return [...new Set<JobColumn>(['project_uid', 'uid', ...columnsOnly])];
}

/** A neighbour's columns, read through the edge join (its `project_uid` is the edge's). */
function neighbourColumns(columns: readonly JobColumn[]) {
  return columns.filter((column) => column !== 'project_uid').map((column) => `j.${column} as ${column}` as const);
}

/** Job columns as readEvents joins them, under aliases that cannot clash with the event's own. */
const JOINED_JOB_COLUMNS = JOB_COLUMNS.map((column) => [column, `j_${column}`] as const);

type Db = Kysely<Database> | Transaction<Database>;

/** Orders rows in memory exactly as the SQL sort keys do (for a page that came back through a join). */
function compareBy(keys: readonly SortKey[]) {
  return (a: SortableRow, b: SortableRow) => {
    for (const key of keys) {
      const x = key.valueOf(a);
      const y = key.valueOf(b);
      if (x !== y) return (x < y ? -1 : 1) * (key.direction === 'asc' ? 1 : -1);
    }
    return 0;
  };
}

/** Resolves first/last/after/before into one direction and a size; rejects what cannot be served. */
export function resolvePage(page: PageArgs): { size: number; backward: boolean; cursor: string | null } {
  const { first, last, after, before } = page;
  if (first != null && last != null) throw new BadInputError('Pass either `first` or `last`, not both.');
  if (first != null && before != null) throw new BadInputError('`before` pages backward: combine it with `last`, not `first`.');
  if (last != null && after != null) throw new BadInputError('`after` pages forward: combine it with `first`, not `last`.');
  const size = first ?? last ?? DEFAULT_PAGE_SIZE;
  const name = last != null ? 'last' : 'first';
  if (!Number.isInteger(size) || size < 0) throw new BadInputError(`\`${name}\` must be a non-negative integer, got ${size}.`);
  if (size > MAX_PAGE_SIZE) throw new PageSizeError(`\`${name}\` is ${size}; the largest page is ${MAX_PAGE_SIZE}.`);
  const backward = last != null || before != null;
  return { size, backward, cursor: (backward ? before : after) ?? null };
}

export class KyselyJobStore implements JobStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async findJobs(keys: readonly JobKey[], options: JobReadOptions = {}): Promise<(Job | undefined)[]> {
    const columns = columnsToRead(options);
    const found = new Map<string, Job>();
    const unique = [...new Map(keys.map((k) => [keyOf(k.projectUid, k.uid), k])).values()];
    // One statement for keys of many projects (a replay batch spans them all), not one per project.
    for (const part of chunk(unique, LOOKUP_CHUNK)) {
      const query = this.db
        .selectFrom('jobs')
        .where((eb) => eb.or([...groupByProject(part)].map(([projectUid, uids]) => eb.and([eb('project_uid', '=', projectUid), eb('uid', 'in', uids)]))));
      const rows = columns
        ? (await query.select(columns).modifyEnd(named('findJobColumns')).execute()).map((row) => ({ ...row, doc: null }))
        : await query.select(['project_uid', 'uid', 'status', 'doc']).modifyEnd(named('findJobs')).execute();
      for (const row of rows) found.set(keyOf(row.project_uid, row.uid), rowToJob(row));
    }
    return keys.map((k) => found.get(keyOf(k.projectUid, k.uid)));
  }

  async listJobs({
    filter,
    orderBy,
    page,
    columnsOnly,
  }: { filter?: JobFilter | null; orderBy?: readonly JobOrder[] | null; page: PageArgs } & JobReadOptions): Promise<Page<Job>> {
    const { size, backward, cursor } = resolvePage(page);
    const eb = expressionBuilder<Database, 'jobs'>();
    const sort = jobSortKeys(eb, orderBy);
    const keys = backward ? sort.keys.map((k) => ({ ...k, direction: k.direction === 'asc' ? ('desc' as const) : ('asc' as const) })) : sort.keys;
    const after = cursor == null ? null : decodeCursor(cursor, sort.id, sort.keys.length);
    // Sort and cut on the columns first; the (large) documents, when needed, are joined for just this page:
    // sorting whole rows made SQLite move every matching document through its sorter.
    const asked = columnsToRead({ columnsOnly });
    // The sort keys are read too: a page's cursors are made of them.
    const columns = asked ? [...new Set([...asked, ...keys.map((k) => k.column)])] : PAGE_KEY_COLUMNS;
    let narrow = this.db
      .selectFrom('jobs')
      .select(columns)
      .where((w) => jobFilterExpression(w, filter));
    if (after) narrow = narrow.where((w) => keysetAfter(w, keys, after));
    // Within one project its number is the same on every row: left out, the order is the (project, uid number) index's.
    const ordering = filter?.projectUid != null ? keys.filter((k) => k.column !== 'project_uid_num') : keys;
    for (const key of ordering) narrow = narrow.orderBy(key.expression as never, key.direction);
    const rows: (SortableRow & { doc: unknown })[] = asked
      ? (await narrow.limit(size + 1).modifyEnd(named('listJobColumns')).execute()).map((row) => ({ ...row, doc: null }))
      : await this.db
          .selectFrom(narrow.limit(size + 1).as('k'))
          .innerJoin('jobs as j', (join) => join.onRef('j.project_uid', '=', 'k.project_uid').onRef('j.uid', '=', 'k.uid'))
          .selectAll('k')
          .select('j.doc')
          .modifyEnd(named('listJobs'))
          .execute();
    rows.sort(compareBy(keys));
    const more = rows.length > size;
    const pageRows = rows.slice(0, size);
    if (backward) pageRows.reverse();
    return {
      edges: pageRows.map((row) => ({ cursor: encodeCursor(sort.id, sort.keys.map((k) => k.valueOf(row))), node: rowToJob(row as { doc: unknown }) })),
      hasNextPage: backward ? cursor != null : more,
      hasPreviousPage: backward ? more : cursor != null,
    };
  }

  async countJobs(filter?: JobFilter | null): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where((w) => jobFilterExpression(w, filter))
      .modifyEnd(named('countJobs'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  findParents(keys: readonly JobKey[], options: JobReadOptions = {}): Promise<Job[][]> {
    return this.findNeighbours(keys, 'parents', options);
  }

  findChildren(keys: readonly JobKey[], options: JobReadOptions = {}): Promise<Job[][]> {
    return this.findNeighbours(keys, 'children', options);
  }

  /** One statement per batch: edges joined to the neighbour rows, for every key at once. */
  private async findNeighbours(keys: readonly JobKey[], side: 'parents' | 'children', options: JobReadOptions): Promise<Job[][]> {
    const columns = columnsToRead(options);
    const [self, other] = side === 'parents' ? (['child_uid', 'parent_uid'] as const) : (['parent_uid', 'child_uid'] as const);
    const byKey = new Map<string, Job[]>();
    const groups = [...groupByProject(keys)];
    if (groups.length > 0) {
      const rows = await this.db
        .selectFrom('job_edges as e')
        .innerJoin('jobs as j', (join) => join.onRef('j.project_uid', '=', 'e.project_uid').onRef('j.uid', '=', `e.${other}`))
        .select(['e.project_uid as project_uid', `e.${self} as self_uid`])
        .select(columns ? neighbourColumns(columns) : ['j.uid as uid', 'j.status as status', 'j.doc as doc'])
        .where('j.deleted', '=', 0)
        .where((eb) => eb.or(groups.map(([projectUid, uids]) => eb.and([eb('e.project_uid', '=', projectUid), eb(`e.${self}`, 'in', uids)]))))
        .orderBy('j.uid_num')
        .modifyEnd(named(`${side === 'parents' ? 'findParents' : 'findChildren'}${columns ? 'Columns' : ''}`))
        .execute();
      for (const row of rows as { project_uid: string; self_uid: string; doc?: unknown }[]) {
        if (columns) row.doc = null;
        const key = keyOf(row.project_uid, row.self_uid);
        const list = byKey.get(key);
        const job = rowToJob(row as { doc: unknown });
        if (list) list.push(job);
        else byKey.set(key, [job]);
      }
    }
    return keys.map((k) => byKey.get(keyOf(k.projectUid, k.uid)) ?? []);
  }

  async countJobsByStatus(projectUids: readonly string[]): Promise<Map<string, Map<JobStatus, number>>> {
    const result = new Map<string, Map<JobStatus, number>>(projectUids.map((p) => [p, new Map()]));
    if (projectUids.length === 0) return result;
    const rows = await this.db
      .selectFrom('jobs')
      .select(['project_uid', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('project_uid', 'in', [...projectUids])
      .where('deleted', '=', 0)
      .groupBy(['project_uid', 'status'])
      .modifyEnd(named('countJobsByStatus'))
      .execute();
    for (const row of rows) result.get(row.project_uid)?.set(row.status, Number(row.n));
    return result;
  }

  async listLineage(args: {
    root: JobKey;
    walk: LineageWalk;
    maxDepth?: number | null;
    filter?: JobFilter | null;
    page: { first: number; after?: string | null };
  } & JobReadOptions): Promise<LineagePage> {
    const { size, cursor } = resolvePage({ first: args.page.first, after: args.page.after });
    const sortId = `lineage:${args.walk}`;
    const after = cursor == null ? null : (decodeCursor(cursor, sortId, 2).map(Number) as [number, number]);
    const { root, walk } = args;
    const depths = await this.lineageDepths(root, walk, args.maxDepth);
    // The filter runs in SQL over the walked set; ordering by (depth, uid number) and paging happen here.
    const matched: { uid: string; depth: number; num: number }[] = [];
    for (const part of chunk([...depths.keys()], SET_CHUNK)) {
      const rows = await this.db
        .selectFrom('jobs')
        .select('uid')
        .where('project_uid', '=', root.projectUid)
        .where('uid', 'in', part)
        .where((w) => jobFilterExpression(w, args.filter))
        .modifyEnd(named('filterLineage'))
        .execute();
      for (const row of rows) matched.push({ uid: row.uid, depth: depths.get(row.uid)!, num: uidNumber(row.uid) });
    }
    matched.sort((a, b) => a.depth - b.depth || a.num - b.num);
    const start = after ? matched.findIndex((m) => m.depth > after[0] || (m.depth === after[0] && m.num > after[1])) : 0;
    const slice = start === -1 ? [] : matched.slice(start, start + size);
    const jobs = await this.findJobs(
      slice.map((m) => ({ projectUid: root.projectUid, uid: m.uid })),
      { columnsOnly: args.columnsOnly },
    );
    return {
      edges: slice.map((m, i) => ({ cursor: encodeCursor(sortId, [m.depth, m.num]), node: jobs[i]!, depth: m.depth })).filter((e) => e.node),
      hasNextPage: start !== -1 && start + size < matched.length,
      hasPreviousPage: after != null,
      totalCount: matched.length,
    };
  }

  /** Shortest distance of each job of `root`'s lineage within `maxDepth`. */
  private async lineageDepths(root: JobKey, walk: LineageWalk, maxDepth: number | null | undefined): Promise<Map<string, number>> {
    if (maxDepth != null && maxDepth <= DEPTH_CARRYING_WALK_MAX) {
      const { rows } = await lineageDepthsQuery(root, walk, maxDepth, this.dialect).execute(this.db);
      return new Map(rows.map((row) => [row.uid, Number(row.depth)]));
    }
    const { rows: edges } = await lineageEdgesQuery(root, walk === 'descendants' ? 'DESCENDANTS' : 'ANCESTORS').execute(this.db);
    return nearestFirst(edges, root.uid, walk, boundedDepth(maxDepth));
  }

  async findSubgraph(args: { root: JobKey; direction: SubgraphDirection; maxDepth?: number | null; limit: number } & JobReadOptions): Promise<Subgraph | undefined> {
    const { root, direction } = args;
    const maxDepth = boundedDepth(args.maxDepth);
    const { rows: edges } = await lineageEdgesQuery(root, direction).execute(this.db);
    const order = (map: Map<string, number>, relation: 'ANCESTOR' | 'DESCENDANT') => [...map].map(([uid, depth]) => ({ uid, depth, relation }));
    const around = [
      ...(direction === 'ANCESTORS' ? [] : order(nearestFirst(edges, root.uid, 'descendants', maxDepth), 'DESCENDANT')),
      ...(direction === 'DESCENDANTS' ? [] : order(nearestFirst(edges, root.uid, 'ancestors', maxDepth), 'ANCESTOR')),
    ].sort((a, b) => a.depth - b.depth || uidNumber(a.uid) - uidNumber(b.uid));
    const kept = [{ uid: root.uid, depth: 0, relation: 'ROOT' as const }, ...around].slice(0, args.limit);
    const truncated = around.length + 1 > args.limit;
    const docs = new Map<string, Job>();
    for (const part of chunk(kept.map((n) => n.uid), SET_CHUNK)) {
      // Deleted jobs other than the root are left out below: `deleted` is read whatever was asked.
      const columnsOnly = Array.isArray(args.columnsOnly) ? [...args.columnsOnly, 'deleted' as const] : args.columnsOnly;
      const found = await this.findJobs(
        part.map((uid) => ({ projectUid: root.projectUid, uid })),
        { columnsOnly },
      );
      for (const job of found) if (job) docs.set(job.uid, job);
    }
    const rootJob = docs.get(root.uid);
    if (!rootJob) return undefined;
    const nodes = kept.flatMap((n) => {
      const job = docs.get(n.uid);
      return job && (n.relation === 'ROOT' || !job.deleted) ? [{ job, depth: n.depth, relation: n.relation }] : [];
    });
    const inGraph = new Set(nodes.map((n) => n.job.uid));
    const seen = new Set<string>();
    return {
      root: rootJob,
      nodes,
      edges: edges.flatMap((e) => {
        const key = `${e.parent_uid}>${e.child_uid}`;
        if (!inGraph.has(e.parent_uid) || !inGraph.has(e.child_uid) || seen.has(key)) return [];
        seen.add(key);
        return [{ parentUid: e.parent_uid, childUid: e.child_uid }];
      }),
      truncated,
    };
  }

  async findLineageUids(root: JobKey, walk: LineageWalk): Promise<Set<string>> {
    const { rows } = await lineageUidsQuery(root, walk).execute(this.db);
    return new Set(rows.map((r) => r.uid));
  }

  async findProjects(uids: readonly string[]): Promise<(Project | undefined)[]> {
    if (uids.length === 0) return [];
    const rows = await this.db
      .selectFrom('projects')
      .select(['uid', 'doc'])
      .where('uid', 'in', [...new Set(uids)])
      .modifyEnd(named('findProjects'))
      .execute();
    const byUid = new Map(rows.map((r) => [r.uid, rowToProject(r)]));
    return uids.map((u) => byUid.get(u));
  }

  async listProjects(page: PageArgs, uids?: readonly string[] | null): Promise<Page<Project>> {
    const { size, backward, cursor } = resolvePage(page);
    const sortId = 'projects:uid';
    const after = cursor == null ? null : Number(decodeCursor(cursor, sortId, 1)[0]);
    let query = this.db.selectFrom('projects').select(['uid_num', 'doc']).where('deleted', '=', 0);
    if (uids) query = query.where('uid', 'in', uids.length ? [...uids] : ['']);
    if (after != null) query = query.where('uid_num', backward ? '<' : '>', after);
    const rows = await query
      .orderBy('uid_num', backward ? 'desc' : 'asc')
      .limit(size + 1)
      .modifyEnd(named('listProjects'))
      .execute();
    const more = rows.length > size;
    const pageRows = rows.slice(0, size);
    if (backward) pageRows.reverse();
    return {
      edges: pageRows.map((r) => ({ cursor: encodeCursor(sortId, [r.uid_num]), node: rowToProject(r) })),
      hasNextPage: backward ? cursor != null : more,
      hasPreviousPage: backward ? more : cursor != null,
    };
  }

  async countProjects(uids?: readonly string[] | null): Promise<number> {
    let query = this.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('deleted', '=', 0);
    if (uids) query = query.where('uid', 'in', uids.length ? [...uids] : ['']);
    const row = await query.modifyEnd(named('countProjects')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findWorkspaces(keys: readonly WorkspaceKey[]): Promise<(Workspace | undefined)[]> {
    const found = new Map<string, Workspace>();
    for (const [projectUid, uids] of groupByProject(keys)) {
      const rows = await this.db
        .selectFrom('workspaces')
        .select(['project_uid', 'uid', 'doc'])
        .where('project_uid', '=', projectUid)
        .where('uid', 'in', uids)
        .modifyEnd(named('findWorkspaces'))
        .execute();
      for (const row of rows) found.set(keyOf(row.project_uid, row.uid), rowToWorkspace(row));
    }
    return keys.map((k) => found.get(keyOf(k.projectUid, k.uid)));
  }

  async listWorkspaces(projectUids: readonly string[]): Promise<Workspace[][]> {
    if (projectUids.length === 0) return [];
    const rows = await this.db
      .selectFrom('workspaces')
      .select(['project_uid', 'doc'])
      .where('project_uid', 'in', [...new Set(projectUids)])
      .where('deleted', '=', 0)
      .orderBy('uid_num')
      .modifyEnd(named('listWorkspaces'))
      .execute();
    return projectUids.map((p) => rows.filter((r) => r.project_uid === p).map(rowToWorkspace));
  }

  async writeProjects(projects: readonly Project[]): Promise<void> {
    if (projects.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(projects.map(projectToRow), INSERT_CHUNK)) {
        await trx
          .insertInto('projects')
          .values(part)
          .onConflict((oc) =>
            oc.column('uid').doUpdateSet((eb) => ({
              uid_num: eb.ref('excluded.uid_num'),
              title: eb.ref('excluded.title'),
              created_at: eb.ref('excluded.created_at'),
              updated_at: eb.ref('excluded.updated_at'),
              deleted: eb.ref('excluded.deleted'),
              doc: eb.ref('excluded.doc'),
            })),
          )
          .modifyEnd(named('writeProjects'))
          .execute();
      }
    });
  }

  async writeWorkspaces(workspaces: readonly Workspace[]): Promise<void> {
    if (workspaces.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunk(workspaces.map(workspaceToRow), INSERT_CHUNK)) {
        await trx
          .insertInto('workspaces')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['project_uid', 'uid']).doUpdateSet((eb) => ({
              uid_num: eb.ref('excluded.uid_num'),
              title: eb.ref('excluded.title'),
              created_at: eb.ref('excluded.created_at'),
              updated_at: eb.ref('excluded.updated_at'),
              deleted: eb.ref('excluded.deleted'),
              doc: eb.ref('excluded.doc'),
            })),
          )
          .modifyEnd(named('writeWorkspaces'))
          .execute();
      }
    });
  }

  async writeJobs(jobs: readonly Job[], options: WriteJobsOptions = {}): Promise<WriteJobsResult> {
    if (jobs.length === 0) return { created: 0, updated: 0, events: [] };
    return this.db.transaction().execute((trx) => writeJobsIn(trx, jobs, options, this.dialect));
  }

  async updateJob(key: JobKey, change: (job: Job) => Job): Promise<{ job: Job; event?: StoredStatusEvent } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      let read = trx.selectFrom('jobs').select(['doc']).where('project_uid', '=', key.projectUid).where('uid', '=', key.uid);
      // SQLite has one writer at a time already; PostgreSQL needs the row lock.
      if (this.dialect === 'postgres') read = read.forUpdate();
      const row = await read.modifyEnd(named('readJobForUpdate')).executeTakeFirst();
      if (!row) return undefined;
      const next = change(rowToJob(row));
      const { events } = await writeJobsIn(trx, [next], {}, this.dialect);
      return { job: next, event: events[0] };
    });
  }

  async readEvents(query: EventQuery): Promise<(StoredStatusEvent & { job?: Job })[]> {
    let q = this.db.selectFrom('job_events').selectAll().where('seq', '>', query.afterSeq);
    if (query.upToSeq != null) q = q.where('seq', '<=', query.upToSeq);
    if (query.projectUid != null) q = q.where('project_uid', '=', query.projectUid);
    if (query.projectUids) q = q.where('project_uid', 'in', query.projectUids.length ? [...query.projectUids] : ['']);
    if (query.jobUids) q = q.where('job_uid', 'in', query.jobUids.length ? [...query.jobUids] : ['']);
    if (query.statuses) q = q.where('status', 'in', query.statuses.length ? [...query.statuses] : ['building']);
    q = q.orderBy('seq').limit(query.limit);
    if (!query.withJobColumns) return (await q.modifyEnd(named('readEvents')).execute()).map(eventRowToEvent);
    // The page of events first, then its jobs: joined before the limit, PostgreSQL would join the whole range.
    const rows = await this.db
      .selectFrom(q.as('e'))
      .leftJoin('jobs as j', (join) => join.onRef('j.project_uid', '=', 'e.project_uid').onRef('j.uid', '=', 'e.job_uid'))
      .selectAll('e')
      .select(JOINED_JOB_COLUMNS.map(([column, alias]) => `j.${column} as ${alias}` as const))
      .orderBy('e.seq')
      .modifyEnd(named('readEventsWithJobs'))
      .execute();
    return rows.map((row) => {
      const event: StoredStatusEvent & { job?: Job } = eventRowToEvent(row);
      if (row.j_uid != null) {
        const columns: Record<string, unknown> = { doc: null };
        for (const [column, alias] of JOINED_JOB_COLUMNS) columns[column] = row[alias];
        event.job = rowToJob(columns as { doc: null });
      }
      return event;
    });
  }

  async lastEventSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('job_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .modifyEnd(named('lastEventSeq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async deploymentId(): Promise<string> {
    const row = await this.db.selectFrom('deployment').select('id').modifyEnd(named('deploymentId')).executeTakeFirst();
    if (!row) throw new Error('the deployment table is empty: this database was not created by jobgraph migrations');
    return row.id;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function eventRowToEvent(row: JobEventRow): StoredStatusEvent {
  return {
    seq: Number(row.seq),
    projectUid: row.project_uid,
    jobUid: row.job_uid,
    previousStatus: row.previous_status,
    status: row.status,
    at: row.at,
  };
}

/** Every column of a job row but its key: what an upsert overwrites. */
const JOB_UPDATE_COLUMNS = [
  'uid_num', 'project_uid_num', 'status', 'type', 'category', 'title', 'title_folded', 'priority', 'has_error', 'deleted', 'created_at', 'updated_at',
  'queued_at', 'launched_at', 'started_at', 'running_at', 'waiting_at', 'completed_at', 'failed_at', 'killed_at', 'error_logged', 'doc',
] as const satisfies readonly Exclude<keyof JobTable, 'project_uid' | 'uid'>[];
// Fails to compile when a column is added to JobTable but not to the list above.
type UnwrittenColumn = Exclude<Exclude<keyof JobTable, 'project_uid' | 'uid'>, (typeof JOB_UPDATE_COLUMNS)[number]>;
const everyColumnWritten: [UnwrittenColumn] extends [never] ? true : UnwrittenColumn = true;
void everyColumnWritten;

/** The single write path: rows, edges, workspaces, tags and status events in the caller's transaction. */
// Any fixed number: the same in every jobgraph process sharing a database.
const EVENT_LOG_LOCK = 0x6a6f6265;

async function writeJobsIn(trx: Db, jobs: readonly Job[], { recordEvents = true }: WriteJobsOptions, dialect: 'sqlite' | 'postgres'): Promise<WriteJobsResult> {
  // A batch may name the same job twice (a watched file rewritten quickly): the last document wins.
  const latest = new Map<string, Job>();
  for (const job of jobs) latest.set(keyOf(job.project_uid, job.uid), job);
  const batch = [...latest.values()];
  const keys = batch.map((j) => ({ projectUid: j.project_uid, uid: j.uid }));
  const batchRows = batch.map(rowsOfJob);

  const previous = new Map<string, JobStatus>();
  for (const [projectUid, uids] of groupByProject(keys)) {
    for (const part of chunk(uids, LOOKUP_CHUNK)) {
      const rows = await trx
        .selectFrom('jobs')
        .select(['uid', 'status'])
        .where('project_uid', '=', projectUid)
        .where('uid', 'in', part)
        .modifyEnd(named('readPreviousStatus'))
        .execute();
      for (const row of rows) previous.set(keyOf(projectUid, row.uid), row.status);
    }
  }

  for (const part of chunk(batchRows.map((r) => r.job), INSERT_CHUNK)) {
    await trx
      .insertInto('jobs')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['project_uid', 'uid']).doUpdateSet((eb) => Object.fromEntries(JOB_UPDATE_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .modifyEnd(named('upsertJobs'))
      .execute();
  }

  const existing = groupByProject(keys.filter((k) => previous.has(keyOf(k.projectUid, k.uid))));
  for (const [projectUid, uids] of existing) {
    for (const part of chunk(uids, LOOKUP_CHUNK)) {
      await trx.deleteFrom('job_edges').where('project_uid', '=', projectUid).where('child_uid', 'in', part).modifyEnd(named('clearEdges')).execute();
      await trx.deleteFrom('job_workspaces').where('project_uid', '=', projectUid).where('job_uid', 'in', part).modifyEnd(named('clearWorkspaces')).execute();
      await trx.deleteFrom('job_tags').where('project_uid', '=', projectUid).where('job_uid', 'in', part).modifyEnd(named('clearTags')).execute();
    }
  }
  for (const part of chunk(batchRows.flatMap((r) => r.edges), INSERT_CHUNK * 4)) {
    await trx.insertInto('job_edges').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertEdges')).execute();
  }
  for (const part of chunk(batchRows.flatMap((r) => r.workspaces), INSERT_CHUNK * 4)) {
    await trx.insertInto('job_workspaces').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertWorkspaces')).execute();
  }
  for (const part of chunk(batchRows.flatMap((r) => r.tags), INSERT_CHUNK * 4)) {
    await trx.insertInto('job_tags').values(part).onConflict((oc) => oc.doNothing()).modifyEnd(named('insertTags')).execute();
  }

  const at = new Date().toISOString();
  const changes = recordEvents
    ? batch
        .filter((job) => previous.get(keyOf(job.project_uid, job.uid)) !== job.status)
        .map((job) => ({
          project_uid: job.project_uid,
          job_uid: job.uid,
          previous_status: previous.get(keyOf(job.project_uid, job.uid)) ?? null,
          status: job.status,
          at,
        }))
    : [];
  const events: StoredStatusEvent[] = [];
  if (changes.length > 0 && dialect === 'postgres') {
    // Sequence numbers must commit in order, or a reader could pass 42 before 41 becomes visible and never
    // see 41. Taking this lock before drawing numbers, and holding it to commit, makes commit order = seq order.
    // SQLite has a single writer, so it already is.
    await sql`select pg_advisory_xact_lock(${EVENT_LOG_LOCK})`.execute(trx);
  }
  for (const part of chunk(changes, INSERT_CHUNK)) {
    const rows = await trx.insertInto('job_events').values(part).returningAll().modifyEnd(named('appendEvents')).execute();
    events.push(...rows.map(eventRowToEvent));
  }
  events.sort((a, b) => a.seq - b.seq);
  return { created: batch.length - previous.size, updated: previous.size, events };
}
