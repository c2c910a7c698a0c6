import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { connectRawWebSocket } from '../helpers/raw-ws.js';
import { sendQuery } from '../helpers/raw-http.js';

const OPERATIONS_DIR = new URL('../operations/', import.meta.url);
/** Every operation the tests ship, one document per file (several operations each). */
const DOCUMENTS = readdirSync(OPERATIONS_DIR).map((file) => readFileSync(new URL(file, OPERATIONS_DIR), 'utf8'));
const SEED = Number(process.env.JOBGRAPH_FUZZ_SEED ?? Date.now() % 2 ** 31);

const document = fc.constantFrom(...DOCUMENTS);
const query = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  // a real document cut short, or with a few characters replaced
  fc.tuple(document, fc.nat()).map(([text, at]) => text.slice(0, at % text.length)),
  fc.tuple(document, fc.nat(), fc.string({ maxLength: 4 })).map(([text, at, s]) => text.slice(0, at % text.length) + s + text.slice((at % text.length) + s.length)),
  // GraphQL-shaped token soup
  fc
    .array(fc.constantFrom('{', '}', '(', ')', '[', ']', '...', 'on Job', '@include(if: $x)', '@skip(if: true)', 'query', 'mutation', 'subscription', 'fragment F on Job', '...F',
      'jobs', 'job(projectUid: "P1", uid: "J1")', 'edges', 'node', 'uid', 'parents', 'ancestors', 'lineage(projectUid: "P1", uid: "J1")', 'first: 100', 'limit: 10000',
      '$x: Int', '$x', ':', 'a:', '"s"', '"""b"""', '1', '-1', '1e400', 'null', '__schema', '__typename', '#', '\n'), { maxLength: 80 })
    .map((parts) => parts.join(' ')),
);
const variables = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 6 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 })));
const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/graphql', 'application/graphql+json', 'application/x-www-form-urlencoded',
    'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json, text/plain'),
  fc.stringMatching(/^[a-z]{1,8}\/[a-z0-9.+-]{1,12}$/),
);
const accept = fc.constantFrom('application/graphql-response+json', 'application/json', '*/*', 'text/html', 'text/event-stream', 'multipart/mixed', 'image/png');

interface FuzzRequest {
  method: string;
  search?: string;
  headers: Record<string, string>;
  body?: string | Uint8Array<ArrayBuffer>;
}

const csrfHeader = (on: boolean): Record<string, string> => (on ? { 'x-graphql-csrf': '1' } : {});

const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // a JSON envelope around a hostile document and variables
  fc.record({ query, variables, operationName: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), accept }).map(({ accept, ...body }) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  })),
  // random JSON
  fc.json({ maxDepth: 5 }).map((body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body })),
  // random bytes, random content type, with or without the CSRF header
  fc.record({ bytes: fc.uint8Array({ maxLength: 400 }), type: contentType, csrf: fc.boolean(), accept }).map(({ bytes, type, csrf, accept }) => ({
    method: 'POST',
    headers: { 'content-type': type, accept, ...csrfHeader(csrf) },
    body: bytes,
  })),
  // a GET with hostile parameters
  fc.record({ query, variables: fc.string({ maxLength: 60 }), extensions: fc.json({ maxDepth: 3 }), csrf: fc.boolean() }).map(({ csrf, ...params }) => ({
    method: 'GET',
    search: new URLSearchParams(params).toString(),
    headers: csrfHeader(csrf),
  })),
  // other methods
  fc.record({ method: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), body: fc.string({ maxLength: 50 }) }).map(({ method, body }) => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: method === 'HEAD' ? undefined : body,
  })),
);

describe('fuzzing the real server', () => {
  let dir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-fuzz-'));
    server = await spawnServer(['--db', join(dir, 'fuzz.db'), '--demo']);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`answers a few thousand malformed requests without a 5xx or a masked crash (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ method, search, headers, body }) => {
        const response = await fetch(search ? `${server.url}?${search}` : server.url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
        expect(response.status, `${method} ${String(body).slice(0, 200)}`).toBeLessThan(500);
        const type = response.headers.get('content-type') ?? '';
        // A valid subscription over SSE or multipart is a live stream, not an answer to wait for.
        if (type.startsWith('text/event-stream') || type.startsWith('multipart/mixed')) return void (await response.body?.cancel());
        const text = await response.text();
        expect(text, `${method} ${String(body).slice(0, 200)}`).not.toContain('INTERNAL_SERVER_ERROR');
      }),
      { numRuns: 3000, seed: SEED },
    );
  }, 120_000);

  it('survives random websocket messages', async () => {
    const message = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.record({ id: fc.string({ maxLength: 4 }), type: fc.constantFrom('subscribe', 'complete', 'ping', 'next', 'connection_init'), payload: fc.record({ query, variables }) }).map((m) =>
        JSON.stringify(m),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), message, async (init, text) => {
        const socket = await connectRawWebSocket(server.wsUrl, 'graphql-transport-ws');
        try {
          if (init) socket.sendText(JSON.stringify({ type: 'connection_init' }));
          socket.sendText(text);
          // Whatever comes back (a result, an error, a close), it comes back.
          await Promise.race([socket.closed, new Promise((r) => setTimeout(r, 20))]);
        } finally {
          socket.destroy();
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  }, 60_000);

  it('is still alive and answers a normal query afterwards', async () => {
    expect(server.child.exitCode).toBeNull();
    const answer = await sendQuery(server.url, '{ projects(first: 10) { totalCount edges { node { uid } } } }');
    expect(answer.body).toEqual({ data: { projects: { totalCount: 2, edges: [{ node: { uid: 'P1' } }, { node: { uid: 'P2' } }] } } });
  });
});
