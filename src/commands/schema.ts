/** `jobgraph schema`: prints the GraphQL schema (SDL), as `schema.graphql` holds it. */
import { printSortedSchema } from '../schema/index.js';

export function printSchema(): void {
  process.stdout.write(printSortedSchema());
}
