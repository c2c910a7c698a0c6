import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { checkOrigin, createOriginPolicy } from '../../src/server/origin-policy.js';
import { createToken } from '../../src/server/token-file.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  code: string | undefined;
}

/** node:http, so that the test sets Host and Origin exactly as a browser (or an attacker's DNS) would. */
function request(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }), ...headers } }, (res) => {
      const streaming = res.headers['content-type']?.startsWith('text/event-stream') && res.statusCode === 200;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        // A live SSE stream does not end: its first bytes are enough.
        if (streaming) res.destroy();
      });
      const done = () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode!, headers: res.headers, text, code });
      };
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const query = (q: string) => JSON.stringify({ query: q });
const PROJECTS_QUERY = query('{ projects(first: 5) { totalCount } }');
const SUBSCRIPTION = query('subscription { jobStatusChanged { cursor } }');

/** A websocket upgrade: resolves with the handshake's status (101 when accepted) and the refusal's body. */
function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; text: string; code: string | undefined; socket?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('open', () => resolve({ status: 101, text: '', code: undefined, socket }));
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode!, text, code });
      });
    });
    socket.once('error', (error) => {
      if (!/Unexpected server response/.test(String(error))) reject(error);
    });
  });
}

/** connection_init on an open socket: true when the server acknowledges it. */
function acknowledged(socket: WebSocket, payload?: Record<string, unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve(true);
    });
    socket.on('close', () => resolve(false));
    socket.send(JSON.stringify({ type: 'connection_init', payload }));
  });
}

