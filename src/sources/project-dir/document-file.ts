/**
 * Reading one document file of a project directory without trusting it:
 *
 * - a symbolic link is followed only when it resolves inside the project
 *   directory (`root`); one leading outside is refused;
 * - only a regular file is read (a FIFO named `job.json` would block the
 *   import forever), and only up to the size cap, checked with `fstat` on
 *   the open file before anything is read;
 * - the bytes must be UTF-8: invalid sequences are a problem, not U+FFFD.
 *
 * Problems name the file and say what is wrong, never what is in it.
 */
import { close, constants, fstat, open, read, realpath } from 'node:fs';
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { relative, isAbsolute, sep } from 'node:path';
import { MAX_DOCUMENT_BYTES } from '../../model/document-limits.js';
import type { DocumentProblem } from '../document-report.js';

/** Where a document file must stay and how large it may be. */
export interface DocumentFileLimits {
  /** The project directory, as `realpath` gives it: symbolic links may not lead outside it. */
  root: string;
  /** @default MAX_DOCUMENT_BYTES (10 MiB, as `POST /ingest`) */
  maxBytes?: number;
}

/**
 * The text of a file, or why there is none. `unreadable` (missing, a race
 * with a writer) and `syntax` (bytes cut inside a character) may be a file
 * still being written; `invalid` will not get better by waiting.
 */
export type ReadTextResult = { ok: true; text: string } | { ok: false; kind: 'unreadable' | 'syntax' | 'invalid'; problems: DocumentProblem[] };

// O_NONBLOCK: opening a FIFO for reading must not wait for a writer (regular files ignore the flag).
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
const OPEN_NO_FOLLOW = OPEN_FLAGS | constants.O_NOFOLLOW;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const OUTSIDE_MESSAGE = 'refused: a symbolic link that leads outside the project directory';

/** True when `path` (resolved, absolute) is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function failure(kind: 'unreadable' | 'syntax' | 'invalid', file: string, message: string): ReadTextResult {
  return { ok: false, kind, problems: [{ source: file, path: '', message }] };
}

function unreadable(file: string, error: unknown): ReadTextResult {
  const code = errorCode(error);
  return failure('unreadable', file, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? 'error'})`);
}

function tooLarge(file: string, size: number, maxBytes: number): ReadTextResult {
  return failure('invalid', file, `the file has ${size} bytes, more than the ${maxBytes}-byte limit of a document; not read`);
}

function decode(file: string, bytes: Uint8Array): ReadTextResult {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return failure('syntax', file, 'the file is not valid UTF-8');
  }
}

/**
 * Reads `file` as UTF-8 text within `limits` (see the module comment).
 * Never throws for anything about the file itself.
 */
export async function readDocumentText(file: string, limits: DocumentFileLimits): Promise<ReadTextResult> {
  const maxBytes = limits.maxBytes ?? MAX_DOCUMENT_BYTES;
  let fd: number;
  try {
    fd = await openAsync(file, OPEN_NO_FOLLOW);
  } catch (error) {
    if (errorCode(error) !== 'ELOOP') return unreadable(file, error);
    // The last component is a symbolic link: follow it only to a place inside the project.
    let target: string;
    try {
      target = await new Promise<string>((resolve, reject) => realpath(file, (e, p) => (e ? reject(e) : resolve(p))));
    } catch (inner) {
      return unreadable(file, inner);
    }
    if (!isInside(limits.root, target)) return failure('invalid', file, OUTSIDE_MESSAGE);
    try {
      fd = await openAsync(target, OPEN_FLAGS);
    } catch (inner) {
      return unreadable(file, inner);
    }
  }
  try {
    const stats = await new Promise<import('node:fs').Stats>((resolve, reject) => fstat(fd, (e, s) => (e ? reject(e) : resolve(s))));
    if (!stats.isFile()) return failure('invalid', file, 'not a regular file');
    if (stats.size > maxBytes) return tooLarge(file, stats.size, maxBytes);
    const buffer = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await new Promise<number>((resolve, reject) =>
        read(fd, buffer, filled, buffer.length - filled, filled, (e, bytes) => (e ? reject(e) : resolve(bytes))),
      );
      if (n === 0) break; // truncated meanwhile: the text is cut short, which the JSON parser reports
      filled += n;
    }
    return decode(file, buffer.subarray(0, filled));
  } catch (error) {
    return unreadable(file, error);
  } finally {
    close(fd, () => {});
  }
}

function openAsync(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (error, fd) => (error ? reject(error) : resolve(fd))));
}

/** {@link readDocumentText} for the import workers, which have nothing else to do meanwhile. */
export function readDocumentTextSync(file: string, limits: DocumentFileLimits): ReadTextResult {
  const maxBytes = limits.maxBytes ?? MAX_DOCUMENT_BYTES;
  let fd: number;
  try {
    fd = openSync(file, OPEN_NO_FOLLOW);
  } catch (error) {
    if (errorCode(error) !== 'ELOOP') return unreadable(file, error);
    let target: string;
    try {
      target = realpathSync(file);
    } catch (inner) {
      return unreadable(file, inner);
    }
    if (!isInside(limits.root, target)) return failure('invalid', file, OUTSIDE_MESSAGE);
    try {
      fd = openSync(target, OPEN_FLAGS);
    } catch (inner) {
      return unreadable(file, inner);
    }
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return failure('invalid', file, 'not a regular file');
    if (stats.size > maxBytes) return tooLarge(file, stats.size, maxBytes);
    const buffer = Buffer.allocUnsafe(stats.size);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return decode(file, buffer.subarray(0, filled));
  } catch (error) {
    return unreadable(file, error);
  } finally {
    closeSync(fd);
  }
}
