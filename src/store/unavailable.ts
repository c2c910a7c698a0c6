import { UnavailableError } from '../model/errors.js';
import type { JobStore } from './job-store.js';

const CONNECTION_CODES = new Set([
  // PostgreSQL: connection exceptions, admin shutdown (pg_terminate_backend), cannot connect now, too many connections
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53300',
  // Node sockets
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH',
  // SQLite: the database stayed locked past busy_timeout
  'SQLITE_BUSY',
]);
const CONNECTION_MESSAGES = /Connection terminated|connection error|timeout exceeded when trying to connect|terminating connection|Client was closed|not queryable/i;

/** True for failures that say "the database is not reachable right now", as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_MESSAGES.test(error.message);
}

/**
 * The store as callers see it: a lost database connection surfaces as
 * UnavailableError (SERVICE_UNAVAILABLE, retryable) instead of a masked
 * internal error. The pool reconnects by itself on the next call.
 */
export function withUnavailableErrors(store: JobStore): JobStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'close') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (isConnectionError(error)) {
            throw new UnavailableError('The database is not reachable right now; retry shortly.', { cause: error, details: { retryable: true } });
          }
          throw error;
        }
      };
    },
  });
}
