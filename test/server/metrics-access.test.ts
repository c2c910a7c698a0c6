import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createToken } from '../../src/server/token-file.js';
import { JobsPageDocument, ProjectsPageDocument } from '../gql/graphql.js';
import { executeWith, expectData } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const metricsOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

describe('GET /metrics when tokens are configured', () => {
  let dir: string;
  let ts: TestStore;
  let server: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-metrics-access-'));
    const file = join(dir, 'tokens.json');
    tokens.admin = createToken(file, { user: 'ops', admin: true }).token;
    tokens.prom = createToken(file, { user: 'prom', metrics: true }).token;
    tokens.reader = createToken(file, { user: 'reader', read: ['P1'], write: ['P2'] }).token;
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [20, 10]);
    server = await startTestServer(ts.store, { tokensFile: file });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const scrape = (headers: Record<string, string> = {}) => fetch(metricsOf(server.url), { headers });

  it('is 401 without a token or with an unknown one', async () => {
    for (const headers of [{}, { authorization: 'Bearer jg_unknown' }] as Record<string, string>[]) {
      const response = await scrape(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('is 403 for a token that may read and write projects but has no metrics grant', async () => {
    const response = await scrape({ authorization: `Bearer ${tokens.reader}` });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('FORBIDDEN');
    expect(text).not.toContain('graphql_requests_total');
  });

  it('is 200 with the admin grant and with the metrics grant', async () => {
    for (const who of ['admin', 'prom']) {
      const response = await scrape({ authorization: `Bearer ${tokens[who]}` });
      expect(response.status, who).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await response.text()).toContain('process_resident_memory_bytes');
    }
  });

  it('a metrics grant gives no access to job data', async () => {
    const asProm = { authorization: `Bearer ${tokens.prom}` };
    expect(expectData(await executeWith(server.url, asProm, JobsPageDocument, { first: 10 })).jobs.totalCount).toBe(0);
    expect(expectData(await executeWith(server.url, asProm, ProjectsPageDocument, { first: 10 })).projects.totalCount).toBe(0);
    // The reader does see its projects: the zero above is the grant, not an empty database.
    expect(expectData(await executeWith(server.url, { authorization: `Bearer ${tokens.reader}` }, JobsPageDocument, { first: 10 })).jobs.totalCount).toBe(30);
  });
});

describe('--metrics-port', () => {
  let dir: string;
  let ts: TestStore;
  let app: App;
  let url: string;
  let metricsUrl: string | undefined;
  let admin: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-metrics-port-'));
    const file = join(dir, 'tokens.json');
    admin = createToken(file, { user: 'ops', admin: true }).token;
    ts = await createTestStore('sqlite');
    // The main port on every interface; the metrics port must still be loopback only.
    const config = loadConfig({ port: 0, metricsPort: 0, host: '0.0.0.0', tokensFile: file, logLevel: 'silent' }, {});
    app = await createApp(config, { store: ts.store, logger: pino({ level: 'silent' }) });
    ({ url, metricsUrl } = await app.start(0));
  });
  afterAll(async () => {
    await app?.stop();
    await ts?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /metrics on a separate server bound to 127.0.0.1, without a token', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(metricsUrl!).port).not.toBe(new URL(url).port);
    const response = await fetch(metricsUrl!);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('graphql_requests_total');
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/graphql'))).status).toBe(404);
  });

  it('and the main port no longer serves it, not even to an admin', async () => {
    const mainPort = new URL(url).port;
    const onMain = await fetch(`http://127.0.0.1:${mainPort}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
    expect(onMain.status).toBe(404);
    expect(await onMain.text()).not.toContain('graphql_requests_total');
    // The main port itself still works.
    expect(expectData(await executeWith(`http://127.0.0.1:${mainPort}/graphql`, { authorization: `Bearer ${admin}` }, JobsPageDocument, { first: 1 })).jobs.totalCount).toBe(0);
  });

  it('stops with the app', async () => {
    await app.stop();
    await expect(fetch(metricsUrl!)).rejects.toThrow();
    app = undefined as never;
  });
});
