/**
 * Reading the files of a CryoSPARC project directory (reference section 8)
 * without trusting them: `project.json`, `workspaces.json` and `J<n>/job.json`
 * are read within the size cap (`document-file.ts`), parsed and validated;
 * job directories are listed by canonical uid, and symbolic links that lead
 * outside the directory are refused. Import, watch and the import workers
 * all read through here.
 */
import { realpath } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidDocumentError } from '../../model/errors.js';
import { type Job, safeParseJobDocument } from '../../model/job.js';
import { type Project, type Workspace, safeParseProjectDocument, safeParseWorkspaceDocument } from '../../model/project.js';
import { MAX_UID_NUMBER, isJobUid } from '../../model/uid.js';
import { type DocumentProblem, parseJsonText, zodProblems } from '../document-report.js';
import { type DocumentFileLimits, OUTSIDE_MESSAGE, type ReadTextResult, isInside, readDocumentText } from './document-file.js';

/**
 * Names that look like job directories: `J` and digits. Only canonical ones
 * (`J12`, not `J012`, at most J2147483647) are job directories; the others
 * are reported as problems and not read.
 */
export const JOB_DIR_PATTERN = /^J\d+$/;
export const PROJECT_FILE = 'project.json';
export const WORKSPACES_FILE = 'workspaces.json';
export const JOB_FILE = 'job.json';

/** Outcome of reading one document file. `unreadable` and `syntax` may be a file still being written. */
export type ReadDocumentResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'unreadable' | 'syntax' | 'invalid'; problems: DocumentProblem[] };

/** Reads a document file's text within limits; the import workers read synchronously, having nothing else to do meanwhile. */
export type ReadText = (file: string, limits: DocumentFileLimits) => Promise<ReadTextResult> | ReadTextResult;

/** A parsed JSON document and the text it came from (which spares walking it for NUL characters). */
interface JsonDocument {
  value: unknown;
  text: string;
}

async function readJsonFile(file: string, limits: DocumentFileLimits, readText: ReadText = readDocumentText): Promise<ReadDocumentResult<JsonDocument>> {
  const read = await readText(file, limits);
  if (!read.ok) return read;
  const parsed = parseJsonText(read.text, file);
  return parsed.ok ? { ok: true, value: { value: parsed.value, text: read.text } } : { ok: false, kind: 'syntax', problems: [parsed.problem] };
}

/** How to read one `job.json`. */
export interface ReadJobFileOptions {
  /** The project directory (resolved with `realpath`): symbolic links may not lead outside it. */
  root: string;
  /** The uid of the project (from `project.json`): a job of another project is a problem at `project_uid`. */
  projectUid?: string;
  /** The document size cap. @default MAX_DOCUMENT_BYTES */
  maxBytes?: number;
  readText?: ReadText;
}

function projectUidProblem(source: string, expected: string, received: string, line?: number): DocumentProblem {
  const problem: DocumentProblem = { source, path: 'project_uid', message: `expected ${expected} (the uid in ${PROJECT_FILE}), received ${received}` };
  return line === undefined ? problem : { ...problem, line };
}

/**
 * Reads and validates one `<root>/J<n>/job.json` (v5 or v4 shape). The
 * document's uid must be the directory's name (`cp -r J2 J12` makes a J12
 * holding J2: a problem at `uid` naming both). When `projectUid` is given, a
 * job of another project is a problem at path `project_uid`.
 */
export async function readJobFile(file: string, options: ReadJobFileOptions): Promise<ReadDocumentResult<Job>> {
  const raw = await readJsonFile(file, { root: options.root, maxBytes: options.maxBytes }, options.readText);
  if (!raw.ok) return raw;
  const parsed = safeParseJobDocument(raw.value.value, { text: raw.value.text });
  if (!parsed.success) return { ok: false, kind: 'invalid', problems: zodProblems(parsed.error, file) };
  const directory = basename(dirname(file));
  if (parsed.data.uid !== directory) {
    const message = `the document is job ${parsed.data.uid} but its directory is ${directory} (a copy or a half-done move?); each job directory must hold its own job`;
    return { ok: false, kind: 'invalid', problems: [{ source: file, path: 'uid', message }] };
  }
  if (options.projectUid !== undefined && parsed.data.project_uid !== options.projectUid) {
    return { ok: false, kind: 'invalid', problems: [projectUidProblem(file, options.projectUid, parsed.data.project_uid)] };
  }
  return { ok: true, value: parsed.data };
}

