/**
 * Limits every incoming CryoSPARC document must meet so that both databases
 * can store it and the API can serve it back: the checks that are not about
 * one field's type (those are in the zod schemas) but about any value
 * anywhere in the document.
 *
 * - No NUL character (`\u0000`) in any string or object key: PostgreSQL's
 *   `text` and `jsonb` cannot hold one, and SQLite's text functions stop at it.
 * - No lone UTF-16 surrogate (`\ud800` without its pair): not Unicode, so
 *   `jsonb` rejects it and a `text` column silently turns it into U+FFFD.
 * - No number that JSON cannot write back (`1e999` parses to Infinity).
 * - At most {@link MAX_DOCUMENT_DEPTH} levels of nesting: deeper documents
 *   overflow the stacks of `JSON.stringify` and of PostgreSQL's JSON parser.
 */
import type { z } from 'zod';

/** Longest job title, the same on every way in (`updateJob`, ingest, import, watch). */
export const MAX_TITLE_LENGTH = 200;

/** Largest job document, in bytes: a request body of `POST /ingest`, a `job.json` file. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Deepest nesting of objects and arrays in a document (the v5 spec needs about 8). */
export const MAX_DOCUMENT_DEPTH = 100;

/** Problems reported per document at most: one is enough to refuse it, a few help to fix it. */
const MAX_ISSUES = 10;

// One scan of each string: almost every string has neither, and stops here.
const SUSPECT = /[\u0000\ud800-\udfff]/;
// A surrogate not part of a pair (String#isWellFormed is Node 20+, but not yet in TypeScript's ES2023 lib).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const NUL_MESSAGE = 'contains a NUL character (\\u0000), which the database cannot store';
const SURROGATE_MESSAGE = 'contains a lone UTF-16 surrogate (not valid Unicode), which the database cannot store';

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  if (!SUSPECT.test(text)) return undefined;
  if (text.includes('\u0000')) return NUL_MESSAGE;
  return LONE_SURROGATE.test(text) ? SURROGATE_MESSAGE : undefined;
}

/** A key as it can be shown in a path and a log line: JSON escapes for NUL and lone surrogates. */
function printableKey(key: string): string {
  return JSON.stringify(key).slice(1, -1);
}

type Path = (string | number)[];

function issue(path: Path, message: string): z.core.$ZodIssue {
  return { code: 'custom', path: [...path], message, input: undefined };
}

function scan(value: unknown, path: Path, depth: number, out: z.core.$ZodIssue[]): void {
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    if (reason) out.push(issue(path, reason));
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(issue(path, 'is a number too large for JSON to write back'));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DOCUMENT_DEPTH) {
    out.push(issue(path, `is nested more than ${MAX_DOCUMENT_DEPTH} levels deep`));
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && out.length < MAX_ISSUES; i++) {
      path.push(i);
      scan(value[i], path, depth + 1, out);
      path.pop();
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (out.length >= MAX_ISSUES) return;
    const reason = unstorableTextReason(key);
    path.push(reason ? printableKey(key) : key);
    if (reason) out.push(issue(path, `the key ${reason}`));
    scan(record[key], path, depth + 1, out);
    path.pop();
  }
}

// A NUL or a surrogate in parsed JSON comes from an escape (`\u0000`, `\ud800`) or from the raw
// character in the text; a text without `\u`, NUL and lone surrogates has neither. Native string
// searches, not one regular expression with alternatives: that cost 30 µs per 9 KB document, this 0.5.
const ESCAPE = /\\u(?:0000|d[89a-f])/i;
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * False when the JSON text `text` certainly parses to a document without
 * NUL characters and lone surrogates, so {@link unstorableParts} need not
 * walk it: a few native scans of the text instead of a walk over every key
 * and string (which costs about as much as validating the document). True
 * means "walk it to find out". Numbers beyond double range (`1e999`) are
 * not looked for here: in a field the schema knows they are refused as not
 * finite; elsewhere, JSON writes them back as `null`.
 */
export function mayHoldUnstorableParts(text: string): boolean {
  return (text.includes('\\u') && ESCAPE.test(text)) || text.includes('\u0000') || !isWellFormed(text);
}

/**
 * Every place (up to 10) in a parsed JSON document that no database could
 * store, as zod issues with their paths; empty for a storable document.
 * Keys that are the problem appear in the path with JSON escapes
 * (`bench.a\u0000b`).
 */
export function unstorableParts(document: unknown): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  scan(document, [], 0, out);
  return out.slice(0, MAX_ISSUES);
}
