/**
 * A stand-in for a CryoSPARC v5 instance, to develop and test the follower
 * against. It is NOT CryoSPARC: it is built from what the public
 * cryosparc-tools client expects of the command API
 * (`../shared/reference/cryosparc-api.md`) and nothing more.
 *
 * - `GET /api/cmd/openapi.json` lists its operations by `summary`, under
 *   paths of its own (not CryoSPARC's): a client that hard-codes paths fails.
 * - `login` takes a form (`username`, `password` = SHA-256 hex of the
 *   password; a plain password is refused) and answers a bearer token; every
 *   other operation but `health`, `config.get_version` and the OpenAPI
 *   document needs `Authorization: Bearer <token>`.
 * - Job documents are the synthetic generator's (the seed's Job shape);
 *   `jobs.find` filters them (ids, projects, uids, statuses, `updated_at`
 *   range, `deleted`), orders them by `id` and pages them with `after` and
 *   `limit`, as the reference describes.
 * - The actions (`jobs.enqueue`, `jobs.kill`, `jobs.clear`,
 *   `jobs.mark_completed`, `jobs.mark_failed`, `jobs.set_title`, …) check the
 *   lifecycle, bump `updated_at` and answer with the job's document; a
 *   refused action is a 422 with `{"detail": "…"}`.
 * - With `activity`, jobs move by themselves: queued → launched → started →
 *   running → completed or failed, and finished jobs are cleared and queued
 *   again, so a demo is alive.
 * - Test hooks (in process): change a job as the scheduler would, delete one,
 *   count requests, answer the next requests with 503, stop and start
 *   listening again with the same state.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JOB_STATUSES, type JobStatus, canTransition } from '../model/job-status.js';
import { STATUS_TIMESTAMP } from '../model/status-change.js';
import { generateDataset } from '../sources/synthetic/generate.js';
import { SYNTHETIC_CRYOSPARC_VERSION } from '../sources/synthetic/types.js';

type Doc = Record<string, unknown>;

export interface CryosparcSimOptions {
  /** Jobs in all, spread over the projects. @default 100 */
  jobs?: number;
  /** Projects P1..Pn. @default 1 */
  projects?: number;
  /** Seed of the synthetic generator. @default 1 */
  seed?: number;
  /** Move jobs through their lifecycle by themselves. @default false */
  activity?: boolean;
  /** Interval between two activity steps. @default 1000 */
  activityMs?: number;
  /** Jobs moved per activity step. @default 3 */
  activityJobs?: number;
  /** The user `login` accepts. @default 'admin@example.org' */
  email?: string;
  /** That user's password (login sends its SHA-256 digest). @default 'password' */
  password?: string;
  /** A token accepted without login. @default none */
  token?: string;
  /** Operations to leave out of the OpenAPI document (to test discovery). @default [] */
  omitOperations?: readonly string[];
}

/** One operation the stand-in serves: its summary, method, path and parameters. */
interface SimOperation {
  summary: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  query?: readonly string[];
  /** Takes a JSON body (`jobs.set_description`) or a form (`login`). */
  body?: 'json' | 'form';
  /** Needs no token. */
  open?: boolean;
  handle(ctx: RequestContext): unknown;
}

interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  user: string;
}

/**
 * An answer already serialised (UTF-8), in parts sent one after the other:
 * joining a page's thousand documents into one buffer first made the
 * stand-in spend most of its time collecting garbage.
 */
class JsonText {
  constructor(readonly parts: readonly Buffer[]) {}

