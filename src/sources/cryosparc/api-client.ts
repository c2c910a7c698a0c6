/**
 * A client of CryoSPARC's command API built on the public client's contract
 * (`../shared/reference/cryosparc-api.md`) and nothing more:
 *
 * - the OpenAPI document at `<base>/api/cmd/openapi.json` names each
 *   operation by its `summary` (`jobs.find`, `login`); paths are the
 *   server's business and are never written here;
 * - path parameters are filled in the order they appear in the path; list
 *   and tuple query values go out as the same key repeated;
 * - `Authorization: Bearer <token>` on every request; the token comes from
 *   `--cryosparc-token` or from `login` (a form whose password is the
 *   SHA-256 hex digest of the user's password);
 * - a 2xx answer is decoded as JSON; anything else is an error.
 *
 * Errors are coded: a transport failure, a timeout or a 5xx answer is
 * {@link UpstreamUnavailableError} (retryable); a 4xx answer is
 * {@link UpstreamError} carrying CryoSPARC's own message. Neither ever
 * carries the token or the password.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { UpstreamError, UpstreamUnavailableError } from '../../model/errors.js';

/** How to authenticate: a token as is, or an email and password to `login` with. */
export type CryosparcCredentials = { token: string } | { email: string; password: string };

export interface CryosparcClientOptions {
  /** Base URL of the instance, e.g. `http://cryosparc:61000` (the API is under `/api/cmd`). */
  baseUrl: string;
  credentials: CryosparcCredentials;
  /** Longest one request may take before the instance counts as unreachable. @default 15000 */
  timeoutMs?: number;
  /** Called once per HTTP request sent to the instance, with the operation's summary (metrics). */
  onRequest?: (summary: string) => void;
}

/** One operation of the OpenAPI document. */
interface Operation {
  method: string;
  path: string;
  /** Names of the path parameters, in the order they appear in the path. */
  pathParams: string[];
  /** Declared query and header parameters, by name. */
  params: Map<string, 'query' | 'header'>;
  hasBody: boolean;
}

/** The instance cannot be used as configured: an operation jobgraph needs is missing, or login was refused. */
export class CryosparcSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CryosparcSetupError';
  }
}