/** Reads and validates `project.json` without throwing; `root` is the project directory (resolved). */
export async function readProjectFile(file: string, root: string): Promise<ReadDocumentResult<Project>> {
  const raw = await readJsonFile(file, { root });
  if (!raw.ok) return raw;
  const parsed = safeParseProjectDocument(raw.value.value, { text: raw.value.text });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, kind: 'invalid', problems: zodProblems(parsed.error, file) };
}

/**
 * The project directory as `realpath` resolves it: the boundary symbolic links may not cross.
 * @throws InvalidDocumentError when it does not exist or is not a directory.
 */
export async function resolveProjectRoot(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
    throw new InvalidDocumentError(`${dir} cannot be read as a project directory (${code})`, [`(root): cannot open the directory (${code})`], {
      details: { file: dir },
    });
  }
}

/**
 * Reads `<dir>/project.json`, which every project directory must have.
 * @throws InvalidDocumentError naming the file when it is missing, not JSON, or not a valid project.
 */
export async function readProjectDocument(dir: string): Promise<Project> {
  const file = join(dir, PROJECT_FILE);
  const result = await readProjectFile(file, await resolveProjectRoot(dir));
  if (result.ok) return result.value;
  const what = { unreadable: 'cannot be read', syntax: 'is not valid JSON', invalid: 'is not a valid project document' }[result.kind];
  throw new InvalidDocumentError(
    `${file} ${what}`,
    result.problems.map((p) => `${p.path === '' ? '(root)' : p.path}: ${p.message}`),
    { details: { file } },
  );
}

/**
 * Reads the optional `workspaces.json` (an array of workspace documents).
 * A missing file is no workspaces; invalid entries are problems located by array index + 1.
 */
export async function readWorkspacesFile(file: string, projectUid: string, root: string): Promise<{ workspaces: Workspace[]; problems: DocumentProblem[] }> {
  const raw = await readJsonFile(file, { root });
  if (!raw.ok) {
    const missing = raw.kind === 'unreadable' && raw.problems[0]?.message === 'file not found';
    return { workspaces: [], problems: missing ? [] : raw.problems };
  }
  const { value: entries, text } = raw.value;
  if (!Array.isArray(entries)) {
    return { workspaces: [], problems: [{ source: file, path: '', message: 'expected an array of workspace documents' }] };
  }
  const workspaces: Workspace[] = [];
  const problems: DocumentProblem[] = [];
  entries.forEach((entry: unknown, index) => {
    const parsed = safeParseWorkspaceDocument(entry, { text });
    if (!parsed.success) problems.push(...zodProblems(parsed.error, file, index + 1));
    else if (parsed.data.project_uid !== projectUid) problems.push(projectUidProblem(file, projectUid, parsed.data.project_uid, index + 1));
    else workspaces.push(parsed.data);
  });
  return { workspaces, problems };
}

/** The problem of a `J<digits>` entry that is not a canonical job uid (`J01`, `J99999999999`). */
export function nonCanonicalDirectoryProblem(path: string): DocumentProblem {
  return {
    source: path,
    path: 'uid',
    message: `${basename(path)} is not a job directory name: job directories are named J<number>, without leading zeros, at most J${MAX_UID_NUMBER}; not imported`,
  };
}

/**
 * A `J<n>` entry of the project directory that is a symbolic link: true when
 * it resolves inside `root` (or does not resolve at all: reading it then
 * reports the missing file).
 */
export async function linkStaysInside(root: string, path: string): Promise<boolean> {
  try {
    return isInside(root, await realpath(path));
  } catch {
    return true;
  }
}

/**
 * The job directories of a project directory, in uid order, and the entries
 * refused on the way: names that are not canonical uids, and symbolic links
 * leading outside `root` (the directory, resolved).
 */
export async function scanJobDirectories(dir: string, root: string): Promise<{ names: string[]; problems: DocumentProblem[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names: string[] = [];
  const problems: DocumentProblem[] = [];
  for (const entry of entries) {
    if (!(entry.isDirectory() || entry.isSymbolicLink()) || !JOB_DIR_PATTERN.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (!isJobUid(entry.name)) problems.push(nonCanonicalDirectoryProblem(path));
    else if (entry.isSymbolicLink() && !(await linkStaysInside(root, path))) problems.push({ source: path, path: '', message: OUTSIDE_MESSAGE });
    else names.push(entry.name);
  }
  names.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return { names, problems };
}

/** The job directories of a project directory, in uid order (see {@link scanJobDirectories} for what is left out). */
export async function listJobDirectories(dir: string): Promise<string[]> {
  return (await scanJobDirectories(dir, await resolveProjectRoot(dir))).names;
}
