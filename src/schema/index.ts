import { isAbstractType, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
import './job.js';
import './lineage.js';
import './project.js';
import './subscriptions.js';
import './job-mutations.js';

export const schema = builder.toSchema();

/** The SDL as committed in `schema.graphql`: sorted, so diffs show real changes only. */
export function printSortedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * The implementations of every interface and union, by name (`{ "Node": ["Job", "Project", "Workspace"], … }`):
 * the `possibleTypes` Apollo Client's cache needs to match fragments on them
 * (`... on Node`), as `possible-types.json` holds it.
 */
export function possibleTypes(): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  const types = Object.values(schema.getTypeMap()).filter((type) => isAbstractType(type) && !type.name.startsWith('__'));
  for (const type of types.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isAbstractType(type)) continue;
    map[type.name] = schema.getPossibleTypes(type).map((member) => member.name).sort();
  }
  return map;
}

/** `possibleTypes()` as committed in `possible-types.json`. */
export function printPossibleTypes(): string {
  return `${JSON.stringify(possibleTypes(), null, 2)}\n`;
}
