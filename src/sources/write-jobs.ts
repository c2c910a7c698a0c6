/**
 * Writing validated job documents so that one bad document cannot cost the
 * others. Validation refuses everything we know a database refuses (NUL
 * characters, integer ranges, lengths); if a batch still fails on something
 * about its data, the documents are written again one at a time, each in
 * its own transaction through the same writer, and the ones the database
 * refuses become problems (`INVALID_DOCUMENT`) with the database's reason,
 * values left out. A database that is down, full or read-only is not a
 * problem of the documents: that error is thrown as before.
 */
import type { Logger } from 'pino';
import type { JobWriter } from '../events/job-writer.js';
import type { Job } from '../model/job.js';
import { UnavailableError } from '../model/errors.js';
import type { StoredStatusEvent, WriteJobsOptions } from '../store/job-store.js';
import type { DocumentProblem } from './document-report.js';

/** A valid job and where it came from, to locate a problem. */
export interface SourcedJob {
  job: Job;
  /** The file, or `"ingest"`. */
  source: string;
  /** NDJSON line or array index + 1. */
  line?: number;
}

export interface WriteJobsReport {
  created: number;
  updated: number;
  events: StoredStatusEvent[];
  /** One per document the database refused. */
  problems: DocumentProblem[];
}

// PostgreSQL SQLSTATE classes about the data: 22 data exception (out of range, bad text, bad JSON),
// 23 integrity constraint violation, 54 program limit exceeded (too deep, too large).
const PG_DATA_CLASSES = new Set(['22', '23', '54']);
// SQLite result codes about the data (extended codes start with these).
const SQLITE_DATA_CODES = /^SQLITE_(?:CONSTRAINT|TOOBIG|MISMATCH|RANGE)/;

/**
 * True when `error` is the database (or the serialisation before it)
 * refusing what it was given, rather than failing to work at all.
 */
export function isDocumentRefusal(error: unknown): boolean {
  if (error instanceof UnavailableError) return false;
  // JSON.stringify of a document nested too deeply; a string too long to build.
  if (error instanceof RangeError) return true;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (typeof code !== 'string') return false;
  return (/^[0-9A-Z]{5}$/.test(code) && PG_DATA_CLASSES.has(code.slice(0, 2))) || SQLITE_DATA_CODES.test(code);
}

/**
 * The database's reason without the values it quotes (a refused document's
 * text must not come back in a report or a log): `value "…" is out of range
 * for type integer` becomes `value is out of range for type integer`;
 * constraint, column and table names are kept.
 */
export function describeRefusal(error: unknown): string {
  if (error instanceof RangeError) return 'the document cannot be written as JSON (nested too deeply or too large)';
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const stripped = message
    .replace(/\b(constraint|column|table|relation|index|type) "([^"]*)"/g, (_, word: string, name: string) => `${word} \u0001${name}\u0001`)
    .replace(/\s*"[^"]*"/g, '')
    .replace(/\(([^()]*)\)=\([^()]*\)/g, '($1)')
    .replace(/\u0001/g, '"');
  return `the database refused the document: ${stripped.slice(0, 200)}`;
}

/**
 * Writes `jobs` in one transaction through `writer`; when that fails on
 * something about the data, writes them one at a time and reports each
 * refused document instead.
 * @throws the writer's error when the database itself fails (unreachable, full, read-only).
 */
export async function writeJobsReportingRefusals(writer: JobWriter, jobs: readonly SourcedJob[], logger?: Logger, options?: WriteJobsOptions): Promise<WriteJobsReport> {
  const report: WriteJobsReport = { created: 0, updated: 0, events: [], problems: [] };
  if (jobs.length === 0) return report;
  try {
    const result = await writer.writeJobs(jobs.map((j) => j.job), options);
    return { ...result, problems: [] };
  } catch (error) {
    if (!isDocumentRefusal(error)) throw error;
    if (jobs.length === 1) {
      report.problems.push(refusalProblem(jobs[0]!, error, logger));
      return report;
    }
    logger?.warn({ err: error, jobs: jobs.length }, 'the database refused a batch of documents; writing them one at a time');
  }
  for (const item of jobs) {
    try {
      const result = await writer.writeJobs([item.job], options);
      report.created += result.created;
      report.updated += result.updated;
      report.events.push(...result.events);
    } catch (error) {
      if (!isDocumentRefusal(error)) throw error;
      report.problems.push(refusalProblem(item, error, logger));
    }
  }
  report.events.sort((a, b) => a.seq - b.seq);
  return report;
}

function refusalProblem(item: SourcedJob, error: unknown, logger?: Logger): DocumentProblem {
  logger?.warn({ code: 'INVALID_DOCUMENT', source: item.source, line: item.line, job: item.job.uid, reason: describeRefusal(error) }, 'the database refused a document');
  const problem: DocumentProblem = { source: item.source, path: '', message: describeRefusal(error) };
  return item.line === undefined ? problem : { ...problem, line: item.line };
}
