import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

describe('typed operations', () => {
  it('test/gql is what codegen makes of schema.graphql and the operations (run `npm run codegen` when this fails)', async () => {
    const files = (await generate({ ...config, silent: true }, false)) as { filename: string; content: string }[];
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const onDisk = readFileSync(new URL(`../${file.filename.replace(/^\.\//, '')}`, import.meta.url), 'utf8');
      expect(onDisk, `${file.filename} is stale`).toBe(file.content);
    }
  }, 60_000);
});
