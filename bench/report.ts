import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { type BenchContext, ROOT } from './context.js';
import type { Dataset } from './dataset.js';
import { type Figure, type ScenarioResult, describeTarget, formatValue, meetsTarget, ratioToFloor, ratioToPeer } from './figures.js';
import { formatProfile, summarizeProfile } from './profile-summary.js';

export interface RunInfo {
  startedAt: Date;
  seconds: number;
  command: string;
  dataset: Dataset | undefined;
  gatewayCommand: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ramGb: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

const verdict = (figure: Figure) => {
  const met = meetsTarget(figure);
  return met === undefined ? '' : met ? 'yes' : 'NO';
};
const ratio = (figure: Figure) => {
  const r = ratioToFloor(figure);
  return r === undefined ? '' : `${r.toFixed(2)}×`;
};
const floorText = (figure: Figure) => (figure.floor === undefined ? '' : formatValue(figure.floor, figure.unit));
const peerText = (figure: Figure) => (figure.peer === undefined ? '' : formatValue(figure.peer, figure.unit));
const peerRatio = (figure: Figure) => {
  const r = ratioToPeer(figure);
  return r === undefined ? '' : `${r.toFixed(2)}×`;
};

/** The PostGraphile columns appear only when a scenario measured the peer. */
const withPeer = (results: readonly ScenarioResult[]) => results.some((r) => r.figures.some((f) => f.peer !== undefined));

function header(results: readonly ScenarioResult[]): string[] {
  return withPeer(results)
    ? ['Scenario', 'Measure', 'Value', 'Floor', '× floor', 'PostGraphile', '× PostGraphile', 'Target', 'Met']
    : ['Scenario', 'Measure', 'Value', 'Floor', '× floor', 'Target', 'Met'];
}

function rows(results: readonly ScenarioResult[]): string[][] {
  const peer = withPeer(results);
  return results.flatMap((r) =>
    r.figures.map((f) => [
      r.scenario,
      f.measure,
      formatValue(f.value, f.unit),
      floorText(f),
      ratio(f),
      ...(peer ? [peerText(f), peerRatio(f)] : []),
      describeTarget(f),
      verdict(f),
    ]),
  );
}

/** The results as a plain-text table for the terminal, then each scenario's side-by-side sections. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const head = header(results);
  const numeric = (c: number) => c >= 2 && c < head.length - 2;
  const table = [head, ...rows(results)];
  const widths = head.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (numeric(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  const sections = results.flatMap((r) => r.sections ?? []);
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line), ...sections.flatMap((section) => ['', section])].join('\n');
}

function markdownTable(results: readonly ScenarioResult[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const head = header(results);
  const align = head.map((_, c) => (c < 2 || c === head.length - 2 ? '---' : c === head.length - 1 ? ':-:' : '--:'));
  return [`| ${head.join(' | ')} |`, `|${align.join('|')}|`, ...rows(results).map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n');
}

/** Top frames of each gateway CPU profile written in this run (with --profile). */
function profileAppendix(ctx: BenchContext, since: Date): string {
  const dir = join(ctx.workDir, 'profiles');
  if (!existsSync(dir)) return '';
  const sections: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const files = readdirSync(join(dir, name))
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, name, f))
      .filter((f) => statSync(f).mtimeMs >= since.getTime());
    if (files.length === 0) continue;
    // With tsx each process writes two profiles (main thread, loader thread): the main thread's is the larger.
    const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const summary = summarizeProfile(JSON.parse(readFileSync(main, 'utf8')));
    sections.push(`### ${name}\n\n\`${relative(ROOT, main)}\`\n\n\`\`\`\n${formatProfile(summary, 12)}\n\`\`\``);
  }
  return sections.length === 0 ? '' : `\n## CPU profiles (\`--profile\`)\n\n${sections.join('\n\n')}\n`;
}