  get byteLength(): number {
    let length = 0;
    for (const part of this.parts) length += part.byteLength;
    return length;
  }
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class CryosparcSim {
  readonly email: string;
  readonly password: string;
  /** Requests to the API (not counting the OpenAPI document, `sim.*` operations or refused-while-down ones), by operation summary. */
  readonly requestsByOperation = new Map<string, number>();
  /** Job documents `jobs.find` answered with, in all. */
  jobsServed = 0;
  private readonly docs = new Map<string, Doc>();
  /** JSON text (UTF-8) of each document, made on first listing: a page is then copied together, not serialised again. */
  private readonly texts = new WeakMap<Doc, Buffer>();
  /** Keys in `_id` order. */
  private readonly order: string[] = [];
  private readonly projects: Doc[] = [];
  private readonly workspaces: Doc[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly operations: SimOperation[];
  private server: Server | undefined;
  private activityTimer: NodeJS.Timeout | undefined;
  private failures: { count: number; status: number } = { count: 0, status: 503 };
  private lastStamp = 0;
  private rng = 1;

  constructor(private readonly options: CryosparcSimOptions = {}) {
    this.email = options.email ?? 'admin@example.org';
    this.password = options.password ?? 'password';
    if (options.token) this.tokens.set(options.token, 'user-0');
    this.rng = options.seed ?? 1;
    for (const bundle of generateDataset({ projects: options.projects ?? 1, jobs: options.jobs ?? 100, seed: options.seed ?? 1 })) {
      this.projects.push(bundle.project);
      this.workspaces.push(...bundle.workspaces);
      for (const job of bundle.jobs) {
        const key = `${job.project_uid}/${job.uid}`;
        this.docs.set(key, job);
        this.order.push(key);
      }
    }
    this.projects.sort((a, b) => compare(a._id as string, b._id as string));
    this.workspaces.sort((a, b) => compare(a._id as string, b._id as string));
    this.order.sort((a, b) => compare(this.docs.get(a)!._id as string, this.docs.get(b)!._id as string));
    if (new Set(this.order.map((k) => this.docs.get(k)!._id)).size !== this.order.length) throw new Error('the synthetic documents repeat an _id');
    const omitted = new Set(options.omitOperations ?? []);
    this.operations = this.defineOperations().filter((op) => !omitted.has(op.summary));
  }

  /** Requests to the API in all (see {@link requestsByOperation}). */
  get requests(): number {
    let total = 0;
    for (const n of this.requestsByOperation.values()) total += n;
    return total;
  }

  /** Listens on `port` (0: any free one) on 127.0.0.1. */
  async start(port = 0): Promise<{ url: string; port: number }> {
    const server = createServer((req, res) => void this.serve(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    // Serialised once, up front: a first sync is then served as fast as the text can be sent, as a real instance's database would.
    for (const key of this.order) this.textOf(this.docs.get(key)!);
    if (this.options.activity && !this.activityTimer) {
      this.activityTimer = setInterval(() => this.step(), this.options.activityMs ?? 1000);
      this.activityTimer.unref();
    }
    const address = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${address.port}`, port: address.port };
  }

  /** Stops listening and drops open connections; the state stays for the next `start`. */
  async stop(): Promise<void> {
    if (this.activityTimer) clearInterval(this.activityTimer);
    this.activityTimer = undefined;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The jobs `jobs.find` lists by default (not deleted), in `id` order. */
  listJobs(options: { deleted?: boolean } = {}): Doc[] {
    return this.order.map((k) => this.docs.get(k)!).filter((d) => Boolean(d.deleted) === Boolean(options.deleted));
  }

  job(projectUid: string, uid: string): Doc | undefined {
    return this.docs.get(`${projectUid}/${uid}`);
  }

  /**
   * Sets a job's status as CryoSPARC's scheduler would (no lifecycle check),
   * stamping its time; `updatedAt` forces the new `updated_at` (e.g. to equal another job's).
   */
  setStatus(projectUid: string, uid: string, status: JobStatus, options: { updatedAt?: string } = {}): Doc {
    const doc = this.require(projectUid, uid);
    return this.put(doc, { ...statusFields(doc, status, this.now()), ...(options.updatedAt ? { updated_at: options.updatedAt } : {}) });
  }

  /** Marks a job deleted (CryoSPARC lists it only when asked for deleted jobs). */
  deleteJob(projectUid: string, uid: string): Doc {
    const doc = this.require(projectUid, uid);
    const now = this.now();
    return this.put(doc, { deleted: true, deleted_at: now, updated_at: now });
  }

  /** Changes fields of a job's document as given (bumping `updated_at` unless given), valid or not: to test how a follower copes. */
  patchJob(projectUid: string, uid: string, changes: Doc): Doc {
    return this.put(this.require(projectUid, uid), changes);
  }

  /** Answers the next `count` API requests with `status` (503 by default), as a failing instance would. */
  failNext(count: number, status = 503): void {
    this.failures = { count, status };
  }

  /** A fresh `updated_at`: the clock, never equal to or before the previous one. */
  now(): string {
    const ms = Math.max(Date.now(), this.lastStamp + 1);
    this.lastStamp = ms;
    return new Date(ms).toISOString();
  }

  /** `jobs.find`'s page: from the first `_id` after `after` (a binary search in `id` order), the matching jobs up to `limit`. */
  private findJobs(query: URLSearchParams): Doc[] {
    if (query.get('order') === '-1') return page(this.order.map((k) => this.docs.get(k)!).filter((d) => matches(d, query, JOB_LISTS)), query);
    const after = query.get('after');
    const requested = Number(query.get('limit') ?? 100);
    const limit = Number.isInteger(requested) && requested > 0 ? requested : 100;
    let low = 0;
    if (after) {
      let high = this.order.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((this.docs.get(this.order[mid]!)!._id as string) > after) high = mid;
        else low = mid + 1;
      }
    }
    const test = matcher(query, JOB_LISTS);
    const found: Doc[] = [];
    for (let i = low; i < this.order.length && found.length < limit; i++) {
      const doc = this.docs.get(this.order[i]!)!;
      if (test(doc)) found.push(doc);
    }
    return found;
  }

  private textOf(doc: Doc): Buffer {
    let text = this.texts.get(doc);
    if (text === undefined) this.texts.set(doc, (text = Buffer.from(JSON.stringify(doc))));
    return text;
  }

  private require(projectUid: string, uid: string): Doc {
    const doc = this.docs.get(`${projectUid}/${uid}`);
    if (!doc) throw new HttpError(404, `Job ${projectUid}/${uid} not found`);
    return doc;
  }

  /** Replaces a document (they are shared, frozen parts: never mutated in place). */
  private put(doc: Doc, changes: Doc): Doc {
    const next = { ...doc, ...changes };
    if (!('updated_at' in changes)) next.updated_at = this.now();
    this.docs.set(`${doc.project_uid}/${doc.uid}`, next);
    return next;
  }

  private random(): number {
    // xorshift: deterministic for a seed, no dependency.
    let x = this.rng || 1;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng / 0x1_0000_0000;
  }

  /** One activity step: move jobs in progress one status on, and queue finished ones again. */
  private step(): void {
    const jobs = this.listJobs();
    const moving = jobs.filter((d) => ['queued', 'launched', 'started', 'running', 'building'].includes(d.status as string));
    const want = this.options.activityJobs ?? 3;
    for (let i = 0; i < want; i++) {
      const pick = moving.length > want ? moving.splice(Math.floor(this.random() * moving.length), 1)[0] : undefined;
      const doc = pick ?? jobs[Math.floor(this.random() * jobs.length)];
      if (!doc) return;
      const next = NEXT_STATUS[doc.status as JobStatus] ?? (this.random() < 0.8 ? 'completed' : 'failed');
      const to: JobStatus = doc.status === 'running' ? (this.random() < 0.8 ? 'completed' : 'failed') : next;
      this.put(doc, statusFields(doc, to, this.now()));
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const send = (status: number, body: unknown) => {
      if (!(body instanceof JsonText)) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.byteLength });
      res.cork();
      for (const part of body.parts) res.write(part);
      res.end();
    };
    try {
      if (!url.pathname.startsWith('/api/cmd/')) throw new HttpError(404, 'Not Found');
      const path = url.pathname.slice('/api/cmd'.length);
      if (path === '/openapi.json' && req.method === 'GET') return send(200, this.openapi());
      const match = this.route(req.method ?? 'GET', path);
      if (!match) throw new HttpError(404, 'Not Found');
      const { operation, params } = match;
      if (!operation.summary.startsWith('sim.')) {
        this.requestsByOperation.set(operation.summary, (this.requestsByOperation.get(operation.summary) ?? 0) + 1);
        if (this.failures.count > 0) {
          this.failures.count--;
          throw new HttpError(this.failures.status, 'the stand-in was told to fail this request');
        }
      }
      const raw = await readBody(req);
      let user = 'anonymous';
      if (!operation.open) {
        const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
        const found = auth ? this.tokens.get(auth[1]!) : undefined;
        if (!found) throw new HttpError(401, 'Not authenticated');
        user = found;
      }
      let body: unknown = undefined;
      if (operation.body === 'form') body = new URLSearchParams(raw);
      else if (operation.body === 'json' && raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(422, 'the body is not JSON');
        }
      }
      return send(200, operation.handle({ params, query: url.searchParams, body, user }));
    } catch (error) {
      if (error instanceof HttpError) return send(error.status, { detail: error.message });
      return send(500, { detail: 'internal error' });
    }
  }

  private route(method: string, path: string): { operation: SimOperation; params: Record<string, string> } | undefined {
    for (const operation of this.operations) {
      if (operation.method.toUpperCase() !== method) continue;
      const names: string[] = [];
      const pattern = new RegExp(`^${operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
      const m = pattern.exec(path);
      if (m) return { operation, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return undefined;
  }

  private openapi(): unknown {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const pathParams = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const query = (op.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: {} }));
      (paths[op.path] ??= {})[op.method] = {
        summary: op.summary,
        operationId: op.summary.replace('.', '_'),
        parameters: [...pathParams, ...query],
        ...(op.body === 'json' ? { requestBody: { content: { 'application/json': { schema: {} } } } } : {}),
        ...(op.body === 'form' ? { requestBody: { content: { 'application/x-www-form-urlencoded': { schema: {} } } } } : {}),
        responses: { '200': { description: 'OK', content: { 'application/json': { schema: {} } } } },
      };
    }
    return { openapi: '3.1.0', info: { title: 'CryoSPARC stand-in (jobgraph cryosparc-sim)', version: SIM_VERSION }, paths, components: { schemas: {} } };
  }

  private defineOperations(): SimOperation[] {
    const J = '/v5sim/p/{project_uid}/jobs/{job_uid}';
    const act = (summary: string, verb: string, to: JobStatus): SimOperation => ({
      summary,
      method: 'post',
      path: `${J}/${verb}`,
      query: summary === 'jobs.enqueue' ? ['lane', 'hostname', 'gpus', 'no_check_inputs_ready', 'oversubscribe_gpus'] : summary === 'jobs.mark_failed' ? ['error'] : [],
      handle: ({ params }) => {
        const doc = this.require(params.project_uid!, params.job_uid!);
        const from = doc.status as JobStatus;
        if (!canTransition(from, to)) throw new HttpError(422, `Job ${doc.project_uid}/${doc.uid} is ${from}; it cannot become ${to}`);
        return this.put(doc, statusFields(doc, to, this.now()));
      },
    });
    const edit = (summary: string, verb: string, change: (doc: Doc, ctx: RequestContext) => Doc, extra: Partial<SimOperation> = {}): SimOperation => ({
      summary,
      method: 'post',
      path: `${J}/${verb}`,
      ...extra,
      handle: (ctx) => {
        const doc = this.require(ctx.params.project_uid!, ctx.params.job_uid!);
        return this.put(doc, change(doc, ctx));
      },
    });
    return [
      { summary: 'health', method: 'get', path: '/v5sim/ok', open: true, handle: () => 'OK' },
      { summary: 'config.get_version', method: 'get', path: '/v5sim/about/version', open: true, handle: () => SIM_VERSION },
      {
        summary: 'login',
        method: 'post',
        path: '/v5sim/session',
        body: 'form',
        open: true,
        handle: ({ body }) => {
          const form = body as URLSearchParams;
          const password = form.get('password') ?? '';
          if (form.get('username') !== this.email || password !== sha256Hex(this.password)) {
            throw new HttpError(401, password === this.password ? 'Plain passwords are refused: send the SHA-256 hex digest' : 'Invalid email or password');
          }
          const token = randomBytes(24).toString('hex');
          this.tokens.set(token, 'user-1');
          return { access_token: token, token_type: 'bearer' };
        },
      },
      {
        summary: 'projects.find',
        method: 'get',
        path: '/v5sim/projects/search',
        query: ['uid', 'deleted', 'order', 'after', 'limit', 'updated_at'],
        handle: ({ query }) => page(this.projects.filter((p) => matches(p, query, ['uid'])), query),
      },
      {
        summary: 'workspaces.find',
        method: 'get',
        path: '/v5sim/workspaces/search',
        query: ['uid', 'project_uid', 'deleted', 'order', 'after', 'limit', 'updated_at'],
        handle: ({ query }) => page(this.workspaces.filter((w) => matches(w, query, ['uid', 'project_uid'])), query),
      },
      {
        summary: 'jobs.find',
        method: 'get',
        path: '/v5sim/jobs/search',
        query: ['id', 'project_uid', 'workspace_uid', 'uid', 'type', 'status', 'updated_at', 'deleted', 'order', 'after', 'limit'],
        handle: ({ query }) => {
          const found = this.findJobs(query);
          this.jobsServed += found.length;
          return new JsonText([OPEN, ...found.flatMap((d, i) => (i === 0 ? [this.textOf(d)] : [COMMA, this.textOf(d)])), CLOSE]);
        },
      },
      {
        summary: 'jobs.find_one',
        method: 'get',
        path: `${J}/doc`,
        handle: ({ params }) => this.require(params.project_uid!, params.job_uid!),
      },
      act('jobs.enqueue', 'queue', 'queued'),
      act('jobs.kill', 'kill', 'killed'),
      act('jobs.clear', 'clear', 'building'),
      act('jobs.mark_completed', 'completed', 'completed'),
      act('jobs.mark_failed', 'failed', 'failed'),
      edit('jobs.set_title', 'title', (_doc, { query }) => ({ title: requireParam(query, 'title') }), { query: ['title'] }),
      edit('jobs.set_description', 'description', (_doc, { body }) => {
        if (typeof body !== 'string') throw new HttpError(422, 'the body must be a JSON string');
        return { description: body };
      }, { body: 'json' }),
      edit('jobs.set_priority', 'priority', (_doc, { query }) => {
        const priority = Number(requireParam(query, 'priority'));
        if (!Number.isInteger(priority)) throw new HttpError(422, 'priority must be an integer');
        return { priority };
      }, { query: ['priority'] }),
      edit('jobs.add_tag', 'tags/{tag_uid}/add', (doc, { params }) => ({ tags: [...new Set([...(doc.tags as string[]), params.tag_uid!])] })),
      edit('jobs.remove_tag', 'tags/{tag_uid}/remove', (doc, { params }) => ({ tags: (doc.tags as string[]).filter((t) => t !== params.tag_uid) })),
      edit('jobs.star_job', 'star', (doc, { user }) => ({ starred_by: [...new Set([...(doc.starred_by as string[]), user])] })),
      edit('jobs.unstar_job', 'unstar', (doc, { user }) => ({ starred_by: (doc.starred_by as string[]).filter((u) => u !== user) })),
      {
        summary: 'sim.set_status',
        method: 'post',
        path: `/v5sim/testing/{project_uid}/{job_uid}/status`,
        query: ['status', 'updated_at'],
        handle: ({ params, query }) => {
          const status = requireParam(query, 'status') as JobStatus;
          if (!(JOB_STATUSES as readonly string[]).includes(status)) throw new HttpError(422, `unknown status ${status}`);
          return this.setStatus(params.project_uid!, params.job_uid!, status, { updatedAt: query.get('updated_at') ?? undefined });
        },
      },
      {
        summary: 'sim.stats',
        method: 'get',
        path: '/v5sim/testing/stats',
        open: true,
        handle: () => ({ requests: this.requests, by_operation: Object.fromEntries(this.requestsByOperation) }),
      },
    ];
  }
}

/** What `config.get_version` answers: the generator's version, marked as the stand-in's. */
export const SIM_VERSION = `${SYNTHETIC_CRYOSPARC_VERSION}+jobgraph-sim`;

const NEXT_STATUS: Partial<Record<JobStatus, JobStatus>> = {
  building: 'queued',
  queued: 'launched',
  launched: 'started',
  started: 'running',
  completed: 'building',
  killed: 'building',
  failed: 'building',
};

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The fields a status change sets, as CryoSPARC keeps them. */
function statusFields(doc: Doc, to: JobStatus, now: string): Doc {
  const fields: Doc = { status: to, status_num: JOB_STATUSES.indexOf(to) };
  const stamp = STATUS_TIMESTAMP[to];
  if (stamp) fields[stamp] = now;
  fields.queue_status = to === 'queued' ? 'actively_queued' : null;
  if (to === 'completed') fields.completed_count = ((doc.completed_count as number) ?? 0) + 1;
  if (to === 'building') {
    for (const key of Object.values(STATUS_TIMESTAMP)) fields[key] = null;
    fields.errors_run = [];
    fields.has_error = false;
  }
  if (to === 'failed') fields.has_error = true;
  return fields;
}

function requireParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null) throw new HttpError(422, `missing query parameter ${name}`);
  return value;
}

const JOB_LISTS = ['project_uid', 'uid', 'status'] as const;

/** {@link matches} with the query read once, for many documents. */
function matcher(query: URLSearchParams, lists: readonly string[]): (doc: Doc) => boolean {
  const sets = lists.map((name) => [name, new Set(query.getAll(name))] as const).filter(([, values]) => values.size > 0);
  const ids = new Set(query.getAll('id'));
  const range = query.getAll('updated_at');
  const from = range[0] ? Date.parse(range[0]) : undefined;
  const to = range[1] ? Date.parse(range[1]) : undefined;
  const deleted = query.get('deleted');
  const wantDeleted = deleted === 'true' || deleted === '1';
  return (doc) => {
    for (const [name, values] of sets) if (!values.has(String(doc[name]))) return false;
    if (ids.size > 0 && !ids.has(String(doc._id))) return false;
    if (from !== undefined || to !== undefined) {
      const at = Date.parse(doc.updated_at as string);
      if (from !== undefined && at < from) return false;
      if (to !== undefined && at > to) return false;
    }
    return Boolean(doc.deleted) === wantDeleted;
  };
}

/** The reference's filters: list parameters match any value; `updated_at` is a (from, to) range; `deleted` defaults to false. */
function matches(doc: Doc, query: URLSearchParams, lists: readonly string[]): boolean {
  for (const name of lists) {
    const values = query.getAll(name);
    if (values.length > 0 && !values.includes(String(doc[name]))) return false;
  }
  const ids = query.getAll('id');
  if (ids.length > 0 && !ids.includes(String(doc._id))) return false;
  const range = query.getAll('updated_at');
  if (range.length > 0) {
    const at = Date.parse(doc.updated_at as string);
    if (range[0] && at < Date.parse(range[0])) return false;
    if (range[1] && at > Date.parse(range[1])) return false;
  }
  const deleted = query.get('deleted');
  return Boolean(doc.deleted) === (deleted === 'true' || deleted === '1');
}

/** Orders by `_id` (1 ascending, -1 descending), then `after` and `limit` (default 100). */
function page(docs: Doc[], query: URLSearchParams): Doc[] {
  const order = query.get('order') === '-1' ? -1 : 1;
  const after = query.get('after');
  const limit = Number(query.get('limit') ?? 100);
  let list = order === 1 ? docs : [...docs].reverse();
  if (after) list = list.filter((d) => (order === 1 ? (d._id as string) > after : (d._id as string) < after));
  return list.slice(0, Number.isInteger(limit) && limit > 0 ? limit : 100);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
