import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTwoProjects } from '../helpers/dataset.js';
import { type RawResponse, send, sendQuery } from '../helpers/raw-http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const UIDS_QUERY = 'query Uids($uids: [String!]) { jobs(filter: { uids: $uids }) { totalCount } }';

/** A client error with a code: never a 5xx, never an uncoded answer. */
function expectRefused(response: RawResponse, status: number, code: string) {
  expect({ status: response.status, codes: response.codes }).toEqual({ status, codes: [code] });
}

describe('hostile input', () => {
  let ts: TestStore;
  let server: TestServer;

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [30, 10]);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it('answers malformed JSON with 400 BAD_REQUEST, whatever the client accepts', async () => {
    expectRefused(await send(server.url, { body: '{"query": "{ __typename }"' }), 400, 'BAD_REQUEST');
    expectRefused(await send(server.url, { body: '{"query": ', headers: { accept: 'application/json' } }), 400, 'BAD_REQUEST');
    for (const body of ['null', '42', '"{ __typename }"', '']) expectRefused(await send(server.url, { body }), 400, 'BAD_REQUEST');
  });

  it('answers malformed variables in a GET with 400 BAD_REQUEST', async () => {
    const query = new URLSearchParams({ query: UIDS_QUERY, variables: '{"uids": [' });
    expectRefused(await send(`${server.url}?${query}`, { method: 'GET', headers: { 'x-graphql-csrf': '1' } }), 400, 'BAD_REQUEST');
  });

  it('answers a content type it cannot read with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/xml', 'application/octet-stream', 'multipart/form-data; boundary=x', 'image/png']) {
      expectRefused(await send(server.url, { headers: { 'content-type': type, 'x-graphql-csrf': '1' }, body: '{"query":"{ __typename }"}' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses variables larger than the body limit with 413, and a filter of 100,000 values with BAD_USER_INPUT', async () => {
    expectRefused(await sendQuery(server.url, UIDS_QUERY, { uids: ['J1'], pad: 'x'.repeat(2 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
    const many = await sendQuery(server.url, UIDS_QUERY, { uids: Array.from({ length: 100_000 }, (_, i) => `J${i}`) });
    expect(many.codes).toEqual(['BAD_USER_INPUT']);
    const orderBy = Array.from({ length: 1000 }, () => ({ field: 'UID', direction: 'ASC' }));
    const manyKeys = await sendQuery(server.url, 'query Sorted($o: [JobOrder!]) { jobs(orderBy: $o) { totalCount } }', { o: orderBy });
    expect(manyKeys.codes).toEqual(['BAD_USER_INPUT']);
    const longTitle = await sendQuery(server.url, 'query T($t: String) { jobs(filter: { titleContains: $t }) { totalCount } }', { t: 'x'.repeat(100_000) });
    expect(longTitle.codes).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a body that is not UTF-8 with 400 BAD_REQUEST', async () => {
    const json = Buffer.concat([Buffer.from('{"query":"{ jobs(filter: { titleContains: \\"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\\" }) { totalCount } }"}')]);
    expectRefused(await send(server.url, { body: new Uint8Array(json) }), 400, 'BAD_REQUEST');
    const graphql = Buffer.concat([Buffer.from('{ __typename '), Buffer.from([0xc0, 0x80]), Buffer.from(' }')]);
    expectRefused(await send(server.url, { headers: { 'content-type': 'application/graphql' }, body: new Uint8Array(graphql) }), 400, 'BAD_REQUEST');
  });

  it('answers 100,000 levels of nested arrays or objects in variables with 400 BAD_REQUEST', async () => {
    const arrays = `{"query":${JSON.stringify(UIDS_QUERY)},"variables":{"uids":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expectRefused(await send(server.url, { body: arrays }), 400, 'BAD_REQUEST');
    const objects = `{"query":"{ __typename }","variables":{"x":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`;
    expectRefused(await send(server.url, { body: objects }), 400, 'BAD_REQUEST');
    const extensions = `{"query":"{ __typename }","extensions":{"x":${'['.repeat(1000)}${']'.repeat(1000)}}}`;
    expectRefused(await send(server.url, { body: extensions }), 400, 'BAD_REQUEST');
    const get = new URLSearchParams({ query: UIDS_QUERY, variables: `{"uids":${'['.repeat(1000)}${']'.repeat(1000)}}` });
    expectRefused(await send(`${server.url}?${get}`, { method: 'GET', headers: { 'x-graphql-csrf': '1' } }), 400, 'BAD_REQUEST');
  });

  it('answers deeply nested input objects in the query with a 400 and a code', async () => {
    const nested = (levels: number) => `{ jobs(filter: ${'{ a: '.repeat(levels)}1${' }'.repeat(levels)}) { totalCount } }`;
    const shallow = await sendQuery(server.url, nested(30));
    expect({ status: shallow.status, codes: [...new Set(shallow.codes)] }).toEqual({ status: 400, codes: ['GRAPHQL_VALIDATION_FAILED'] });
    expectRefused(await sendQuery(server.url, nested(1500)), 400, 'TOKEN_LIMIT_EXCEEDED');
    const lists = `{ jobs(filter: { uids: ${'['.repeat(900)}${']'.repeat(900)} }) { totalCount } }`;
    expect((await sendQuery(server.url, lists)).status).toBe(400);
  });

  it('answers a document too deep for the parser with 400 GRAPHQL_PARSE_FAILED when the token limit allows it', async () => {
    const lenientStore = await createTestStore('sqlite');
    const lenient = await startTestServer(lenientStore.store, { maxTokens: 1_000_000 });
    try {
      const deep = `{ jobs(filter: { uids: ${'['.repeat(50_000)}${']'.repeat(50_000)} }) { totalCount } }`;
      expectRefused(await sendQuery(lenient.url, deep), 400, 'GRAPHQL_PARSE_FAILED');
      expect((await sendQuery(lenient.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await lenient.stop();
      await lenientStore.dispose();
    }
  });

  it('answers a chunked body without content-length with 411 LENGTH_REQUIRED', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"query":"{ __typename }"}'));
        controller.close();
      },
    });
    expectRefused(await send(server.url, { body }), 411, 'LENGTH_REQUIRED');
  });

  it('still answers a normal query afterwards', async () => {
    // J1 and J2 of both projects
    expect((await sendQuery(server.url, UIDS_QUERY, { uids: ['J1', 'J2'] })).body).toEqual({ data: { jobs: { totalCount: 4 } } });
  });
});
