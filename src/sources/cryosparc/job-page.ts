/**
 * One page of `jobs.find`, from the answer's bytes to valid jobs and reports
 * of invalid ones: on the main thread for a small page, in a worker thread
 * (`job-page-worker.ts`) for a large one.
 */
import { UpstreamError } from '../../model/errors.js';
import { mayHoldUnstorableParts } from '../../model/document-limits.js';
import { type Job, safeParseJobDocument } from '../../model/job.js';
import type { DocumentSource } from '../../model/zod-helpers.js';
import { type DocumentProblem, zodProblems } from '../document-report.js';

export type RawDoc = Record<string, unknown>;

/** What paging needs of a page, known once it is parsed (before it is validated). */
export interface PageHead {
  /** Documents in the page. */
  count: number;
  /** `_id` (or `id`) of the last document: where the next page starts. */
  lastId: string | undefined;
  /** Latest `updated_at` of the page's documents ('' for none). */
  maxUpdated: string;
}

/** An invalid document: which job, and every problem found (zod issues, or why it cannot be stored). */
export interface InvalidDoc {
  uid: unknown;
  project_uid: unknown;
  problems: DocumentProblem[];
}

const utf8 = new TextDecoder();

/** A page's documents, and what is known of them from the text they were parsed from. */
export interface ParsedPage {
  docs: RawDoc[];
  source: DocumentSource;
}

/**
 * The documents of a page (an answer that is not an array counts as empty,
 * as CryoSPARC answers nothing else). The page's text is checked once for
 * what no database can store, so that its documents need not be walked one
 * by one when it holds none (almost always).
 * @throws UpstreamError when the bytes are not JSON
 */
export function parsePage(bytes: Uint8Array): ParsedPage {
  const text = utf8.decode(bytes);
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw notJson();
  }
  return { docs: Array.isArray(body) ? (body as RawDoc[]) : [], source: { storableText: !mayHoldUnstorableParts(text) } };
}

export function notJson(): UpstreamError {
  return new UpstreamError('CryoSPARC answered jobs.find with something that is not JSON.', { details: { operation: 'jobs.find' } });
}

export function pageHead(docs: readonly RawDoc[]): PageHead {
  let maxUpdated = '';
  for (const raw of docs) if (typeof raw?.updated_at === 'string' && raw.updated_at > maxUpdated) maxUpdated = raw.updated_at;
  const last = docs.at(-1);
  const lastId = last ? (last._id ?? last.id) : undefined;
  return { count: docs.length, lastId: typeof lastId === 'string' ? lastId : undefined, maxUpdated };
}

export function validateDoc(raw: unknown, source?: DocumentSource): { ok: true; job: Job } | { ok: false; invalid: InvalidDoc } {
  const parsed = safeParseJobDocument(raw, source);
  if (parsed.success) return { ok: true, job: parsed.data };
  return { ok: false, invalid: invalidDoc(raw, zodProblems(parsed.error, 'cryosparc')) };
}

export function invalidDoc(raw: unknown, problems: DocumentProblem[]): InvalidDoc {
  const doc = (raw ?? {}) as RawDoc;
  return { uid: doc.uid, project_uid: doc.project_uid, problems };
}
