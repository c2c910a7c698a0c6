import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_DEPTH, MAX_TITLE_LENGTH, mayHoldUnstorableParts, unstorableParts } from '../../src/model/document-limits.js';
import { formatZodIssues, parseJobDocument, safeParseJobDocument } from '../../src/model/job.js';
import { safeParseProjectDocument, safeParseWorkspaceDocument } from '../../src/model/project.js';

type Doc = Record<string, unknown>;

const minimal = (): Doc => ({
  uid: 'J12',
  project_uid: 'P3',
  spec: { type: 'import_movies' },
  job_dir: 'J12',
  job_dir_size_last_updated: '2024-01-01T00:00:00Z',
});

/** Issue lines of a document that must fail, parsed from its JSON text as the ingest paths do (and without the text). */
function issuesOf(raw: Doc): string[] {
  const text = JSON.stringify(raw);
  const withText = safeParseJobDocument(JSON.parse(text), { text });
  const walked = safeParseJobDocument(raw);
  expect(withText.success).toBe(false);
  expect(walked.success).toBe(false);
  const lines = withText.success ? [] : formatZodIssues(withText.error);
  expect(walked.success ? [] : formatZodIssues(walked.error)).toEqual(lines);
  return lines;
}

describe('one identity per job document', () => {
  it('derives uid_num and project_uid_num from the uids, and accepts numbers that agree', () => {
    expect(parseJobDocument({ ...minimal(), uid_num: 12, project_uid_num: 3 })).toMatchObject({ uid_num: 12, project_uid_num: 3 });
    expect(parseJobDocument(minimal())).toMatchObject({ uid_num: 12, project_uid_num: 3 });
  });

  it('refuses a uid_num or project_uid_num that disagrees with the uid, naming both', () => {
    expect(issuesOf({ ...minimal(), uid_num: 2 })).toEqual(['uid_num: expected 12 (the number in J12), received 2']);
    expect(issuesOf({ ...minimal(), project_uid_num: 4 })).toEqual(['project_uid_num: expected 3 (the number in P3), received 4']);
  });

  it('refuses non-canonical uids: leading zeros and numbers past 2^31 - 1', () => {
    expect(issuesOf({ ...minimal(), uid: 'J01' })[0]).toMatch(/^uid: .*without leading zeros/);
    expect(issuesOf({ ...minimal(), uid: 'J99999999999999999999' })[0]).toMatch(/^uid: .*2147483647/);
    expect(issuesOf({ ...minimal(), project_uid: 'P2147483648' })[0]).toMatch(/^project_uid: /);
    expect(parseJobDocument({ ...minimal(), uid: 'J2147483647' }).uid_num).toBe(2147483647);
  });
});

