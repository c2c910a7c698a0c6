import { readdirSync, readFileSync } from 'node:fs';

// Same relative path from src/server and dist/server.
const EXAMPLES_DIR = new URL('../../docs/examples/', import.meta.url);

/** The README's example operations, opened as GraphiQL tabs. */
export function loadGraphiqlTabs(): { query: string }[] {
  try {
    return readdirSync(EXAMPLES_DIR)
      .filter((f) => f.endsWith('.graphql'))
      .sort()
      .map((f) => ({ query: readFileSync(new URL(f, EXAMPLES_DIR), 'utf8') }));
  } catch {
    return [];
  }
}
