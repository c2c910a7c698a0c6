import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('equals the schema printed from the code (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSortedSchema());
  });

  it('describes every type, field, argument and enum value', () => {
    const sdl = printSortedSchema();
    const undocumented: string[] = [];
    const lines = sdl.split('\n');
    let owner = '';
    lines.forEach((line, i) => {
      const typeMatch = /^(type|input|enum|interface|union|scalar) (\w+)/.exec(line);
      if (typeMatch) {
        owner = typeMatch[2]!;
        if (!lines[i - 1]?.endsWith('"""')) undocumented.push(owner);
        return;
      }
      const member = /^ {2,4}(\w+)[(:]|^ {2}([A-Z_]+)$/.exec(line);
      if (member && !lines[i - 1]?.trimEnd().endsWith('"""') && !['first', 'last', 'after', 'before'].includes(member[1] ?? '')) {
        undocumented.push(`${owner}.${member[1] ?? member[2]}`);
      }
    });
    expect(undocumented).toEqual([]);
  });
});
