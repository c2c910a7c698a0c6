import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStore } from '../../src/store/job-store.js';
import { JobStatusChangedDocument, JobsWithNeighboursDocument } from '../gql/graphql.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { createObservableBus, subscribe, wsClient } from '../helpers/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown> & { level: number; msg: string; requestId?: string };

/** The store, except that counting jobs fails the way a bug would: with an uncoded error. */
function withBrokenCount(store: JobStore): JobStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'countJobs') return () => Promise.reject(new Error('count exploded'));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('request ids and the request log', () => {
  let ts: TestStore;
  let server: TestServer;
  const lines: LogLine[] = [];
  const bus = createObservableBus();

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [30, 10]);
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
    server = await startTestServer(withBrokenCount(ts.store), {}, { logger, bus });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  const post = (query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) =>
    fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const linesOf = (requestId: string) => lines.filter((l) => l.requestId === requestId);

  it('echoes the client’s x-request-id and logs the operation under it', async () => {
    const response = await post(JobsWithNeighboursDocument.toString(), { 'x-request-id': 'client-id-42' }, { first: 2 });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-id-42');
    const [line, ...more] = linesOf('client-id-42');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, msg: 'graphql operation', operation: 'JobsWithNeighbours', type: 'query', transport: 'http', outcome: 'ok' });
    expect(line!.durationMs).toEqual(expect.any(Number));
    expect(line).not.toHaveProperty('errors');
  });

  it('generates a UUID when the client sent none, or one that does not look like an id', async () => {
    const absent = (await post('{ projects { totalCount } }')).headers.get('x-request-id');
    const insane = (await post('{ projects { totalCount } }', { 'x-request-id': 'no spaces <or> brackets' })).headers.get('x-request-id');
    expect(absent).toMatch(UUID);
    expect(insane).toMatch(UUID);
    expect(insane).not.toBe(absent);
    expect(linesOf(absent!)).toEqual([expect.objectContaining({ operation: 'anonymous', outcome: 'ok' })]);
    // Endpoints other than GraphQL get an id too.
    expect((await fetch(server.url.replace(/\/graphql$/, '/health'))).headers.get('x-request-id')).toMatch(UUID);
  });

  it('logs the error codes of a failed operation, and the unexpected error itself, under the request id', async () => {
    const failed = await post('query Over { jobs(first: 500) { totalCount } }', { 'x-request-id': 'over-1' });
    expect(failed.headers.get('x-request-id')).toBe('over-1');
    expect(linesOf('over-1')).toEqual([expect.objectContaining({ operation: 'Over', outcome: 'error', errors: ['PAGE_SIZE_EXCEEDED'] })]);

    // A page that lists nothing carries no total: it is counted on its own, and that count fails.
    const broken = await post('query Count { jobs(first: 1, filter: { projectUid: "P404" }) { totalCount } }', { 'x-request-id': 'broken-1' });
    expect(((await broken.json()) as { errors: { message: string }[] }).errors[0]!.message).toBe('Unexpected error.');
    const logged = linesOf('broken-1');
    expect(logged.find((l) => l.level === 50), 'the unexpected error, at error level').toMatchObject({ err: expect.objectContaining({ message: expect.stringContaining('count exploded') }) });
    expect(logged.find((l) => l.msg === 'graphql operation')).toMatchObject({ operation: 'Count', outcome: 'error', errors: ['INTERNAL_SERVER_ERROR'] });
    // One line per unexpected error: yoga's own (id-less) line for it is skipped.
    expect(lines.filter((l) => l.level === 50 && JSON.stringify(l).includes('count exploded'))).toHaveLength(1);
  });

  it('logs websocket operations under one id per connection', async () => {
    const client = wsClient(server.wsUrl);
    try {
      const mark = bus.mark();
      subscribe(client, JobStatusChangedDocument, { projectUid: 'P1' });
      subscribe(client, JobStatusChangedDocument, { projectUid: 'P2' });
      await bus.waitForSubscriptions(mark + 2);
      const ws = () => lines.filter((l) => l.transport === 'ws');
      await expect.poll(() => ws().length).toBe(2);
      const [first, second] = ws();
      expect(first).toMatchObject({ operation: 'JobStatusChanged', type: 'subscription', outcome: 'ok' });
      expect(first!.requestId).toMatch(UUID);
      expect(second!.requestId).toBe(first!.requestId);
    } finally {
      await client.dispose();
    }
  });
});
