import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Which layer may import which (README, "Architecture"): an entry names a
 * folder or a file under `src/`, and covers everything below it.
 * `cli.ts`, `app.ts` and `commands/` compose everything.
 */
const ALLOWED: Record<string, string[]> = {
  model: ['model'],
  store: ['model', 'store'],
  events: ['model', 'store', 'events'],
  schema: ['model', 'store', 'events', 'schema'],
  server: ['model', 'store', 'events', 'schema', 'server', 'sources/http-ingest', 'metrics.ts', 'startup-error.ts'],
  sources: ['model', 'store', 'events', 'sources'],
  // The CryoSPARC stand-in is a development tool beside the gateway: documents from the generator, the lifecycle from the model.
  'cryosparc-sim': ['model', 'sources/synthetic', 'cryosparc-sim'],
};

/** Modules only these may import: the stand-in stays out of the gateway's runtime path. */
const IMPORTED_ONLY_BY: Record<string, string[]> = {
  'cryosparc-sim': ['cryosparc-sim', 'commands/cryosparc-sim.ts'],
};

/** Modules that read the command line's settings: the commands and what composes them. */
const READS_CONFIG = ['cli.ts', 'app.ts', 'commands', 'config.ts'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const covers = (entry: string, path: string) => path === entry || path.startsWith(`${entry}/`);

/** Every module under src/ (relative path) and the modules under src/ it imports, statically or dynamically. */
const IMPORTS = new Map(
  files(SRC).map((file) => {
    const targets = [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((match) =>
      relative(SRC, join(file, '..', match[1]!)).replace(/\.js$/, '.ts'),
    );
    return [relative(SRC, file), [...new Set(targets)]] as const;
  }),
);

const WEB = fileURLToPath(new URL('../web/', import.meta.url));

describe('layer boundaries', () => {
  it('the viewer (web/) is a client of the public API: it imports only its own modules and packages, never src/', () => {
    const violations: string[] = [];
    for (const file of files(join(WEB, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(WEB, join(file, '..', match[1]!));
        if (target.startsWith('..')) violations.push(`${relative(WEB, file)} imports ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('imports point one way: model ← store ← events ← schema ← server; sources over model, store and events', () => {
    const violations: string[] = [];
    for (const [file, targets] of IMPORTS) {
      const allowed = ALLOWED[file.split('/')[0]!];
      if (!allowed) continue;
      for (const target of targets) if (!allowed.some((entry) => covers(entry, target))) violations.push(`${file} imports ${target}`);
    }
    expect(violations).toEqual([]);
  });

  it('one source does not import another: each folder of sources/ uses only itself and the files shared at the top of sources/', () => {
    const violations: string[] = [];
    for (const [file, targets] of IMPORTS) {
      const [top, folder, rest] = file.split('/');
      if (top !== 'sources' || rest === undefined) continue;
      for (const target of targets) {
        const [targetTop, targetFolder, targetRest] = target.split('/');
        if (targetTop === 'sources' && targetRest !== undefined && targetFolder !== folder) violations.push(`${file} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the CryoSPARC stand-in is imported by its command only, never by the gateway', () => {
    const violations: string[] = [];
    for (const [file, targets] of IMPORTS) {
      for (const [module, importers] of Object.entries(IMPORTED_ONLY_BY)) {
        if (importers.some((entry) => covers(entry, file))) continue;
        for (const target of targets) if (covers(module, target)) violations.push(`${file} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('only the commands read config.ts: everything below them takes plain options', () => {
    const violations: string[] = [];
    for (const [file, targets] of IMPORTS) {
      if (READS_CONFIG.some((entry) => covers(entry, file))) continue;
      if (targets.includes('config.ts')) violations.push(`${file} imports config.ts`);
    }
    expect(violations).toEqual([]);
  });

  it('no import cycle among the modules of src/', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const target of IMPORTS.get(file) ?? []) {
        if (state.get(target) === 'open') cycles.push([...path.slice(path.indexOf(target)), target].join(' → '));
        else if (!state.has(target)) visit(target);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of [...IMPORTS.keys()].sort()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
