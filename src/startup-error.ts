import { statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Something the gateway was pointed at cannot be used: a tokens file that is
 * missing or malformed, a `--watch` directory without `project.json`, a bad
 * persisted-operations file. The CLI prints the message as one line and exits
 * 2, as it does for a bad setting. The message names the file and what is wrong
 * with it, never its contents (a tokens file holds secrets' hashes).
 */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message.replace(/\s*\n\s*/g, ' '), options);
    this.name = 'StartupError';
  }
}

/** A one-word reason for a failed file read (ENOENT → "does not exist"), never the file's contents. */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'is not under a directory';
    default:
      return `cannot be read${code ? ` (${code})` : ''}`;
  }
}

/**
 * Checks that `dir` is a directory holding a `project.json` (its contents are
 * validated by whoever reads it). `label` names the setting, e.g. `--watch`.
 * @throws StartupError
 */
export function checkProjectDirectory(label: string, dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new StartupError(`${label}: ${dir} does not exist`);
  }
  if (!isDirectory) throw new StartupError(`${label}: ${dir} is not a directory`);
  try {
    statSync(join(dir, 'project.json'));
  } catch (error) {
    throw new StartupError(`${label}: ${dir} is not a CryoSPARC project directory: project.json ${describeReadError(error)}`);
  }
}
