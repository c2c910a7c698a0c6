import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Which layer may import which (README, "Architecture"). `app.ts` and `cli.ts` compose everything. */
const ALLOWED: Record<string, string[]> = {
  model: ['model'],
  store: ['model', 'store'],
  events: ['model', 'store', 'events'],
  schema: ['model', 'store', 'events', 'schema'],
  server: ['model', 'store', 'events', 'schema', 'server', 'ingest', 'metrics.js', 'startup-error.js'],
  ingest: ['model', 'store', 'events', 'ingest', 'config.js'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('layer boundaries', () => {
  it('imports point one way: model ← store ← events ← schema ← server', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const layer = relative(SRC, file).split('/')[0]!;
      const allowed = ALLOWED[layer];
      if (!allowed) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = relative(SRC, join(file, '..', match[1]!));
        const targetLayer = target.split('/')[0]!;
        if (!allowed.includes(targetLayer)) violations.push(`${relative(SRC, file)} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
