import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/model/job.js';
import { createToken } from '../../src/server/token-file.js';
import { JobStatusChangedDocument, JobsPageDocument, SetJobStatusDocument } from '../gql/graphql.js';
import { executeWith, expectData } from '../helpers/client.js';
import { seedTwoProjects } from '../helpers/dataset.js';
import { createObservableBus, subscribe, subscribeSse, wsClient } from '../helpers/live.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI in its own process; asynchronous, so that the server in this process keeps serving meanwhile. */
const cli = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, JOBGRAPH_TOKENS_FILE: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stderr }));
  });

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('tokens taken back while the gateway runs', () => {
  let dir: string;
  let file: string;
  let ts: TestStore;
  let server: TestServer;
  let jobs: Job[];
  const bus = createObservableBus();
  const logs: { level: number; msg?: string; error?: string }[] = [];
  const tokens: Record<string, { token: string; id: string }> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jobgraph-revoke-'));
    file = join(dir, 'tokens.json');
    for (const [user, grant] of [
      ['admin', { admin: true }],
      ['alice', { write: ['P1'] }],
      ['bob', { read: ['P1'] }],
      ['carol', { read: ['P1'] }],
      ['dave', { read: ['P2'] }],
      ['erin', { read: ['P1'] }],
      ['frank', { read: ['P1'] }],
    ] as [string, { admin?: boolean; read?: string[]; write?: string[] }][]) {
      const { token, entry } = createToken(file, { user, ...grant });
      tokens[user] = { token, id: entry.id };
    }
    ts = await createTestStore('sqlite');
    jobs = await seedTwoProjects(ts.store, [40, 20]);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line));
        done();
      },
    });
    server = await startTestServer(ts.store, { tokensFile: file }, { bus, logger: pino({ level: 'info' }, sink) });
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]!.token}` });
  const statusOf = async (who: string) => (await executeWith(server.url, as(who), JobsPageDocument, { first: 1 })).status;
  const p1Completed = () => jobs.filter((j) => j.project_uid === 'P1' && j.status === 'completed' && !j.deleted);
  let nextJob = 0;
  const changeAJob = async () => {
    const job = p1Completed()[nextJob++]!;
    expectData(await executeWith(server.url, as('admin'), SetJobStatusDocument, { input: { projectUid: 'P1', uid: job.uid, status: 'BUILDING' } }));
    return job.uid;
  };
  /** The file as it is, minus the entries of `users`, written in place (not renamed), as a hand edit may. */
  const removeInPlace = (...users: string[]) => {
    const content = JSON.parse(readFileSync(file, 'utf8')) as { version: 1; tokens: { user: string }[] };
    writeFileSync(file, JSON.stringify({ ...content, tokens: content.tokens.filter((t) => !users.includes(t.user)) }, null, 2));
  };

  it('`token revoke` closes the revoked websocket (4403) and ends its SSE stream, its requests get 401, and other tokens keep receiving events', async () => {
    const mark = bus.mark();
    let aliceClose: { code: number; reason: string } | undefined;
    let bobClose: { code: number; reason: string } | undefined;
    const aliceWs = subscribe(wsClient(server.wsUrl, { onClose: (e) => (aliceClose = { code: e.code, reason: e.reason }), connectionParams: { authorization: `Bearer ${tokens.alice!.token}` } }), JobStatusChangedDocument, { projectUid: 'P1' });
    const aliceSse = subscribeSse(server.url, JobStatusChangedDocument, { projectUid: 'P1' }, as('alice'));
    const bobWs = subscribe(wsClient(server.wsUrl, { onClose: (e) => (bobClose = { code: e.code, reason: e.reason }), connectionParams: { authorization: `Bearer ${tokens.bob!.token}` } }), JobStatusChangedDocument, { projectUid: 'P1' });
    const bobSse = subscribeSse(server.url, JobStatusChangedDocument, { projectUid: 'P1' }, as('bob'));
    await bus.waitForSubscriptions(mark + 4);
    const first = await changeAJob();
    for (const s of [aliceWs, aliceSse, bobWs, bobSse]) await s.waitFor(1);
    expect(await statusOf('alice')).toBe(200);

    const revoked = await cli('token', 'revoke', tokens.alice!.id, '--tokens-file', file);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`revoked token ${tokens.alice!.id} of alice`);

    await aliceWs.waitForEnd();
    expect(aliceClose).toEqual({ code: 4403, reason: 'token revoked' });
    await aliceSse.waitForEnd();
    expect(aliceSse.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refused = await executeWith(server.url, as('alice'), JobsPageDocument, { first: 1 });
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // A new websocket with the revoked token is refused too.
    let again: { code: number } | undefined;
    const retry = subscribe(wsClient(server.wsUrl, { onClose: (e) => (again = e), connectionParams: { authorization: `Bearer ${tokens.alice!.token}` } }), JobStatusChangedDocument, {});
    await retry.waitForEnd();
    expect(again?.code).toBe(4403);

    // Bob's websocket and stream stayed open and still receive.
    const second = await changeAJob();
    await bobWs.waitFor(2);
    await bobSse.waitFor(2);
    expect(bobWs.results.map((r) => r.data?.jobStatusChanged.jobUid)).toEqual([first, second]);
    expect(bobSse.results.map((r) => r.data?.jobStatusChanged.jobUid)).toEqual([first, second]);
    expect(bobWs.done).toBe(false);
    expect(bobClose).toBeUndefined();
    expect(await statusOf('bob')).toBe(200);
    expect(logs.some((l) => l.msg === 'tokens file reloaded')).toBe(true);
    for (const s of [bobWs, bobSse]) s.stop();
  }, 120_000);

  it('picks up a file edited by hand in place, and one replaced by a rename', async () => {
    expect(await statusOf('carol')).toBe(200);
    removeInPlace('carol');
    await until(async () => (await statusOf('carol')) === 401, 'carol to be refused');

    expect(await statusOf('erin')).toBe(200);
    const content = JSON.parse(readFileSync(file, 'utf8')) as { tokens: { user: string }[] };
    const temporary = join(dir, 'edit.tmp');
    writeFileSync(temporary, JSON.stringify({ ...content, tokens: content.tokens.filter((t) => t.user !== 'erin') }));
    renameSync(temporary, file);
    await until(async () => (await statusOf('erin')) === 401, 'erin to be refused');
    expect(await statusOf('bob')).toBe(200);
  });

  it('keeps the previous tokens when a rewrite is malformed, and reloads once the file is good again', async () => {
    const good = readFileSync(file, 'utf8');
    const errorsBefore = logs.filter((l) => l.msg?.startsWith('tokens file not reloaded')).length;
    writeFileSync(file, '{"version": 1, "tokens": [ {"id": "x", "user": "half-written"');
    await until(() => logs.filter((l) => l.msg?.startsWith('tokens file not reloaded')).length > errorsBefore, 'the failed reload to be logged');
    const logged = logs.filter((l) => l.msg?.startsWith('tokens file not reloaded')).at(-1)!;
    expect(logged.error).toContain('is not valid JSON');
    expect(logged.error).not.toContain('half-written');
    // Nobody is locked out, nobody becomes anonymous.
    expect(await statusOf('bob')).toBe(200);
    expect(await statusOf('frank')).toBe(200);
    expect((await executeWith(server.url, {}, JobsPageDocument, { first: 1 })).status).toBe(401);
    // A valid schema violation is refused the same way.
    writeFileSync(file, JSON.stringify({ version: 2, tokens: [] }));
    await until(() => logs.filter((l) => l.msg?.startsWith('tokens file not reloaded')).length > errorsBefore + 1, 'the second failed reload to be logged');
    expect(await statusOf('frank')).toBe(200);

    const restored = JSON.parse(good) as { version: 1; tokens: { user: string }[] };
    writeFileSync(file, JSON.stringify({ ...restored, tokens: restored.tokens.filter((t) => t.user !== 'frank') }));
    await until(async () => (await statusOf('frank')) === 401, 'frank to be refused after the file is good again');
    expect(await statusOf('bob')).toBe(200);
  });

  it('changed grants apply to the next operation on an open websocket, which stays open', async () => {
    let closed: { code: number } | undefined;
    const client = wsClient(server.wsUrl, { onClose: (e) => (closed = e), connectionParams: { authorization: `Bearer ${tokens.dave!.token}` } });
    // A subscription holds the (lazy) socket open between the queries.
    const mark = bus.mark();
    const hold = subscribe(client, JobStatusChangedDocument, {});
    await bus.waitForSubscriptions(mark + 1);
    const projectsSeen = async () => {
      const query = subscribe(client, JobsPageDocument, { first: 100 });
      await query.waitForEnd();
      return [...new Set(query.results[0]!.data!.jobs.edges.map((e) => e.node.projectUid))].sort();
    };
    expect(await projectsSeen()).toEqual(['P2']);

    const content = JSON.parse(readFileSync(file, 'utf8')) as { version: 1; tokens: { user: string; read: string[] }[] };
    for (const t of content.tokens) if (t.user === 'dave') t.read = ['P1', 'P2'];
    writeFileSync(file, JSON.stringify(content));
    await until(async () => (await executeWith(server.url, as('dave'), JobsPageDocument, { first: 1, filter: { projectUid: 'P1' } })).data?.jobs.totalCount !== 0, 'the new grant over HTTP');

    expect(await projectsSeen()).toEqual(['P1', 'P2']);
    expect(hold.done).toBe(false);
    expect(closed).toBeUndefined();
    hold.stop();
  });
});
