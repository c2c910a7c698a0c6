import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Job } from '../../src/model/job.js';
import { openStore } from '../../src/store/open-store.js';
import { JobStatusChangedDocument, JobsPageDocument, JobsWithNeighboursDocument, SetJobStatusDocument } from '../gql/graphql.js';
import { execute, expectData, expectErrors } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { createObservableBus, subscribe, wsClient } from '../helpers/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

/** One scrape of `/metrics`: the raw text and a lookup of a sample by name and labels (0 when absent). */
async function scrape(graphqlUrl: string) {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'));
  expect(response.status).toBe(200);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const split = line.lastIndexOf(' ');
    samples.set(line.slice(0, split), Number(line.slice(split + 1)));
  }
  return {
    text,
    contentType: response.headers.get('content-type'),
    value(name: string, labels: Record<string, string> = {}) {
      const rendered = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      for (const [key, value] of samples) {
        const open = key.indexOf('{');
        const sampleName = open === -1 ? key : key.slice(0, open);
        if (sampleName === name && rendered.every((pair) => key.includes(pair))) return value;
      }
      return 0;
    },
  };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('GET /metrics', () => {
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];
  const bus = createObservableBus();

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    jobs = await seedTwoProjects(ts.store, [60, 20]);
    server = await startTestServer(ts.store, {}, { bus });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it('counts queries, failed queries, mutations and a websocket subscription with its events, by operation, type and outcome', async () => {
    const before = await scrape(server.url);
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.value('process_resident_memory_bytes')).toBeGreaterThan(0);

    expectData(await execute(server.url, JobsPageDocument, { first: 5 }));
    expectData(await execute(server.url, JobsPageDocument, { first: 3 }));
    expect(expectErrors(await execute(server.url, JobsPageDocument, { first: 101 })).codes).toEqual(['PAGE_SIZE_EXCEEDED']);

    const client = wsClient(server.wsUrl);
    try {
      const mark = bus.mark();
      const live = subscribe(client, JobStatusChangedDocument, { projectUid: 'P1' });
      await bus.waitForSubscriptions(mark + 1);
      await until(async () => (await scrape(server.url)).value('graphql_active_subscriptions', { operation: 'JobStatusChanged' }) === 1, 'an active subscription');

      const target = jobs.find((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted)!;
      expectData(await execute(server.url, SetJobStatusDocument, { input: { projectUid: 'P1', uid: target.uid, status: 'BUILDING' } }));
      await live.waitFor(1);

      const during = await scrape(server.url);
      expect(during.value('graphql_requests_total', { operation: 'JobsPage', type: 'query', outcome: 'ok' })).toBe(2);
      expect(during.value('graphql_requests_total', { operation: 'JobsPage', type: 'query', outcome: 'error' })).toBe(1);
      expect(during.value('graphql_requests_total', { operation: 'SetJobStatus', type: 'mutation', outcome: 'ok' })).toBe(1);
      expect(during.value('graphql_requests_total', { operation: 'JobStatusChanged', type: 'subscription', outcome: 'ok' })).toBe(1);
      expect(during.value('graphql_request_duration_seconds_count', { operation: 'JobsPage', type: 'query' })).toBe(3);
      expect(during.value('graphql_request_duration_seconds_bucket', { operation: 'JobsPage', type: 'query', le: '+Inf' })).toBe(3);
      expect(during.value('graphql_request_duration_seconds_sum', { operation: 'JobsPage', type: 'query' })).toBeGreaterThan(0);
      expect(during.value('status_events_published_total')).toBe(1);
      expect(during.value('status_events_delivered_total')).toBe(1);
      expect(during.text).toContain('# TYPE status_events_dropped_total counter');

      live.stop();
      await until(async () => (await scrape(server.url)).value('graphql_active_subscriptions', { operation: 'JobStatusChanged' }) === 0, 'the subscription to end');
    } finally {
      await client.dispose();
    }
  });

  it('counts documents that fail parse or validation as invalid', async () => {
    const post = (query: string) =>
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    await post('query Broken { jobs(first: 1) { edges ');
    await post('query Unknown { noSuchField }');
    const after = await scrape(server.url);
    // Before parsing, only an `operationName` sent beside the query names the operation.
    expect(after.value('graphql_requests_total', { operation: 'anonymous', type: 'unknown', outcome: 'invalid' })).toBe(1);
    expect(after.value('graphql_requests_total', { operation: 'Unknown', type: 'query', outcome: 'invalid' })).toBe(1);
  });
});

describe('SQL time in /metrics', () => {
  let dir: string;
  let app: App;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-metrics-'));
    const db = join(dir, 'metrics.db');
    const seeding = await openStore({ db });
    await seedTwoProjects(seeding, [40, 10]);
    await seeding.close();
    // The app opens the store itself: only then does it see every statement.
    app = await createApp(loadConfig({ db, port: 0, logLevel: 'silent' }, {}), { logger: pino({ level: 'silent' }) });
    ({ url } = await app.start(0));
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('times every statement by the name it carries', async () => {
    expectData(await execute(url, JobsWithNeighboursDocument, { first: 10, filter: { projectUid: 'P1' } }));
    const after = await scrape(url);
    // The page asks for columns only (uid, status): one statement reads them, with the parents and children.
    for (const statement of ['listJobColumnsWithExtras']) {
      expect(after.value('sql_statement_duration_seconds_count', { statement }), statement).toBe(1);
      expect(after.value('sql_statement_duration_seconds_bucket', { statement, le: '+Inf' }), statement).toBe(1);
    }
  });
});
