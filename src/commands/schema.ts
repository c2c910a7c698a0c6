/** `jobgraph schema`: prints the GraphQL schema (SDL), as `schema.graphql` holds it, or the possibleTypes map. */
import { printPossibleTypes, printSortedSchema } from '../schema/index.js';

export function printSchema({ possibleTypes = false }: { /** Print the `possibleTypes` map (possible-types.json) instead of the SDL. */ possibleTypes?: boolean } = {}): void {
  process.stdout.write(possibleTypes ? printPossibleTypes() : printSortedSchema());
}
