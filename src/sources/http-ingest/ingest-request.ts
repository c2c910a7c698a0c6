/**
 * `POST /ingest`: push CryoSPARC job documents (v5 or v4 shape) over HTTP.
 *
 * - `content-type: application/json`: one document or an array of documents;
 *   malformed JSON is `400 BAD_REQUEST`.
 * - `content-type: application/x-ndjson`: one document per line, blank lines
 *   ignored; a malformed line is a problem for that line, the others are stored.
 *
 * The body must be UTF-8: for JSON an invalid byte sequence is `400`, for
 * NDJSON it is a problem of its line. Documents are validated with every
 * limit the database needs (canonical uids, uid numbers that agree with the
 * uids, no NUL characters or lone surrogates anywhere, 32-bit integers,
 * titles up to 200 characters; see `model/document-limits.ts`).
 *
 * Every valid document is stored in one `writer.writeJobs` call (one
 * transaction; status events for created jobs and moved statuses); should
 * the database still refuse that batch, the documents are written one at a
 * time and the refused ones reported (`sources/write-jobs.ts`), so bad
 * documents never cost the good ones nor answer 5xx. Answers
 * `200 {"stored", "events", "problems"}` when something was stored or nothing
 * was wrong, `422 {"code": "INVALID_DOCUMENT", …}` when every document was
 * invalid, `413 PAYLOAD_TOO_LARGE`, `415 UNSUPPORTED_MEDIA_TYPE`, and `405` for
 * other methods. Problems locate each document by `line` (NDJSON line, or array
 * index + 1) and each field by its dotted zod `path`.
 *
 * This module answers a Fetch API `Request`; the yoga plugin that routes
 * `POST /ingest` to it is `server/use-ingest.ts`.
 */
import type { Logger } from 'pino';
import type { JobWriter } from '../../events/job-writer.js';
import { type Access, canWrite } from '../../model/access.js';
import { MAX_DOCUMENT_BYTES } from '../../model/document-limits.js';
import { UnavailableError } from '../../model/errors.js';
import { safeParseJobDocument } from '../../model/job.js';
import { type DocumentProblem, parseJsonText, zodProblems } from '../document-report.js';
import { readBodyAtMost } from './read-body.js';
import { type SourcedJob, writeJobsReportingRefusals } from '../write-jobs.js';

export interface IngestRequestOptions {
  /** Stores the documents and publishes their status events. */
  writer: JobWriter;
  /** Who is calling (throws UNAUTHENTICATED); documents of projects it may not write are reported, not stored. @default full access */
  authorize?: (request: Request) => Access;
  logger: Logger;
  /** URL path of the endpoint, named in the answer to another method. */
  path: string;
  /** Largest accepted request body in bytes. @default MAX_DOCUMENT_BYTES (10 MiB, also the cap of a `job.json` in import and watch) */
  maxBodyBytes?: number;
}

/** What `POST /ingest` answers with 200 (and, with `code`, 422). */
export interface IngestResponseBody {
  stored: number;
  events: number;
  problems: DocumentProblem[];
}

const SOURCE = 'ingest';
const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The server's Fetch API implementation, whose `Response` the answers are built with. */
export interface FetchAPI {
  Response: typeof Response;
}

