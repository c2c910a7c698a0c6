import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobInputEdges, parentUidsOf } from '../../src/model/edges.js';
import { formatZodIssues, parseJobDocument, safeParseJobDocument } from '../../src/model/job.js';
import { convertLegacyJob, isLegacyJobDocument } from '../../src/model/legacy.js';

type Doc = Record<string, unknown>;

const readFixture = (name: string): Doc =>
  JSON.parse(readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8')) as Doc;

const v4 = readFixture('job-v4-legacy.json');

describe('detecting v4 job documents', () => {
  it('recognises the v4 fixture and not the v5 one', () => {
    expect(isLegacyJobDocument(v4)).toBe(true);
    expect(isLegacyJobDocument(readFixture('job-v5-full.json'))).toBe(false);
  });

  it('needs a v4 key and no spec', () => {
    expect(isLegacyJobDocument({ uid: 'J1', params_spec: {} })).toBe(true);
    expect(isLegacyJobDocument({ uid: 'J1', input_slot_groups: [] })).toBe(true);
    expect(isLegacyJobDocument({ uid: 'J1', job_type: 'x', spec: { type: 'x' } })).toBe(false);
    expect(isLegacyJobDocument({ uid: 'J1' })).toBe(false);
    expect(isLegacyJobDocument(null)).toBe(false);
    expect(isLegacyJobDocument([{ job_type: 'x' }])).toBe(false);
  });
});

describe('a v4 job normalised to the v5 shape', () => {
  const job = parseJobDocument(v4);

  it('takes spec.type from job_type', () => {
    expect(job.spec.type).toBe('class_2D');
    expect(parseJobDocument({ ...v4, job_type: undefined, type: 'homo_abinit' }).spec.type).toBe('homo_abinit');
  });

  it('maps input_slot_groups to spec.inputs keyed by group name', () => {
    expect(Object.keys(job.spec.inputs)).toEqual(['particles']);
    const input = job.spec.inputs.particles;
    expect(input).toMatchObject({
      type: 'particle',
      title: 'Particle stacks',
      count_min: 1,
      count_max: 'inf',
      repeat_allowed: false,
    });
    expect(input?.slots.map((slot) => [slot.name, slot.dtype, slot.required])).toEqual([
      ['blob', 'particle.blob', true],
      ['ctf', 'particle.ctf', true],
      ['alignments2D', 'particle.alignments2D', false],
    ]);
  });

  it('maps connections: group_name to output, slots to results', () => {
    const connections = job.spec.inputs.particles?.connections ?? [];
    expect(connections.map((c) => [c.job_uid, c.output])).toEqual([
      ['J10', 'particles'],
      ['J9', 'particles_rejected'],
    ]);
    expect(connections[0]?.results[2]).toEqual({
      name: null,
      dtype: 'particle.location',
      job_uid: 'J10',
      output: 'particles',
      result: 'location',
      version: 'F',
    });
    expect(connections[1]?.results).toEqual([
      { name: 'blob', dtype: 'particle.blob', job_uid: 'J9', output: 'particles_rejected', result: 'blob', version: 3 },
    ]);
  });

  it('maps output_result_groups and output_results to spec.outputs, results grouped by group_name', () => {
    expect(Object.keys(job.spec.outputs)).toEqual(['particles', 'class_averages']);
    const particles = job.spec.outputs.particles;
    expect(particles?.passthrough).toBe('particles');
    expect(particles?.num_items).toBe(48210);
    expect(particles?.slots).toEqual([
      { name: 'blob', dtype: 'particle.blob' },
      { name: 'alignments2D', dtype: 'particle.alignments2D' },
    ]);
    expect(particles?.results.map((r) => [r.name, r.dtype, r.versions, r.num_items, r.passthrough])).toEqual([
      ['blob', 'particle.blob', [0], [48210], true],
      ['alignments2D', 'particle.alignments2D', [0, 19], [48210], false],
    ]);
    const classes = job.spec.outputs.class_averages;
    expect(classes?.passthrough).toBeNull();
    expect(classes?.results.map((r) => r.metafiles)).toEqual([['J12/J12_020_class_averages.cs']]);
  });

  it('takes params from params_spec over the params_base defaults', () => {
    expect(job.spec.params).toEqual({
      class2D_K: 100,
      class2D_max_res: 6,
      class2D_window: true,
      compute_use_ssd: false,
    });
  });

  it('keeps the fields v4 and v5 share, and normalises the v4 quirks', () => {
    expect(job._id).toBe('5f9a1b2c3d4e5f6a7b8c9d0e');
    expect([job.uid, job.uid_num, job.project_uid, job.project_uid_num]).toEqual(['J12', 12, 'P3', 3]);
    expect(job.status).toBe('completed');
    expect(job.status_num).toBe(6);
    expect(job.created_at).toBe('2023-06-14T08:15:30.512Z');
    expect(job.queued_at).toBe('2023-06-14T08:23:20.000Z');
    expect(job.updated_at).toBe('2023-06-14T09:02:11.000Z');
    expect(job.queued_to_hostname).toBeNull();
    expect(job.queued_to_gpu).toBeNull();
    expect(job.interactive_port).toBeNull();
    expect(job.job_dir).toBe('J12');
    expect(job.instance_information.CUDA_version).toBe('11.8');
    expect(job.instance_information.gpu_info?.[0]?.persistence_mode).toBe('Disabled');
  });

  it('nests the flat v4 scheduler target into config', () => {
    const target = job.resources_allocated?.target;
    expect(target?.hostname).toBe('worker-2');
    expect(target?.config).toMatchObject({ type: 'node', ssh_str: 'cryosparc@worker-2', resource_fixed: { SSD: true } });
    expect((target as Record<string, unknown> | undefined)?.ssh_str).toBeUndefined();
  });

  it('keeps unknown v4 keys on the top level and drops the converted ones', () => {
    const doc = job as unknown as Record<string, unknown>;
    expect(doc.params_secs).toEqual(v4.params_secs);
    expect(doc.output_group_images).toEqual({});
    expect(doc.run_on_master_direct).toBe(false);
    for (const key of ['job_type', 'type', 'input_slot_groups', 'output_result_groups', 'output_results', 'params_base', 'params_spec']) {
      expect(doc, key).not.toHaveProperty(key);
    }
  });

  it('has parents that agree with its input connections', () => {
    expect(jobInputEdges(job).map((edge) => edge.parentUid)).toEqual(['J10', 'J9']);
    expect([...parentUidsOf(job)].sort()).toEqual([...job.parents].sort());
  });
});

describe('convertLegacyJob', () => {
  it('fills job_dir from the uid and job_dir_size_last_updated with the epoch when absent', () => {
    const converted = convertLegacyJob({ uid: 'J7', project_uid: 'P1', job_type: 'import_movies' });
    expect(converted).toMatchObject({ job_dir: 'J7', job_dir_size_last_updated: '1970-01-01T00:00:00.000Z' });
    expect(converted.spec).toEqual({ type: 'import_movies', params: {}, inputs: {}, outputs: {} });
  });

  it('passes malformed parts on so that the v5 schema reports them', () => {
    const result = safeParseJobDocument({ uid: 'J7', project_uid: 'P1', job_type: 'x', input_slot_groups: [{ type: 'particle' }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(formatZodIssues(result.error)).toEqual(['spec.inputs.0.title: expected string, received undefined']);
  });
});
