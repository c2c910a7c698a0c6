import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ServerProcess, spawnServer } from '../helpers/process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Polls `condition` every 25 ms until it holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `jobgraph serve --cryosparc URL …` in its own process. */
export function spawnFollower(simUrl: string, args: string[], options: { password?: string; token?: string; pollMs?: number } = {}): Promise<ServerProcess> {
  const auth = options.token ? ['--cryosparc-token', options.token] : ['--cryosparc-email', 'admin@example.org', '--cryosparc-password', options.password ?? 'password'];
  return spawnServer(['--cryosparc', simUrl, ...auth, '--cryosparc-poll-ms', String(options.pollMs ?? 200), ...args]);
}

/** Runs the CLI to completion: exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The gateway's `/ready` answer. */
export async function readiness(graphqlUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(graphqlUrl.replace(/\/graphql$/, '/ready'));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
