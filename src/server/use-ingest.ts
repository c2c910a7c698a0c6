/**
 * `POST /ingest`: push CryoSPARC job documents (v5 or v4 shape) over HTTP.
 *
 * - `content-type: application/json`: one document or an array of documents;
 *   malformed JSON is `400 BAD_REQUEST`.
 * - `content-type: application/x-ndjson`: one document per line, blank lines
 *   ignored; a malformed line is a problem for that line, the others are stored.
 *
 * Every valid document is stored in one `writer.writeJobs` call (one
 * transaction; status events for created jobs and moved statuses). Answers
 * `200 {"stored", "events", "problems"}` when something was stored or nothing
 * was wrong, `422 {"code": "INVALID_DOCUMENT", …}` when every document was
 * invalid, `413 PAYLOAD_TOO_LARGE`, `415 UNSUPPORTED_MEDIA_TYPE`, and `405` for
 * other methods. Problems locate each document by `line` (NDJSON line, or array
 * index + 1) and each field by its dotted zod `path`.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { JobWriter } from '../events/job-writer.js';
import { type Access, canWrite } from '../model/access.js';
import { UnavailableError } from '../model/errors.js';
import { type Job, safeParseJobDocument } from '../model/job.js';
import { type DocumentProblem, jsonSyntaxProblem, parseJsonText, zodProblems } from '../ingest/document-report.js';

export interface IngestEndpointOptions {
  /** Stores the documents and publishes their status events. */
  writer: JobWriter;
  /** Who is calling (throws UNAUTHENTICATED); documents of projects it may not write are reported, not stored. @default full access */
  authorize?: (request: Request) => Access;
  logger: Logger;
  /** URL path of the endpoint. @default '/ingest' */
  path?: string;
  /** Largest accepted request body in bytes. @default 10 MiB */
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

class PayloadTooLarge extends Error {}

type FetchAPI = Parameters<NonNullable<Plugin['onRequest']>>[0]['fetchAPI'];

function jsonResponse(fetchAPI: FetchAPI, status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Reads the body as UTF-8, giving up as soon as it exceeds `maxBytes`. */
async function readBody(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Validates parsed documents, sorting them into `jobs` and `problems` (`line` is absent for a lone document). */
function validate(documents: readonly { value: unknown; line?: number }[], jobs: Job[], problems: DocumentProblem[]) {
  for (const { value, line } of documents) {
    const parsed = safeParseJobDocument(value);
    if (parsed.success) jobs.push(parsed.data);
    else problems.push(...zodProblems(parsed.error, SOURCE, line));
  }
}

/** The `POST /ingest` endpoint as a yoga plugin (handled in `onRequest`, before GraphQL). */
export function useIngestEndpoint({ writer, logger, authorize, path = '/ingest', maxBodyBytes = 10 * 1024 * 1024 }: IngestEndpointOptions): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== path) return;
      if (request.method !== 'POST') {
        return endResponse(
          jsonResponse(fetchAPI, 405, { code: 'METHOD_NOT_ALLOWED', message: `use POST on ${path}` }, { allow: 'POST' }),
        );
      }
      let access: Access | undefined;
      try {
        access = authorize?.(request);
      } catch (error) {
        return endResponse(jsonResponse(fetchAPI, 401, { code: 'UNAUTHENTICATED', message: (error as Error).message }, { 'www-authenticate': 'Bearer' }));
      }
      const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (mediaType !== JSON_TYPE && mediaType !== NDJSON_TYPE) {
        return endResponse(
          jsonResponse(fetchAPI, 415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: `expected ${JSON_TYPE} or ${NDJSON_TYPE}` }),
        );
      }
      // The rest of the body stays unread, so the connection cannot carry another request.
      const tooLarge = () =>
        endResponse(
          jsonResponse(fetchAPI, 413, { code: 'PAYLOAD_TOO_LARGE', message: `the body exceeds ${maxBodyBytes} bytes` }, { connection: 'close' }),
        );
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > maxBodyBytes) return tooLarge();
      let text: string;
      try {
        text = await readBody(request, maxBodyBytes);
      } catch (error) {
        if (error instanceof PayloadTooLarge) return tooLarge();
        throw error;
      }

      const jobs: Job[] = [];
      const problems: DocumentProblem[] = [];
      if (mediaType === JSON_TYPE) {
        const parsed = parseJsonText(text, SOURCE);
        if (!parsed.ok) {
          return endResponse(jsonResponse(fetchAPI, 400, { code: 'BAD_REQUEST', message: `malformed JSON: ${parsed.problem.message}` }));
        }
        const documents = Array.isArray(parsed.value) ? parsed.value.map((value: unknown, i) => ({ value, line: i + 1 })) : [{ value: parsed.value }];
        validate(documents, jobs, problems);
      } else {
        const documents: { value: unknown; line: number }[] = [];
        text.split('\n').forEach((raw, i) => {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (line.trim() === '') return;
          try {
            documents.push({ value: JSON.parse(line) as unknown, line: i + 1 });
          } catch (error) {
            problems.push(jsonSyntaxProblem(error, line, SOURCE, i + 1));
          }
        });
        validate(documents, jobs, problems);
        // Keep problems in line order whatever kind they are.
        problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      }

      if (access && !access.admin) {
        for (let i = jobs.length - 1; i >= 0; i--) {
          if (!canWrite(access, jobs[i]!.project_uid)) {
            problems.push({ source: SOURCE, path: 'project_uid', message: `no write access to project ${jobs[i]!.project_uid} (job ${jobs[i]!.uid})` });
            jobs.splice(i, 1);
          }
        }
      }
      let stored = 0;
      let events = 0;
      if (jobs.length > 0) {
        try {
          const result = await writer.writeJobs(jobs);
          stored = result.created + result.updated;
          events = result.events.length;
        } catch (error) {
          if (error instanceof UnavailableError) {
            return endResponse(jsonResponse(fetchAPI, 503, { code: 'SERVICE_UNAVAILABLE', message: error.message, retryable: true }));
          }
          logger.error({ err: error, jobs: jobs.length }, 'ingest: storing the documents failed');
          return endResponse(jsonResponse(fetchAPI, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'storing the documents failed' }));
        }
      }
      const body: IngestResponseBody = { stored, events, problems };
      if (stored === 0 && problems.length > 0) {
        logger.info({ problems: problems.length }, 'ingest: every document was invalid');
        return endResponse(jsonResponse(fetchAPI, 422, { code: 'INVALID_DOCUMENT', message: 'no valid job document', ...body }));
      }
      logger.info({ stored, events, problems: problems.length }, 'ingest: stored job documents');
      return endResponse(jsonResponse(fetchAPI, 200, body));
    },
  };
}
