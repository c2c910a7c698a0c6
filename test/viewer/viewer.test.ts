import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildViewer } from '../../scripts/build-web.js';
import { ARTIFACTS, type TestBrowser, browserAvailable, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** A GraphQL request over HTTP, as any other client would send it. */
async function graphql<T>(server: ServerProcess, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

type ApiJob = { uid: string; status: string; parents: { uid: string }[] };

async function projectJobs(server: ServerProcess, projectUid: string): Promise<ApiJob[]> {
  const jobs: ApiJob[] = [];
  let after: string | null = null;
  for (;;) {
    const data: { project: { jobs: { edges: { node: ApiJob }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await graphql(
      server,
      'query($p: String!, $after: String) { project(uid: $p) { jobs(first: 100, after: $after) { edges { node { uid status parents { uid } } } pageInfo { hasNextPage endCursor } } } }',
      { p: projectUid, after },
    );
    jobs.push(...data.project.jobs.edges.map((edge) => edge.node));
    if (!data.project.jobs.pageInfo.hasNextPage) return jobs;
    after = data.project.jobs.pageInfo.endCursor;
  }
}

async function setStatus(server: ServerProcess, uid: string, status: string): Promise<void> {
  await graphql(server, 'mutation($input: SetJobStatusInput!) { setJobStatus(input: $input) { job { status } } }', { input: { projectUid: 'P1', uid, status } });
}

async function statusOf(server: ServerProcess, uid: string): Promise<string> {
  return (await graphql<{ job: { status: string } }>(server, 'query($uid: String!) { job(projectUid: "P1", uid: $uid) { status } }', { uid })).job.status;
}

const graphReady = (page: Page) => page.waitForSelector('.graph[data-state="ready"]', { timeout: 15_000 });
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

describe.runIf(browserAvailable())('the viewer in Chromium', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-viewer-'));
  const db = join(dir, 'viewer.db');
  let server: ServerProcess;
  let browser: TestBrowser;
  let port: number;

  beforeAll(async () => {
    await buildViewer();
    [server, browser] = await Promise.all([spawnServer(['--db', db, '--demo', '--no-demo-activity']), launchBrowser()]);
    port = Number(new URL(server.url).port);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens each route cold: the projects, a project graph, a job with its panel', async () => {
    const page = await browser.newPage();
    const base = server.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('.project-card').count()).toBe(2);
    await expect.poll(() => page.locator('.live-indicator').getAttribute('aria-label')).toBe('live');
    expect(await page.locator('[data-project-uid="P1"]').innerText()).toContain('Apoferritin demo');
    await shot(page, 'projects');

    await page.goto(`${base}/projects/P1`);
    await graphReady(page);
    await shot(page, 'project-graph');

    await page.goto(`${base}/projects/P1/jobs/J12`);
    await graphReady(page);
    await expect.poll(() => page.locator('.job-panel header[data-job-uid="J12"]').count()).toBe(1);
    await expect.poll(() => page.locator('.job-panel h2').innerText()).toContain('J12');
    await shot(page, 'job');
    await page.close();
    expect(browser.problems).toEqual([]);
  });

  it('draws every job and edge the API reports, and every element of a job agrees on its status', async () => {
    const api = await projectJobs(server, 'P1');
    const page = await browser.newPage();
    await page.goto(`${server.url.replace(/\/graphql$/, '')}/projects/P1`);
    await graphReady(page);
    const drawn = await page.$$eval('g.node', (nodes) => nodes.map((node) => [node.getAttribute('data-job-uid'), node.getAttribute('data-status')] as const));
    expect(new Map(drawn)).toEqual(new Map(api.map((job) => [job.uid, job.status])));
    const uids = new Set(api.map((job) => job.uid));
    const apiEdges = api.flatMap((job) => job.parents.filter((parent) => uids.has(parent.uid)).map((parent) => `${parent.uid}>${job.uid}`)).sort();
    const drawnEdges = (await page.$$eval('.edges path', (paths) => paths.map((path) => `${path.getAttribute('data-parent-uid')}>${path.getAttribute('data-child-uid')}`))).sort();
    expect(drawnEdges).toEqual(apiEdges);
    await expect.poll(() => page.locator('.job-table tbody tr').count()).toBeGreaterThan(0);
    const disagreements = await page.$$eval('[data-job-uid]', (elements) => {
      const seen = new Map<string, string>();
      const wrong: string[] = [];
      for (const element of elements) {
        const uid = element.getAttribute('data-job-uid')!;
        const status = element.getAttribute('data-status')!;
        if (seen.has(uid) && seen.get(uid) !== status) wrong.push(uid);
        seen.set(uid, status);
      }
      return wrong;
    });
    expect(disagreements).toEqual([]);
    await page.close();
    expect(browser.problems).toEqual([]);
  });

  it('opens the panel of a job selected in the graph, and a setJobStatus over HTTP recolours its node and row within 2 s', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url.replace(/\/graphql$/, '')}/projects/P1`);
    await graphReady(page);
    await expect.poll(() => page.locator('.job-table tbody tr').count()).toBeGreaterThan(0);
    const row = page.locator('.job-table tbody tr').first();
    const uid = (await row.getAttribute('data-job-uid'))!;
    await page.locator(`g.node[data-job-uid="${uid}"]`).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/projects/P1/jobs/${uid}$`));
    await expect.poll(() => page.locator(`.job-panel header[data-job-uid="${uid}"]`).count()).toBe(1);

    const before = await statusOf(server, uid);
    const target = ['COMPLETED', 'KILLED', 'FAILED'].includes(before) ? 'BUILDING' : before === 'BUILDING' ? 'QUEUED' : 'KILLED';
    const started = Date.now();
    await setStatus(server, uid, target);
    await page.waitForFunction(
      ([u, s]) => document.querySelector(`g.node[data-job-uid="${u}"]`)?.getAttribute('data-status') === s && document.querySelector(`tr[data-job-uid="${u}"]`)?.getAttribute('data-status') === s,
      [uid, target] as const,
      { timeout: 2000 },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    await page.close();
    expect(browser.problems).toEqual([]);
  });

  it('queues and kills a job from its panel', async () => {
    const job = (await projectJobs(server, 'P1')).find((j) => ['COMPLETED', 'FAILED', 'KILLED'].includes(j.status))!;
    await setStatus(server, job.uid, 'BUILDING');
    const page = await browser.newPage();
    await page.goto(`${server.url.replace(/\/graphql$/, '')}/projects/P1/jobs/${job.uid}`);
    await graphReady(page);
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await expect.poll(() => statusOf(server, job.uid)).toBe('QUEUED');
    await expect.poll(() => page.locator(`g.node[data-job-uid="${job.uid}"]`).getAttribute('data-status')).toBe('QUEUED');
    await page.getByRole('button', { name: 'Kill', exact: true }).click();
    await expect.poll(() => statusOf(server, job.uid)).toBe('KILLED');
    await expect.poll(() => page.locator(`.job-panel header[data-job-uid="${job.uid}"]`).getAttribute('data-status')).toBe('KILLED');
    await page.close();
    expect(browser.problems).toEqual([]);
  });

  it('says "reconnecting" while the gateway restarts, then catches up with the events made meanwhile', async () => {
    const page = await browser.newPage();
    const base = server.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/projects/P1`);
    await graphReady(page);
    await expect.poll(() => page.locator('.live-indicator').getAttribute('aria-label')).toBe('live');
    const [seen, job] = (await projectJobs(server, 'P1')).filter((j) => ['COMPLETED', 'FAILED', 'KILLED'].includes(j.status)).slice(-2);
    // One event seen before the drop: the app holds its cursor and resumes from it.
    await setStatus(server, seen!.uid, 'BUILDING');
    await expect.poll(() => page.locator(`g.node[data-job-uid="${seen!.uid}"]`).getAttribute('data-status')).toBe('BUILDING');
    await server.stop();
    await expect.poll(() => page.locator('.live-indicator').getAttribute('aria-label'), { timeout: 10_000 }).toBe('reconnecting');
    // Meanwhile another gateway on the same database changes a job.
    const other = await spawnServer(['--db', db, '--no-demo-activity']);
    await setStatus(other, job!.uid, 'BUILDING');
    await other.stop();
    server = await spawnServer(['--db', db, '--demo', '--no-demo-activity', '--port', String(port)]);
    await expect.poll(() => page.locator('.live-indicator').getAttribute('aria-label'), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => page.locator(`g.node[data-job-uid="${job!.uid}"]`).getAttribute('data-status'), { timeout: 5_000 }).toBe('BUILDING');
    await page.close();
    // The browser reports the refused connections while the gateway is down; nothing else may appear.
    const unexpected = browser.problems.filter((problem) => !/WebSocket connection to .* failed|ERR_CONNECTION_REFUSED/.test(problem));
    expect(unexpected).toEqual([]);
    browser.problems.length = 0;
  }, 90_000);
});

describe.runIf(browserAvailable())('the viewer behind tokens', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-viewer-tokens-'));
  let server: ServerProcess;
  let browser: TestBrowser;
  let token: string;

  beforeAll(async () => {
    const file = join(dir, 'tokens.json');
    const created = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'token', 'create', '--user', 'pat', '--read', 'P1', '--tokens-file', file], { cwd: ROOT });
    token = created.stdout.trim();
    await buildViewer();
    [server, browser] = await Promise.all([spawnServer(['--db', join(dir, 'viewer.db'), '--demo', '--no-demo-activity', '--tokens-file', file]), launchBrowser()]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for a token, keeps it in the tab, and never shows a project the token cannot read', async () => {
    const page = await browser.newPage();
    const base = server.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/`);
    await page.getByLabel('token').fill(token);
    await shot(page, 'token');
    await page.getByRole('button', { name: 'Use token' }).click();
    await expect.poll(() => page.locator('.project-card').count()).toBe(1);
    await expect.poll(() => page.locator('.live-indicator').getAttribute('aria-label')).toBe('live');
    expect(await page.locator('body').innerText()).not.toContain('P2');

    await page.goto(`${base}/projects/P2`);
    await expect.poll(() => page.locator('main').innerText()).toContain('not found');
    expect(await page.locator('body').innerText()).not.toMatch(/P2|TRPV1/);
    expect(await page.locator('[data-job-uid]').count()).toBe(0);

    await page.goto(`${base}/projects/P1`);
    await graphReady(page);
    expect(await page.locator('g.node').count()).toBeGreaterThan(0);
    await page.close();
    expect(browser.problems).toEqual([]);
  });
});