for (const mode of ['anonymous', 'token'] as const) {
  describe(`same origin by default (${mode})`, () => {
    let ts: TestStore;
    let server: TestServer;
    let dir: string;
    let port: number;
    let base: string;
    let auth: Record<string, string> = {};

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'jobgraph-origin-'));
      let settings: Record<string, unknown> = {};
      if (mode === 'token') {
        const file = join(dir, 'tokens.json');
        auth = { authorization: `Bearer ${createToken(file, { user: 'ops', admin: true }).token}` };
        settings = { tokensFile: file };
      }
      ts = await createTestStore('sqlite');
      await seedTwoProjects(ts.store, [10, 10]);
      server = await startTestServer(ts.store, settings);
      port = Number(new URL(server.url).port);
      base = `http://127.0.0.1:${port}`;
    });
    afterAll(async () => {
      await server?.stop();
      await ts?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const post = (origin: string | undefined, extra: Record<string, string> = {}) =>
      request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { ...auth, accept: 'application/graphql-response+json', ...(origin ? { origin } : {}), ...extra } });

    it('answers requests without an Origin as before', async () => {
      const answer = await post(undefined);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text).data.projects.totalCount).toBe(2);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect((await request(`${base}/health`)).status).toBe(200);
    });

    it('answers its own origin (127.0.0.1, and localhost when that is the Host) without CORS headers', async () => {
      const own = await post(base);
      expect(own.status).toBe(200);
      expect(JSON.parse(own.text).data.projects.totalCount).toBe(2);
      expect(own.headers['access-control-allow-origin']).toBeUndefined();
      expect(own.headers.vary).toMatch(/Origin/);
      const viaLocalhost = await post(`http://localhost:${port}`, { host: `localhost:${port}` });
      expect(viaLocalhost.status).toBe(200);
      // GraphiQL, opened in a browser at /graphql, and its same-origin requests.
      const graphiql = await request(server.url, { headers: { accept: 'text/html', host: `localhost:${port}` } });
      expect(graphiql.status).toBe(200);
      expect(graphiql.text).toContain('<html');
    });

    it('refuses a foreign Origin on every path and method, before anything runs', async () => {
      const evil = 'https://evil.example';
      const mutation = query('mutation { updateJob(input: { projectUid: "P1", uid: "J1", title: "owned" }) { job { title } } }');
      const refused = await request(server.url, { method: 'POST', body: mutation, headers: { ...auth, origin: evil } });
      expect([refused.status, refused.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const title = await request(server.url, { method: 'POST', body: query('{ job(projectUid: "P1", uid: "J1") { title } }'), headers: auth });
      expect(JSON.parse(title.text).data.job.title).not.toBe('owned');

      const answers = await Promise.all([
        request(`${server.url}?query=${encodeURIComponent('{ projects { totalCount } }')}`, { headers: { ...auth, origin: evil, 'x-graphql-csrf': '1' } }),
        request(server.url, { headers: { origin: evil, accept: 'text/html' } }),
        request(server.url, { method: 'POST', body: SUBSCRIPTION, headers: { ...auth, origin: evil, accept: 'text/event-stream' } }),
        request(server.url, { method: 'OPTIONS', headers: { origin: evil, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }),
        request(`${base}/health`, { headers: { origin: evil } }),
        request(`${base}/ready`, { headers: { origin: evil } }),
        request(`${base}/metrics`, { headers: { ...auth, origin: evil } }),
        request(`${base}/ingest`, { method: 'POST', body: '[]', headers: { ...auth, origin: evil } }),
      ]);
      for (const answer of answers) {
        expect([answer.status, answer.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      }
    });

    it('counts Origin: null, another loopback port and another loopback name as foreign', async () => {
      for (const origin of ['null', `http://127.0.0.1:${port + 1}`, `http://localhost:${port}`, `https://127.0.0.1:${port + 1}`, 'file://']) {
        const answer = await post(origin);
        expect([origin, answer.status, answer.code]).toEqual([origin, 403, 'FORBIDDEN_ORIGIN']);
      }
    });

    it('refuses a Host it does not serve (DNS rebinding), with or without an Origin', async () => {
      const rebound = `evil.example:${port}`;
      const answers = await Promise.all([
        post(undefined, { host: rebound }),
        post(`http://${rebound}`, { host: rebound }),
        request(server.url, { headers: { host: rebound, accept: 'text/html' } }),
        request(`${base}/health`, { headers: { host: rebound } }),
        request(server.url, { method: 'POST', body: SUBSCRIPTION, headers: { ...auth, host: rebound, accept: 'text/event-stream' } }),
        post(undefined, { host: `127.0.0.1.evil.example:${port}` }),
      ]);
      for (const answer of answers) expect([answer.status, answer.code]).toEqual([403, 'FORBIDDEN_HOST']);
    });

    it('serves every loopback Host: localhost names, 127.0.0.0/8, [::1]', async () => {
      for (const host of [`localhost:${port}`, `app.localhost:${port}`, `127.0.0.2:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
        expect([host, (await post(undefined, { host })).status]).toEqual([host, 200]);
      }
    });

    it('answers HTTP/1.0 requests without a Host header', async () => {
      const socket = net.connect({ host: '127.0.0.1', port });
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('GET /health HTTP/1.0\r\n\r\n');
      let text = '';
      for await (const chunk of socket) text += String(chunk);
      expect(text).toMatch(/^HTTP\/1\.1 200/);
    });

    it('streams SSE to its own origin', async () => {
      const answer = await request(server.url, { method: 'POST', body: SUBSCRIPTION, headers: { ...auth, origin: base, accept: 'text/event-stream' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    });

    it('refuses websocket upgrades from a foreign Origin or Host with 403, and accepts its own origin and Origin-less clients', async () => {
      for (const headers of [{ origin: 'https://evil.example' }, { origin: 'null' }, { origin: `http://127.0.0.1:${port + 1}` }]) {
        expect(await upgrade(server.wsUrl, headers)).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
      }
      expect(await upgrade(server.wsUrl, { host: `evil.example:${port}`, origin: `http://evil.example:${port}` })).toMatchObject({ status: 403, code: 'FORBIDDEN_HOST' });
      const payload = mode === 'token' ? { authorization: auth.authorization } : undefined;
      const accepted: Record<string, string>[] = [{}, { origin: base }, { host: `localhost:${port}`, origin: `http://localhost:${port}` }];
      for (const headers of accepted) {
        const { status, socket } = await upgrade(server.wsUrl, headers);
        expect(status).toBe(101);
        expect(await acknowledged(socket!, payload)).toBe(true);
        socket!.close();
      }
    });
  });
}

describe('--cors-origins and --allowed-hosts', () => {
  const FRONTEND = 'http://localhost:5173';
  let ts: TestStore;
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    await seedTwoProjects(ts.store, [5, 5]);
    server = await startTestServer(ts.store, { corsOrigins: `${FRONTEND},https://viewer.example.org`, allowedHosts: 'jobgraph.example.org,other.example:8443' });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it('answers the preflight of an allowed origin, and only of it', async () => {
    const preflight = await request(server.url, {
      method: 'OPTIONS',
      headers: { origin: FRONTEND, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/content-type/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    expect(preflight.headers.vary).toMatch(/Origin/);
    const other = await request(server.url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5174', 'access-control-request-method': 'POST' } });
    expect([other.status, other.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('echoes an allowed origin (never *) on requests and SSE streams', async () => {
    for (const origin of [FRONTEND, 'https://viewer.example.org']) {
      const answer = await request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { origin } });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text).data.projects.totalCount).toBe(2);
      expect(answer.headers['access-control-allow-origin']).toBe(origin);
      expect(answer.headers['access-control-allow-credentials']).toBe('true');
      expect(answer.headers.vary).toMatch(/Origin/);
    }
    const sse = await request(server.url, { method: 'POST', body: SUBSCRIPTION, headers: { origin: FRONTEND, accept: 'text/event-stream' } });
    expect(sse.status).toBe(200);
    expect(sse.headers['access-control-allow-origin']).toBe(FRONTEND);
    // Same-origin answers carry no CORS headers, and still vary by Origin.
    const own = await request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { origin: `http://127.0.0.1:${port}` } });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
    expect(own.headers.vary).toMatch(/Origin/);
  });

  it('accepts websocket upgrades from an allowed origin', async () => {
    const { status, socket } = await upgrade(server.wsUrl, { origin: FRONTEND });
    expect(status).toBe(101);
    expect(await acknowledged(socket!)).toBe(true);
    socket!.close();
    expect(await upgrade(server.wsUrl, { origin: 'http://localhost:5174' })).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
  });

  it('serves the allowed host names (any port unless one is named) and their own origin', async () => {
    for (const host of [`jobgraph.example.org:${port}`, 'jobgraph.example.org', 'JobGraph.Example.Org:8080', 'other.example:8443']) {
      const answer = await request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { host } });
      expect([host, answer.status]).toEqual([host, 200]);
    }
    for (const host of ['other.example:9000', 'other.example', 'sub.jobgraph.example.org', 'jobgraph.example.org.evil.example']) {
      const answer = await request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { host } });
      expect([host, answer.status, answer.code]).toEqual([host, 403, 'FORBIDDEN_HOST']);
    }
    const own = await request(server.url, { method: 'POST', body: PROJECTS_QUERY, headers: { host: 'jobgraph.example.org', origin: 'https://jobgraph.example.org' } });
    expect(own.status).toBe(200);
    expect((await upgrade(server.wsUrl, { host: `jobgraph.example.org:${port}`, origin: `http://jobgraph.example.org:${port}` })).status).toBe(101);
  });
});

describe('the separate metrics port', () => {
  it('checks Host and Origin like the main port', async () => {
    const ts = await createTestStore('sqlite');
    const app = await createApp(loadConfig({ port: 0, metricsPort: 0, logLevel: 'silent' }, {}), { logger: pino({ level: 'silent' }), store: ts.store });
    try {
      const { metricsUrl } = await app.start(0);
      const port = new URL(metricsUrl!).port;
      expect((await request(metricsUrl!)).status).toBe(200);
      expect((await request(metricsUrl!, { headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` } })).status).toBe(200);
      expect(await request(metricsUrl!, { headers: { host: `evil.example:${port}` } })).toMatchObject({ status: 403, code: 'FORBIDDEN_HOST' });
      expect(await request(metricsUrl!, { headers: { origin: 'https://evil.example' } })).toMatchObject({ status: 403, code: 'FORBIDDEN_ORIGIN' });
    } finally {
      await app.stop();
      await ts.dispose();
    }
  });
});

describe('checkOrigin', () => {
  const none = createOriginPolicy();
  const verdict = (host: string | undefined, origin?: string, policy = none) => {
    const result = checkOrigin({ host, origin }, policy);
    return result.ok ? 'ok' : result.code;
  };

  it('normalises Host names as a browser does and refuses anything that is not a host', () => {
    expect(verdict('LOCALHOST:4000')).toBe('ok');
    expect(verdict('localhost.:4000')).toBe('ok');
    expect(verdict('127.1:4000')).toBe('ok');
    expect(verdict('[0:0:0:0:0:0:0:1]:4000')).toBe('ok');
    for (const host of ['evil@localhost:4000', 'localhost/x', 'localhost:4000 x', '', 'localhost:abc', '[::2]:4000', '128.0.0.1']) expect([host, verdict(host)]).toEqual([host, 'FORBIDDEN_HOST']);
  });

  it('compares the Origin with the Host it came with', () => {
    expect(verdict('localhost:4000', 'HTTP://LOCALHOST:4000')).toBe('ok');
    expect(verdict('localhost', 'http://localhost:80')).toBe('ok');
    expect(verdict('localhost:4000', 'http://localhost:4000/path')).toBe('FORBIDDEN_ORIGIN');
    expect(verdict('localhost:4000', 'http://user@localhost:4000')).toBe('FORBIDDEN_ORIGIN');
    expect(verdict('localhost:4000', 'ws://localhost:4000')).toBe('FORBIDDEN_ORIGIN');
    // Without a Host there is no own origin: only a listed one passes.
    expect(verdict(undefined)).toBe('ok');
    expect(verdict(undefined, 'http://localhost:4000')).toBe('FORBIDDEN_ORIGIN');
    expect(verdict(undefined, 'http://localhost:5173', createOriginPolicy({ corsOrigins: ['http://localhost:5173'] }))).toBe('ok');
  });

  it('serves the address it is bound to, and with a wildcard bind the addresses of this machine', () => {
    const bound = createOriginPolicy({ bindHost: '10.1.2.3' });
    expect(verdict('10.1.2.3:4000', undefined, bound)).toBe('ok');
    expect(verdict('10.1.2.3:4000', 'http://10.1.2.3:4000', bound)).toBe('ok');
    expect(verdict('10.1.2.4:4000', undefined, bound)).toBe('FORBIDDEN_HOST');
    expect(verdict('[fe80::1]:4000', undefined, createOriginPolicy({ bindHost: 'fe80::1' }))).toBe('ok');
    const wildcard = createOriginPolicy({ bindHost: '0.0.0.0' });
    expect(verdict('203.0.113.9:4000', undefined, wildcard)).toBe('FORBIDDEN_HOST');
    expect(verdict('jobgraph.example.org', undefined, wildcard)).toBe('FORBIDDEN_HOST');
    const local = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal);
    if (local) {
      expect(verdict(`${local.address}:4000`, undefined, wildcard)).toBe('ok');
      expect(verdict(`${local.address}:4000`, undefined, none)).toBe('FORBIDDEN_HOST');
    }
  });
});
