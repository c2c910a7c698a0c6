import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/server/token-file.js';
import { spawnServer } from './helpers/process.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source in its own process (asynchronously: the test worker keeps answering vitest meanwhile). */
const run = (...args: string[]) =>
  new Promise<RunResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, JOBGRAPH_DB: '', JOBGRAPH_TOKENS_FILE: '', JOBGRAPH_WATCH: '', JOBGRAPH_PERSISTED_OPERATIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });

/** Spawning the CLI costs a few seconds each on a busy machine. */
const SLOW = 180_000;

async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A start-up error: exit 2, one line on stderr that says `what`, no stack frames, nothing from the file. */
function expectOneLineError(result: RunResult, what: RegExp, secret?: string) {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(result.stderr).toMatch(what);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  if (secret) expect(result.stderr).not.toContain(secret);
}

describe('jobgraph token list and revoke', { timeout: SLOW }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-cli-tokens-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'tokens.json');
  const created = (result: RunResult) => {
    expect(result.status, result.stderr).toBe(0);
    return { token: result.stdout.trim(), id: /created token (\S+) for/.exec(result.stderr)![1]! };
  };

  it('lists ids, users and grants, never tokens or hashes', async () => {
    const alice = created(await run('token', 'create', '--user', 'alice', '--read', 'P1,P2', '--write', 'P1', '--tokens-file', file));
    const prom = created(await run('token', 'create', '--user', 'prom', '--metrics', '--tokens-file', file));
    created(await run('token', 'create', '--user', 'alice', '--admin', '--tokens-file', file));
    const list = await run('token', 'list', '--tokens-file', file);
    expect(list.status, list.stderr).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ID\s+USER\s+GRANTS\s+CREATED$/);
    expect(lines[1]).toMatch(new RegExp(`^${alice.id}\\s+alice\\s+read P1,P2; write P1\\s+\\d{4}-`));
    expect(lines[2]).toMatch(new RegExp(`^${prom.id}\\s+prom\\s+metrics\\s+`));
    expect(lines[3]).toMatch(/\salice\s+admin\s/);
    expect(list.stdout).not.toContain('sha256');
    expect(list.stdout).not.toContain(alice.token);
    expect(JSON.parse(readFileSync(file, 'utf8')).tokens[1]).toMatchObject({ user: 'prom', metrics: true, admin: false, read: [], write: [] });
  });

  it('revokes one token by its id, then every token of a user; the file stays 0600', async () => {
    const before = JSON.parse(readFileSync(file, 'utf8')).tokens as { id: string; user: string }[];
    const [first] = before;
    const one = await run('token', 'revoke', first!.id, '--tokens-file', file);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stderr).toBe(`revoked token ${first!.id} of alice in ${file}\n`);
    let after = JSON.parse(readFileSync(file, 'utf8')).tokens as { id: string; user: string }[];
    expect(after.map((t) => t.id)).toEqual(before.slice(1).map((t) => t.id));

    const all = await run('token', 'revoke', '--user', 'alice', '--tokens-file', file);
    expect(all.status, all.stderr).toBe(0);
    after = JSON.parse(readFileSync(file, 'utf8')).tokens;
    expect(after.map((t) => t.user)).toEqual(['prom']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('an unknown id or user is one line and exit 2, and changes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    expectOneLineError(await run('token', 'revoke', 'deadbeef', '--tokens-file', file), /no token with id "deadbeef"/);
    expectOneLineError(await run('token', 'revoke', '--user', 'nobody', '--tokens-file', file), /no token of user "nobody"/);
    expectOneLineError(await run('token', 'revoke', '--tokens-file', file), /give a token id or --user/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    // Without a tokens file named anywhere: the setting, by both its names.
    const none = await run('token', 'revoke', 'deadbeef');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--tokens-file / JOBGRAPH_TOKENS_FILE');
  });
});

