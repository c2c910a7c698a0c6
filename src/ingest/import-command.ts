import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { createJobWriter } from '../events/job-writer.js';
import { createMemoryBus } from '../events/memory-bus.js';
import { openStore } from '../store/open-store.js';
import { formatDocumentProblem } from './document-report.js';
import { type ImportReport, importProjectDirectory } from './import-project.js';

export interface RunImportOptions {
  config: Config;
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
export async function runImport({ config, dir, progress }: RunImportOptions): Promise<ImportReport> {
  const store = await openStore({ db: config.db, schema: config.pgSchema, poolMax: config.pgPoolMax });
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
