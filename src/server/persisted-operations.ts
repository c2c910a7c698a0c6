import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import { StartupError, describeReadError } from '../startup-error.js';

/** The operations a production frontend may run, by the SHA-256 (hex) of their text. */
export type PersistedOperations = ReadonlyMap<string, string>;

/**
 * Reads a JSON file `{ "<sha256 hex of the query>": "<query>" }`. Throws a
 * StartupError, naming the file (never quoting its queries), when it cannot be
 * read, is not such an object, or a hash does not match its query.
 */
export function loadPersistedOperations(file: string): PersistedOperations {
  const fail = (problem: string) => new StartupError(`persisted operations file ${file}: ${problem}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail(describeReadError(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message would quote the file.
    throw fail('is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail('expected an object of "<sha256 hex>": "<query>"');
  const operations = new Map<string, string>();
  for (const [index, [hash, query]] of Object.entries(parsed).entries()) {
    // A key is named only when it looks like a hash: anything else may be file contents.
    if (!/^[0-9a-f]{64}$/i.test(hash)) throw fail(`key number ${index + 1} is not a SHA-256 in hex (64 hex digits)`);
    if (typeof query !== 'string') throw fail(`the value of ${hash} is not a query string`);
    const actual = createHash('sha256').update(query).digest('hex');
    if (hash.toLowerCase() !== actual) throw fail(`${hash} is not the SHA-256 of its query (that is ${actual})`);
    operations.set(actual, query);
  }
  return operations;
}

// Over HTTP these are 400s; yoga drops `extensions.http` from the response body.
const persistedError = (code: string, message: string, http = true) =>
  new GraphQLError(message, { extensions: { code, ...(http ? { http: { status: 400 } } : {}) } });

const ERRORS = {
  notFound: (http?: boolean) => persistedError('PERSISTED_QUERY_NOT_FOUND', 'No persisted operation has this hash.', http),
  queryText: (http?: boolean) =>
    persistedError('PERSISTED_QUERY_ONLY', 'Only persisted operations run here: send extensions.persistedQuery.sha256Hash, not a query text.', http),
  noHash: (http?: boolean) =>
    persistedError('PERSISTED_QUERY_ID_REQUIRED', 'Send the operation as extensions: { persistedQuery: { version: 1, sha256Hash } }.', http),
};

/** HTTP and SSE: only the persisted operations run (`extensions.persistedQuery.sha256Hash`, Apollo's shape). */
export function usePersistedOperationsOnly(operations: PersistedOperations): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => operations.get(hash.toLowerCase()) ?? null,
    allowArbitraryOperations: false,
    customErrors: { notFound: () => ERRORS.notFound(), persistedQueryOnly: () => ERRORS.queryText(), keyNotFound: () => ERRORS.noHash() },
  });
}

/** Websockets: the query text a subscribe payload names, or the error to answer it with. */
export function persistedQueryOf(operations: PersistedOperations, payload: { query?: string | null; extensions?: Record<string, unknown> | null }): string | GraphQLError {
  if (payload.query) return ERRORS.queryText(false);
  const hash = defaultExtractPersistedOperationId(payload as GraphQLParams, undefined as never, {});
  if (hash == null) return ERRORS.noHash(false);
  return operations.get(hash.toLowerCase()) ?? ERRORS.notFound(false);
}
