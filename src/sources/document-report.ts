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

/** JSON whitespace. */
function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/**
 * The offset at which a strict JSON parser gives up on `text` (its length
 * for a text that ends too early), or -1 for valid JSON. Only run for a text
 * that `JSON.parse` refused, to place an error whose message has no position:
 * iterative, so any nesting depth is fine.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: boolean[] = []; // true: inside an object
  let i = 0;
  let state: 'value' | 'key' | 'after' = 'value';
  const skipSpace = () => {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
  };
  /** At an opening quote: moves past the string, or returns false with `i` at the fault. */
  const string = (): boolean => {
    i++;
    while (i < n) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i++;
        return true;
      }
      if (code < 32) return false;
      if (code === 92) {
        const escape = text[i + 1];
        if (escape === 'u') {
          HEX4.lastIndex = i + 2;
          if (!HEX4.test(text)) return false;
          i += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) i += 2;
        else return false;
        continue;
      }
      i++;
    }
    return false;
  };
  for (;;) {
    skipSpace();
    if (state === 'value') {
      if (i >= n) return n;
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skipSpace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i++;
          state = 'after';
        } else {
          stack.push(c === '{');
          state = c === '{' ? 'key' : 'value';
        }
      } else if (c === '"') {
        if (!string()) return i;
        state = 'after';
      } else if (c === 't' || c === 'f' || c === 'n') {
        const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
        for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return i;
        state = 'after';
      } else {
        NUMBER.lastIndex = i;
        if (!NUMBER.test(text)) return i;
        i = NUMBER.lastIndex;
        state = 'after';
      }
    } else if (state === 'key') {
      if (text[i] !== '"' || !string()) return i;
      skipSpace();
      if (text[i] !== ':') return i;
      i++;
      state = 'value';
    } else {
      if (stack.length === 0) return i < n ? i : -1;
      const inObject = stack[stack.length - 1];
      if (text[i] === ',') {
        i++;
        state = inObject ? 'key' : 'value';
      } else if (text[i] === (inObject ? '}' : ']')) {
        i++;
        stack.pop();
      } else return i;
    }
  }
}

/**
 * What went wrong, in the parser's words where those hold no part of the
 * text: V8 quotes the text around some errors (`Unexpected token 'x', "…" is
 * not valid JSON`), and a file's contents must never appear in a report.
 */
function jsonErrorReason(message: string): string {
  if (/^Unexpected end of JSON input/.test(message)) return 'unexpected end of input';
  const at = / (?:in JSON )?at position \d+/.exec(message);
  if (!at || /^Unexpected token/.test(message)) return 'unexpected character';
  const reason = message.slice(0, at.index);
  return /["\\]/.test(reason) ? 'unexpected character' : reason.charAt(0).toLowerCase() + reason.slice(1);
}

/**
 * The problem for a document that is not JSON: path `""`, a short reason and
 * where (`line L column C`; only the column when `text` is a single line,
 * e.g. one NDJSON line). Never quotes the text.
 */
export function jsonSyntaxProblem(error: unknown, text: string, source: string, line?: number): DocumentProblem {
  const message = error instanceof Error ? error.message : String(error);
  const position = / (?:in JSON )?at position (\d+)/.exec(message)?.[1];
  let offset = /^Unexpected end of JSON input/.test(message) ? text.length : position !== undefined ? Number(position) : jsonErrorOffset(text);
  if (offset < 0) offset = 0;
  const where = lineColumn(text, offset);
  const place = text.includes('\n') ? `line ${where.line} column ${where.column}` : `column ${where.column}`;
  return problem(source, line, '', `not valid JSON: ${jsonErrorReason(message)} (${place})`);
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
    return { ok: false, problem: jsonSyntaxProblem(error, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source, line) };
  }
}

/** `file[:line]: path: message`, the one-line form printed by the CLI (`(root)` for an empty path). */
export function formatDocumentProblem(p: DocumentProblem): string {
  return `${p.source}${p.line === undefined ? '' : `:${p.line}`}: ${p.path === '' ? '(root)' : p.path}: ${p.message}`;
}
