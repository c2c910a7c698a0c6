import { writeFileSync } from 'node:fs';
import { printPossibleTypes, printSortedSchema } from '../src/schema/index.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printSortedSchema());
writeFileSync(new URL('../possible-types.json', import.meta.url), printPossibleTypes());
