import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DEFAULT_LIMITS, limitsFrom } from '../../src/server/limits.js';
import { loadPersistedOperations } from '../../src/server/persisted-operations.js';
import type { JobStore } from '../../src/store/job-store.js';
import { JobStatusChangedDocument, JobsPageDocument } from '../gql/graphql.js';
import { execute, expectData, expectErrors } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { subscribe, wsClient } from '../helpers/live.js';
import { connectRawWebSocket, type RawWebSocket } from '../helpers/raw-ws.js';
import { send, sendQuery } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const started: { server: TestServer; ts: TestStore }[] = [];
const sockets: { dispose(): unknown }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'jobgraph-limits-'));

/** A server with these settings over its own small dataset (30 + 10 jobs). */
async function serve(settings: Record<string, unknown> = {}, wrapStore: (store: JobStore) => JobStore = (s) => s): Promise<TestServer> {
  const ts = await createTestStore('sqlite');
  await seedTwoProjects(ts.store, [30, 10]);
  const server = await startTestServer(wrapStore(ts.store), settings);
  started.push({ server, ts });
  return server;
}

function client(url: string): Client {
  const c = wsClient(url);
  sockets.push(c);
  return c;
}

async function rawSocket(url: string): Promise<RawWebSocket> {
  const socket = await connectRawWebSocket(url, 'graphql-transport-ws');
  sockets.push({ dispose: () => socket.destroy() });
  return socket;
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Runs one operation over a graphql-ws client and resolves with its results or its error. */
function overWebSocket(c: Client, payload: { query: string; extensions?: Record<string, unknown> }) {
  return new Promise<{ data?: unknown; codes: unknown[] }>((resolve) => {
    let data: unknown;
    c.subscribe(payload, {
      next: (result) => (data = result.data ?? data),
      error: (error) => resolve({ codes: Array.isArray(error) ? error.map((e: { extensions?: { code?: unknown } }) => e.extensions?.code) : [String(error)] }),
      complete: () => resolve({ data, codes: [] }),
    });
  });
}

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()));
  for (const { server, ts } of started) {
    await server.stop();
    await ts.dispose();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('limit settings', () => {
  it('defaults every limit, and takes each from its flag or environment variable', () => {
    expect(limitsFrom(loadConfig({}, {}))).toEqual(DEFAULT_LIMITS);
    const limits = limitsFrom(loadConfig({ maxCost: '900' }, { JOBGRAPH_MAX_DEPTH: '7', JOBGRAPH_INTROSPECTION: 'false', JOBGRAPH_PERSISTED_OPERATIONS: 'ops.json' }));
    expect(limits).toEqual({ ...DEFAULT_LIMITS, maxDepth: 7, maxCost: 900, introspection: false, persistedOperations: 'ops.json' });
  });

  it('names a bad limit by its flag and variable', () => {
    expect(() => loadConfig({}, { JOBGRAPH_MAX_COST: 'lots', JOBGRAPH_MAX_BODY_BYTES: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { JOBGRAPH_MAX_COST: 'lots' })).toThrow(/--max-cost \/ JOBGRAPH_MAX_COST: expected a number/);
    expect(() => loadConfig({}, { JOBGRAPH_CSRF_PREVENTION: 'maybe' })).toThrow(/--csrf-prevention \/ JOBGRAPH_CSRF_PREVENTION/);
  });
});

describe('query depth', () => {
  it('allows an operation at the depth limit and refuses one level deeper with DEPTH_LIMIT_EXCEEDED', async () => {
    const server = await serve({ maxDepth: 5 });
    // jobs 1, edges 2, node 3, parents 4, uid 5
    const atLimit = await sendQuery(server.url, '{ jobs(first: 2) { edges { node { parents { uid } } } } }');
    expect(atLimit.codes).toEqual([]);
    const over = await sendQuery(server.url, '{ jobs(first: 2) { edges { node { parents { parents { uid } } } } } }');
    expect(over.status).toBe(400);
    expect(over.codes).toEqual(['DEPTH_LIMIT_EXCEEDED']);
  });
});

describe('query cost', () => {
  // Each item of `edges { node { uid } }` costs 3 (edges, node, uid), and the field itself 1.
  const JOBS = 'query Jobs($n: Int) { jobs(first: $n) { edges { node { uid } } } }';
  const LINEAGE = 'query Lineage($n: Int) { lineage(projectUid: "P1", uid: "J1", limit: $n) { nodes { job { uid } } } }';

  it('multiplies a connection by its `first`: 20 jobs cost 61 and pass, 21 cost 64 and fail with COST_LIMIT_EXCEEDED', async () => {
    const server = await serve({ maxCost: 61 });
    expect((await sendQuery(server.url, JOBS, { n: 20 })).codes).toEqual([]);
    // The same document with other variables: the cost is measured per request, not cached per document.
    const over = await sendQuery(server.url, JOBS, { n: 21 });
    expect(over.status).toBe(400);
    expect(over.codes).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(over.body?.errors?.[0]?.extensions).toMatchObject({ cost: 64, maxCost: 61 });
    expect(over.body?.data).toBeUndefined();
  });

  it('multiplies a lineage by its `limit`: 20 nodes cost 61 and pass, 21 fail with COST_LIMIT_EXCEEDED', async () => {
    const server = await serve({ maxCost: 61 });
    expect((await sendQuery(server.url, LINEAGE, { n: 20 })).codes).toEqual([]);
    expect((await sendQuery(server.url, LINEAGE, { n: 21 })).codes).toEqual(['COST_LIMIT_EXCEEDED']);
  });

  it('lets the largest shipped operations through at the default limit and refuses pages nested in pages', async () => {
    const server = await serve();
    const page = '{ jobs(first: 100) { totalCount edges { cursor node { uid title status errorsRun { message } parents { uid status } children { uid status } } } } }';
    expect((await sendQuery(server.url, page)).codes).toEqual([]);
    const nested = '{ jobs(first: 100) { edges { node { ancestors(first: 100) { edges { node { uid parents { uid } } } } } } } }';
    expect((await sendQuery(server.url, nested)).codes).toEqual(['COST_LIMIT_EXCEEDED']);
  });
});

describe('aliases, directives and tokens', () => {
  const settings = { maxAliases: 3, maxDirectives: 3, maxTokens: 50 };
  let server: TestServer;

  it('allows 3 aliases and refuses 4 with ALIAS_LIMIT_EXCEEDED', async () => {
    server = await serve(settings);
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: jobs(first: 1) { totalCount }`).join(' ')} }`;
    expect((await sendQuery(server.url, aliases(3))).codes).toEqual([]);
    const over = await sendQuery(server.url, aliases(4));
    expect(over.status).toBe(400);
    expect(over.codes).toEqual(['ALIAS_LIMIT_EXCEEDED']);
  });

  it('allows 3 directives and refuses 4 with DIRECTIVE_LIMIT_EXCEEDED', async () => {
    const directives = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename @include(if: true)`).join(' ')} }`;
    expect((await sendQuery(server.url, directives(3))).codes).toEqual([]);
    expect((await sendQuery(server.url, directives(4))).codes).toEqual(['DIRECTIVE_LIMIT_EXCEEDED']);
  });

  it('allows a document of 50 tokens and refuses 51 with TOKEN_LIMIT_EXCEEDED', async () => {
    // `{`, n × `__typename`, `}`
    const tokens = (n: number) => `{ ${'__typename '.repeat(n - 2)}}`;
    expect((await sendQuery(server.url, tokens(50))).codes).toEqual([]);
    const over = await sendQuery(server.url, tokens(51));
    expect(over.status).toBe(400);
    expect(over.codes).toEqual(['TOKEN_LIMIT_EXCEEDED']);
  });
});

describe('page size and lineage size (fixed limits)', () => {
  const LINEAGE = 'query Lineage($n: Int) { lineage(projectUid: "P1", uid: "J1", limit: $n) { truncated nodes { job { uid } } } }';

  it(`allows ${DEFAULT_LIMITS.maxPageSize} items per page and refuses ${DEFAULT_LIMITS.maxPageSize + 1} with PAGE_SIZE_EXCEEDED`, async () => {
    const server = await serve();
    const page = expectData(await execute(server.url, JobsPageDocument, { first: 100 })).jobs;
    expect(page.edges).toHaveLength(page.totalCount);
    expect(expectErrors(await execute(server.url, JobsPageDocument, { first: 101 })).codes).toEqual(['PAGE_SIZE_EXCEEDED']);
    expect(expectErrors(await execute(server.url, JobsPageDocument, { last: 101 })).codes).toEqual(['PAGE_SIZE_EXCEEDED']);
  });

  it(`allows a lineage of ${DEFAULT_LIMITS.maxLineageNodes} nodes and refuses ${DEFAULT_LIMITS.maxLineageNodes + 1} with BAD_USER_INPUT`, async () => {
    const server = await serve();
    expect((await sendQuery(server.url, LINEAGE, { n: 10_000 })).codes).toEqual([]);
    expect((await sendQuery(server.url, LINEAGE, { n: 10_001 })).codes).toEqual(['BAD_USER_INPUT']);
  });
});

describe('request body and websocket limits', () => {
  const settings = { maxBodyBytes: 2000, maxWsMessageBytes: 2000, connectionInitTimeoutMs: 300, maxSubscriptionsPerConnection: 2 };
  let server: TestServer;

  /** A JSON text of exactly `bytes` bytes: `build(pad)` padded with x's. */
  const padded = (bytes: number, build: (pad: string) => string) => build('x'.repeat(bytes - build('').length));

  it('accepts a body of maxBodyBytes and refuses one byte more with 413 PAYLOAD_TOO_LARGE', async () => {
    server = await serve(settings);
    const body = (bytes: number) => padded(bytes, (pad) => JSON.stringify({ query: '{ __typename }', variables: { pad } }));
    const ok = await send(server.url, { body: body(2000) });
    expect(ok.status).toBe(200);
    expect(ok.body?.data).toEqual({ __typename: 'Query' });
    const over = await send(server.url, { body: body(2001) });
    expect(over.status).toBe(413);
    expect(over.codes).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('refuses, inside the app too, a body without a declared length once it grows past maxBodyBytes (hosts without the server guard)', async () => {
    const chunked = (text: string) =>
      server.app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jobgraph-csrf': '1' },
        // Two chunks and no content-length: the size is known only by reading.
        body: new ReadableStream({
          start(controller) {
            const bytes = new TextEncoder().encode(text);
            controller.enqueue(bytes.subarray(0, 1000));
            controller.enqueue(bytes.subarray(1000));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const body = (bytes: number) => padded(bytes, (pad) => JSON.stringify({ query: '{ __typename }', variables: { pad } }));
    const ok = await chunked(body(2000));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ data: { __typename: 'Query' } });
    const over = await chunked(body(2001));
    expect(over.status).toBe(413);
    expect(((await over.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['PAYLOAD_TOO_LARGE']);
  });

  it('refuses, inside the app too, a content-length that is not one byte count with 400 BAD_REQUEST', async () => {
    for (const declared of ['20, 20', '-1', '1e3', 'abc']) {
      const response = await server.app.yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jobgraph-csrf': '1', 'content-length': declared },
        body: '{"query":"{ __typename }"}',
      });
      expect(response.status, declared).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
    }
  });

  it('answers a websocket message of maxWsMessageBytes and closes the socket with 1009 on one byte more', async () => {
    const socket = await rawSocket(server.wsUrl);
    socket.sendText(JSON.stringify({ type: 'connection_init' }));
    await until(() => socket.messages.some((m) => m.includes('connection_ack')), 'the ack');
    const message = (bytes: number, id: string) =>
      padded(bytes, (pad) => JSON.stringify({ id, type: 'subscribe', payload: { query: '{ __typename }', variables: { pad } } }));
    socket.sendText(message(2000, '1'));
    await until(() => socket.messages.some((m) => m.includes('"next"') && m.includes('"1"')), 'the result of the message at the limit');
    socket.sendText(message(2001, '2'));
    expect(await socket.closed).toBe(1009);
  });

  it('closes a websocket that sends no connection_init in time with 4408, and keeps one that does', async () => {
    const silent = await rawSocket(server.wsUrl);
    const polite = await rawSocket(server.wsUrl);
    await new Promise((r) => setTimeout(r, 100));
    polite.sendText(JSON.stringify({ type: 'connection_init' }));
    expect(await silent.closed).toBe(4408);
    await new Promise((r) => setTimeout(r, 400));
    polite.sendText(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }));
    await until(() => polite.messages.some((m) => m.includes('"next"')), 'a result on the initialised socket');
  });

  it('runs 2 operations at once on a connection and refuses a third with SUBSCRIPTION_LIMIT_EXCEEDED', async () => {
    const c = client(server.wsUrl);
    const first = subscribe(c, JobStatusChangedDocument, { projectUid: 'P1' });
    const second = subscribe(c, JobStatusChangedDocument, { projectUid: 'P2' });
    const third = await overWebSocket(c, { query: '{ __typename }' });
    expect(third.codes).toEqual(['SUBSCRIPTION_LIMIT_EXCEEDED']);
    expect(first.done || second.done).toBe(false);
    first.stop();
    expect(await overWebSocket(c, { query: '{ __typename }' })).toEqual({ data: { __typename: 'Query' }, codes: [] });
    second.stop();
  });
});

describe('execution timeout', () => {
  let delayMs = 0;
  /** A store whose page listing takes `delayMs`, like a database under load. */
  const slow = (store: JobStore): JobStore =>
    new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'listJobs') {
          return async (...args: Parameters<JobStore['listJobs']>) => {
            await new Promise((r) => setTimeout(r, delayMs));
            return target.listJobs(...args);
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });

  it('answers an operation that outlasts executionTimeoutMs with EXECUTION_TIMEOUT, one within it with data', async () => {
    const server = await serve({ executionTimeoutMs: 200 }, slow);
    delayMs = 50;
    expect(expectData(await execute(server.url, JobsPageDocument, { first: 5 })).jobs.edges).toHaveLength(5);
    delayMs = 1000;
    const startedAt = Date.now();
    const timedOut = await execute(server.url, JobsPageDocument, { first: 5 });
    expect(Date.now() - startedAt).toBeLessThan(900);
    expect(expectErrors(timedOut).codes).toEqual(['EXECUTION_TIMEOUT']);
    expect(timedOut.data).toBeNull();
    delayMs = 0;
    expect(expectData(await execute(server.url, JobsPageDocument, { first: 5 })).jobs.edges).toHaveLength(5);
  });
});

describe('persisted operations', () => {
  const QUERY = 'query ProjectCount { projects { totalCount } }';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
  let server: TestServer;

  it('runs a known hash over POST and GET', async () => {
    const file = join(dir, 'operations.json');
    writeFileSync(file, JSON.stringify({ [sha256(QUERY)]: QUERY }));
    server = await serve({ persistedOperations: file });
    const posted = await send(server.url, { body: JSON.stringify({ extensions: persisted(sha256(QUERY)) }) });
    expect(posted.body).toEqual({ data: { projects: { totalCount: 2 } } });
    const query = new URLSearchParams({ extensions: JSON.stringify(persisted(sha256(QUERY))) });
    const got = await send(`${server.url}?${query}`, { method: 'GET', headers: { 'x-graphql-csrf': '1' } });
    expect(got.body).toEqual({ data: { projects: { totalCount: 2 } } });
  });

  it('refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND and a query text with PERSISTED_QUERY_ONLY', async () => {
    const unknown = await send(server.url, { body: JSON.stringify({ extensions: persisted(sha256('{ __typename }')) }) });
    expect(unknown.status).toBe(400);
    expect(unknown.codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const text = await sendQuery(server.url, QUERY);
    expect(text.status).toBe(400);
    expect(text.codes).toEqual(['PERSISTED_QUERY_ONLY']);
  });

  it('applies the same rule to websocket operations', async () => {
    const c = client(server.wsUrl);
    expect(await overWebSocket(c, { query: '', extensions: persisted(sha256(QUERY)) })).toEqual({ data: { projects: { totalCount: 2 } }, codes: [] });
    expect((await overWebSocket(c, { query: QUERY })).codes).toEqual(['PERSISTED_QUERY_ONLY']);
    expect((await overWebSocket(c, { query: '', extensions: persisted('0'.repeat(64)) })).codes).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('refuses to start from a file whose hash does not match its query', () => {
    const file = join(dir, 'bad-operations.json');
    writeFileSync(file, JSON.stringify({ ['0'.repeat(64)]: QUERY }));
    expect(() => loadPersistedOperations(file)).toThrow(/bad-operations\.json: 0{64} is not the SHA-256 of its query/);
  });
});

describe('introspection switch', () => {
  const SCHEMA = '{ __schema { queryType { name } } }';

  it('answers introspection by default', async () => {
    const server = await serve();
    expect((await sendQuery(server.url, SCHEMA)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses __schema and __type with INTROSPECTION_DISABLED over HTTP and websockets when switched off', async () => {
    const server = await serve({ introspection: false });
    expect((await sendQuery(server.url, SCHEMA)).codes).toEqual(['INTROSPECTION_DISABLED']);
    expect((await sendQuery(server.url, '{ __type(name: "Job") { name } }')).codes).toEqual(['INTROSPECTION_DISABLED']);
    expect((await sendQuery(server.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    expect((await overWebSocket(client(server.wsUrl), { query: SCHEMA })).codes).toEqual(['INTROSPECTION_DISABLED']);
  });
});

describe('CSRF prevention', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const formBody = new URLSearchParams({ query: '{ __typename }' }).toString();
  const getUrl = (url: string) => `${url}?${new URLSearchParams({ query: '{ __typename }' })}`;
  let server: TestServer;

  it('accepts JSON POSTs, which browsers cannot send cross-site without a preflight', async () => {
    server = await serve();
    expect((await sendQuery(server.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a form POST without the x-graphql-csrf header with 403 CSRF_HEADER_REQUIRED, and accepts it with it', async () => {
    const form = await send(server.url, { headers: FORM, body: formBody });
    expect(form.status).toBe(403);
    expect(form.codes).toEqual(['CSRF_HEADER_REQUIRED']);
    const text = await send(server.url, { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(text.status).toBe(403);
    expect(text.codes).toEqual(['CSRF_HEADER_REQUIRED']);
    expect((await send(server.url, { headers: { ...FORM, 'x-graphql-csrf': '1' }, body: formBody })).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers a GET query without the header (it can change nothing), with it as well, and refuses a GET mutation with 405', async () => {
    expect((await send(getUrl(server.url), { method: 'GET' })).body).toEqual({ data: { __typename: 'Query' } });
    expect((await send(getUrl(server.url), { method: 'GET', headers: { 'x-graphql-csrf': '1' } })).body).toEqual({ data: { __typename: 'Query' } });
    const mutation = await send(`${server.url}?${new URLSearchParams({ query: 'mutation { starJob(input: { projectUid: "P1", uid: "J1" }) { job { uid } } }' })}`, { method: 'GET' });
    expect(mutation.status).toBe(405);
    expect(mutation.codes).toEqual(['BAD_REQUEST']);
  });

  it('still serves GraphiQL to a browser on GET /graphql', async () => {
    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('accepts header-less form POSTs when switched off', async () => {
    const open = await serve({ csrfPrevention: false });
    expect((await send(open.url, { headers: FORM, body: formBody })).body).toEqual({ data: { __typename: 'Query' } });
  });
});
