/**
 * The browser viewer in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core) against a gateway over single-project databases seeded by
 * `jobgraph seed` (cached in the bench work directory):
 *
 * - first meaningful paint of a 2,000-job project's graph: navigation start to
 *   the app's `jobgraph:first-graph-paint` mark (the first frame showing nodes);
 * - a 5,000-job project laid out and interactive: navigation start to the
 *   `jobgraph:graph-drawn` mark (every job loaded, laid out and drawn), and the
 *   longest main-thread task until then (PerformanceObserver, `longtask`);
 * - commit of a status change to its node's new colour while 20 status
 *   events/s stream in: `setJobStatus` over HTTP from the bench, a
 *   MutationObserver in the page stamps the node's `data-status` change
 *   (both on the same machine's wall clock);
 * - the app's JavaScript, minified and gzipped.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type Page, chromium } from 'playwright-core';
import { buildViewer } from '../scripts/build-web.js';
import { type BenchContext, ROOT, cliCommand, ensureDir, say } from './context.js';
import type { Figure, ScenarioResult } from './figures.js';
import { type Gateway, graphql, startGateway } from './gateway.js';
import { percentile } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const SCENARIO = 'viewer';

/** `jobgraph seed --projects 1 --jobs n` into `<workDir>/viewer-<n>.db`, once. */
async function seededProject(ctx: BenchContext, jobs: number): Promise<string> {
  const db = join(ensureDir(ctx.workDir), `viewer-${jobs}.db`);
  const done = `${db}.done`;
  if (existsSync(db) && existsSync(done)) return db;
  for (const suffix of ['', '-wal', '-shm', '.done']) rmSync(`${db}${suffix}`, { force: true });
  const { args } = cliCommand();
  say(`viewer: seeding a ${jobs.toLocaleString('en-US')}-job project`);
  const child = spawn(process.execPath, [...args, 'seed', '--jobs', String(jobs), '--projects', '1', '--db', db, '--log-level', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`jobgraph seed exited with ${code}`);
  await import('node:fs').then((fs) => fs.writeFileSync(done, new Date().toISOString()));
  return db;
}

/** Records long tasks from the very start of every document. */
const OBSERVE_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration }); })
    .observe({ type: 'longtask', buffered: true });
