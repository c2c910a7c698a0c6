/**
 * Follows a CryoSPARC project directory live: every created or changed
 * `J<n>/job.json` is re-read and upserted through the job writer, so a status
 * change on disk becomes a status event. `project.json` and `workspaces.json`
 * changes update the project and its workspaces. A job directory that
 * disappears marks its job deleted (`deleted: true`, hidden from default
 * queries); when the directory comes back, its document is stored again.
 * Deleting only a `job.json` changes nothing (it is reported as missing).
 * Documents are checked as `import` checks them (directory name = uid,
 * symbolic links inside the directory, size cap, UTF-8).
 *
 * Built on chokidar (one inotify watch per watched directory and file) rather
 * than Node 20's `fs.watch(dir, { recursive: true })`, which on Linux is a JS
 * emulation that scans the whole tree synchronously and watches every file in
 * it. Here only the root, the `J<n>` directories and the three document names
 * are watched, so the bulk data inside job directories (particle stacks, `.cs`
 * files) costs nothing.
 */
import { lstat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { watch } from 'chokidar';
import type { Logger } from 'pino';
import type { JobWriter } from '../../events/job-writer.js';
import { isJobUid } from '../../model/uid.js';
import type { JobStore } from '../../store/job-store.js';
import { OUTSIDE_MESSAGE } from './document-file.js';
import type { DocumentProblem } from '../document-report.js';
import {
  JOB_DIR_PATTERN,
  JOB_FILE,
  PROJECT_FILE,
  type ReadDocumentResult,
  WORKSPACES_FILE,
  linkStaysInside,
  nonCanonicalDirectoryProblem,
  readJobFile,
  readProjectDocument,
  readProjectFile,
  readWorkspacesFile,
  resolveProjectRoot,
} from './project-files.js';
import { writeJobsReportingRefusals } from '../write-jobs.js';

export interface WatchProjectOptions {
  /** The project directory (the one holding `project.json`). */
  dir: string;
  /** Receives project and workspace changes. */
  store: JobStore;
  /** Receives job changes; records a status event only when a job's status moved. */
  writer: JobWriter;
  /** Invalid documents are reported here at `warn` with `code: 'INVALID_DOCUMENT'`. */
  logger: Logger;
  /** Quiet time after the last change of a file before it is read. @default 100 */
  debounceMs?: number;
  /**
   * Wait before the one retry of a file that was unreadable or not valid JSON
   * (it may still be being written). @default 200
   */
  retryDelayMs?: number;
}

export interface ProjectWatcher {
  /** Resolves once the initial scan is done; changes after that are picked up. */
  ready: Promise<void>;
  /** Stops watching and waits for the documents being stored. */
  close(): Promise<void>;
}

type FileKind = 'job' | 'project' | 'workspaces';

/** What a path relative to the project root is, or undefined when it is not watched. */
function classify(rel: string): FileKind | 'root' | 'job-dir' | undefined {
  if (rel === '') return 'root';
  if (rel === PROJECT_FILE) return 'project';
  if (rel === WORKSPACES_FILE) return 'workspaces';
  const parts = rel.split(sep);
  if (parts.length === 1 && JOB_DIR_PATTERN.test(rel)) return 'job-dir';
  if (parts.length === 2 && JOB_DIR_PATTERN.test(parts[0] ?? '') && parts[1] === JOB_FILE) return 'job';
  return undefined;
}

/**
 * Watches `dir` and stores every document that is created or changed after
 * the initial scan. Existing files are not re-imported at start (the import
 * command does that). Resolves once the watcher is set up; await `ready`
 * before relying on changes being seen.
 * @throws InvalidDocumentError when `project.json` is missing or invalid.
 */
export async function watchProjectDirectory({
  dir,
  store,
  writer,
  logger,
  debounceMs = 100,
  retryDelayMs = 200,
}: WatchProjectOptions): Promise<ProjectWatcher> {
  const root = resolve(dir);
  // The boundary of symbolic links: `root` with its own links resolved.
  const realRoot = await resolveProjectRoot(root);
  let projectUid = (await readProjectDocument(root)).uid;
  const timers = new Map<string, NodeJS.Timeout>();
  const queues = new Map<string, Promise<void>>();
  /** Change count per file, so a run can tell that a newer change will be handled after it. */
  const generations = new Map<string, number>();
  let closed = false;

  const reportInvalid = (file: string, problems: DocumentProblem[]) => {
    logger.warn({ code: 'INVALID_DOCUMENT', file, problems }, `ignored an invalid document: ${file}`);
  };

  /** True when the file changed again since `generation`: a later run will read it. */
  const superseded = (file: string, generation: number | undefined) => closed || generations.get(file) !== generation;

  /** Reads a document, retrying once when it looks half-written; undefined when a newer change is pending. */
  async function readSettled<T>(file: string, read: () => Promise<ReadDocumentResult<T>>): Promise<ReadDocumentResult<T> | undefined> {
    const generation = generations.get(file);
    let result = await read();
    if (!result.ok && result.kind !== 'invalid') {
      await delay(retryDelayMs);
      if (superseded(file, generation)) return undefined;
      result = await read();
    }
    return superseded(file, generation) ? undefined : result;
  }

  /** The job of a directory that is gone is marked deleted (soft: the row stays, default queries hide it). */
  async function markDeleted(file: string, uid: string): Promise<void> {
    const key = { projectUid, uid };
    const [stored] = await store.findJobs([key]);
    if (!stored || stored.deleted) return;
    const at = new Date().toISOString();
    await writer.updateJob(key, (job) => ({ ...job, deleted: true, deleted_at: job.deleted_at ?? at }));
    logger.info({ file, job: uid }, 'marked a job deleted: its directory is gone');
  }

  /** How the job directory of `file` is: gone, refused (with problems) or fine to read. */
  async function checkJobDirectory(jobDir: string): Promise<'gone' | 'ok' | DocumentProblem[]> {
    if (!isJobUid(basename(jobDir))) return [nonCanonicalDirectoryProblem(jobDir)];
    let isLink: boolean;
    try {
      isLink = (await lstat(jobDir)).isSymbolicLink();
    } catch {
      return 'gone';
    }
    if (isLink && !(await linkStaysInside(realRoot, jobDir))) return [{ source: jobDir, path: '', message: OUTSIDE_MESSAGE }];
    return 'ok';
  }

  async function storeJob(file: string): Promise<void> {
    const jobDir = dirname(file);
    const directory = await checkJobDirectory(jobDir);
    if (directory === 'gone') return markDeleted(file, basename(jobDir));
    if (directory !== 'ok') return reportInvalid(file, directory);
    const result = await readSettled(file, () => readJobFile(file, { root: realRoot, projectUid }));
    if (!result) return;
    if (!result.ok) return reportInvalid(file, result.problems);
    const { created, events, problems } = await writeJobsReportingRefusals(writer, [{ job: result.value, source: file }]);
    if (problems.length > 0) return reportInvalid(file, problems);
    // Running jobs rewrite their document often; only a status move is news.
    const level = events.length > 0 ? 'info' : 'debug';
    logger[level]({ file, job: result.value.uid, created: created > 0, events: events.length }, 'stored a changed job document');
  }

  async function storeProject(file: string): Promise<void> {
    const result = await readSettled(file, () => readProjectFile(file, realRoot));
    if (!result) return;
    if (!result.ok) return reportInvalid(file, result.problems);
    await store.writeProjects([result.value]);
    projectUid = result.value.uid;
    logger.info({ file, project: projectUid }, 'stored a changed project document');
  }

  async function storeWorkspaces(file: string): Promise<void> {
    const generation = generations.get(file);
    let { workspaces, problems } = await readWorkspacesFile(file, projectUid, realRoot);
    if (problems.length > 0 && workspaces.length === 0) {
      // Possibly half-written, like a job document: one more look.
      await delay(retryDelayMs);
      if (superseded(file, generation)) return;
      ({ workspaces, problems } = await readWorkspacesFile(file, projectUid, realRoot));
    }
    if (superseded(file, generation)) return;
    if (problems.length > 0) reportInvalid(file, problems);
    await store.writeWorkspaces(workspaces);
    logger.info({ file, workspaces: workspaces.length }, 'stored changed workspace documents');
  }

  const handlers: Record<FileKind, (file: string) => Promise<void>> = { job: storeJob, project: storeProject, workspaces: storeWorkspaces };

  /** Runs the file's handler after the debounce, one run at a time per file. */
  function schedule(file: string, kind: FileKind) {
    generations.set(file, (generations.get(file) ?? 0) + 1);
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        if (closed) return;
        const run = (queues.get(file) ?? Promise.resolve())
          .then(() => (closed ? undefined : handlers[kind](file)))
          .catch((error: unknown) => logger.error({ err: error, file }, 'failed to store a changed document'));
        queues.set(file, run);
        void run.finally(() => {
          if (queues.get(file) === run) queues.delete(file);
        });
      }, debounceMs),
    );
  }

  const watcher = watch(root, {
    ignoreInitial: true,
    depth: 1,
    ignored: (path, stats) => {
      const kind = classify(relative(root, path));
      if (kind === undefined) return true;
      // A job directory may be a symbolic link (as in import): followed, then refused if it leads outside.
      if (kind === 'job-dir') return stats !== undefined && !stats.isDirectory() && !stats.isSymbolicLink();
      return kind !== 'root' && stats !== undefined && !stats.isFile();
    },
  });

  const onFile = (path: string) => {
    const kind = classify(relative(root, path));
    if (kind === 'job' || kind === 'project' || kind === 'workspaces') schedule(path, kind);
  };
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  // A job directory removed (or moved away): its job.json's handler finds it gone and marks the job deleted.
  watcher.on('unlinkDir', (path) => {
    if (classify(relative(root, path)) === 'job-dir') schedule(join(path, JOB_FILE), 'job');
  });
  watcher.on('error', (error) => logger.error({ err: error, dir: root }, 'project directory watcher failed'));

  let resolveReady = () => {};
  const ready = new Promise<void>((resolve_) => {
    resolveReady = resolve_;
  });
  watcher.once('ready', () => resolveReady());

  return {
    ready,
    async close() {
      if (closed) return;
      closed = true;
      resolveReady();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher.close();
      await Promise.allSettled([...queues.values()]);
    },
  };
}
