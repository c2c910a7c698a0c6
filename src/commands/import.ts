import cliProgress from 'cli-progress';
import { type ConfigInput, loadConfig, storeOptions } from '../config.js';
import { InvalidDocumentError, UpstreamFollowedError } from '../model/errors.js';
import { StartupError, checkProjectDirectory } from '../startup-error.js';
import { createJobWriter } from '../events/job-writer.js';
import { createMemoryBus } from '../events/memory-bus.js';
import { type OpenStoreOptions, openStore } from '../store/open-store.js';
import { formatDocumentProblem } from '../sources/document-report.js';
import { type ImportReport, importProjectDirectory } from '../sources/project-dir/import-project.js';

export interface RunImportOptions {
  /** The database to import into. */
  store: OpenStoreOptions;
  /** The CryoSPARC project directory. */
  dir: string;
  /** Draw a progress bar on stderr. */
  progress: boolean;
}

/**
 * `jobgraph import DIR`: imports one project directory into the configured
 * database, printing a summary and every problem (`file[:line]: path: message`)
 * on stderr. The caller decides the exit code from `problems`.
 * @throws InvalidDocumentError when `project.json` is missing or invalid.
 */
export async function runImport({ store: storeOptions, dir, progress }: RunImportOptions): Promise<ImportReport> {
  const store = await openStore(storeOptions);
  const followed = await store.listFollowerSources().catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  if (followed.length > 0) {
    await store.close();
    throw new UpstreamFollowedError(
      `this database follows a CryoSPARC instance (${followed.map((f) => f.split(' ')[1]).join(', ')}), the one source of truth: import into another database, or change the jobs in CryoSPARC`,
    );
  }
  const bus = createMemoryBus();
  const bar = progress
    ? new cliProgress.SingleBar({ format: 'import [{bar}] {value}/{total} jobs | {eta}s left', stream: process.stderr }, cliProgress.Presets.shades_classic)
    : null;
  let report: ImportReport;
  try {
    report = await importProjectDirectory({
      dir,
      store,
      writer: createJobWriter({ store, bus }),
      onProgress: (done, total) => {
        if (!bar) return;
        if (done === 0) bar.start(total, 0);
        else bar.update(done);
      },
    });
  } finally {
    bar?.stop();
    await bus.close();
    await store.close();
  }
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const problems = report.problems.length;
  process.stderr.write(
    `imported ${report.jobsStored} jobs, ${report.workspaces} workspaces and ${report.projects} project from ${dir} in ${seconds} s ` +
      `(${report.events} status events, ${problems} ${problems === 1 ? 'problem' : 'problems'})\n`,
  );
  for (const problem of report.problems) process.stderr.write(`${formatDocumentProblem(problem)}\n`);
  return report;
}

/**
 * `jobgraph import DIR` as the command line runs it: a directory that is not a
 * CryoSPARC project directory is a startup error (one line, exit 2); any
 * problem in it sets exit code 1.
 */
export async function importCommand(dir: string, settings: ConfigInput, progress: boolean): Promise<void> {
  checkProjectDirectory('import', dir);
  const report = await runImport({ store: storeOptions(loadConfig(settings)), dir, progress }).catch((error: unknown) => {
    // A missing or invalid project.json: one line naming the file, exit 2.
    if (error instanceof InvalidDocumentError) throw new StartupError(`import: ${dir} is not a CryoSPARC project directory: ${error.message}`);
    if (error instanceof UpstreamFollowedError) throw new StartupError(`import: ${error.code}: ${error.message}`);
    throw error;
  });
  if (report.problems.length > 0) process.exitCode = 1;
}