describe('what a database could not store', () => {
  it('refuses a NUL character in any string, with its path', () => {
    expect(issuesOf({ ...minimal(), title: 'a\u0000b' })).toEqual(['title: contains a NUL character (\\u0000), which the database cannot store']);
    expect(issuesOf({ ...minimal(), spec: { type: 'import_movies', params: { note: ['ok', 'x\u0000'] } } })).toEqual([
      expect.stringMatching(/^spec\.params\.note\.1: contains a NUL/),
    ]);
    // Unknown fields are kept and stored, so they are checked too.
    expect(issuesOf({ ...minimal(), extra: { deep: 'x\u0000' } })).toEqual([expect.stringMatching(/^extra\.deep: contains a NUL/)]);
  });

  it('refuses a NUL character in a key, showing the key escaped in the path', () => {
    expect(issuesOf({ ...minimal(), bench: { 'a\u0000b': 1 } })).toEqual(['bench.a\\u0000b: the key contains a NUL character (\\u0000), which the database cannot store']);
  });

  it('refuses lone surrogates but keeps surrogate pairs (emoji)', () => {
    expect(issuesOf({ ...minimal(), title: 'x\ud800' })).toEqual([expect.stringMatching(/^title: contains a lone UTF-16 surrogate/)]);
    expect(issuesOf({ ...minimal(), description: '\udc00' })[0]).toMatch(/^description: contains a lone/);
    expect(parseJobDocument({ ...minimal(), title: 'ok \ud83d\ude00' }).title).toBe('ok 😀');
  });

  it('reports a NUL beside the schema issues of the same document', () => {
    expect(issuesOf({ ...minimal(), status: 'exploded', title: '\u0000' }).map((line) => line.split(':')[0])).toEqual(['status', 'title']);
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_DOCUMENT_DEPTH + 5; i++) deep = { a: deep };
    const issues = unstorableParts({ ...minimal(), extra: deep });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/nested more than 100 levels/);
  });

  it('finds suspect JSON texts without false negatives for escapes and raw characters', () => {
    expect(mayHoldUnstorableParts('{"a":"plain","b":1e5}')).toBe(false);
    expect(mayHoldUnstorableParts('{"a":"\\u0000"}')).toBe(true);
    expect(mayHoldUnstorableParts('{"a":"\\uDBFF"}')).toBe(true);
    expect(mayHoldUnstorableParts('{"a\u0000":1}')).toBe(true);
    expect(mayHoldUnstorableParts('{"a":"\ud800"}')).toBe(true);
    expect(mayHoldUnstorableParts('{"a":"\ud83d\ude00 \\u00e9"}')).toBe(false);
  });
});

describe('the limits that hold on every way in', () => {
  it('refuses a title longer than updateJob allows', () => {
    expect(parseJobDocument({ ...minimal(), title: 'x'.repeat(MAX_TITLE_LENGTH) }).title).toHaveLength(200);
    expect(issuesOf({ ...minimal(), title: 'x'.repeat(1_000_000) })).toEqual(['title: at most 200 characters, received 1000000']);
  });

  it('refuses integers a 32-bit column or a GraphQL Int cannot hold, and keeps byte counts that exceed them', () => {
    expect(issuesOf({ ...minimal(), priority: 2 ** 31 })).toEqual(['priority: expected an integer from -2147483648 to 2147483647 (32 bits), received 2147483648']);
    expect(issuesOf({ ...minimal(), priority: { $numberLong: '-2147483649' } })[0]).toMatch(/^priority: expected an integer/);
    expect(issuesOf({ ...minimal(), num_tokens: 1e12 })[0]).toMatch(/^num_tokens: /);
    const job = parseJobDocument({ ...minimal(), priority: -(2 ** 31), job_dir_size: 5e12, intermediate_results_size_bytes: 2 ** 40 });
    expect([job.priority, job.job_dir_size, job.intermediate_results_size_bytes]).toEqual([-(2 ** 31), 5e12, 2 ** 40]);
  });
});

describe('project and workspace documents', () => {
  it('refuse numbers that disagree with their uids', () => {
    const project = safeParseProjectDocument({ uid: 'P3', uid_num: 4 });
    expect(project.success ? [] : formatZodIssues(project.error)).toEqual(['uid_num: expected 3 (the number in P3), received 4']);
    const workspace = safeParseWorkspaceDocument({ uid: 'W2', project_uid: 'P3', uid_num: 2, project_uid_num: 30 });
    expect(workspace.success ? [] : formatZodIssues(workspace.error)).toEqual(['project_uid_num: expected 3 (the number in P3), received 30']);
    expect(safeParseWorkspaceDocument({ uid: 'W2', project_uid: 'P3', uid_num: 2, project_uid_num: 3 }).success).toBe(true);
  });

  it('refuse NUL characters', () => {
    const project = safeParseProjectDocument({ uid: 'P3', title: 'a\u0000' });
    expect(project.success ? [] : formatZodIssues(project.error)).toEqual([expect.stringMatching(/^title: contains a NUL/)]);
  });
});
