import { lexicographicSortSchema, printSchema } from 'graphql';
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
