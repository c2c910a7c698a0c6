import { describe, expect, it } from 'vitest';
import { JOB_CATEGORIES, KNOWN_JOB_TYPES, categoryOfJobType, isJobCategory } from '../../src/model/job-category.js';

describe('job categories', () => {
  it('are the 21 builder sections', () => {
    expect(JOB_CATEGORIES).toHaveLength(21);
    expect(JOB_CATEGORIES[0]).toBe('import');
    expect(JOB_CATEGORIES.at(-1)).toBe('workflows');
  });

  it('map common job types', () => {
    expect(categoryOfJobType('homo_abinit')).toBe('reconstruction');
    expect(categoryOfJobType('homo_refine_new')).toBe('refinement');
    expect(categoryOfJobType('class_2D_new')).toBe('particle_curation');
    expect(categoryOfJobType('extract_micrographs_cpu_parallel')).toBe('extraction');
    expect(categoryOfJobType('rtp_worker')).toBe('live');
  });

  it('return null for unknown types, including Object.prototype keys', () => {
    expect(categoryOfJobType('my_custom_job')).toBeNull();
    expect(categoryOfJobType('constructor')).toBeNull();
    expect(categoryOfJobType('__proto__')).toBeNull();
  });

  it('give every known job type a valid category, and cover every category', () => {
    expect(KNOWN_JOB_TYPES.length).toBeGreaterThanOrEqual(52);
    const used = new Set(KNOWN_JOB_TYPES.map((type) => categoryOfJobType(type)));
    for (const category of used) expect(isJobCategory(category)).toBe(true);
    expect(used.size).toBe(21);
  });
});
