import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/server/token-file.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { send } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const SUBSCRIPTION = 'subscription { jobStatusChanged(projectUid: "P1") { cursor jobUid status } }';
const APOLLO_ACCEPT = 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json';

interface StreamReader {
  status: number;
  headers: Headers;
  /** Everything received so far. */
  text(): string;
  /** Waits until the text received matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  close(): void;
}

/** Opens a streaming response and keeps reading it in the background. */
async function openStream(url: string, init: RequestInit): Promise<StreamReader> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  let text = '';
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    text: () => text,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = text.match(pattern);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${JSON.stringify(text)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => controller.abort(),
  };
}

/** SSE messages of a stream's text: id (if any), event and data. */
function messages(text: string): { id?: string; event: string; data: string }[] {
  return text
    .split('\n\n')
    .filter((block) => /^event: /m.test(block))
    .map((block) => ({
      ...(/^id: (.*)$/m.exec(block) ? { id: /^id: (.*)$/m.exec(block)![1]! } : {}),
      event: /^event: (.*)$/m.exec(block)![1]!,
      data: /^data:(.*)$/m.exec(block)?.[1]?.trim() ?? '',
    }));
}

describe('HTTP transports for every client', () => {
  let ts: TestStore;
  let server: TestServer;
  let uid: string;
  let step = 0;

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    const jobs = await seedTwoProjects(ts.store, [40, 10]);
    uid = jobs.find((job) => job.project_uid === 'P1' && job.status === 'completed' && !job.deleted)!.uid;
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server.stop();
    await ts.dispose();
  });

  /** One more status event (BUILDING and QUEUED in turn); its cursor. */
  const move = async (): Promise<string> => {
    const status = step++ % 2 === 0 ? 'BUILDING' : 'QUEUED';
    const answer = await send(server.url, { body: JSON.stringify({ query: `mutation { setJobStatus(input: { projectUid: "P1", uid: "${uid}", status: ${status} }) { event { cursor } } }` }) });
    return (answer.body!.data as { setJobStatus: { event: { cursor: string } } }).setJobStatus.event.cursor;
  };

  /** Moves jobs until the stream shows an event (the subscription may not be listening yet). */
  const firstEvent = async (stream: StreamReader): Promise<void> => {
    for (let i = 0; i < 100 && !/jobStatusChanged/.test(stream.text()); i++) {
      await move();
      await stream.waitFor(/jobStatusChanged/, 200).catch(() => {});
    }
    await stream.waitFor(/jobStatusChanged/);
  };

  describe('side-effect-free GETs need no ceremony; mutations stay POST-only', () => {
    it('answers a GET query without any custom header', async () => {
      const answer = await send(`${server.url}?query=${encodeURIComponent('{ projects { totalCount } }')}`, { method: 'GET' });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: { projects: { totalCount: 2 } } });
    });

    it('refuses a mutation over GET with 405 BAD_REQUEST and Allow: POST, and changes nothing', async () => {
      const response = await fetch(`${server.url}?query=${encodeURIComponent(`mutation { starJob(input: { projectUid: "P1", uid: "${uid}" }) { job { starredBy } } }`)}`);
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
      const job = await send(server.url, { body: JSON.stringify({ query: `{ job(projectUid: "P1", uid: "${uid}") { starredBy } }` }) });
      expect(job.body).toEqual({ data: { job: { starredBy: [] } } });
    });

    it('checks the method before CSRF: PUT (graphql-sse single connection mode), DELETE and PATCH get 405 with Allow and a JSON body', async () => {
      for (const [method, headers] of [
        ['PUT', {}],
        ['PUT', { accept: 'text/plain' }],
        ['PUT', { accept: 'text/event-stream', 'content-type': 'application/x-www-form-urlencoded' }],
        ['DELETE', {}],
        ['PATCH', { 'content-type': 'application/json' }],
      ] as const) {
        const response = await fetch(server.url, { method, headers });
        expect(response.status, method).toBe(405);
        expect(response.headers.get('allow'), method).toBe('GET, POST');
        expect(response.headers.get('content-type'), method).toMatch(/^application\/json/);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors[0]!.extensions.code, method).toBe('METHOD_NOT_ALLOWED');
      }
    });

    it("tells graphql-sse's single connection mode, by its 405, that it is not served", async () => {
      const client = createSseClient({ url: server.url, singleConnection: true, retryAttempts: 0 });
      try {
        const failure = await new Promise<unknown>((resolve) => {
          client.subscribe({ query: SUBSCRIPTION }, { next: () => {}, error: resolve, complete: () => resolve(undefined) });
        });
        expect((failure as { response?: { status: number } }).response?.status).toBe(405);
      } finally {
        client.dispose();
      }
    });

    it('still asks a form POST for the x-graphql-csrf header (403 CSRF_HEADER_REQUIRED)', async () => {
      const answer = await send(server.url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: '{ __typename }' }).toString() });
      expect(answer.status).toBe(403);
      expect(answer.codes).toEqual(['CSRF_HEADER_REQUIRED']);
    });

    it('still refuses a GET from a foreign origin (403 FORBIDDEN_ORIGIN)', async () => {
      const answer = await send(`${server.url}?query=${encodeURIComponent('{ __typename }')}`, { method: 'GET', headers: { origin: 'https://evil.example' } });
      expect(answer.status).toBe(403);
      expect(answer.codes).toEqual(['FORBIDDEN_ORIGIN']);
    });
  });

  describe('every 4xx has a body', () => {
    it('answers an Accept no transport can carry with 406 and a JSON body naming the ones that work', async () => {
      for (const [accept, query] of [
        ['image/png', '{ __typename }'],
        ['application/json', SUBSCRIPTION],
        ['multipart/mixed', SUBSCRIPTION],
      ] as const) {
        const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ query }) });
        expect(response.status, accept).toBe(406);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string; transports: string[] } }[] };
        expect(body.errors[0]!.extensions.code).toBe('NOT_ACCEPTABLE');
        expect(body.errors[0]!.extensions.transports.join(' ')).toMatch(/text\/event-stream.*subscriptionSpec=1\.0.*graphql-transport-ws/);
      }
    });

    it('answers an unknown path with 404 and a JSON body', async () => {
      const answer = await send(new URL('/nothing-here', server.url).href, { method: 'GET' });
      expect(answer.status).toBe(404);
      expect(answer.codes).toEqual(['NOT_FOUND']);
    });
  });

  describe('server-sent events resume without code', () => {
    it('gives every event its cursor as id, under the event name `next`, over GET with the operation in the URL', async () => {
      const stream = await openStream(`${server.url}?query=${encodeURIComponent(SUBSCRIPTION)}`, { headers: { accept: 'text/event-stream' } });
      try {
        expect(stream.status).toBe(200);
        await firstEvent(stream);
        const cursor = await move();
        await stream.waitFor(new RegExp(`id: ${cursor}\\n`));
        const events = messages(stream.text());
        for (const event of events) {
          expect(event.event).toBe('next');
          expect(event.id).toBe((JSON.parse(event.data) as { data: { jobStatusChanged: { cursor: string } } }).data.jobStatusChanged.cursor);
        }
      } finally {
        stream.close();
      }
    });

    it('writes the id even when the operation does not select `cursor`', async () => {
      const stream = await openStream(`${server.url}?query=${encodeURIComponent('subscription { jobStatusChanged(projectUid: "P1") { jobUid } }')}`, { headers: { accept: 'text/event-stream' } });
      try {
        await firstEvent(stream);
        const cursor = await move();
        await stream.waitFor(new RegExp(`id: ${cursor}\\n`));
      } finally {
        stream.close();
      }
    });

    it('resumes after Last-Event-ID as if it were `since`, and prefers it to a `since` in the request', async () => {
      const before = await move();
      const missed = [await move(), await move()];
      // The original `since` (older) stays in the URL of a reconnecting EventSource; Last-Event-ID is where it got to.
      const query = `subscription { jobStatusChanged(projectUid: "P1", since: "${before}") { cursor } }`;
      const stream = await openStream(`${server.url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', 'last-event-id': missed[0]! } });
      try {
        await stream.waitFor(new RegExp(`id: ${missed[1]}\\n`));
        expect(messages(stream.text()).map((event) => event.id)).toEqual([missed[1]]);
      } finally {
        stream.close();
      }
    });

    it('answers a Last-Event-ID this server did not issue with 400 BAD_CURSOR, so an EventSource stops instead of retrying', async () => {
      const response = await fetch(`${server.url}?query=${encodeURIComponent(SUBSCRIPTION)}`, { headers: { accept: 'text/event-stream', 'last-event-id': 'not-a-cursor' } });
      expect(response.status).toBe(400);
      const events = messages(await response.text());
      expect(events.map((event) => event.event)).toEqual(['next', 'complete']);
      expect(events[0]!.data).toMatch(/BAD_CURSOR/);
    });
  });

  describe("Apollo Client's multipart subscriptions", () => {
    it('streams {"payload": result} parts under boundary "graphql", starting with a {} heartbeat', async () => {
      const stream = await openStream(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: APOLLO_ACCEPT }, body: JSON.stringify({ query: SUBSCRIPTION }) });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
        await stream.waitFor(/^\r\n--graphql\r\ncontent-type: application\/json; charset=utf-8\r\n\r\n\{\}\r\n--graphql/);
        await firstEvent(stream);
        const cursor = await move();
        const [part] = await stream.waitFor(new RegExp(`\\{"payload":\\{"data":\\{"jobStatusChanged":\\{"cursor":"${cursor}"[^\\r]*\\r\\n--graphql`));
        expect(JSON.parse(part.slice(0, -'\r\n--graphql'.length))).toMatchObject({ payload: { data: { jobStatusChanged: { cursor } } } });
      } finally {
        stream.close();
      }
    });
  });
});

describe('an EventSource and a tokens file', () => {
  let dir: string;
  let ts: TestStore;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-es-tokens-'));
    const file = join(dir, 'tokens.json');
    token = createToken(file, { user: 'viewer', admin: true }).token;
    ts = await createTestStore('sqlite');
    server = await startTestServer(ts.store, { tokensFile: file });
  });
  afterAll(async () => {
    await server.stop();
    await ts.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cannot authenticate: a GET subscription without Authorization is 401, and a token in the URL is not accepted', async () => {
    const url = `${server.url}?query=${encodeURIComponent(SUBSCRIPTION)}`;
    for (const attempt of [url, `${url}&access_token=${token}`, `${url}&token=${token}`]) {
      const response = await fetch(attempt, { headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(401);
      expect(await response.text()).toMatch(/UNAUTHENTICATED/);
    }
    const authorized = await openStream(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } });
    expect(authorized.status).toBe(200);
    authorized.close();
  });
});
