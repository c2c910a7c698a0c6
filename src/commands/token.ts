/**
 * `jobgraph token create | revoke | list`: manage the API tokens of a tokens
 * file. Only a token's hash is stored; `create` prints the token once.
 */
import { InvalidArgumentError } from 'commander';
import { createToken, readTokenFile, revokeTokens } from '../server/token-file.js';

export interface CreateTokenOptions {
  user: string;
  read: string[];
  write: string[];
  admin?: boolean;
  metrics?: boolean;
}

export function createTokenCommand(file: string, opts: CreateTokenOptions): void {
  if (!opts.admin && !opts.metrics && opts.read.length + opts.write.length === 0) {
    throw new InvalidArgumentError('give --read, --write, --admin or --metrics: a token without grants sees nothing');
  }
  const { token, entry } = createToken(file, { user: opts.user, admin: opts.admin, read: opts.read, write: opts.write, metrics: opts.metrics });
  process.stderr.write(`created token ${entry.id} for ${entry.user} in ${file}; it is shown once:\n`);
  process.stdout.write(`${token}\n`);
}

export function revokeTokenCommand(file: string, id: string | undefined, user: string | undefined): void {
  if ((id === undefined) === (user === undefined)) throw new InvalidArgumentError('give a token id or --user, not both');
  const removed = revokeTokens(file, id === undefined ? { user: user! } : { id });
  if (removed.length === 0) throw new InvalidArgumentError(id === undefined ? `no token of user ${JSON.stringify(user)} in ${file}` : `no token with id ${JSON.stringify(id)} in ${file}`);
  for (const entry of removed) process.stderr.write(`revoked token ${entry.id} of ${entry.user} in ${file}\n`);
}

export function listTokensCommand(file: string): void {
  const rows = readTokenFile(file).map((entry) => {
    const grants = [entry.admin ? 'admin' : '', entry.metrics ? 'metrics' : '', entry.read.length ? `read ${entry.read.join(',')}` : '', entry.write.length ? `write ${entry.write.join(',')}` : '']
      .filter(Boolean)
      .join('; ');
    return [entry.id, entry.user, grants || '(none)', entry.createdAt ?? ''];
  });
  const table = [['ID', 'USER', 'GRANTS', 'CREATED'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  for (const row of table) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}\n`);
}
