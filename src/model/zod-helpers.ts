/**
 * Building blocks shared by the CryoSPARC document schemas: lenient dates,
 * the `false`-for-missing quirks of old databases, uid strings, and issue
 * formatting.
 */
import { z } from 'zod';
import { mayHoldUnstorableParts, unstorableParts } from './document-limits.js';
import { describeUid, isCanonicalUid, MAX_UID_NUMBER, type UidPrefix } from './uid.js';

/** Default of `created_at`/`updated_at` and other required dates: 1970-01-01 UTC. */
export const EPOCH_ISO = '1970-01-01T00:00:00.000Z';
/** Default of `last_accessed.accessed_at` upstream: year 1, UTC. */
export const YEAR_ONE_ISO = '0001-01-01T00:00:00.000Z';
/** Default `_id`: 24 zeros. */
export const ZERO_OBJECT_ID = '000000000000000000000000';

/** What a date may look like on the way in. Output is always an ISO-8601 UTC string. */
export type DateInput = string | number | Date | { $date: string | number | { $numberLong: string } };

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validDate(date: Date): Date | undefined {
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The form `Date#toISOString()` writes, which nearly every stored date already has. */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Field-range check of a canonical ISO string, without building a Date (dates are most of a job document). */
function isValidCanonicalIso(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  return Number(text.slice(11, 13)) < 24 && Number(text.slice(14, 16)) < 60 && Number(text.slice(17, 19)) < 60;
}

function dateFromIsoString(text: string): Date | undefined {
  if (CANONICAL_ISO.test(text)) return isValidCanonicalIso(text) ? new Date(text) : undefined;
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, , , zone] = match;
  // `new Date` rolls 2024-02-30 over to March; reject impossible days instead.
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendar.getUTCDate() !== Number(day) || calendar.getUTCMonth() !== Number(month) - 1) return undefined;
  let normalised = text.trim().replace(' ', 'T');
  // CryoSPARC (Python, MongoDB) writes naive datetimes in UTC; JS would read them as local time.
  if (hour !== undefined && zone === undefined) normalised += 'Z';
  return validDate(new Date(normalised));
}

function dateFromMillis(ms: number): Date | undefined {
  return Number.isFinite(ms) ? validDate(new Date(ms)) : undefined;
}

/**
 * Reads an ISO string, epoch milliseconds, a Date, or MongoDB extended JSON
 * (`{"$date": "<ISO>"}`, `{"$date": <ms>}`, `{"$date": {"$numberLong": "<ms>"}}`).
 * Returns undefined when the value is not a valid date.
 */
export function parseDateInput(value: unknown): Date | undefined {
  if (value instanceof Date) return validDate(value);
  if (typeof value === 'number') return dateFromMillis(value);
  if (typeof value === 'string') return dateFromIsoString(value);
  if (isRecord(value) && '$date' in value) {
    const inner = value.$date;
    if (typeof inner === 'string') return dateFromIsoString(inner);
    if (typeof inner === 'number') return dateFromMillis(inner);
    if (isRecord(inner) && typeof inner.$numberLong === 'string' && /^-?\d+$/.test(inner.$numberLong)) {
      return dateFromMillis(Number(inner.$numberLong));
    }
  }
  return undefined;
}

function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'object';
  return typeof value === 'number' ? String(value) : typeof value;
}

/** A required date; output is `Date#toISOString()`. */
export const dateTimeSchema = z.custom<DateInput>().transform((value, ctx) => {
  // Canonical strings are already the output: skip building a Date twice.
  const canonical = typeof value === 'string' && CANONICAL_ISO.test(value);
  if (canonical && isValidCanonicalIso(value)) return value;
  const date = canonical ? undefined : parseDateInput(value);
  if (date) return date.toISOString();
  ctx.issues.push({
    code: 'custom',
    input: value,
    message: `expected an ISO-8601 date, {"$date": …} or epoch milliseconds, received ${describeInput(value)}`,
  });
  return z.NEVER;
});

/** Old databases write `false` (and sometimes `null`) where a value is simply missing. */
function isMissing(value: unknown): boolean {
  return value === undefined || value === null || value === false;
}

/**
 * A field with a default: missing, `null` or `false` becomes `fallback()`, which
 * is then parsed by `schema` (so object defaults get their own inner defaults).
 * Not for booleans, where `false` is a value: use {@link boolWithDefault}.
 */
export function withDefault<T extends z.ZodType>(schema: T, fallback: () => unknown) {
  return z.preprocess((value) => (isMissing(value) ? fallback() : value), schema);
}

/** A nullable field: missing or `false` becomes `null`. */
export function nullable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === undefined || value === false ? null : value), schema.nullable());
}

/** A boolean with a default; `null` also means "use the default". */
export function boolWithDefault(fallback: boolean) {
  return z.preprocess((value) => (value === undefined || value === null ? fallback : value), z.boolean());
}

function int32Message(issue: { input?: unknown; code?: string }): string | undefined {
  if (typeof issue.input !== 'number' || !Number.isInteger(issue.input)) return undefined;
  return `expected an integer from -2147483648 to 2147483647 (32 bits), received ${issue.input}`;
}

function unwrapMongoNumber(value: unknown): unknown {
  if (!isRecord(value)) return value;
  for (const key of ['$numberLong', '$numberInt', '$numberDouble'] as const) {
    const inner = value[key];
    if (typeof inner === 'string' && inner.trim() !== '') return Number(inner);
  }
  return value;
}

