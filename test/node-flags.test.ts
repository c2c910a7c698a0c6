import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../src/node-flags.js';

const root = new URL('../', import.meta.url);

describe('the V8 flags jobgraph runs with', () => {
  it('are the same in the jobgraph command, npm start and src/node-flags.ts', () => {
    const shebang = readFileSync(new URL('src/cli.ts', root), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
    const { scripts } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toMatch(new RegExp(`^node ${NODE_FLAGS.join(' ')} dist/cli\\.js `));
  });

  it('are accepted by this Node.js and take effect', () => {
    // The heap's limit counts the young generation at its largest: a larger semi-space raises it.
    const limit = (flags: readonly string[]) => Number(execFileSync(process.execPath, [...flags, '-p', "require('node:v8').getHeapStatistics().heap_size_limit"], { encoding: 'utf8' }));
    expect(limit(NODE_FLAGS)).toBeGreaterThan(limit([]));
  });
});
