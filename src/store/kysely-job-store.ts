/**
 * The `JobStore` over Kysely, for SQLite and PostgreSQL alike: one class as
 * the public entry, each concern in its own module — reads of jobs and pages
 * (`kysely-jobs.ts`), projects and workspaces (`kysely-projects.ts`), edges
 * and lineage (`kysely-lineage.ts`), the event log (`kysely-events.ts`) and
 * writes (`kysely-writes.ts`).
 */
import type { Kysely } from 'kysely';
import type { Job } from '../model/job.js';
import type { JobStatus } from '../model/job-status.js';
import type { Project, Workspace } from '../model/project.js';
import type { Database } from './database.js';
import type {
  NeighbourKey,
  EventQuery,
  JobFilter,
  JobKey,
  JobPage,
  JobReadOptions,
  JobStore,
  LineagePage,
  LineageWalk,
  Page,
  PageArgs,
  StoredStatusEvent,
  Subgraph,
  WorkspaceKey,
  WriteJobsOptions,
  WriteJobsResult,
} from './job-store.js';
import * as eventLog from './kysely-events.js';
import * as follower from './kysely-follower.js';
import * as jobReads from './kysely-jobs.js';
import * as lineageReads from './kysely-lineage.js';
import * as projectReads from './kysely-projects.js';
import type { Dialect } from './kysely-shared.js';
import * as writes from './kysely-writes.js';
import { PgStatistics } from './pg-statistics.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, resolvePage } from './kysely-shared.js';

export class KyselyJobStore implements JobStore {
  private readonly statistics: PgStatistics | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {
    this.statistics = dialect === 'postgres' ? new PgStatistics(db) : undefined;
  }

  findJobs(keys: readonly JobKey[], options?: JobReadOptions): Promise<(Job | undefined)[]> {
    return jobReads.findJobs(this.db, keys, options);
  }

  listJobs(args: Parameters<JobStore['listJobs']>[0]): Promise<JobPage> {
    return jobReads.listJobs(this.db, this.dialect, args);
  }

  countJobs(filter?: JobFilter | null): Promise<number> {
    return jobReads.countJobs(this.db, filter);
  }

  countJobsByStatus(projectUids: readonly string[]): Promise<Map<string, Map<JobStatus, number>>> {
    return jobReads.countJobsByStatus(this.db, projectUids);
  }

  findParents(keys: readonly JobKey[], options?: JobReadOptions): Promise<Job[][]> {
    return lineageReads.findParents(this.db, keys, options);
  }

  findChildren(keys: readonly JobKey[], options?: JobReadOptions): Promise<Job[][]> {
    return lineageReads.findChildren(this.db, keys, options);
  }

  findNeighbours(keys: readonly NeighbourKey[], options?: JobReadOptions): Promise<Job[][]> {
    return lineageReads.findNeighbours(this.db, keys, options);
  }

  listLineage(args: Parameters<JobStore['listLineage']>[0]): Promise<LineagePage> {
    return lineageReads.listLineage(this.db, this.dialect, args);
  }

  findSubgraph(args: Parameters<JobStore['findSubgraph']>[0]): Promise<Subgraph | undefined> {
    return lineageReads.findSubgraph(this.db, args);
  }

  findLineageUids(root: JobKey, walk: LineageWalk): Promise<Set<string>> {
    return lineageReads.findLineageUids(this.db, root, walk);
  }

  findProjects(uids: readonly string[]): Promise<(Project | undefined)[]> {
    return projectReads.findProjects(this.db, uids);
  }

  listProjects(page: PageArgs, uids?: readonly string[] | null): Promise<Page<Project>> {
    return projectReads.listProjects(this.db, page, uids);
  }

  countProjects(uids?: readonly string[] | null): Promise<number> {
    return projectReads.countProjects(this.db, uids);
  }

  findWorkspaces(keys: readonly WorkspaceKey[]): Promise<(Workspace | undefined)[]> {
    return projectReads.findWorkspaces(this.db, keys);
  }

  listWorkspaces(projectUids: readonly string[]): Promise<Workspace[][]> {
    return projectReads.listWorkspaces(this.db, projectUids);
  }

  writeProjects(projects: readonly Project[]): Promise<void> {
    return writes.writeProjects(this.db, projects);
  }

  writeWorkspaces(workspaces: readonly Workspace[]): Promise<void> {
    return writes.writeWorkspaces(this.db, workspaces);
  }

  async writeJobs(jobs: readonly Job[], options?: WriteJobsOptions): Promise<WriteJobsResult> {
    const result = await writes.writeJobs(this.db, this.dialect, jobs, options);
    this.statistics?.wrote(jobs.length);
    return result;
  }

  async updateJob(key: JobKey, change: (job: Job) => Job): Promise<{ job: Job; event?: StoredStatusEvent } | undefined> {
    const result = await writes.updateJob(this.db, this.dialect, key, change);
    if (result) this.statistics?.wrote(1);
    return result;
  }

  readEvents(query: EventQuery): Promise<(StoredStatusEvent & { job?: Job })[]> {
    return eventLog.readEvents(this.db, query);
  }

  lastEventSeq(): Promise<number> {
    return eventLog.lastEventSeq(this.db);
  }

  deploymentId(): Promise<string> {
    return eventLog.deploymentId(this.db);
  }

  readFollowerPosition(source: string): Promise<string | undefined> {
    return follower.readFollowerPosition(this.db, source);
  }

  listFollowerSources(): Promise<string[]> {
    return follower.listFollowerSources(this.db);
  }

  writeFollowerPosition(source: string, position: string): Promise<void> {
    return follower.writeFollowerPosition(this.db, source, position);
  }

  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return follower.acquireLease(this.db, name, holder, ttlMs);
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return follower.releaseLease(this.db, name, holder);
  }

  async close(): Promise<void> {
    await this.statistics?.settled();
    await this.db.destroy();
  }
}