export function writeReport(file: string, ctx: BenchContext, run: RunInfo, results: readonly ScenarioResult[]): void {
  const m = machine();
  const targets = results.flatMap((r) => r.figures.filter((f) => f.target).map((f) => ({ r, f, met: meetsTarget(f) })));
  const met = targets.filter((t) => t.met).length;
  const dataset = run.dataset;
  const datasetLine = dataset
    ? `${dataset.jobs.toLocaleString('en-US')} jobs over ${dataset.projects} projects (\`jobgraph seed\`), plus ${dataset.lineageRoot.projectUid} with ` +
      `${dataset.lineageProjectJobs.toLocaleString('en-US')} jobs whose ${dataset.lineageRoot.uid} has ${dataset.lineageDescendants.toLocaleString('en-US')} descendants, ` +
      `and ${dataset.replay.count.toLocaleString('en-US')} status events for the replay — ` +
      (dataset.cached ? `reused from \`.bench-cache/\`, built ${dataset.builtAt.slice(0, 16).replace('T', ' ')} UTC in ` : 'built in this run: ') +
      `seed ${dataset.buildSeconds.seed.toFixed(0)} s, lineage project ${dataset.buildSeconds.lineageProject.toFixed(0)} s, events ${dataset.buildSeconds.replayEvents.toFixed(0)} s` +
      (dataset.cached ? ' (a run without the cache takes that much longer).' : '.')
    : 'not needed by the scenarios run.';
  const text = `# Benchmarks

Written by \`${run.command}\` (bench/run.ts). Do not edit by hand: run it again.

| | |
|---|---|
| Date | ${run.startedAt.toISOString()} |
| Commit | ${gitCommit()} |
| Machine | ${m.cpu}, ${m.cores} cores, ${m.ramGb.toFixed(1)} GB RAM, ${m.os} |
| Node | ${m.node} |
| Database | ${ctx.options.dialect === 'sqlite' ? 'SQLite (better-sqlite3, WAL)' : `PostgreSQL (schema ${ctx.pgSchema})`}${ctx.options.redis ? `, Redis bus ${ctx.options.redis}` : ', in-process bus'} |
| Sizes | ${ctx.options.quick ? '**--quick** (smoke sizes, not the issue\'s)' : 'full (the issue\'s)'} |
| Dataset | ${datasetLine} |
| Gateway | its own process: \`${run.gatewayCommand}\` (log level info, to a file) |
| Run time | ${(run.seconds / 60).toFixed(1)} min${run.seconds > 15 * 60 ? ' — **over the 15-minute budget**' : ''} |

**Targets met: ${met} of ${targets.length}.**

${markdownTable(results)}

"Floor" is the same work without the gateway: for the jobs page and the peer scenario, the smallest hand-written SQL that returns exactly the answer's fields
(no documents) plus \`JSON.stringify\`, over plain node:http in its own process, under the same load (bench/sql-floor.ts);
for lineage, the store's lineage method (the same recursive statement and documents) called directly, with the same JSON. "× floor" is value ÷ floor; a relative target is on that ratio.
${withPeer(results) ? '"PostGraphile" is PostGraphile v4 over an idiomatic relational copy of the same dataset on PostgreSQL, asked the same question (answers checked equal); "× PostGraphile" is value ÷ PostGraphile.\n' : ''}${results.flatMap((r) => r.sections ?? []).map((section) => `\n${section}\n`).join('')}

## Targets

${targets.map(({ r, f, met: ok }) => `- ${ok ? '✅' : '❌'} ${r.scenario} — ${f.measure}: ${formatValue(f.value, f.unit)}${f.floor !== undefined ? ` (${ratio(f)} floor${f.peer !== undefined ? `, ${peerRatio(f)} PostGraphile` : ''})` : f.peer !== undefined ? ` (${peerRatio(f)} PostGraphile)` : ''}, target ${describeTarget(f)}`).join('\n')}

## How each figure was measured

${results
  .map((r) => {
    const notes = r.figures.filter((f) => f.note).map((f) => `  - ${f.measure}: ${f.note}`);
    const caveats = (r.caveats ?? []).map((c) => `  - **Note:** ${c}`);
    return [`- **${r.scenario}** (${r.seconds.toFixed(0)} s): ${r.method}`, ...notes, ...caveats].join('\n');
  })
  .join('\n')}
${profileAppendix(ctx, run.startedAt)}`;
  writeFileSync(file, text);
}
