import { writeFileSync } from 'node:fs';
import { printSortedSchema } from '../src/schema/index.js';

writeFileSync(new URL('../schema.graphql', import.meta.url), printSortedSchema());
