/**
 * Following a CryoSPARC instance: it has no change feed, so changes are
 * polled (see `../shared/reference/cryosparc-api.md`, "Listing what changed").
 *
 * - **First sync**: projects, workspaces, then every job, paged by `id`
 *   (stored without status events: that is history, not news).
 * - **Polls**, one per interval: the jobs whose `updated_at` lies in a window
 *   that starts one overlap before the position, paged by `id`; then the same
 *   window of deleted jobs (CryoSPARC lists those only when asked). Each page
 *   is one batch through the writer (one transaction, status events, bus), so
 *   a re-read job whose status did not move makes no event.
 * - **Large pages** (a first sync, a burst of changes) are parsed and
 *   validated in worker threads (`job-page-worker.ts`), which also build the
 *   jobs' rows, while the main thread fetches and writes; the next page is
 *   requested as soon as the previous one is parsed, a few pages ahead at
 *   most, and pages are written in order.
 * - **Position**: the instance's own clock (its `Date` header) when the poll
 *   began, less a second for the header's precision. A job that changes while
 *   a window is paged has a later `updated_at` and falls in the next window;
 *   jobs at the window's edge are read twice rather than never. Stored in the
 *   database after each poll: a restart continues from it.
 * - **One follower per database**: each gateway polls only while it holds the
 *   `cryosparc-follower` lease, renewed every interval; when the holder stops
 *   renewing, another takes over after the lease expires.
 * - **Stale documents** never overwrite newer ones: a document older than the
 *   stored job (a poll that read it before a control action applied a newer
 *   one) is skipped. Polled writes and control actions are serialised.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import type { JobWriter } from '../../events/job-writer.js';
import { UpstreamError, UpstreamUnavailableError } from '../../model/errors.js';
import { type Job, safeParseJobDocument } from '../../model/job.js';
import { preparedJob } from '../../store/job-rows.js';
import { safeParseProjectDocument, safeParseWorkspaceDocument, type Project, type Workspace } from '../../model/project.js';
import type { JobStore, StoredStatusEvent } from '../../store/job-store.js';
import { zodProblems } from '../document-report.js';
import { createWorkerPool, type WorkerPool } from '../worker-pool.js';
import { type SourcedJob, type WriteJobsReport, writeJobsReportingRefusals } from '../write-jobs.js';
import { type CallResult, type CryosparcClient, CryosparcSetupError } from './api-client.js';
import { type InvalidDoc, notJson, type PageHead, pageHead, type ParsedPage, parsePage, type RawDoc, validateDoc } from './job-page.js';
import type { JobPageNote, JobPageRequest, JobPageResponse } from './job-page-protocol.js';

/** Where the follower reports what it does (Prometheus metrics in the gateway). */
export interface FollowerObserver {
  /** One poll (or first sync) finished: `ok` or `error`. */
  poll(outcome: 'ok' | 'error'): void;
  /** Something went wrong: `unavailable`, `refused`, `invalid_document`, `database`. */
  error(kind: string): void;
  /** Documents written (created or updated jobs). */
  applied(count: number): void;
  /** Seconds from a change's `updated_at` to its status event. */
  lag(seconds: number): void;
  /** Whether the instance answered the last exchange. */
  upstream(up: boolean): void;
}

export interface FollowerOptions {
  client: CryosparcClient;
  store: JobStore;
  writer: JobWriter;
  logger: Logger;
  /** Names the followed instance and selection in the database (position key). */
  source: string;
  /** Interval between two polls. */
  pollMs: number;
  /** Follow only these projects; empty for all. */
  projects: readonly string[];
  /** Operations the follower needs besides `jobs.find`, `projects.find` and `workspaces.find` (checked by connect). */
  required: readonly string[];
  /** Most jobs per `jobs.find` page of a poll (pages follow the documents' size to about 4 MB within it). @default 500 */
  pageSize?: number;
  /** Most jobs per `jobs.find` page of the first sync; pages follow the documents' size to about 4 MB within it. @default `pageSize` when given, else 1000 */
  firstSyncPageSize?: number;
  /**
   * Worker threads that parse and validate large pages (started when one
   * comes, stopped after the poll), so the main thread only writes; 0 to do
   * everything on the main thread. @default available cores − 1, 1 to 4
   */
  workers?: number;
  /** How far before its position each poll's window starts. @default 1000 */
  overlapMs?: number;
  /** How long the follower lease lasts without renewal. @default max(5 × pollMs, 3000) */
  leaseTtlMs?: number;
  /** Longest wait between two attempts while the instance is unreachable. @default clamp(10 × pollMs, 1000, 15000) */
  maxBackoffMs?: number;
  observer?: FollowerObserver;
}