function jsonResponse(fetchAPI: FetchAPI, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** UTF-8 text of `bytes`, or undefined when they are not UTF-8 (never U+FFFD in place of a bad sequence). */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Validates parsed documents, sorting them into `jobs` and `problems` (`line`
 * is absent for a lone document); `text` is the JSON they were parsed from.
 */
function validate(documents: readonly { value: unknown; text: string; line?: number }[], jobs: SourcedJob[], problems: DocumentProblem[]) {
  for (const { value, text, line } of documents) {
    const parsed = safeParseJobDocument(value, { text });
    if (parsed.success) jobs.push(line === undefined ? { job: parsed.data, source: SOURCE } : { job: parsed.data, source: SOURCE, line });
    else problems.push(...zodProblems(parsed.error, SOURCE, line));
  }
}

/** The lines of an NDJSON body as documents or problems; blank lines are skipped. */
function ndjsonDocuments(body: Uint8Array, problems: DocumentProblem[]): { value: unknown; text: string; line: number }[] {
  const documents: { value: unknown; text: string; line: number }[] = [];
  // Split the bytes, not the text: a line of invalid UTF-8 is that line's problem only (0x0A never occurs inside a UTF-8 sequence).
  for (let start = 0, number = 1; start < body.length; number++) {
    let end = body.indexOf(10, start);
    if (end === -1) end = body.length;
    const bytes = body.subarray(start, end > start && body[end - 1] === 13 ? end - 1 : end);
    start = end + 1;
    const line = decodeUtf8(bytes);
    if (line === undefined) {
      problems.push({ source: SOURCE, line: number, path: '', message: 'the line is not valid UTF-8' });
      continue;
    }
    if (line.trim() === '') continue;
    const parsed = parseJsonText(line, SOURCE, number);
    if (parsed.ok) documents.push({ value: parsed.value, text: line, line: number });
    else problems.push(parsed.problem);
  }
  return documents;
}

/** Answers one request to the ingest endpoint (any method: only POST stores). */
export async function handleIngestRequest(
  request: Request,
  fetchAPI: FetchAPI,
  { writer, logger, authorize, path, maxBodyBytes = MAX_DOCUMENT_BYTES }: IngestRequestOptions,
): Promise<Response> {
  if (request.method !== 'POST') {
    return jsonResponse(fetchAPI, 405, { code: 'METHOD_NOT_ALLOWED', message: `use POST on ${path}` }, { allow: 'POST' });
  }
  let access: Access | undefined;
  try {
    access = authorize?.(request);
  } catch (error) {
    return jsonResponse(fetchAPI, 401, { code: 'UNAUTHENTICATED', message: (error as Error).message }, { 'www-authenticate': 'Bearer' });
  }
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== JSON_TYPE && mediaType !== NDJSON_TYPE) {
    return jsonResponse(fetchAPI, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: `expected ${JSON_TYPE} or ${NDJSON_TYPE}` });
  }
  // The rest of the body stays unread, so the connection cannot carry another request.
  const tooLarge = () =>
    jsonResponse(fetchAPI, 413, { code: 'PAYLOAD_TOO_LARGE', message: `the body exceeds ${maxBodyBytes} bytes` }, { connection: 'close' });
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBodyBytes) return tooLarge();
  const bytes = await readBodyAtMost(request, maxBodyBytes);
  if (!bytes) return tooLarge();

  const jobs: SourcedJob[] = [];
  const problems: DocumentProblem[] = [];
  if (mediaType === JSON_TYPE) {
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      return jsonResponse(fetchAPI, 400, { code: 'BAD_REQUEST', message: 'the body is not valid UTF-8' });
    }
    const parsed = parseJsonText(text, SOURCE);
    if (!parsed.ok) {
      return jsonResponse(fetchAPI, 400, { code: 'BAD_REQUEST', message: `malformed JSON: ${parsed.problem.message}` });
    }
    const documents = Array.isArray(parsed.value) ? parsed.value.map((value: unknown, i) => ({ value, text, line: i + 1 })) : [{ value: parsed.value, text }];
    validate(documents, jobs, problems);
  } else {
    validate(ndjsonDocuments(bytes, problems), jobs, problems);
    // Keep problems in line order whatever kind they are.
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  }

  if (access && !access.admin) {
    for (let i = jobs.length - 1; i >= 0; i--) {
      const { job } = jobs[i]!;
      if (!canWrite(access, job.project_uid)) {
        problems.push({ source: SOURCE, path: 'project_uid', message: `no write access to project ${job.project_uid} (job ${job.uid})` });
        jobs.splice(i, 1);
      }
    }
  }
  let stored = 0;
  let events = 0;
  if (jobs.length > 0) {
    try {
      // A document the database refuses after all becomes a problem; the others are stored.
      const result = await writeJobsReportingRefusals(writer, jobs, logger);
      stored = result.created + result.updated;
      events = result.events.length;
      if (result.problems.length > 0) {
        problems.push(...result.problems);
        problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      }
    } catch (error) {
      if (error instanceof UnavailableError) {
        return jsonResponse(fetchAPI, 503, { code: 'SERVICE_UNAVAILABLE', message: error.message, retryable: true });
      }
      logger.error({ err: error, jobs: jobs.length }, 'ingest: storing the documents failed');
      return jsonResponse(fetchAPI, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'storing the documents failed' });
    }
  }
  const body: IngestResponseBody = { stored, events, problems };
  if (stored === 0 && problems.length > 0) {
    logger.info({ problems: problems.length }, 'ingest: every document was invalid');
    return jsonResponse(fetchAPI, 422, { code: 'INVALID_DOCUMENT', message: 'no valid job document', ...body });
  }
  logger.info({ stored, events, problems: problems.length }, 'ingest: stored job documents');
  return jsonResponse(fetchAPI, 200, body);
}