describe.runIf(browserAvailable())('the viewer on a project over 5,000 jobs', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobgraph-viewer-large-'));
  const db = join(dir, 'large.db');
  let server: ServerProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    // One project of 5,200 seeded jobs (a few are soft-deleted, so somewhat fewer are listed; still over 5,000).
    const seed = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'seed', '--jobs', '5200', '--projects', '1', '--db', db, '--log-level', 'warn'], { cwd: ROOT });
    [, browser] = await Promise.all([seed, launchBrowser(), buildViewer()]);
    server = await spawnServer(['--db', db, '--no-demo-activity']);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens bounded to the newest 5,000 jobs and says so in words', async () => {
    const { project } = await graphql<{ project: { jobs: { totalCount: number } } }>(server, '{ project(uid: "P1") { jobs(first: 0) { totalCount } } }');
    expect(project.jobs.totalCount).toBeGreaterThan(5000);
    const page = await browser.newPage();
    await page.goto(`${server.url.replace(/\/graphql$/, '')}/projects/P1`);
    await page.waitForSelector('.graph[data-state="ready"]', { timeout: 90_000 });
    expect(await page.locator('.graph').getAttribute('data-nodes')).toBe('5000');
    await expect.poll(() => page.locator('.notice').innerText()).toContain(`showing 5,000 of ${project.jobs.totalCount.toLocaleString('en-US')} jobs`);
    // Drawn within bounds: zoomed out to fit, the jobs are boxes on a canvas, not thousands of DOM nodes.
    expect(await page.locator('.graph [data-job-uid]').count()).toBeLessThanOrEqual(700);
    await shot(page, 'large-project');
    await page.close();
    expect(browser.problems).toEqual([]);
  });
});