/** The answer of one call, with the instance's clock when it answered (from the `Date` header). */
export interface CallResult<T = unknown> {
  body: T;
  /** Milliseconds since the epoch by the instance's clock (second precision), or undefined without a `Date` header. */
  serverTimeMs: number | undefined;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

export interface CallArgs {
  /** Path parameters, in path order. */
  path?: readonly string[];
  /** Named arguments: declared query or header parameters go there, remaining path parameters by name, the rest in the JSON body. */
  args?: Readonly<Record<string, QueryValue | unknown>>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class CryosparcClient {
  readonly apiUrl: string;
  private operations = new Map<string, Operation>();
  private token: string | undefined;
  private readonly timeoutMs: number;
  private httpAgent: http.Agent | undefined;
  private httpsAgent: https.Agent | undefined;
  /** CryoSPARC's version (`config.get_version`), once discovered. */
  version = 'unknown version';

  constructor(private readonly options: CryosparcClientOptions) {
    this.apiUrl = `${options.baseUrl.replace(/\/+$/, '')}/api/cmd`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    if ('token' in options.credentials) this.token = options.credentials.token;
  }

  /**
   * Reads the OpenAPI document, logs in when needed and reads the version.
   * @throws CryosparcSetupError when an operation of `required` is missing or login is refused
   * @throws UpstreamUnavailableError when the instance cannot be reached
   */
  async connect(required: readonly string[]): Promise<void> {
    const document = await this.fetchJson(`${this.apiUrl}/openapi.json`, { method: 'GET' }, 'openapi');
    this.operations = parseOperations(document.body);
    if (this.operations.has('config.get_version')) {
      try {
        const version = (await this.call<unknown>('config.get_version')).body;
        if (typeof version === 'string') this.version = version;
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
      }
    }
    const needed = 'token' in this.options.credentials ? required : ['login', ...required];
    const missing = needed.filter((summary) => !this.operations.has(summary));
    if (missing.length > 0) {
      throw new CryosparcSetupError(
        `${this.options.baseUrl} (CryoSPARC ${this.version}) does not offer the operation${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} that jobgraph needs to follow it`,
      );
    }
    if (!this.token) {
      try {
        await this.login();
      } catch (error) {
        if (error instanceof UpstreamError) throw new CryosparcSetupError(`${this.options.baseUrl} (CryoSPARC ${this.version}) refused the login: ${error.message}`);
        throw error;
      }
    }
  }

  has(summary: string): boolean {
    return this.operations.has(summary);
  }

  /**
   * Calls the operation named `summary`. A 401 answer with email and
   * password configured logs in again and retries once.
   */
  async call<T = unknown>(summary: string, callArgs: CallArgs = {}): Promise<CallResult<T>> {
    const { body: bytes, serverTimeMs } = await this.callBytes(summary, callArgs);
    return { body: decodeJson(bytes, summary) as T, serverTimeMs };
  }

  /**
   * Like {@link call}, but answers with the body's bytes, not decoded: a large
   * answer (a page of jobs) can then be parsed elsewhere (a worker thread).
   */
  async callBytes(summary: string, { path = [], args = {} }: CallArgs = {}): Promise<CallResult<Uint8Array>> {
    const operation = this.operations.get(summary);
    if (!operation) throw new UpstreamError(`CryoSPARC does not offer the operation "${summary}".`);
    const request = buildRequest(this.apiUrl, operation, summary, path, args);
    try {
      return await this.fetchBytes(request.url, { method: operation.method, headers: request.headers, body: request.body }, summary);
    } catch (error) {
      if (error instanceof UpstreamError && error.details?.status === 401 && 'email' in this.options.credentials) {
        await this.login();
        return await this.fetchBytes(request.url, { method: operation.method, headers: request.headers, body: request.body }, summary);
      }
      throw error;
    }
  }

  private async login(): Promise<void> {
    const credentials = this.options.credentials as { email: string; password: string };
    const operation = this.operations.get('login')!;
    const form = new URLSearchParams({ username: credentials.email, password: sha256Hex(credentials.password), grant_type: 'password' });
    const url = `${this.apiUrl}${operation.path}`;
    this.token = undefined;
    const { body } = await this.fetchJson(url, { method: operation.method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, 'login');
    const token = (body as { access_token?: unknown } | null)?.access_token;
    if (typeof token !== 'string' || token === '') throw new UpstreamError('CryoSPARC answered the login without an access token.');
    this.token = token;
  }

  private async fetchJson(url: string, init: { method: string; headers?: Record<string, string>; body?: string | undefined }, summary: string): Promise<CallResult> {
    const { body: bytes, serverTimeMs } = await this.fetchBytes(url, init, summary);
    return { body: decodeJson(bytes, summary), serverTimeMs };
  }

  private async fetchBytes(url: string, init: { method: string; headers?: Record<string, string>; body?: string | undefined }, summary: string): Promise<CallResult<Uint8Array>> {
    this.options.onRequest?.(summary);
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let response: RawResponse;
    try {
      response = await this.request(url, { method: init.method, headers, body: init.body });
    } catch (error) {
      throw new UpstreamUnavailableError(`CryoSPARC cannot be reached (${describeTransportError(error)}); retry shortly.`, { details: { operation: summary } });
    }
    const { bytes } = response;
    const dateHeader = response.date;
    const serverTimeMs = dateHeader ? Date.parse(dateHeader) : undefined;
    if (response.status >= 500) {
      throw new UpstreamUnavailableError(`CryoSPARC failed to answer ${summary} (HTTP ${response.status}): ${upstreamMessage(utf8.decode(bytes))}`, { details: { operation: summary, status: response.status } });
    }
    if (response.status >= 400 || response.status < 200 || response.status >= 300) {
      throw new UpstreamError(`CryoSPARC refused ${summary} (HTTP ${response.status}): ${upstreamMessage(utf8.decode(bytes))}`, { details: { operation: summary, status: response.status } });
    }
    return { body: bytes, serverTimeMs: Number.isNaN(serverTimeMs) ? undefined : serverTimeMs };
  }

  /**
   * One HTTP exchange with node:http (over keep-alive connections): a page
   * of jobs is megabytes, and its bytes arrive here with one copy, to be
   * handed to a worker as they are. Fails on a transport error or after the timeout.
   */
  private request(url: string, init: { method: string; headers: Record<string, string>; body?: string | undefined }): Promise<RawResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const agent = secure ? (this.httpsAgent ??= new https.Agent({ keepAlive: true })) : (this.httpAgent ??= new http.Agent({ keepAlive: true }));
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    return new Promise<RawResponse>((resolve, reject) => {
      const request = (secure ? https : http).request(target, { method: init.method, headers, agent, signal: AbortSignal.timeout(this.timeoutMs) }, (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
        });
        response.on('end', () => {
          // A fresh buffer of its own (never a slice of Node's shared pool), so that it can be transferred to a worker.
          const bytes = new Uint8Array(length);
          let offset = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, offset);
            offset += chunk.length;
          }
          resolve({ status: response.statusCode ?? 0, date: response.headers.date, bytes });
        });
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(init.body);
    });
  }
}

