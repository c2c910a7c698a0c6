/**
 * `jobSchema` is compiled by zod (a generated fast path for valid documents,
 * the interpreter otherwise). `safeParseAsync` always runs the interpreter, so
 * comparing the two over many valid and broken documents checks that the
 * fast path accepts, rejects and outputs exactly what the interpreter does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatZodIssues, jobSchema } from '../../src/model/job.js';
import { convertLegacyJob } from '../../src/model/legacy.js';
import { generateProject } from '../../src/sources/synthetic/generate.js';

type Doc = Record<string, unknown>;

const readFixture = (name: string): Doc =>
  JSON.parse(readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8')) as Doc;

async function expectSameOutcome(doc: unknown): Promise<void> {
  const compiled = jobSchema.safeParse(doc);
  const interpreted = await jobSchema.safeParseAsync(doc);
  expect(compiled.success).toBe(interpreted.success);
  if (compiled.success && interpreted.success) expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(interpreted.data));
  if (!compiled.success && !interpreted.success) expect(formatZodIssues(compiled.error)).toEqual(formatZodIssues(interpreted.error));
}

/** Every path to a value inside `value` (object keys and array indexes). */
function* pathsOf(value: unknown, prefix: (string | number)[] = []): Generator<(string | number)[]> {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    yield path;
    yield* pathsOf(inner, path);
  }
}

function withValueAt(doc: Doc, path: (string | number)[], value: unknown): Doc {
  const copy = structuredClone(doc);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  false,
  true,
  0,
  -1,
  1.5,
  '',
  'x',
  '2024-02-30T00:00:00Z',
  [],
  {},
  { $date: '2024-01-01T00:00:00Z' },
  { $numberLong: '7' },
  { $oid: '0123456789abcdef01234567' },
];

describe('the compiled job schema', () => {
  const v5 = readFixture('job-v5-full.json');
  const v4 = readFixture('job-v4-legacy.json');

  it('agrees with the interpreter on generated, fixture and legacy documents', async () => {
    const { jobs } = generateProject({ projectUid: 'P7', jobs: 150, seed: 7 });
    for (const doc of [v5, convertLegacyJob(v4), ...jobs]) await expectSameOutcome(doc);
  });

  it('agrees with the interpreter when any field of a full document is replaced or removed', async () => {
    for (const path of pathsOf(v5)) {
      for (const value of REPLACEMENTS) await expectSameOutcome(withValueAt(v5, path, value));
    }
  });
});
