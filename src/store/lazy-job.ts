import type { Job } from '../model/job.js';

/** Lifecycle times kept in columns (see the job_columns migration). */
const TIME_COLUMNS = ['created_at', 'updated_at', 'queued_at', 'launched_at', 'started_at', 'running_at', 'waiting_at', 'completed_at', 'failed_at', 'killed_at'] as const;

/** Document fields whose column holds exactly the document's value (see job-rows.ts). */
const SAME_AS_DOCUMENT = ['project_uid', 'uid', 'status', 'uid_num', 'project_uid_num', 'title', 'priority', ...TIME_COLUMNS] as const;

/** Document fields whose column holds the value in another form: [document key, column, from column to document value]. */
const CONVERTED: readonly (readonly [string, string, (value: unknown) => unknown])[] = [
  ['deleted', 'deleted', (value) => value === 1 || value === true],
  ['has_error', 'error_logged', (value) => value === 1 || value === true],
];

/** Read through {@link jobType}: `spec.type` has its own column, though `spec` as a whole does not. */
const JOB_TYPE: unique symbol = Symbol('jobType');

/** The columns a job can be read from without its document. */
export const JOB_COLUMNS = [...SAME_AS_DOCUMENT, 'deleted', 'error_logged', 'type'] as const;
export type JobColumn = (typeof JOB_COLUMNS)[number];

const FROM_COLUMN = new Map<PropertyKey, (row: Readonly<Record<string, unknown>>) => unknown>([
  ...SAME_AS_DOCUMENT.map((key) => [key, (row: Readonly<Record<string, unknown>>) => row[key]] as const),
  ...CONVERTED.map(([key, column, convert]) => [key, (row: Readonly<Record<string, unknown>>) => convert(row[column])] as const),
  [JOB_TYPE, (row: Readonly<Record<string, unknown>>) => row.type],
]);
const COLUMN_OF = new Map<PropertyKey, string>([
  ...SAME_AS_DOCUMENT.map((key) => [key, key] as const),
  ...CONVERTED.map(([key, column]) => [key, column] as const),
  [JOB_TYPE, 'type'],
]);

/** The proxy's target: the row as read, and the document once something needed it. */
class LazyJobSource {
  parsed: Job | undefined;
  constructor(
    readonly row: Readonly<Record<string, unknown>>,
    readonly text: string | null,
  ) {}

  get doc(): Job {
    if (this.text === null) throw new Error('This job was read without its document (columns only); read it again with the document.');
    return (this.parsed ??= JSON.parse(this.text) as Job);
  }
}

const handler: ProxyHandler<LazyJobSource> = {
  get: (source, key) => {
    if (source.parsed === undefined) {
      const fromColumn = FROM_COLUMN.get(key);
      if (fromColumn && COLUMN_OF.get(key)! in source.row) return fromColumn(source.row);
      // Asked of every value a promise resolves to, and by inspection: no JSON document has these.
      if (key === 'then' || typeof key === 'symbol') return key === JOB_TYPE ? source.doc.spec.type : Reflect.get(Object.prototype, key);
    }
    if (key === JOB_TYPE) return source.doc.spec.type;
    return Reflect.get(source.doc, key);
  },
  has: (source, key) => Reflect.has(source.doc, key),
  ownKeys: (source) => Reflect.ownKeys(source.doc),
  getOwnPropertyDescriptor: (source, key) => Reflect.getOwnPropertyDescriptor(source.doc, key),
  getPrototypeOf: () => Object.prototype,
  // Once parsed, the document answers everything, so writes (to it) stay consistent with reads.
  set: (source, key, value) => Reflect.set(source.doc, key, value),
  defineProperty: (source, key, descriptor) => Reflect.defineProperty(source.doc, key, descriptor),
  deleteProperty: (source, key) => Reflect.deleteProperty(source.doc, key),
};

/**
 * A job read from a row, whose JSON document is parsed only when a field
 * outside the row's columns is first read. A page of jobs listing uid,
 * status, title, type and times parses nothing, and, read with its columns
 * only (`doc` null), does not even fetch the ~9 KB document. It behaves as
 * the parsed document (spread, `JSON.stringify`, `in`, `Object.keys`,
 * writes). Without a document, reading any other field throws: the schema
 * asks for columns only when the operation reads nothing else
 * (schema/selection.ts).
 */
export function lazyJob(row: Readonly<Record<string, unknown>>, doc: string | null): Job {
  return new Proxy(new LazyJobSource(row, doc), handler) as unknown as Job;
}

/** A job's type (`spec.type`), from its column when the job was read from one. */
export function jobType(job: Job): string {
  return (job as unknown as { [JOB_TYPE]?: string })[JOB_TYPE] ?? job.spec.type;
}
