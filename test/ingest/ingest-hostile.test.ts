/**
 * POST /ingest with documents that no database should see, against the real
 * server on both dialects: the valid documents of a mixed batch are stored,
 * each bad one is reported by line and path, nothing answers 5xx, and the
 * project can still be queried afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { STORES, type TestStore, createTestStore, storeAvailable } from '../helpers/stores.js';
import { type TestServer, startTestServer } from '../helpers/server.js';

const PROJECT = 'P41';
const { jobs } = generateProject({ projectUid: PROJECT, jobs: 16, seed: 41 });
type Doc = Record<string, unknown>;
const doc = (i: number): Doc => structuredClone(jobs[i]) as unknown as Doc;

interface IngestBody {
  code?: string;
  message?: string;
  stored?: number;
  events?: number;
  problems?: { source: string; line?: number; path: string; message: string }[];
}

/** One of each kind of bad document, by the path its problem must name. */
const BAD: { name: string; doc: Doc; path: string | RegExp; message: RegExp }[] = [
  { name: 'NUL in a string', doc: { ...doc(1), title: 'a\u0000b' }, path: 'title', message: /NUL/ },
  { name: 'NUL in a key', doc: { ...doc(2), bench: { 'step\u0000one': 1 } }, path: 'bench.step\\u0000one', message: /the key contains a NUL/ },
  { name: 'lone surrogate', doc: { ...doc(3), description: 'half \ud800 a pair' }, path: 'description', message: /surrogate/ },
  { name: 'leading zero uid', doc: { ...doc(4), uid: 'J01', uid_num: 1 }, path: 'uid', message: /without leading zeros/ },
  { name: 'huge uid', doc: { ...doc(5), uid: 'J99999999999999999999' }, path: 'uid', message: /2147483647/ },
  { name: 'mismatched uid_num', doc: { ...doc(6), uid_num: 1 }, path: 'uid_num', message: /expected 7 \(the number in J7\), received 1/ },
  { name: 'mismatched project_uid_num', doc: { ...doc(7), project_uid_num: 40 }, path: 'project_uid_num', message: /expected 41/ },
  { name: '1 MB title', doc: { ...doc(8), title: 'x'.repeat(1024 * 1024) }, path: 'title', message: /at most 200 characters/ },
  { name: 'priority beyond int32', doc: { ...doc(9), priority: 2 ** 31 }, path: 'priority', message: /32 bits/ },
  { name: 'negative priority beyond int32', doc: { ...doc(10), priority: -(2 ** 31) - 1 }, path: 'priority', message: /32 bits/ },
];
/** Good documents, sent around the bad ones. */
const GOOD = [0, 11, 12, 13];

