import { type ChildProcess, spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { type BenchContext, ROOT, cliCommand, ensureDir } from './context.js';
import { sleep } from './stats.js';

/** A process under test: the gateway (`jobgraph serve`) or the raw floor server, on its own port. */
export interface ServerProcess {
  /** http://127.0.0.1:PORT */
  origin: string;
  child: ChildProcess;
  logFile: string;
  /** SIGTERM and wait for exit (SIGKILL after 30 s); `force` kills at once (a process stuck in a synchronous statement never sees SIGTERM). */
  stop(options?: { force?: boolean }): Promise<void>;
}

export interface Gateway extends ServerProcess {
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  wsUrl: string;
  /** One scrape of GET /metrics. */
  scrape(): Promise<MetricSamples>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a node process running `args` (after node's own flags), output to `<workDir>/logs/<name>.log`, and waits for `GET healthPath`. */
export async function startProcess(
  ctx: BenchContext,
  name: string,
  { args, nodeFlags = [], healthPath, port }: { args: string[]; nodeFlags?: string[]; healthPath: string; port: number },
): Promise<ServerProcess> {
  const logFile = join(ensureDir(join(ctx.workDir, 'logs')), `${name}.log`);
  const out = openSync(logFile, 'w');
  // One directory per process: with tsx, the loader's worker thread writes a profile of its own beside the main thread's.
  const profile = ctx.options.profile ? ['--cpu-prof', '--cpu-prof-dir', ensureDir(join(ctx.workDir, 'profiles', name))] : [];
  const child = spawn(process.execPath, [...profile, ...nodeFlags, ...args], { cwd: ROOT, stdio: ['ignore', out, out], env: { ...process.env, NODE_ENV: 'production' } });
  closeSync(out);
  const origin = `http://127.0.0.1:${port}`;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`${origin}${healthPath}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become ready in 120 s; see ${logFile}`);
    }
    await sleep(100);
  }
  return {
    origin,
    child,
    logFile,
    async stop({ force = false } = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill(force ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Runs `jobgraph serve` over the bench database in its own process. */
export async function startGateway(ctx: BenchContext, name: string, { extra = [], redis = ctx.options.redis }: { extra?: string[]; redis?: string } = {}): Promise<Gateway> {
  const port = await freePort();
  const { args } = cliCommand();
  const settings = ['--db', ctx.db, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'info', '--no-graphiql'];
  if (ctx.options.dialect === 'postgres') settings.push('--pg-schema', ctx.pgSchema);
  if (redis) settings.push('--redis', redis);
  const process = await startProcess(ctx, name, { args: [...args, 'serve', ...settings, ...extra], healthPath: '/health', port });
  const url = `${process.origin}/graphql`;
  return {
    ...process,
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    scrape: async () => parseMetrics(await (await fetch(`${process.origin}/metrics`)).text()),
  };
}

/** Samples of a Prometheus text exposition. */
export interface MetricSamples {
  /** Sum of every sample of `name` whose labels include all of `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
  /** Every sample of `name`, with its labels. */
  all(name: string): { labels: Record<string, string>; value: number }[];
}

export function parseMetrics(text: string): MetricSamples {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  const matching = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    sum: (name, labels) => matching(name, labels).reduce((total, s) => total + s.value, 0),
    all: (name) => matching(name).map(({ labels, value }) => ({ labels, value })),
  };
}

/** POSTs a GraphQL operation and returns its JSON body; throws on errors. */
export async function graphql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}
