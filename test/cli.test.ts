import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { printPossibleTypes, printSortedSchema } from '../src/schema/index.js';
import { openStore } from '../src/store/open-store.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JOBGRAPH_DB: '' } });

describe('the jobgraph command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the schema', () => {
    const result = run('schema');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(printSortedSchema());
  });

  it('prints the possibleTypes map Apollo Client needs, as possible-types.json holds it', () => {
    const result = run('schema', '--possible-types');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(printPossibleTypes());
    expect(JSON.parse(result.stdout)).toMatchObject({ Node: ['Job', 'Project', 'Workspace'], SchedulerTargetConfig: ['ClusterTargetConfig', 'NodeTargetConfig'] });
  });

  it('seeds realistic projects into the database it is given', async () => {
    const db = join(dir, 'seed.db');
    const result = run('seed', '--jobs', '300', '--projects', '3', '--db', db);
    expect(result.status, result.stderr).toBe(0);
    const store = await openStore({ db });
    expect(await store.countJobs({ includeDeleted: true })).toBe(300);
    expect(await store.countProjects()).toBe(3);
    await store.close();
  });

  it('exits 2 and names the setting when a value is bad', () => {
    const result = run('serve', '--port', 'lots');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port / JOBGRAPH_PORT');
  });

  it('creates a token, prints it once and stores only its hash', () => {
    const file = join(dir, 'tokens.json');
    const result = run('token', 'create', '--user', 'ada', '--read', 'P1,P2', '--write', 'P1', '--tokens-file', file);
    expect(result.status, result.stderr).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^jg_[\w-]{40,}$/);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored).tokens[0]).toMatchObject({ user: 'ada', read: ['P1', 'P2'], write: ['P1'], admin: false });
    expect(run('token', 'create', '--user', 'x', '--read', 'nope', '--tokens-file', file).status).toBe(2);
  });
});