describe.each(STORES)('POST /ingest with hostile documents on %s', (kind) => {
  let ts: TestStore;
  let server: TestServer;
  let ingestUrl: string;

  beforeAll(async () => {
    if (!storeAvailable(kind)) return;
    ts = await createTestStore(kind);
    server = await startTestServer(ts.store);
    ingestUrl = server.url.replace(/\/graphql$/, '/ingest');
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  async function post(body: BodyInit, contentType: string) {
    const response = await fetch(ingestUrl, { method: 'POST', body, headers: { 'content-type': contentType } });
    return { status: response.status, body: (await response.json()) as IngestBody };
  }
  async function storedUids(): Promise<string[]> {
    const page = await ts.store.listJobs({ filter: { projectUid: PROJECT, includeDeleted: true }, page: { first: 100 } });
    return page.edges.map((e) => e.node.uid).sort();
  }

  it.skipIf(!storeAvailable(kind))('stores exactly the good documents of a mixed batch and reports each bad one by line and path', async () => {
    // good, bad, good, bad, … so that every bad document sits between good ones
    const batch: Doc[] = [];
    const expectedLines = new Map<number, (typeof BAD)[number]>();
    BAD.forEach((bad, i) => {
      if (GOOD[i] !== undefined) batch.push(doc(GOOD[i]!));
      batch.push(bad.doc);
      expectedLines.set(batch.length, bad);
    });
    const response = await post(JSON.stringify(batch), 'application/json');
    expect(response.status).toBe(200);
    expect(response.body.stored).toBe(GOOD.length);
    const problems = response.body.problems ?? [];
    for (const [line, bad] of expectedLines) {
      const mine = problems.filter((p) => p.line === line);
      expect(mine, bad.name).toEqual([{ source: 'ingest', line, path: bad.path, message: expect.stringMatching(bad.message) }]);
    }
    expect(problems).toHaveLength(BAD.length);
    // Reports never carry the offending characters themselves.
    expect(JSON.stringify(response.body)).not.toContain('\\u0000b');
    expect(await storedUids()).toEqual(GOOD.map((i) => jobs[i]!.uid).sort());
  });

  it.skipIf(!storeAvailable(kind))('serves a jobs page of that project afterwards, with uid numbers that fit an Int', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ jobs(filter: { projectUid: "${PROJECT}" }, first: 100) { totalCount edges { node { uid uidNum projectUidNum priority title } } } }` }),
    });
    const body = (await response.json()) as { data: { jobs: { totalCount: number; edges: { node: { uid: string; uidNum: number; projectUidNum: number } }[] } } | null; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data).not.toBeNull();
    expect(body.data!.jobs.totalCount).toBe(GOOD.length);
    for (const { node } of body.data!.jobs.edges) {
      expect(node.uidNum).toBe(Number(node.uid.slice(1)));
      expect(node.projectUidNum).toBe(41);
    }
  });

  it.skipIf(!storeAvailable(kind))('takes NDJSON the same way, with a line of invalid UTF-8 as a problem of that line only', async () => {
    const good = doc(14);
    const lines = [
      Buffer.from(JSON.stringify(good)),
      Buffer.concat([Buffer.from('{"uid": "J16", "title": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]),
      Buffer.from(JSON.stringify({ ...doc(15), title: 'x\u0000' })),
    ];
    const response = await post(Buffer.concat([lines[0]!, Buffer.from('\n'), lines[1]!, Buffer.from('\n'), lines[2]!, Buffer.from('\n')]), 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.body.stored).toBe(1);
    expect(response.body.problems).toEqual([
      { source: 'ingest', line: 2, path: '', message: 'the line is not valid UTF-8' },
      { source: 'ingest', line: 3, path: 'title', message: expect.stringMatching(/NUL/) },
    ]);
    expect(await storedUids()).toContain(good.uid);
    expect(await storedUids()).not.toContain('J16');
  });

  it.skipIf(!storeAvailable(kind))('answers 400 for a JSON body that is not UTF-8, and 422 when every document is bad', async () => {
    const bytes = Buffer.concat([Buffer.from(`[${JSON.stringify(doc(15)).slice(0, -1)}, "note": "`), Buffer.from([0xff, 0xfe]), Buffer.from('"}]')]);
    const notUtf8 = await post(bytes, 'application/json');
    expect(notUtf8).toEqual({ status: 400, body: { code: 'BAD_REQUEST', message: 'the body is not valid UTF-8' } });

    const allBad = await post(JSON.stringify(BAD.map((b) => b.doc)), 'application/json');
    expect(allBad.status).toBe(422);
    expect(allBad.body).toMatchObject({ code: 'INVALID_DOCUMENT', stored: 0 });
    expect(new Set(allBad.body.problems?.map((p) => p.line))).toEqual(new Set(BAD.map((_, i) => i + 1)));
    expect(await storedUids()).not.toContain(jobs[15]!.uid);
  });

  it.skipIf(!storeAvailable(kind))('reports a document the database cannot take after all (nested too deeply to write) and stores the rest', async () => {
    // Unknown fields are kept as they are, and nothing in validation walks a document this deep.
    const depth = 100_000;
    const deep = `{"a":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
    const good: Doc = { ...doc(15), title: 'beside a deep one' };
    const text = `[${JSON.stringify(good)},${JSON.stringify({ ...doc(1), title: 'deep' }).slice(0, -1)},"nested":${deep}}]`;
    const response = await post(text, 'application/json');
    expect(response.status).toBe(200);
    expect(response.body.stored).toBe(1);
    expect(response.body.problems).toEqual([{ source: 'ingest', line: 2, path: '', message: expect.stringMatching(/cannot be written as JSON \(nested too deeply/) }]);
    const [stored, deepJob] = await ts.store.findJobs([
      { projectUid: PROJECT, uid: good.uid as string },
      { projectUid: PROJECT, uid: 'J2' },
    ]);
    expect(stored?.title).toBe('beside a deep one');
    expect(deepJob).toBeUndefined();
  });
});