describe('start-up errors are one line and exit 2', { timeout: SLOW }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'jobgraph.db');
  const SECRET = 'sha256:do-not-print-me';

  it('a tokens file that is missing, not JSON, or not a tokens file', async () => {
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--tokens-file', join(dir, 'missing.json')), /tokens file .*missing\.json does not exist/);
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, `{"version": 1, "tokens": [ {"hash": "${SECRET}"`);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--tokens-file', notJson), /tokens file .*not-json\.json is not valid JSON/, SECRET);
    const wrongShape = join(dir, 'wrong-shape.json');
    writeFileSync(wrongShape, JSON.stringify({ version: 1, tokens: [{ id: 'a', user: 'u', hash: SECRET }] }));
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--tokens-file', wrongShape), /wrong-shape\.json is not a jobgraph tokens file: tokens\.0\.hash: expected sha256:<64 hex digits>/, SECRET);
    // `token create` on a malformed file says so the same way instead of overwriting it.
    expectOneLineError(await run('token', 'create', '--user', 'x', '--admin', '--tokens-file', notJson), /not-json\.json is not valid JSON/, SECRET);
    expect(readFileSync(notJson, 'utf8')).toContain(SECRET);
  });

  it('a --watch directory without project.json, or that is not a directory; import of one', async () => {
    const empty = join(dir, 'empty-project');
    mkdirSync(empty);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--watch', empty), /--watch: .*empty-project is not a CryoSPARC project directory: project\.json does not exist/);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--watch', join(dir, 'nowhere')), /--watch: .*nowhere does not exist/);
    const aFile = join(dir, 'a-file');
    writeFileSync(aFile, 'x');
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--watch', aFile), /--watch: .*a-file is not a directory/);
    expectOneLineError(await run('import', empty, '--db', db), /import: .*empty-project is not a CryoSPARC project directory: project\.json does not exist/);
    const badProject = join(dir, 'bad-project');
    mkdirSync(badProject);
    writeFileSync(join(badProject, 'project.json'), `{"uid": "${SECRET}"}`);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--watch', badProject), /bad-project is not a CryoSPARC project directory: .*project\.json is not a valid project document/, SECRET);
    expectOneLineError(await run('import', badProject, '--db', db), /bad-project is not a CryoSPARC project directory/, SECRET);
  });

  it('a persisted-operations file that is not JSON or has a wrong hash', async () => {
    const notJson = join(dir, 'operations.json');
    writeFileSync(notJson, `{ "${SECRET}": query {`);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--persisted-operations', notJson), /persisted operations file .*operations\.json: is not valid JSON/, SECRET);
    const wrongHash = join(dir, 'wrong-hash.json');
    writeFileSync(wrongHash, JSON.stringify({ ['0'.repeat(64)]: '{ projects { totalCount } }' }));
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--persisted-operations', wrongHash), /wrong-hash\.json: 0{64} is not the SHA-256 of its query/);
    expectOneLineError(await run('serve', '--port', '0', '--db', db, '--persisted-operations', join(dir, 'absent.json')), /absent\.json: does not exist/);
  });
});

describe('SIGHUP reloads the tokens file of a running gateway', { timeout: SLOW }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-sighup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops a revoked token on SIGHUP, and keeps the previous tokens when the file is malformed', async () => {
    // The gateway is given a symlink; the file it points to lives in another directory, which is
    // not watched: only SIGHUP can make the gateway notice a change to it.
    const real = join(dir, 'secrets');
    const linked = join(dir, 'config');
    mkdirSync(real);
    mkdirSync(linked);
    const target = join(real, 'tokens.json');
    const alice = createToken(target, { user: 'alice', read: ['P1'] });
    const bob = createToken(target, { user: 'bob', read: ['P1'] });
    symlinkSync(target, join(linked, 'tokens.json'));
    const server = await spawnServer(['--db', join(dir, 'jobgraph.db'), '--tokens-file', join(linked, 'tokens.json')]);
    try {
      const statusOf = async (token: string) =>
        (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"query":"{ projects { totalCount } }"}' })).status;
      expect(await statusOf(alice.token)).toBe(200);

      const revoked = await run('token', 'revoke', alice.entry.id, '--tokens-file', target);
      expect(revoked.status, revoked.stderr).toBe(0);
      server.child.kill('SIGHUP');
      await until(async () => (await statusOf(alice.token)) === 401, 'alice to be refused after SIGHUP');
      expect(server.output()).toContain('tokens file reloaded');
      expect(await statusOf(bob.token)).toBe(200);

      writeFileSync(target, '{ "version": 1, "tokens": [');
      server.child.kill('SIGHUP');
      await until(() => server.output().includes('tokens file not reloaded'), 'the failed reload to be logged');
      expect(await statusOf(bob.token)).toBe(200);
      expect(await statusOf(alice.token)).toBe(401);
      expect(server.child.exitCode).toBeNull();
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
