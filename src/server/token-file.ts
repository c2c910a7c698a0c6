import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type FSWatcher, chmodSync, readFileSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { Access } from '../model/access.js';
import { StartupError, describeReadError } from '../startup-error.js';

/**
 * The tokens file: who may do what. It holds SHA-256 hashes of tokens, never
 * the tokens themselves (they are 256-bit random strings, so a fast hash is
 * enough). `jobgraph token create` adds entries and `jobgraph token revoke`
 * removes them; the gateway reads the file at start and again whenever it
 * changes (see {@link TokenRegistry.watch}) or on SIGHUP.
 */
const entrySchema = z.object({
  id: z.string().min(1),
  user: z.string().min(1),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256:<64 hex digits>' }),
  admin: z.boolean().default(false),
  read: z.array(z.string().regex(/^P\d+$/, { error: 'expected a project uid like P1' })).default([]),
  write: z.array(z.string().regex(/^P\d+$/, { error: 'expected a project uid like P1' })).default([]),
  /** May scrape GET /metrics (and nothing else by itself). */
  metrics: z.boolean().default(false),
  createdAt: z.string().optional(),
});
const fileSchema = z.object({ version: z.literal(1), tokens: z.array(entrySchema) });

export type TokenEntry = z.output<typeof entrySchema>;

/** What one reload changed, counted by token. */
export interface TokenChange {
  /** Tokens no longer in the file: their requests are refused and their connections closed. */
  revoked: number;
  /** Tokens whose grants changed: new operations get the new grants. */
  changed: number;
  added: number;
  /** Tokens in the file now. */
  size: number;
}

export interface TokenWatcher {
  close(): void;
}

export interface TokenRegistry {
  /** The tokens file this registry reads. */
  readonly file: string;
  /** Tokens currently valid. */
  readonly size: number;
  /** The access a presented token grants, or undefined for an unknown (or revoked) token. */
  authenticate(token: string): Access | undefined;
  /** The grants that are not about projects (`admin`, `metrics`), or undefined for an unknown token. */
  grantsOf(token: string): { admin: boolean; metrics: boolean } | undefined;
  /**
   * The access the file grants now to the token an earlier {@link authenticate}
   * answered with `access`: the same object while its grants are unchanged, a
   * new one after they changed, undefined once the token is revoked. An access
   * this registry did not hand out is returned as it is.
   */
  current(access: Access): Access | undefined;
  /** True when `access` came from a token that is no longer in the file. */
  isRevoked(access: Access): boolean;
  /**
   * Reads the file again and swaps the tokens in place. On failure (missing,
   * unreadable, malformed) it throws a StartupError and the previous tokens stay.
   */
  reload(): TokenChange;
  /** Called after every reload that changed the file's contents; returns an unsubscribe function. */
  onChange(listener: (change: TokenChange) => void): () => void;
  /**
   * Reloads when the file changes: its directory is watched, so a file
   * replaced by a rename (as `jobgraph token` and most editors write) is seen.
   * Changes within `debounceMs` are read once.
   */
  watch(options?: { debounceMs?: number; onReload?: (change: TokenChange) => void; onError?: (error: unknown) => void }): TokenWatcher;
}

const TOKEN_PREFIX = 'jg_';

function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** Parses the file's text; errors name the file and what is wrong, never its contents. */
function parseTokenText(file: string, text: string): TokenEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StartupError(`tokens file ${file} is not valid JSON`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    throw new StartupError(`tokens file ${file} is not a jobgraph tokens file: ${issue.path.join('.') || '(root)'}: ${issue.message}${more}`);
  }
  return parsed.data.tokens;
}

function readTokenText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StartupError(`tokens file ${file} ${describeReadError(error)}${missing ? '; create a token with `jobgraph token create`' : ''}`);
  }
}

/** The entries of the tokens file; a file that does not exist has none. @throws StartupError when it is unreadable or malformed. */
export function readTokenFile(file: string): TokenEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StartupError(`tokens file ${file} ${describeReadError(error)}`);
  }
  return parseTokenText(file, text);
}

