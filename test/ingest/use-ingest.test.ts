import { adminAccess } from '../../src/model/access.js';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga } from 'graphql-yoga';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobWriter } from '../../src/events/job-writer.js';
import { createMemoryBus } from '../../src/events/memory-bus.js';
import { toLegacyV4JobDocument } from '../../src/sources/synthetic/write-project-dir.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';
import { parentUidsOf } from '../../src/model/edges.js';
import { createContext } from '../../src/schema/context.js';
import { schema } from '../../src/schema/index.js';
import { useIngestEndpoint } from '../../src/server/use-ingest.js';
import type { StoredStatusEvent } from '../../src/store/job-store.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const MAX_BODY_BYTES = 256 * 1024;
const { jobs } = generateProject({ projectUid: 'P3', jobs: 12, seed: 5 });
const doc = (i: number) => jobs[i] as (typeof jobs)[number];

interface IngestBody {
  code?: string;
  message?: string;
  stored?: number;
  events?: number;
  problems?: { source: string; line?: number; path: string; message: string }[];
}

describe('POST /ingest', () => {
  let ts: TestStore;
  let server: Server;
  let base: string;
  const published: StoredStatusEvent[] = [];

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    const bus = createMemoryBus();
    bus.subscribe((message) => published.push(...message.events));
    const writer = createJobWriter({ store: ts.store, bus });
    const logger = pino({ level: 'silent' });
    const yoga = createYoga({
      schema,
      context: () => createContext({ store: ts.store, writer, bus, access: adminAccess() }),
      plugins: [useIngestEndpoint({ writer, logger, maxBodyBytes: MAX_BODY_BYTES })],
      logging: false,
    });
    server = createServer(yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await ts?.dispose();
  });

  async function post(body: BodyInit, contentType: string, init: RequestInit = {}) {
    const response = await fetch(`${base}/ingest`, { method: 'POST', body, headers: { 'content-type': contentType }, ...init });
    return { status: response.status, headers: response.headers, body: (await response.json()) as IngestBody };
  }
  const stored = async (uid: string) => (await ts.store.findJobs([{ projectUid: 'P3', uid }]))[0];

  it('stores one JSON document and reports its status event', async () => {
    published.length = 0;
    const response = await post(JSON.stringify(doc(0)), 'application/json; charset=utf-8');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({ stored: 1, events: 1, problems: [] });
    expect((await stored('J1'))?.status).toBe(doc(0).status);
    expect(published).toEqual([expect.objectContaining({ jobUid: 'J1', previousStatus: null, status: doc(0).status })]);
  });

  it('stores a JSON array of v5 and v4 documents in one call', async () => {
    const docs = [doc(1), toLegacyV4JobDocument(doc(2)), doc(3)];
    const response = await post(JSON.stringify(docs), 'application/json');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ stored: 3, events: 3, problems: [] });
    for (const i of [1, 2, 3]) expect((await stored(doc(i).uid))?.spec.type).toBe(doc(i).spec.type);
    // J3 came in the v4 shape; its lineage was still derived from the converted spec.
    const [parents] = await ts.store.findParents([{ projectUid: 'P3', uid: 'J3' }]);
    expect(parentUidsOf(doc(2))).toEqual(['J2']);
    expect(parents?.map((p) => p.uid)).toEqual(['J2']);
  });

  it('publishes an event only when a re-sent document moved its status', async () => {
    published.length = 0;
    const moved = { ...doc(0), status: doc(0).status === 'killed' ? 'failed' : 'killed' };
    const response = await post(JSON.stringify([moved, doc(1)]), 'application/json');
    expect(response.body).toEqual({ stored: 2, events: 1, problems: [] });
    expect(published).toEqual([expect.objectContaining({ jobUid: 'J1', previousStatus: doc(0).status, status: moved.status })]);
  });

  it('stores the good NDJSON lines and reports the bad ones by line and field', async () => {
    const lines = [JSON.stringify(doc(4)), JSON.stringify({ ...doc(5), status: 'exploded' }), '', '  ', JSON.stringify(doc(6)), '{"uid": "J8",', JSON.stringify(doc(7))];
    const response = await post(`${lines.join('\r\n')}\n`, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.body.stored).toBe(3);
    expect(response.body.events).toBe(3);
    expect(response.body.problems).toEqual([
      { source: 'ingest', line: 2, path: 'status', message: expect.stringContaining('building') },
      { source: 'ingest', line: 6, path: '', message: expect.stringMatching(/JSON/) },
    ]);
    expect((await stored('J5'))?.uid).toBe('J5');
    expect(await stored('J6')).toBeUndefined();
    expect((await stored('J7'))?.uid).toBe('J7');
    expect((await stored('J8'))?.uid).toBe('J8');
  });

  it('answers 422 INVALID_DOCUMENT and stores nothing when every document is invalid', async () => {
    const docs = [{ ...doc(8), uid: 'X9' }, { ...doc(9), spec: { ...doc(9).spec, inputs: { particles: { connections: [{ job_uid: 7 }] } } } }];
    const response = await post(JSON.stringify(docs), 'application/json');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ code: 'INVALID_DOCUMENT', stored: 0, events: 0 });
    const problems = response.body.problems ?? [];
    expect(problems).toContainEqual({ source: 'ingest', line: 1, path: 'uid', message: expect.any(String) });
    expect(problems.filter((p) => p.line === 2).map((p) => p.path)).toContain('spec.inputs.particles.connections.0.job_uid');
    expect(await stored('J9')).toBeUndefined();
    expect(await stored('J10')).toBeUndefined();
  });

  it('answers 200 with nothing stored for an empty array', async () => {
    const response = await post('[]', 'application/json');
    expect(response).toMatchObject({ status: 200, body: { stored: 0, events: 0, problems: [] } });
  });

  it('answers 400 BAD_REQUEST for malformed JSON and stores nothing', async () => {
    const text = JSON.stringify([doc(10)]).slice(0, -5);
    const response = await post(text, 'application/json');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/JSON/) });
    expect(await stored('J11')).toBeUndefined();
  });

  it('answers 415 for other content types', async () => {
    const response = await post(JSON.stringify(doc(10)), 'text/plain');
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await stored('J11')).toBeUndefined();
  });

  it('answers 413 when the declared length is above the limit', async () => {
    const docs = Array.from({ length: 40 }, () => doc(10));
    const text = JSON.stringify(docs);
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BODY_BYTES);
    const response = await post(text, 'application/json');
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored('J11')).toBeUndefined();
  });

  it('answers 413 when a body without a length grows above the limit', async () => {
    const line = `${JSON.stringify(doc(10))}\n`;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BODY_BYTES * 2) return controller.close();
        sent += line.length;
        controller.enqueue(new TextEncoder().encode(line));
      },
    });
    const response = await post(body, 'application/x-ndjson', { duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await stored('J11')).toBeUndefined();
  });

  it('answers 405 to other methods', async () => {
    const response = await fetch(`${base}/ingest`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as IngestBody).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('leaves the GraphQL endpoint alone', async () => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ jobs(filter: { projectUid: "P3" }) { totalCount } }' }),
    });
    expect(await response.json()).toEqual({ data: { jobs: { totalCount: expect.any(Number) } } });
  });
});