/** What the follower stores as its position. */
interface Position {
  /** ISO-8601: jobs updated from (this − overlap) on are read by the next poll. */
  since: string;
}

export const FOLLOWER_LEASE = 'cryosparc-follower';
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';
/** Polls between two re-reads of projects and workspaces (new ones are also read as soon as a job names them). */
const PROJECT_REFRESH_POLLS = 60;
/** The `Date` header has second precision. */
const CLOCK_PRECISION_MS = 1000;

/** A page this large (about 30 jobs) is parsed and validated by the workers; a smaller one on the main thread. */
const POOL_MIN_BYTES = 256 * 1024;

/**
 * What a page of `jobs.find` should come to, in bytes: the page size follows
 * the documents' size to stay near it (between {@link MIN_PAGE_JOBS} and the
 * configured page size). A worker holds its whole page, parsed and then
 * validated; a page that fits in its young generation is not copied by a
 * scavenge half-way through. Measured on a 20,000-job first sync (~8.7 KB
 * documents, 64 MB semi-spaces): pages of 500 jobs took 3.3–3.5 s, of 700 or
 * 1,000 jobs 3.8–4.2 s.
 */
const PAGE_TARGET_BYTES = 4 * 1024 * 1024;
/** The smallest page asked for, and a first sync's first page (until the documents' size is known). */
const MIN_PAGE_JOBS = 100;

/** A page ready to apply: its valid jobs (with their workspaces, read without parsing a prepared job's document) and its invalid documents. */
interface PreparedPage {
  jobs: { job: Job; workspaces: readonly string[] }[];
  invalid: InvalidDoc[];
}