/** Replaces the file's entries atomically (a temporary file renamed over it), mode 0600. */
export function writeTokenFile(file: string, entries: readonly TokenEntry[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ version: 1, tokens: entries }, null, 2)}\n`, { mode: 0o600 });
    // A leftover temporary file keeps its old mode; make sure.
    chmodSync(temporary, 0o600);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function accessOf(entry: TokenEntry): Access {
  return { userId: entry.user, admin: entry.admin, read: new Set(entry.read), write: new Set(entry.write) };
}

function sameGrants(a: TokenEntry, b: TokenEntry): boolean {
  const same = (x: string[], y: string[]) => x.length === y.length && [...x].sort().join(',') === [...y].sort().join(',');
  return a.user === b.user && a.admin === b.admin && a.metrics === b.metrics && same(a.read, b.read) && same(a.write, b.write);
}

interface Known {
  entry: TokenEntry;
  access: Access;
}

/**
 * Reads the tokens file into a registry that can be reloaded in place.
 * @throws StartupError when the file is missing, unreadable or malformed.
 */
export function loadTokenRegistry(file: string): TokenRegistry {
  let text = readTokenText(file);
  let byHash = new Map<string, Known>(parseTokenText(file, text).map((entry) => [entry.hash, { entry, access: accessOf(entry) }]));
  /** Which token each handed-out access belongs to. */
  const hashOf = new WeakMap<Access, string>();
  for (const [hash, known] of byHash) hashOf.set(known.access, hash);
  const listeners = new Set<(change: TokenChange) => void>();

  const lookup = (token: string): Known | undefined => {
    const hash = hashToken(token);
    const known = byHash.get(hash);
    // The map lookup already matched; the constant-time compare keeps the final check free of early exits.
    if (!known || !timingSafeEqual(Buffer.from(known.entry.hash), Buffer.from(hash))) return undefined;
    return known;
  };

  const registry: TokenRegistry = {
    file,
    get size() {
      return byHash.size;
    },
    authenticate: (token) => lookup(token)?.access,
    grantsOf(token) {
      const known = lookup(token);
      return known && { admin: known.entry.admin, metrics: known.entry.metrics };
    },
    current(access) {
      const hash = hashOf.get(access);
      return hash === undefined ? access : byHash.get(hash)?.access;
    },
    isRevoked(access) {
      const hash = hashOf.get(access);
      return hash !== undefined && !byHash.has(hash);
    },
    reload() {
      const nextText = readTokenText(file);
      if (nextText === text) return { revoked: 0, changed: 0, added: 0, size: byHash.size };
      const entries = parseTokenText(file, nextText);
      const next = new Map<string, Known>();
      const change: TokenChange = { revoked: 0, changed: 0, added: 0, size: 0 };
      for (const entry of entries) {
        const previous = byHash.get(entry.hash) ?? next.get(entry.hash);
        if (previous && sameGrants(previous.entry, entry)) {
          next.set(entry.hash, { entry, access: previous.access });
          continue;
        }
        if (previous) change.changed++;
        else change.added++;
        const access = accessOf(entry);
        hashOf.set(access, entry.hash);
        next.set(entry.hash, { entry, access });
      }
      for (const hash of byHash.keys()) if (!next.has(hash)) change.revoked++;
      change.size = next.size;
      byHash = next;
      text = nextText;
      for (const listener of listeners) listener(change);
      return change;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch({ debounceMs = 100, onReload, onError } = {}) {
      const name = basename(file);
      let timer: NodeJS.Timeout | undefined;
      let watcher: FSWatcher | undefined;
      const fire = () => {
        timer = undefined;
        try {
          const change = registry.reload();
          if (change.revoked + change.changed + change.added > 0) onReload?.(change);
        } catch (error) {
          onError?.(error);
        }
      };
      try {
        watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
          if (changed != null && changed.toString() !== name) return;
          if (timer) clearTimeout(timer);
          timer = setTimeout(fire, debounceMs);
        });
        watcher.on('error', (error) => onError?.(error));
      } catch (error) {
        onError?.(error);
      }
      return {
        close() {
          if (timer) clearTimeout(timer);
          watcher?.close();
        },
      };
    },
  };
  return registry;
}

/** Adds a token for `user` to the file (creating it, mode 0600) and returns the token: it is shown once, never stored. */
export function createToken(
  file: string,
  grant: { user: string; admin?: boolean; read?: string[]; write?: string[]; metrics?: boolean },
): { token: string; entry: TokenEntry } {
  const entries = readTokenFile(file);
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const entry = entrySchema.parse({
    id: randomBytes(4).toString('hex'),
    user: grant.user,
    hash: hashToken(token),
    admin: grant.admin ?? false,
    read: grant.read ?? [],
    write: grant.write ?? [],
    metrics: grant.metrics ?? false,
    createdAt: new Date().toISOString(),
  });
  writeTokenFile(file, [...entries, entry]);
  return { token, entry };
}

/**
 * Removes the token with this `id`, or every token of `user`, and returns the
 * removed entries (none when nothing matched; the file is then left as it is).
 */
export function revokeTokens(file: string, which: { id: string } | { user: string }): TokenEntry[] {
  const entries = readTokenFile(file);
  const matches = (entry: TokenEntry) => ('id' in which ? entry.id === which.id : entry.user === which.user);
  const removed = entries.filter(matches);
  if (removed.length > 0) writeTokenFile(file, entries.filter((entry) => !matches(entry)));
  return removed;
}
