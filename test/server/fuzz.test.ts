import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';
import { connectRawWebSocket } from '../helpers/raw-ws.js';
import { sendQuery } from '../helpers/raw-http.js';
import { type TestServer, startTestServer } from '../helpers/server.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';

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

// ---------------------------------------------------------------------------
// POST /ingest: batches of valid documents mixed with documents no database
// should see. Whatever the mix, no 5xx, exactly the valid documents are
// stored, and each bad one is reported on its line.

type Doc = Record<string, unknown>;
/** Jobs to copy from: each run re-homes them into a project of its own. */
const TEMPLATE = generateProject({ projectUid: 'P1', jobs: 12, seed: 99 }).jobs as unknown as Doc[];

/** Inserts a NUL character into `text` at `at` (mod length + 1). */
const withNul = (text: string, at: number) => text.slice(0, at % (text.length + 1)) + '\u0000' + text.slice(at % (text.length + 1));

/** A way to spoil a valid document, and the path its problem must name (undefined: any path). */
type Spoil = { kind: string; apply: (doc: Doc) => Doc; path?: string };
const spoil: fc.Arbitrary<Spoil> = fc.oneof(
  fc.tuple(fc.string({ maxLength: 30 }), fc.nat()).map(([text, at]): Spoil => ({ kind: 'NUL in title', apply: (d) => ({ ...d, title: withNul(text, at) }), path: 'title' })),
  fc.tuple(fc.string({ maxLength: 30 }), fc.nat()).map(([text, at]): Spoil => ({ kind: 'NUL in an unknown field', apply: (d) => ({ ...d, notes: { deep: [withNul(text, at)] } }), path: 'notes.deep.0' })),
  fc.tuple(fc.string({ maxLength: 12 }), fc.nat()).map(([key, at]): Spoil => ({ kind: 'NUL in a key', apply: (d) => ({ ...d, bench: { [withNul(key, at)]: 1 } }) })),
  fc.constantFrom('\ud800', '\udfff', 'a\udc00b').map((text): Spoil => ({ kind: 'lone surrogate', apply: (d) => ({ ...d, description: text }), path: 'description' })),
  fc.nat({ max: 99 }).map((n): Spoil => ({ kind: 'leading zero', apply: (d) => ({ ...d, uid: `J0${n}` }), path: 'uid' })),
  fc.bigInt({ min: 2n ** 31n, max: 10n ** 30n }).map((n): Spoil => ({ kind: 'huge uid', apply: (d) => ({ ...d, uid: `J${n}` }), path: 'uid' })),
  fc.integer({ min: -5, max: 5 }).filter((k) => k !== 0).map((k): Spoil => ({ kind: 'uid_num', apply: (d) => ({ ...d, uid_num: Number(d.uid_num) + k }), path: 'uid_num' })),
  fc.integer({ min: 1, max: 5 }).map((k): Spoil => ({ kind: 'project_uid_num', apply: (d) => ({ ...d, project_uid_num: Number(d.project_uid_num) + k }), path: 'project_uid_num' })),
  fc.oneof(fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 })).map(
    (priority): Spoil => ({ kind: 'priority', apply: (d) => ({ ...d, priority }), path: 'priority' }),
  ),
  fc.integer({ min: 201, max: 5000 }).map((n): Spoil => ({ kind: 'long title', apply: (d) => ({ ...d, title: 't'.repeat(n) }), path: 'title' })),
);
/** Titles a valid document may carry: any Unicode without NUL, up to 200 UTF-16 units. */
const goodTitle = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((t) => !t.includes('\u0000') && t.length <= 200);
/** Per template job: valid (with a title), or spoiled; dropped when absent. */
const batch = fc.array(fc.option(fc.oneof(goodTitle.map((title) => ({ title })), spoil.map((how) => ({ how }))), { nil: undefined }), {
  minLength: TEMPLATE.length,
  maxLength: TEMPLATE.length,
});

describe.each(STORES)('fuzzing POST /ingest with hostile documents on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let run = 0;

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it.skipIf(!storeAvailable(kind))(`stores exactly the valid documents of each batch and reports each bad one (seed ${SEED})`, async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(batch, fc.boolean(), async (choices, ndjson) => {
        const project = 100 + run++;
        const docs: Doc[] = [];
        const good: string[] = [];
        const bad = new Map<number, Spoil>();
        choices.forEach((choice, i) => {
          if (!choice) return;
          const base: Doc = { ...TEMPLATE[i]!, project_uid: `P${project}`, project_uid_num: project };
          if ('title' in choice) {
            docs.push({ ...base, title: choice.title });
            good.push(base.uid as string);
          } else {
            docs.push(choice.how.apply(base));
            bad.set(docs.length, choice.how);
            seen.add(choice.how.kind);
          }
        });
        const body = ndjson ? docs.map((d) => JSON.stringify(d)).join('\n') : JSON.stringify(docs);
        const response = await fetch(server.url.replace(/\/graphql$/, '/ingest'), {
          method: 'POST',
          headers: { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
          body,
        });
        const answer = (await response.json()) as { stored?: number; problems?: { line?: number; path: string }[] };
        const what = [...bad.values()].map((b) => b.kind).join(', ');
        expect(response.status, what).toBeLessThan(500);
        expect(response.status, what).toBe(good.length === 0 && bad.size > 0 ? 422 : 200);
        expect(answer.stored, what).toBe(good.length);
        const problems = answer.problems ?? [];
        expect(new Set(problems.map((p) => p.line)), what).toEqual(new Set(bad.keys()));
        for (const [line, how] of bad) {
          if (how.path !== undefined) expect(problems.filter((p) => p.line === line).map((p) => p.path), how.kind).toContain(how.path);
        }
        const stored = await ts.store.listJobs({ filter: { projectUid: `P${project}`, includeDeleted: true }, page: { first: 100 } });
        expect(stored.edges.map((e) => e.node.uid).sort(), what).toEqual([...good].sort());
      }),
      { numRuns: 150, seed: SEED },
    );
    // The runs did try the kinds of bad documents (ten of them).
    expect(seen.size).toBeGreaterThanOrEqual(9);
  }, 120_000);

  it.skipIf(!storeAvailable(kind))('serves every fuzzed project afterwards (no data: null)', async () => {
    const answer = await sendQuery(server.url, '{ jobs(first: 100) { totalCount edges { node { uid uidNum projectUidNum priority title } } } }');
    expect(answer.body).toMatchObject({ data: { jobs: { totalCount: expect.any(Number) } } });
    expect((answer.body as { errors?: unknown }).errors).toBeUndefined();
  });
});