interface RawResponse {
  status: number;
  date: string | undefined;
  bytes: Uint8Array;
}

const utf8 = new TextDecoder();

/**
 * The JSON value of an answer's body (null for an empty one).
 * @throws UpstreamError when it is not JSON
 */
export function decodeJson(bytes: Uint8Array, summary: string): unknown {
  const text = utf8.decode(bytes);
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    throw new UpstreamError(`CryoSPARC answered ${summary} with something that is not JSON.`, { details: { operation: summary } });
  }
}

/** `ECONNREFUSED`, `timed out`, … — never the request (which carries the token). */
function describeTransportError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timed out';
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return 'connection failed';
}

/** CryoSPARC's error text from a JSON error body (`detail` or `message`), else the body, bounded. */
function upstreamMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { detail?: unknown; message?: unknown; error?: unknown };
    const detail = body.detail ?? body.message ?? body.error;
    message = typeof detail === 'string' ? detail : JSON.stringify(detail ?? body);
  } catch {
    // not JSON: the text as is
  }
  message = message.replace(/\s+/g, ' ').trim();
  return message.length > 500 ? `${message.slice(0, 500)}…` : message || '(no message)';
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Operations by summary, from an OpenAPI document. */
function parseOperations(document: unknown): Map<string, Operation> {
  const doc = document as { info?: unknown; paths?: Record<string, Record<string, unknown>>; components?: unknown } | null;
  if (!doc || typeof doc !== 'object' || !doc.info || !doc.paths || typeof doc.paths !== 'object') {
    throw new CryosparcSetupError('the OpenAPI document at /api/cmd/openapi.json lacks info or paths: is this a CryoSPARC v5 instance?');
  }
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item?.[method] as { summary?: unknown; parameters?: { name?: unknown; in?: unknown }[]; requestBody?: unknown } | undefined;
      if (!op || typeof op.summary !== 'string') continue;
      const params = new Map<string, 'query' | 'header'>();
      for (const p of op.parameters ?? []) if (typeof p.name === 'string' && (p.in === 'query' || p.in === 'header')) params.set(p.name, p.in);
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      operations.set(op.summary, { method: method.toUpperCase(), path, pathParams, params, hasBody: op.requestBody !== undefined });
    }
  }
  return operations;
}

function buildRequest(apiUrl: string, operation: Operation, summary: string, positional: readonly string[], args: Readonly<Record<string, unknown>>) {
  const rest = new Map(Object.entries(args).filter(([, value]) => value !== undefined));
  let index = 0;
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    let value: unknown;
    if (index < positional.length) value = positional[index];
    else if (rest.has(name)) value = rest.get(name);
    else throw new UpstreamError(`jobgraph cannot fill the path parameter "${name}" of ${summary}.`);
    rest.delete(name);
    index++;
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const [name, where] of operation.params) {
    if (!rest.has(name)) continue;
    const value = rest.get(name);
    rest.delete(name);
    if (value === null) continue; // as the public client does: a null is left out
    if (where === 'header') headers[name] = String(value);
    else for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  let body: string | undefined;
  if (operation.hasBody && rest.size > 0) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(rest.size === 1 ? [...rest.values()][0] : Object.fromEntries(rest));
  }
  const search = query.toString();
  return { url: `${apiUrl}${path}${search ? `?${search}` : ''}`, headers, body };
}
