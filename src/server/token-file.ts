import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { Access } from '../model/access.js';

/**
 * The tokens file: who may do what. It holds SHA-256 hashes of tokens, never
 * the tokens themselves (they are 256-bit random strings, so a fast hash is
 * enough). `jobgraph token create` adds entries; the gateway reads the file at
 * start.
 */
const entrySchema = z.object({
  id: z.string().min(1),
  user: z.string().min(1),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256:<64 hex digits>' }),
  admin: z.boolean().default(false),
  read: z.array(z.string().regex(/^P\d+$/)).default([]),
  write: z.array(z.string().regex(/^P\d+$/)).default([]),
  createdAt: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), tokens: z.array(entrySchema) });

export type TokenEntry = z.output<typeof entrySchema>;

export interface TokenRegistry {
  /** The access a presented token grants, or undefined for an unknown token. */
  authenticate(token: string): Access | undefined;
  readonly size: number;
}

const TOKEN_PREFIX = 'jg_';

function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

export function readTokenFile(file: string): TokenEntry[] {
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`tokens file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`tokens file ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.tokens;
}

export function loadTokenRegistry(file: string): TokenRegistry {
  if (!existsSync(file)) throw new Error(`tokens file ${file} does not exist; create a token with \`jobgraph token create\``);
  const entries = readTokenFile(file);
  const byHash = new Map(entries.map((e) => [e.hash, e]));
  return {
    size: entries.length,
    authenticate(token) {
      const hash = hashToken(token);
      const entry = byHash.get(hash);
      // The map lookup already matched; the constant-time compare keeps the final check free of early exits.
      if (!entry || !timingSafeEqual(Buffer.from(entry.hash), Buffer.from(hash))) return undefined;
      return { userId: entry.user, admin: entry.admin, read: new Set(entry.read), write: new Set(entry.write) };
    },
  };
}

/** Adds a token for `user` to the file (creating it, mode 0600) and returns the token: it is shown once, never stored. */
export function createToken(file: string, grant: { user: string; admin?: boolean; read?: string[]; write?: string[] }): { token: string; entry: TokenEntry } {
  const entries = readTokenFile(file);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const entry = entrySchema.parse({
    id: randomBytes(4).toString('hex'),
    user: grant.user,
    hash: hashToken(token),
    admin: grant.admin ?? false,
    read: grant.read ?? [],
    write: grant.write ?? [],
    createdAt: new Date().toISOString(),
  });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ version: 1, tokens: [...entries, entry] }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return { token, entry };
}
