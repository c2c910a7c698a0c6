import { describe, expect, it } from 'vitest';
import { lazyJob } from '../../src/store/lazy-job.js';

const doc = { project_uid: 'P1', uid: 'J7', status: 'completed', title: 'Homogeneous refinement', spec: { type: 'homo_refine', params: { n: 3 } }, tags: ['a'] };

describe('a job read from a row', () => {
  it('answers column fields from the row without parsing the document', () => {
    // Not JSON at all: any read that needed the document would throw.
    const job = lazyJob({ project_uid: 'P1', uid: 'J7', status: 'completed' }, '{not json');
    expect(job.uid).toBe('J7');
    expect(job.status).toBe('completed');
    expect(job.project_uid).toBe('P1');
    expect(() => job.spec).toThrow(SyntaxError);
  });

  it('can be returned from an async function without parsing the document (no `then` lookup parse)', async () => {
    const job = await (async () => lazyJob({ uid: 'J7', status: 'completed' }, '{not json'))();
    expect(job.uid).toBe('J7');
    expect(String(Object.prototype.toString.call(job))).toBe('[object Object]');
  });

  it('behaves as the parsed document for everything else', () => {
    const job = lazyJob({ uid: 'J7', status: 'completed' }, JSON.stringify(doc));
    expect(job.spec.type).toBe('homo_refine');
    expect({ ...job }).toEqual(doc);
    expect(JSON.parse(JSON.stringify(job))).toEqual(doc);
    expect(Object.keys(job)).toEqual(Object.keys(doc));
    expect('tags' in job).toBe(true);
    expect('nope' in job).toBe(false);
    expect(Object.getPrototypeOf(job)).toBe(Object.prototype);
  });

  it('read without its document (columns only), refuses to make up other fields', () => {
    const job = lazyJob({ uid: 'J7', status: 'completed' }, null);
    expect(job.status).toBe('completed');
    expect(() => job.spec).toThrow(/without its document/);
    expect(() => ({ ...job })).toThrow(/without its document/);
  });

  it('keeps reads consistent with writes once the document is parsed', () => {
    const job = lazyJob({ uid: 'J7', status: 'completed' }, JSON.stringify(doc)) as unknown as Record<string, unknown>;
    job.status = 'failed';
    expect(job.status).toBe('failed');
    expect(JSON.parse(JSON.stringify(job)).status).toBe('failed');
  });
});