`;

interface Opened {
  firstPaint: number;
  drawn: number;
  longestTask: number;
  longTasks: number;
  nodesInDom: number;
  notice: string;
  /** Tasks over 100 ms, as start+duration. */
  slow: string;
}

async function open(page: Page, url: string): Promise<Opened> {
  await page.goto(url);
  await page.waitForSelector('.graph[data-state="ready"]', { timeout: 60_000 });
  // One more frame and a moment for tasks that follow the last draw.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 300)))');
  return page.evaluate(READ_OPENED) as Promise<Opened>;
}

/** Read in the page (a string: the bench runs through tsx, whose helpers do not exist in the page). */
const READ_OPENED = `(() => {
  const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
  const drawn = mark('jobgraph:graph-drawn') ?? NaN;
  const tasks = (window.__longTasks ?? []).filter((task) => task.start <= drawn + 300);
  return {
    firstPaint: mark('jobgraph:first-graph-paint') ?? drawn,
    drawn,
    longestTask: tasks.reduce((max, task) => Math.max(max, task.duration), 0),
    longTasks: tasks.length,
    nodesInDom: document.querySelectorAll('.graph [data-job-uid]').length,
    notice: document.querySelector('.notice')?.textContent ?? '',
    slow: tasks.filter((task) => task.duration > 100).map((task) => Math.round(task.start) + '+' + Math.round(task.duration)).join(' '),
  };
})()`;

const NEXT_STATUS: Record<string, string> = {
  BUILDING: 'QUEUED',
  QUEUED: 'BUILDING',
  LAUNCHED: 'KILLED',
  STARTED: 'KILLED',
  RUNNING: 'KILLED',
  WAITING: 'KILLED',
  COMPLETED: 'BUILDING',
  KILLED: 'BUILDING',
  FAILED: 'BUILDING',
};

/** Streams `rate` setJobStatus/s for `seconds` over jobs drawn in the page; returns commit → recolour latencies (ms). */
async function recolourLatencies(page: Page, gateway: Gateway, rate: number, seconds: number): Promise<{ latencies: number[]; missed: number }> {
  const visible = (await page.evaluate(`[...document.querySelectorAll('.graph [data-job-uid]')].map((e) => [e.getAttribute('data-job-uid'), e.getAttribute('data-status')])`)) as [string, string][];
  const status = new Map(visible);
  const uids = [...status.keys()];
  if (uids.length < 10) throw new Error(`only ${uids.length} jobs drawn around the focused job`);
  await page.evaluate(`(() => {
    const seen = {};
    window.__recoloured = seen;
    new MutationObserver((records) => {
      const now = Date.now();
      for (const record of records) {
        const key = record.target.getAttribute('data-job-uid') + ':' + record.target.getAttribute('data-status');
        (seen[key] ??= []).push(now);
      }
    }).observe(document.querySelector('.graph'), { subtree: true, attributes: true, attributeFilter: ['data-status'] });
  })()`);
  const sent: { key: string; at: number }[] = [];
  const inFlight: Promise<unknown>[] = [];
  const total = rate * seconds;
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Round-robin, so a job's previous change has long been committed before its next.
    const uid = uids[i % uids.length]!;
    const to = NEXT_STATUS[status.get(uid)!]!;
    status.set(uid, to);
    const key = `${uid}:${to}`;
    // Stamped as the mutation is sent: the commit is later (the recolour often arrives over the websocket before the
    // mutation's own answer), so this is an upper bound of commit → recolour.
    sent.push({ key, at: Date.now() });
    inFlight.push(graphql(gateway.url, 'mutation($input: SetJobStatusInput!) { setJobStatus(input: $input) { job { status } } }', { input: { projectUid: 'P1', uid, status: to } }));
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const seen = (await page.evaluate('window.__recoloured')) as Record<string, number[]>;
  const latencies: number[] = [];
  let missed = 0;
  // A key repeats (a job goes back to a status it had): each send is matched with the first change to it after the send.
  for (const { key, at } of sent) {
    const when = seen[key]?.find((t) => t >= at);
    if (when === undefined) missed++;
    else latencies.push(when - at);
  }
  return { latencies, missed };
}

function gzippedScripts(dir: string): { kb: number; files: number } {
  const assets = join(dir, 'assets');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const bytes = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
  return { kb: bytes / 1024, files: scripts.length };
}

export async function runViewer(ctx: BenchContext): Promise<ScenarioResult> {
  const started = performance.now();
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);
  const built = await buildViewer();
  const size = gzippedScripts(built.dir);
  const smallDb = await seededProject(ctx, 2000);
  const largeDb = await seededProject(ctx, 5000);
  const runs = ctx.options.quick ? 2 : 5;
  const profileDir = mkdtempSync(join(tmpdir(), 'jobgraph-bench-chromium-'));
  let browser: Browser | undefined;
  const caveats: string[] = [];
  const gatewayFor = (db: string, name: string) => startGateway({ ...ctx, db, options: { ...ctx.options, dialect: 'sqlite', redis: undefined } }, name);
  let small: Gateway | undefined;
  let large: Gateway | undefined;
  try {
    [small, large] = await Promise.all([gatewayFor(smallDb, 'viewer-2000'), gatewayFor(largeDb, 'viewer-5000')]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const fresh = async () => {
      const context = await browser!.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(OBSERVE_LONG_TASKS);
      const page = await context.newPage();
      page.on('pageerror', (error) => caveats.push(`page error: ${error.message}`));
      return { context, page };
    };
    const measure = async (gateway: Gateway, label: string) => {
      const results: Opened[] = [];
      // One warm-up (the gateway's first queries, Chromium's first start), then fresh contexts (cold caches) each run.
      for (let i = 0; i <= runs; i++) {
        const { context, page } = await fresh();
        const opened = await open(page, `${gateway.origin}/projects/P1`);
        await context.close();
        if (i > 0) results.push(opened);
        say(`viewer: ${label} run ${i}${i === 0 ? ' (warm-up)' : ''}: first paint ${opened.firstPaint.toFixed(0)} ms, drawn ${opened.drawn.toFixed(0)} ms, longest task ${opened.longestTask.toFixed(0)} ms, ${opened.nodesInDom} job elements, "${opened.notice}"${opened.slow ? `, tasks over 100 ms at ${opened.slow}` : ''}`);
      }
      const median = (pick: (o: Opened) => number) => percentile(results.map(pick).sort((a, b) => a - b), 50);
      return { results, median, max: (pick: (o: Opened) => number) => Math.max(...results.map(pick)) };
    };
    const two = await measure(small, '2,000 jobs');
    const five = await measure(large, '5,000 jobs');

    // Recolour: the 2,000-job project focused on one job (its neighbourhood drawn as DOM nodes), 20 events/s.
    const { context, page } = await fresh();
    await open(page, `${small.origin}/projects/P1/jobs/J1000`);
    const rate = 20;
    const seconds = ctx.options.quick ? 10 : 30;
    const { latencies, missed } = await recolourLatencies(page, small, rate, seconds);
    await context.close();
    if (missed > 0) caveats.push(`${missed} status changes never recoloured their node`);
    latencies.sort((a, b) => a - b);

    const f = (measure: string, value: number, unit: Figure['unit'], extra: Partial<Figure> = {}): Figure => ({ scenario: SCENARIO, measure, value, unit, ...extra });
    return {
      scenario: SCENARIO,
      method:
        `headless Chromium (${CHROMIUM}, 1400×900, a fresh context per run) opening \`/projects/P1\` of a gateway over a one-project database seeded by \`jobgraph seed\`; ` +
        `median of ${runs} runs after a warm-up; times from navigation start to the app's performance marks; long tasks by PerformanceObserver; ` +
        `recolour: ${rate} setJobStatus/s over HTTP for ${seconds} s on the jobs drawn around J1000, from the moment each mutation is sent (an upper bound of commit → colour) to the node's data-status change seen by a MutationObserver in the page.`,
      figures: [
        f('2,000 jobs: first meaningful paint', two.median((o) => o.firstPaint), 'ms', { target: { op: '<=', bound: 1000 } }),
        f('2,000 jobs: all laid out and drawn', two.median((o) => o.drawn), 'ms'),
        f('5,000 jobs: laid out and interactive', five.median((o) => o.drawn), 'ms', { target: { op: '<=', bound: 3000 } }),
        f('5,000 jobs: longest main-thread task', five.max((o) => o.longestTask), 'ms', { target: { op: '<=', bound: 200 }, note: `worst of ${runs} runs (0: no task over 50 ms, the shortest the Long Tasks API reports); 2,000 jobs: ${two.max((o) => o.longestTask).toFixed(0)} ms` }),
        f('5,000 jobs: first meaningful paint', five.median((o) => o.firstPaint), 'ms'),
        f(`status commit → node recoloured, p99 at ${rate} events/s`, percentile(latencies, 99), 'ms', { target: { op: '<=', bound: 300 }, note: `p50 ${percentile(latencies, 50).toFixed(0)} ms over ${latencies.length} changes` }),
        f('app JavaScript, minified + gzipped', size.kb, 'KB', { target: { op: '<=', bound: 300 }, note: `${size.files} files (app, layout worker, shared chunks)` }),
      ],
      caveats,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await browser?.close();
    await Promise.all([small?.stop(), large?.stop()]);
    rmSync(profileDir, { recursive: true, force: true });
  }
}