/**
 * A 32-bit integer (-2^31 .. 2^31 - 1): what an `integer` column of PostgreSQL
 * and a GraphQL `Int` can hold, so a document is refused rather than stored
 * and then unreadable. MongoDB extended JSON `{"$numberLong": "…"}` is unwrapped.
 * Byte counts and hashes, which grow past it, use {@link longSchema}.
 */
export const intSchema = z.preprocess(unwrapMongoNumber, z.int32({ error: int32Message }));
/** An integer within JavaScript's safe range (byte counts, hashes); served as `Float` or `String`, never as `Int`. */
export const longSchema = z.preprocess(unwrapMongoNumber, z.number().int());
/** A number; MongoDB extended JSON number wrappers are unwrapped. */
export const numberSchema = z.preprocess(unwrapMongoNumber, z.number());

/** A list; missing, `null` or `false` becomes `[]`. */
export function listOf<T extends z.ZodType>(item: T) {
  return withDefault(z.array(item), () => []);
}

/** A string-keyed map; missing, `null` or `false` becomes `{}`. */
export function mapOf<T extends z.ZodType>(value: T) {
  return withDefault(z.record(z.string(), value), () => ({}));
}

/** A required date, or `fallback` (an ISO string) when missing. */
export function dateWithDefault(fallback: string) {
  return withDefault(dateTimeSchema, () => fallback);
}

/** A nullable date; missing or `false` becomes null. */
export const nullableDateSchema = nullable(dateTimeSchema);

/** A MongoDB ObjectId string; `{"$oid": "…"}` is unwrapped. Defaults to 24 zeros. */
export const objectIdSchema = withDefault(
  z.preprocess((value) => (isRecord(value) && typeof value.$oid === 'string' ? value.$oid : value), z.string()),
  () => ZERO_OBJECT_ID,
);

/** A canonical uid string of one kind (see `isCanonicalUid`), with a message naming the expected format. */
export function uidSchema(prefix: Exclude<UidPrefix, 'S'>) {
  return z.string().refine((value) => isCanonicalUid(value, prefix), {
    error: (issue) => {
      const almost = typeof issue.input === 'string' && issue.input.startsWith(prefix) && /^\d+$/.test(issue.input.slice(1));
      const rule = almost ? ` (a number without leading zeros, at most ${MAX_UID_NUMBER})` : '';
      return `expected a ${describeUid(prefix)}${rule}, received ${describeInput(issue.input)}`;
    },
  });
}

/** The number in an already validated uid (`J42` -> 42). */
export function uidNumber(uid: string): number {
  return Number(uid.slice(1));
}

/**
 * Adds an issue at `field` when a document states a uid number (`uid_num`,
 * `project_uid_num`) that is not the number of its uid: the stored number is
 * always derived from the uid, so a disagreeing one is a second identity.
 */
export function checkUidNumber(ctx: z.core.$RefinementCtx<unknown>, field: string, stated: number | undefined, uid: string): void {
  if (stated === undefined || stated === uidNumber(uid)) return;
  ctx.issues.push({
    code: 'custom',
    path: [field],
    input: stated,
    message: `expected ${uidNumber(uid)} (the number in ${uid}), received ${stated}`,
  });
}

/** Where a document came from, for the checks that do not need to walk it. */
export interface DocumentSource {
  /**
   * The JSON text `raw` was parsed from (a file, an NDJSON line, a request
   * body holding it): when the text cannot hold an unstorable part, the
   * document is not walked.
   */
  text?: string;
  /**
   * The text `raw` was parsed from (e.g. a whole page of documents) was
   * already found by `mayHoldUnstorableParts` to hold no unstorable part:
   * the document is not walked.
   */
  storableText?: boolean;
}

/**
 * `result` unless `raw` holds something no database can store (see
 * `unstorableParts`), in which case a failure listing those places after
 * any schema issues.
 */
export function withStorableText<T>(raw: unknown, result: z.ZodSafeParseResult<T>, source: DocumentSource = {}): z.ZodSafeParseResult<T> {
  if (source.storableText === true || (source.text !== undefined && !mayHoldUnstorableParts(source.text))) return result;
  const unstorable = unstorableParts(raw);
  if (unstorable.length === 0) return result;
  const issues = result.success ? unstorable : [...result.error.issues, ...unstorable];
  return { success: false, error: new z.ZodError(issues) } as z.ZodSafeParseResult<T>;
}

/**
 * `T` without the `[k: string]: unknown` index signature that loose objects
 * add. Unknown fields are still there at runtime; the exported types name only
 * the reference fields (so typos fail to compile and Pothos can `expose` keys).
 */
export type KnownFields<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : symbol extends K ? never : K]: T[K];
};

/** A value with zod issues, e.g. a `ZodError` or a failed safe-parse's `error`. */
export interface HasIssues {
  readonly issues: readonly z.core.$ZodIssue[];
}

function formatIssue(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch that came closest instead of a bare "Invalid input".
    const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
    if (closest.length > 0) return closest.flatMap((inner) => formatIssue(inner, path));
  }
  const where = path.length > 0 ? path.map(String).join('.') : '(root)';
  return [`${where}: ${issue.message.replace(/^Invalid input: /, '')}`];
}

/**
 * One line per issue: the path joined with dots, then the message, e.g.
 * `spec.inputs.particles.connections.0.job_uid: expected string, received number`.
 */
export function formatZodIssues(error: HasIssues): string[] {
  return error.issues.flatMap((issue) => formatIssue(issue, []));
}
