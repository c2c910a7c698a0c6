import type { Job } from '../model/job.js';

/**
 * Job fields whose column holds exactly the document's value (see
 * job-rows.ts), so they can be read without parsing the document.
 */
export const JOB_COLUMNS = ['project_uid', 'uid', 'status', 'uid_num', 'project_uid_num', 'title', 'priority'] as const;
const COLUMN_FIELDS = new Set<PropertyKey>(JOB_COLUMNS);

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
      if (COLUMN_FIELDS.has(key) && key in source.row) return source.row[key as string];
      // Asked of every value a promise resolves to, and by inspection: no JSON document has these.
      if (key === 'then' || typeof key === 'symbol') return Reflect.get(Object.prototype, key);
    }
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
 * outside the row's columns is first read. A page of jobs with their
 * parents' and children's `uid` and `status`, or a replay of status events
 * with `job { uid status }`, then parses nothing: parsing the ~9 KB
 * documents was most of their cost. It behaves as the parsed document
 * (spread, `JSON.stringify`, `in`, `Object.keys`, writes). Without a
 * document (`doc` null: columns only), reading any other field throws.
 */
export function lazyJob(row: Readonly<Record<string, unknown>>, doc: string | null): Job {
  return new Proxy(new LazyJobSource(row, doc), handler) as unknown as Job;
}
