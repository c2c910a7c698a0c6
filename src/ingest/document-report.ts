/**
 * Per-document problems found while ingesting CryoSPARC documents (import,
 * watch, the HTTP ingest endpoint): where the document came from, which field
 * failed, and why. One entry per zod issue; a JSON syntax error is one entry
 * for the whole document.
 */
import type { z } from 'zod';

/** One problem with one document. */
export interface DocumentProblem {
  /** The file the document was read from, or `"ingest"` for the HTTP endpoint. */
  source: string;
  /** 1-based NDJSON line, or JSON array index + 1; absent for a single document. */
  line?: number;
  /** The zod issue path joined with dots (`spec.inputs.particles.connections.0.job_uid`); `""` for the root. */
  path: string;
  message: string;
}

/** Something carrying zod issues: a `ZodError` or a failed safe-parse's `error`. */
export interface HasZodIssues {
  readonly issues: readonly z.core.$ZodIssue[];
}

function problem(source: string, line: number | undefined, path: string, message: string): DocumentProblem {
  return line === undefined ? { source, path, message } : { source, line, path, message };
}

function issueProblems(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], source: string, line: number | undefined): DocumentProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A bare "Invalid input" names no field; report the branch that came closest, as formatZodIssues does.
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    if (closest.length > 0) return closest.flatMap((inner) => issueProblems(inner, path, source, line));
  }
  return [problem(source, line, path.map(String).join('.'), issue.message.replace(/^Invalid input: /, ''))];
}

/** One {@link DocumentProblem} per zod issue of `error` (a union issue reports its closest branch). */
export function zodProblems(error: HasZodIssues, source: string, line?: number): DocumentProblem[] {
  return error.issues.flatMap((issue) => issueProblems(issue, [], source, line));
}

/** Line and column (1-based) of a character offset in `text`. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The problem for a document that is not JSON: path `""` and the parser's
 * message, with the line and column added when the parser gave a position
 * (only the column when `text` is a single line, e.g. one NDJSON line).
 */
export function jsonSyntaxProblem(error: unknown, text: string, source: string, line?: number): DocumentProblem {
  let message = (error instanceof Error ? error.message : String(error)).replace(/\r?\n/g, '\\n');
  const offset = /at position (\d+)/.exec(message)?.[1] ?? (/end of JSON input/.test(message) ? String(text.length) : undefined);
  if (offset !== undefined && !/\bline \d+/.test(message)) {
    const where = lineColumn(text, Number(offset));
    message += text.includes('\n') ? ` (line ${where.line} column ${where.column})` : ` (column ${where.column})`;
  }
  return problem(source, line, '', message);
}

/**
 * Parses JSON text, turning a syntax error into a problem instead of throwing.
 * `source`/`line` locate the problem.
 */
export function parseJsonText(text: string, source: string, line?: number): { ok: true; value: unknown } | { ok: false; problem: DocumentProblem } {
  try {
    // A byte-order mark is not JSON but some Windows tools write one.
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown };
  } catch (error) {
    return { ok: false, problem: jsonSyntaxProblem(error, text, source, line) };
  }
}

/** `file[:line]: path: message`, the one-line form printed by the CLI (`(root)` for an empty path). */
export function formatDocumentProblem(p: DocumentProblem): string {
  return `${p.source}${p.line === undefined ? '' : `:${p.line}`}: ${p.path === '' ? '(root)' : p.path}: ${p.message}`;
}
