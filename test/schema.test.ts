import { readFileSync } from 'node:fs';
import { isInputObjectType, isInterfaceType, isObjectType, isScalarType, specifiedScalarTypes } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printPossibleTypes, printSortedSchema, schema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('equals the schema printed from the code (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printSortedSchema());
  });

  it('possible-types.json equals the possibleTypes map printed from the code (run `npm run schema`)', () => {
    const committed = readFileSync(new URL('../possible-types.json', import.meta.url), 'utf8');
    expect(committed).toBe(printPossibleTypes());
  });

  it('has a description on every argument of every field and directive, walking the schema itself', () => {
    const undescribed: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) if (!arg.description?.trim()) undescribed.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    }
    for (const directive of schema.getDirectives()) {
      for (const arg of directive.args) if (!arg.description?.trim()) undescribed.push(`@${directive.name}(${arg.name}:)`);
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !isInputObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) if (!field.description?.trim()) undescribed.push(`${type.name}.${field.name}`);
    }
    expect(undescribed).toEqual([]);
    // The ones clients reach first.
    expect(schema.getQueryType()!.getFields().node!.args[0]!.description).toBeTruthy();
    expect(schema.getQueryType()!.getFields().nodes!.args[0]!.description).toBeTruthy();
  });

  it('gives every custom scalar a @specifiedBy URL, so clients can type it', () => {
    const builtIn = new Set(specifiedScalarTypes.map((type) => type.name));
    const custom = Object.values(schema.getTypeMap()).filter((type) => isScalarType(type) && !builtIn.has(type.name));
    expect(custom.map((type) => type.name).sort()).toEqual(['DateTime', 'JSON']);
    for (const type of custom) expect(isScalarType(type) && type.specifiedByURL, type.name).toMatch(/^https:\/\//);
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
