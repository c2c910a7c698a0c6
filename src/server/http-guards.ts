import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Limits } from './limits.js';
import { type OriginPolicy, checkOrigin, refusalBody } from './origin-policy.js';

/**
 * Checks every request, whatever its path, against the origin policy
 * (origin-policy.ts) and answers a refused one itself: 403 `FORBIDDEN_HOST` or
 * `FORBIDDEN_ORIGIN`; returns false then. Every answer that passes varies by
 * `Origin` (it decides whether CORS headers are sent).
 */
export function guardOrigin(req: IncomingMessage, res: ServerResponse, policy: OriginPolicy): boolean {
  const verdict = checkOrigin(req.headers, policy);
  if (!verdict.ok) {
    const body = refusalBody(verdict);
    res.writeHead(verdict.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close', vary: 'Origin' });
    res.end(body);
    return false;
  }
  res.setHeader('vary', 'Origin');
  return true;
}

/**
 * Checks a request to the GraphQL endpoint before yoga reads a byte of its
 * body, and answers it itself when it fails; returns false then. (Other paths
 * have their own rules: `/ingest` takes bodies of up to 10 MiB.)
 *
 * - `content-length` above `maxBodyBytes`: 413 `PAYLOAD_TOO_LARGE`.
 * - a body without `content-length` (chunked): 411 `LENGTH_REQUIRED`. Yoga
 *   reads a whole body into memory before parsing it; with the length declared,
 *   an oversized body is refused without reading it, and node's parser stops a
 *   body at the declared length. Every GraphQL client and browser declares it.
 *
 * Both answers close the connection, so the unread body goes nowhere.
 */
export function guardRequest(req: IncomingMessage, res: ServerResponse, limits: Pick<Limits, 'maxBodyBytes'>, path = '/graphql'): boolean {
  if ((req.url ?? '/').split('?', 1)[0] !== path) return true;
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limits.maxBodyBytes) {
    answer(res, 413, 'PAYLOAD_TOO_LARGE', `The request body exceeds ${limits.maxBodyBytes} bytes.`);
    return false;
  }
  if (length === undefined && req.headers['transfer-encoding'] !== undefined) {
    answer(res, 411, 'LENGTH_REQUIRED', 'Send the request body with a content-length header.');
    return false;
  }
  return true;
}

function answer(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