export class CryosparcFollower {
  readonly holder = randomUUID();
  private readonly pageSize: number;
  private readonly firstSyncPageSize: number;
  private readonly workers: number;
  private pool: WorkerPool<JobPageRequest, JobPageResponse, JobPageNote> | undefined;
  private readonly overlapMs: number;
  private readonly leaseTtlMs: number;
  private readonly maxBackoffMs: number;
  private connected = false;
  private leading = false;
  private announced = false;
  private up = false;
  private position: Position | undefined;
  private knownProjects = new Set<string>();
  private knownWorkspaces = new Set<string>();
  private pollsSinceProjects = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FollowerOptions) {
    this.pageSize = options.pageSize ?? 500;
    this.firstSyncPageSize = options.firstSyncPageSize ?? options.pageSize ?? 1000;
    this.workers = options.workers ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    this.overlapMs = options.overlapMs ?? 1000;
    this.leaseTtlMs = options.leaseTtlMs ?? Math.max(5 * options.pollMs, 3000);
    this.maxBackoffMs = options.maxBackoffMs ?? Math.min(Math.max(10 * options.pollMs, 1000), 15_000);
  }

  /** Whether the instance answered the last exchange (poll, connect or control action). */
  isUp(): boolean {
    return this.up;
  }

  /** Whether this gateway holds the follower lease (and so polls). */
  isLeading(): boolean {
    return this.leading;
  }

  /**
   * Connects (discovery, login). An unreachable instance is not fatal: the
   * loop keeps trying. @throws CryosparcSetupError when it can never work as configured.
   */
  async connect(): Promise<void> {
    try {
      await this.ensureConnected();
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) {
        this.options.logger.warn({ err: error.message }, 'CryoSPARC is not reachable yet; serving what the database holds and retrying');
        return;
      }
      throw error;
    }
  }

  /** Starts the poll loop in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops polling (after the poll in progress) and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    await this.lock.catch(() => {});
    if (this.leading) await this.options.store.releaseLease(FOLLOWER_LEASE, this.holder).catch(() => {});
    this.leading = false;
    await this.closePool();
  }

  /**
   * Runs `act` (a call that changes a job upstream and answers with its
   * document) exclusively of polled writes, then applies the document at
   * once, with its status event. @throws the call's coded error; nothing is written then.
   */
  async act(act: () => Promise<unknown>): Promise<{ job: Job; event?: StoredStatusEvent | undefined }> {
    return this.exclusive(async () => {
      let raw: unknown;
      try {
        raw = await act();
        this.setUp(true);
      } catch (error) {
        if (error instanceof UpstreamUnavailableError) this.setUp(false);
        else if (error instanceof UpstreamError) this.setUp(true);
        throw error;
      }
      const parsed = safeParseJobDocument(raw);
      if (!parsed.success) {
        const problems = zodProblems(parsed.error, 'cryosparc');
        this.reportInvalid(raw, problems);
        throw new UpstreamError(`CryoSPARC answered with an invalid job document (${problems.map((p) => `${p.path}: ${p.message}`).join('; ').slice(0, 300)}).`);
      }
      const report = await this.write([{ job: parsed.data, source: 'cryosparc' }], true);
      return { job: parsed.data, event: report.events[0] };
    });
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    try {
      await this.options.client.connect(['jobs.find', 'projects.find', 'workspaces.find', ...this.options.required]);
    } catch (error) {
      if (error instanceof UpstreamUnavailableError) this.setUp(false);
      throw error;
    }
    this.connected = true;
    this.setUp(true);
    this.options.logger.info({ cryosparc: this.options.client.apiUrl, version: this.options.client.version }, 'connected to CryoSPARC');
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      // Polls start one interval apart (not one interval after the last one ended): as many requests per minute however busy the gateway is.
      const cycleStarted = Date.now();
      const leading = await this.options.store.acquireLease(FOLLOWER_LEASE, this.holder, this.leaseTtlMs).catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'could not take or renew the follower lease');
        return false;
      });
      if (leading !== this.leading || !this.announced) {
        this.announced = true;
        this.leading = leading;
        this.position = undefined;
        this.options.logger.info({ holder: this.holder }, leading ? 'following CryoSPARC (holding the follower lease)' : 'another gateway follows CryoSPARC; standing by');
      }
      try {
        await this.ensureConnected();
        if (leading && !this.stopped) await this.cycle();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.observer?.poll('error');
        if (error instanceof UpstreamUnavailableError) {
          this.setUp(false);
          this.options.observer?.error('unavailable');
          this.options.logger.warn({ err: error.message, attempt: failures }, 'CryoSPARC unreachable; retrying with backoff');
        } else if (error instanceof UpstreamError || error instanceof CryosparcSetupError) {
          this.options.observer?.error('refused');
          this.options.logger.error({ err: error.message }, 'CryoSPARC refused a request of the follower');
        } else {
          this.options.observer?.error('database');
          this.options.logger.error({ err: error }, 'following CryoSPARC failed; retrying');
        }
      }
      const wait = failures === 0 ? this.options.pollMs : Math.min(this.options.pollMs * 2 ** Math.min(failures, 10), this.maxBackoffMs);
      await this.sleep(Math.max(0, wait - (Date.now() - cycleStarted)));
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async cycle(): Promise<void> {
    const { store, source } = this.options;
    if (!this.position) {
      const stored = await store.readFollowerPosition(source);
      this.position = stored ? (JSON.parse(stored) as Position) : undefined;
      // After a restart, read projects and workspaces again (few), not the jobs.
      if (this.position) await this.syncProjects();
    }
    try {
      if (!this.position) await this.firstSync();
      else await this.poll(this.position);
    } finally {
      // The workers cost memory: only large pages (a first sync, a burst of changes) need them.
      await this.closePool();
    }
    this.setUp(true);
    this.options.observer?.poll('ok');
  }

  private async firstSync(): Promise<void> {
    const started = Date.now();
    // Every page of a first sync is large: the workers start (load their modules) while projects are read.
    if (this.workers > 0) this.startPool();
    const serverTime = await this.syncProjects();
    let jobs = 0;
    let maxUpdated = '';
    // A small first page: the writer starts sooner, and the documents' size is known for the next ones.
    await this.pageJobs(
      {},
      this.firstSyncPageSize,
      async (head, page) => {
        jobs += head.count;
        if (head.maxUpdated > maxUpdated) maxUpdated = head.maxUpdated;
        await this.applyPage(await page(), false);
      },
      MIN_PAGE_JOBS,
    );
    const since = serverTime !== undefined ? new Date(serverTime - CLOCK_PRECISION_MS).toISOString() : maxUpdated || new Date(0).toISOString();
    await this.savePosition({ since });
    this.options.logger.info({ jobs, projects: this.knownProjects.size, ms: Date.now() - started, since }, 'first sync from CryoSPARC done');
  }

  private async poll(position: Position): Promise<void> {
    const window = [new Date(Date.parse(position.since) - this.overlapMs).toISOString(), FAR_FUTURE];
    let serverTime: number | undefined;
    let maxUpdated = position.since;
    for (const deleted of [false, true]) {
      const first = await this.pageJobs({ updated_at: window, deleted }, this.pageSize, async (head, page) => {
        if (head.maxUpdated > maxUpdated) maxUpdated = head.maxUpdated;
        await this.applyPage(await page(), true);
      });
      serverTime ??= first;
    }
    if (++this.pollsSinceProjects >= PROJECT_REFRESH_POLLS) await this.syncProjects();
    const next = serverTime !== undefined ? new Date(serverTime - CLOCK_PRECISION_MS).toISOString() : maxUpdated;
    if (next > position.since) await this.savePosition({ since: next });
  }

  private async savePosition(position: Position): Promise<void> {
    await this.options.store.writeFollowerPosition(this.options.source, JSON.stringify(position));
    this.position = position;
  }

  /**
   * Pages `jobs.find` by `id` with `filter`, handing each page to `onPage`
   * in order. Pipelined: the next page is requested as soon as this one is
   * parsed (its last id known), and up to one page per worker (at least two)
   * is parsed and validated ahead of the one being written, so memory stays
   * bounded. A failed request stops the paging once the pages before it are
   * applied. Resolves to the instance's clock at the first answer.
   */
  private async pageJobs(
    filter: Record<string, unknown>,
    pageSize: number,
    onPage: (head: PageHead, page: () => Promise<PreparedPage>) => Promise<void>,
    firstPageSize = pageSize,
  ): Promise<number | undefined> {
    const projects = this.options.projects.length > 0 ? { project_uid: this.options.projects } : {};
    const fetchPage = (after: string | undefined, limit: number) => {
      const request = this.options.client.callBytes('jobs.find', { args: { ...filter, ...projects, order: 1, limit, ...(after ? { after } : {}) } });
      // A failed write must not leave the prefetched request's failure unhandled.
      request.catch(() => {});
      return { request, limit };
    };
    const ahead = Math.max(2, this.workers + 1);
    const ready: { head: PageHead; page: () => Promise<PreparedPage> }[] = [];
    let serverTime: number | undefined;
    let next: { request: Promise<CallResult<Uint8Array>>; limit: number } | undefined = fetchPage(undefined, Math.min(pageSize, firstPageSize));
    let failure: { error: unknown } | undefined;
    while (next || ready.length > 0) {
      if (next && ready.length < ahead) {
        try {
          const { request, limit } = next;
          const answer = await request;
          next = undefined;
          serverTime ??= answer.serverTimeMs;
          const bytes = answer.body.byteLength;
          const prepared = this.preparePage(answer.body);
          const head = await prepared.head;
          ready.push({ head, page: prepared.page });
          if (head.count >= limit && head.lastId !== undefined) next = fetchPage(head.lastId, nextPageSize(bytes / head.count, pageSize));
        } catch (error) {
          failure = { error };
          next = undefined;
        }
        continue;
      }
      const { head, page } = ready.shift()!;
      await onPage(head, page);
    }
    if (failure) throw failure.error;
    return serverTime;
  }

  /**
   * Parses a page of `jobs.find`: a large one in a worker (its head comes as
   * soon as it is parsed, its jobs once validated, as jobs whose rows are
   * already built), a small one here (validated when applied).
   */
  private preparePage(bytes: Uint8Array): { head: Promise<PageHead>; page: () => Promise<PreparedPage> } {
    if (this.workers < 1 || bytes.byteLength < POOL_MIN_BYTES) {
      try {
        const parsed = parsePage(bytes);
        return { head: Promise.resolve(pageHead(parsed.docs)), page: async () => validatePage(parsed) };
      } catch (error) {
        return { head: Promise.reject(error), page: () => Promise.reject(error) };
      }
    }
    const pool = this.startPool();
    let told: (note: JobPageNote) => void = () => {};
    let failed: (error: unknown) => void = () => {};
    const head = new Promise<PageHead>((resolve, reject) => {
      told = (note) => ('head' in note ? resolve(note.head) : reject(notJson()));
      failed = reject;
    });
    const answer = pool.submit({ bytes }, { transfer: [bytes.buffer as ArrayBuffer], onNote: told });
    answer.catch(failed);
    const page = answer.then(({ rows, invalid }) => ({
      jobs: rows.map((r) => ({ job: preparedJob(r), workspaces: r.workspaces.map((w) => w.workspace_uid) })),
      invalid,
    }));
    page.catch(() => {});
    return { head, page: () => page };
  }

  private startPool(): WorkerPool<JobPageRequest, JobPageResponse, JobPageNote> {
    this.pool ??= createWorkerPool<JobPageRequest, JobPageResponse, JobPageNote>(new URL('./job-page-worker.js', import.meta.url), this.workers, 'CryoSPARC page pool');
    return this.pool;
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  /** Reads projects and workspaces (all, or the followed ones) and stores the valid ones. Resolves to the instance's clock. */
  private async syncProjects(): Promise<number | undefined> {
    this.pollsSinceProjects = 0;
    const { store, projects } = this.options;
    const filter = projects.length > 0 ? { uid: projects } : {};
    const projectDocs = await this.pageAll('projects.find', filter);
    const valid: Project[] = [];
    for (const raw of projectDocs.docs) {
      const parsed = safeParseProjectDocument(raw);
      if (parsed.success) valid.push(parsed.data);
      else this.reportInvalid(raw, zodProblems(parsed.error, 'cryosparc'), 'project');
    }
    await store.writeProjects(valid);
    const uids = valid.map((p) => p.uid);
    const workspaceDocs = uids.length > 0 ? await this.pageAll('workspaces.find', { project_uid: projects.length > 0 ? projects : uids }) : { docs: [] };
    const workspaces: Workspace[] = [];
    for (const raw of workspaceDocs.docs) {
      const parsed = safeParseWorkspaceDocument(raw);
      if (parsed.success) workspaces.push(parsed.data);
      else this.reportInvalid(raw, zodProblems(parsed.error, 'cryosparc'), 'workspace');
    }
    await store.writeWorkspaces(workspaces);
    this.knownProjects = new Set(uids);
    this.knownWorkspaces = new Set(workspaces.map((w) => `${w.project_uid}/${w.uid}`));
    return projectDocs.serverTime;
  }

  private async pageAll(summary: string, filter: Record<string, unknown>): Promise<{ docs: RawDoc[]; serverTime: number | undefined }> {
    const docs: RawDoc[] = [];
    let serverTime: number | undefined;
    let after: string | undefined;
    for (;;) {
      const answer: CallResult<RawDoc[]> = await this.options.client.call<RawDoc[]>(summary, { args: { ...filter, order: 1, limit: this.pageSize, ...(after ? { after } : {}) } });
      serverTime ??= answer.serverTimeMs;
      const page: RawDoc[] = Array.isArray(answer.body) ? answer.body : [];
      docs.push(...page);
      const last = page.at(-1);
      after = last ? ((last._id ?? last.id) as string | undefined) : undefined;
      if (page.length < this.pageSize || typeof after !== 'string') return { docs, serverTime };
    }
  }

  /** Reports the invalid documents of a page, and writes the rest as one batch. */
  private async applyPage(page: PreparedPage, recordEvents: boolean): Promise<void> {
    for (const invalid of page.invalid) this.reportInvalid(invalid, invalid.problems);
    const valid: SourcedJob[] = page.jobs.map(({ job }) => ({ job, source: 'cryosparc' }));
    if (page.jobs.some(({ job, workspaces }) => !this.knownProjects.has(job.project_uid) || workspaces.some((w) => !this.knownWorkspaces.has(`${job.project_uid}/${w}`)))) {
      await this.syncProjects();
    }
    await this.exclusive(async () => {
      const fresh = recordEvents ? await this.withoutStale(valid) : valid;
      await this.write(fresh, recordEvents);
    });
  }

  /** Drops documents older than the stored job (the stored one came from a later read or a control action). */
  private async withoutStale(jobs: SourcedJob[]): Promise<SourcedJob[]> {
    if (jobs.length === 0) return jobs;
    const stored = await this.options.store.findJobs(
      jobs.map(({ job }) => ({ projectUid: job.project_uid, uid: job.uid })),
      { columnsOnly: ['updated_at'] },
    );
    return jobs.filter(({ job }, i) => {
      const current = stored[i];
      return !current || Date.parse(current.updated_at) <= Date.parse(job.updated_at);
    });
  }

  private async write(jobs: SourcedJob[], recordEvents: boolean): Promise<WriteJobsReport> {
    const report = await writeJobsReportingRefusals(this.options.writer, jobs, this.options.logger, { recordEvents });
    const observer = this.options.observer;
    if (observer) {
      observer.applied(report.created + report.updated);
      if (report.problems.length > 0) for (let i = 0; i < report.problems.length; i++) observer.error('invalid_document');
      if (report.events.length > 0) {
        const updatedAt = new Map(jobs.map(({ job }) => [`${job.project_uid}/${job.uid}`, job.updated_at]));
        for (const event of report.events) {
          const changed = updatedAt.get(`${event.projectUid}/${event.jobUid}`);
          if (changed) observer.lag(Math.max(0, (Date.parse(event.at) - Date.parse(changed)) / 1000));
        }
      }
    }
    return report;
  }

  private reportInvalid(raw: unknown, problems: readonly { path: string; message: string }[], kind = 'job'): void {
    const doc = (raw ?? {}) as RawDoc;
    const uid = typeof doc.uid === 'string' ? doc.uid : undefined;
    const projectUid = typeof doc.project_uid === 'string' ? doc.project_uid : undefined;
    this.options.observer?.error('invalid_document');
    for (const problem of problems.slice(0, 20)) {
      this.options.logger.warn(
        { code: 'INVALID_DOCUMENT', source: 'cryosparc', kind, [kind]: projectUid && uid && kind !== 'project' ? `${projectUid}/${uid}` : (uid ?? projectUid), path: problem.path, reason: problem.message },
        `skipped an invalid ${kind} document from CryoSPARC`,
      );
    }
  }

  private setUp(up: boolean): void {
    if (up !== this.up) this.options.observer?.upstream(up);
    this.up = up;
  }

  /** Runs `fn` after every earlier exclusive section, never two at once. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => {});
    return run;
  }
}

/** Jobs to ask for next: about {@link PAGE_TARGET_BYTES} of documents of `bytesPerJob`, within [MIN_PAGE_JOBS, max]. */
function nextPageSize(bytesPerJob: number, max: number): number {
  return Math.max(Math.min(MIN_PAGE_JOBS, max), Math.min(max, Math.floor(PAGE_TARGET_BYTES / Math.max(1, bytesPerJob))));
}

/** Validates the documents of a page on this thread. */
function validatePage({ docs, source }: ParsedPage): PreparedPage {
  const page: PreparedPage = { jobs: [], invalid: [] };
  for (const raw of docs) {
    const result = validateDoc(raw, source);
    if (result.ok) page.jobs.push({ job: result.job, workspaces: result.job.workspace_uids });
    else page.invalid.push(result.invalid);
  }
  return page;
}
