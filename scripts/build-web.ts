/**
 * Builds the browser viewer (web/) into dist/web/: the app and its layout
 * worker as ES modules, the stylesheet and the favicon, with content hashes in
 * their names, and index.html naming them. Run by `npm run build` (and so by
 * `npm install`); `buildViewer()` is used by the browser tests and the bench.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface BuiltViewer {
  dir: string;
  /** Every JavaScript file written, with its size in bytes. */
  scripts: { name: string; bytes: number }[];
}

export async function buildViewer({ outDir = join(ROOT, 'dist/web'), minify = true }: { outDir?: string; minify?: boolean } = {}): Promise<BuiltViewer> {
  rmSync(outDir, { recursive: true, force: true });
  const assets = join(outDir, 'assets');
  mkdirSync(assets, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'web/src/main.ts', 'layout-worker': 'web/src/graph/layout-worker.ts', styles: 'web/styles.css' },
    outdir: assets,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify,
    sourcemap: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const entry = (name: string) => basename(outputs.find(([, output]) => output.entryPoint !== undefined && basename(output.entryPoint).startsWith(name))?.[0] ?? '');
  const main = entry('main.ts');
  const worker = entry('layout-worker.ts');
  const styles = entry('styles.css');
  if (!main || !worker || !styles) throw new Error('the viewer build is missing an entry');
  copyFileSync(join(ROOT, 'web/public/favicon.svg'), join(assets, 'favicon.svg'));
  const page = readFileSync(join(ROOT, 'web/index.html'), 'utf8').replace('%MAIN%', main).replace('%LAYOUT_WORKER%', worker).replace('%STYLES%', styles);
  writeFileSync(join(outDir, 'index.html'), page);
  return { dir: outDir, scripts: outputs.filter(([name]) => name.endsWith('.js')).map(([name, output]) => ({ name: basename(name), bytes: output.bytes })) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildViewer();
  const total = built.scripts.reduce((sum, script) => sum + script.bytes, 0);
  console.log(`viewer built in ${built.dir} (${built.scripts.length} scripts, ${Math.round(total / 1024)} KiB)`);
}
