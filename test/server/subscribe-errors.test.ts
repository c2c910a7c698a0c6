import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeEventCursor } from '../../src/events/event-cursor.js';
import { UnavailableError } from '../../src/model/errors.js';
import type { JobStore } from '../../src/store/job-store.js';
import { JobStatusChangedDocument, LineageStatusChangedDocument } from '../gql/graphql.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { subscribe, subscribeSse, wsClient } from '../helpers/live.js';
import { send } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

/** The store, with a switch that makes `findJobs` (the subscribe-time lookup of lineageStatusChanged) fail. */
function failingStore(store: JobStore, failure: { next: (() => Error) | undefined }): JobStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'findJobs' && failure.next) {
        const make = failure.next;
        return () => Promise.reject(make());
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('coded subscribe-time errors are request errors, not 500s', () => {
  let ts: TestStore;
  let server: TestServer;
  let ahead: string;
  const failure: { next: (() => Error) | undefined } = { next: undefined };

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [10, 10]);
    ahead = encodeEventCursor((await ts.store.lastEventSeq()) + 1000);
    server = await startTestServer(failingStore(ts.store, failure));
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  const cases = () => [
    { name: 'a malformed since', code: 'BAD_CURSOR', query: 'subscription { jobStatusChanged(since: "garbage") { cursor } }' },
    { name: 'a since ahead of the log', code: 'BAD_CURSOR', query: `subscription { jobStatusChanged(since: "${ahead}") { cursor } }` },
    { name: 'lineageStatusChanged on a missing job', code: 'NOT_FOUND', query: 'subscription { lineageStatusChanged(projectUid: "P1", uid: "J9999") { cursor } }' },
  ];

  for (const index of [0, 1, 2]) {
    it(`case ${index}: 400 for application/graphql-response+json, 200 for application/json, with the code and no data`, async () => {
      const { query, code } = cases()[index]!;
      const modern = await send(server.url, { body: JSON.stringify({ query }), headers: { accept: 'application/graphql-response+json' } });
      expect([modern.status, modern.codes]).toEqual([400, [code]]);
      expect(modern.body).not.toHaveProperty('data');
      // Yoga's internal status hint does not reach the client.
      expect(modern.body!.errors![0]!.extensions).toEqual({ code });
      const legacy = await send(server.url, { body: JSON.stringify({ query }), headers: { accept: 'application/json' } });
      expect([legacy.status, legacy.codes]).toEqual([200, [code]]);
    });

    it(`case ${index}: SSE answers 400 with the error as its only event, then complete`, async () => {
      const { query, code } = cases()[index]!;
      for (const method of ['POST', 'GET'] as const) {
        const response =
          method === 'POST'
            ? await fetch(server.url, { method, headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query }) })
            : await fetch(`${server.url}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', 'x-graphql-csrf': '1' } });
        expect([method, response.status]).toEqual([method, 400]);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        const text = await response.text();
        const data = /^event: next\ndata: (.*)$/m.exec(text)?.[1];
        expect(JSON.parse(data!).errors[0].extensions.code).toBe(code);
        expect(text).toMatch(/event: complete/);
      }
    });
  }

  it('delivers the same codes to the SSE and graphql-ws clients', async () => {
    const sse = subscribeSse(server.url, JobStatusChangedDocument, { since: 'garbage' });
    await sse.waitForEnd();
    expect(sse.results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['BAD_CURSOR']);
    const client = wsClient(server.wsUrl);
    try {
      const missing = subscribe(client, LineageStatusChangedDocument, { projectUid: 'P1', uid: 'J9999' });
      await missing.waitForEnd();
      // graphql-ws sends the result (errors, no data) as one `next`, then completes.
      expect(missing.results.map((r) => r.errors?.map((e) => e.extensions))).toEqual([[{ code: 'NOT_FOUND' }]]);
    } finally {
      await client.dispose();
    }
  });

  it('keeps 503 for SERVICE_UNAVAILABLE and 500 for unknown errors, which stay masked', async () => {
    const query = JSON.stringify({ query: 'subscription { lineageStatusChanged(projectUid: "P1", uid: "J1") { cursor } }' });
    try {
      failure.next = () => new UnavailableError('The database is unreachable.');
      const unavailable = await send(server.url, { body: query });
      expect([unavailable.status, unavailable.codes]).toEqual([503, ['SERVICE_UNAVAILABLE']]);
      expect((await send(server.url, { body: query, headers: { accept: 'application/json' } })).status).toBe(200);
      failure.next = () => new Error('disk on fire at /secret/path');
      for (const accept of ['application/graphql-response+json', 'application/json', 'text/event-stream']) {
        const unknown = await send(server.url, { body: query, headers: { accept } });
        expect([accept, unknown.status]).toEqual([accept, 500]);
        expect(unknown.text).toContain('INTERNAL_SERVER_ERROR');
        expect(unknown.text).not.toContain('secret');
      }
    } finally {
      failure.next = undefined;
    }
  });

  it('leaves working subscriptions and query errors alone', async () => {
    const live = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { jobStatusChanged { cursor } }' }) });
    expect(live.status).toBe(200);
    await live.body?.cancel();
    // An execution error of a query has data (null here): still 200.
    const lineage = await send(server.url, { body: JSON.stringify({ query: '{ lineage(projectUid: "P1", uid: "J9999") { __typename } }' }) });
    expect(lineage.status).toBe(200);
    expect(lineage.codes).toEqual(['NOT_FOUND']);
    expect(lineage.body).toHaveProperty('data');
    // A validation error over SSE is a request error too: 400, like the others.
    const invalid = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: 'subscription { nope }' }) });
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toMatch(/GRAPHQL_VALIDATION_FAILED/);
  });
});
