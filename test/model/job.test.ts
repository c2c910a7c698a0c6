import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  JOB_FIELD_NAMES,
  formatZodIssues,
  jobSchema,
  parseJobDocument,
  safeParseJobDocument,
  type Job,
} from '../../src/model/job.js';
import { JOB_STATUSES } from '../../src/model/job-status.js';

type Doc = Record<string, unknown>;

const readFixture = (name: string): Doc =>
  JSON.parse(readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8')) as Doc;

const minimal = (): Doc => ({
  uid: 'J1',
  project_uid: 'P1',
  spec: { type: 'import_movies' },
  job_dir: 'J1',
  job_dir_size_last_updated: '2024-01-01T00:00:00Z',
});

/** Issue lines for a document that must fail. */
function issuesOf(raw: unknown): string[] {
  const result = safeParseJobDocument(raw);
  expect(result.success).toBe(false);
  return result.success ? [] : formatZodIssues(result.error);
}

const DATE_FIELDS = new Set(
  JOB_FIELD_NAMES.filter((name) => name.endsWith('_at') || name === 'job_dir_size_last_updated' || name.endsWith('_last_updated')),
);

describe('the v5 job schema', () => {
  const fixture = readFixture('job-v5-full.json');
  const job = parseJobDocument(fixture);

  it('lists exactly the 96 reference fields, and the full fixture sets every one of them', () => {
    expect(JOB_FIELD_NAMES).toHaveLength(96);
    expect(new Set(JOB_FIELD_NAMES).size).toBe(96);
    for (const name of ['_id', 'PID_main', 'PID_monitor', 'PID_workers', 'requeue_windows_ends_at', 'build_errors']) {
      expect(JOB_FIELD_NAMES).toContain(name);
    }
    const missing = JOB_FIELD_NAMES.filter((name) => !(name in fixture));
    expect(missing).toEqual([]);
  });

  it('parses every field of the full fixture to the fixture value, dates as ISO-8601 UTC', () => {
    const parsed = job as unknown as Doc;
    for (const name of JOB_FIELD_NAMES) {
      const raw = fixture[name];
      const expected = DATE_FIELDS.has(name) && typeof raw === 'string' ? new Date(raw).toISOString() : raw;
      expect(parsed[name], name).toEqual(expected);
    }
  });

  it('gives the full fixture a non-default value in every field', () => {
    const defaults = parseJobDocument(minimal()) as unknown as Doc;
    const parsed = job as unknown as Doc;
    const same = JOB_FIELD_NAMES.filter((name) => JSON.stringify(parsed[name]) === JSON.stringify(defaults[name]));
    expect(same).toEqual([]);
  });

  it('is stable under parse, JSON.stringify, parse', () => {
    const again = parseJobDocument(JSON.parse(JSON.stringify(job)));
    expect(again).toEqual(job);
    expect(JSON.stringify(again)).toBe(JSON.stringify(job));
  });

  it('keeps unknown fields on the top level and in nested records', () => {
    const parsed = job as unknown as Doc;
    expect(parsed.x_site_annotation).toEqual({ note: 'unknown top-level field', keep: true });
    expect((job.instance_information as Doc).x_probe_note).toBe('kept nested');
    const result = job.spec.inputs.volume?.connections[0]?.results[0] as Doc | undefined;
    expect(result?.x_result_note).toBe('kept');
  });

  it('keeps an upstream status_num instead of deriving it', () => {
    expect(job.status).toBe('completed');
    expect(job.status_num).toBe(5);
  });

  it('reads the node target of resources_allocated with its GPUs', () => {
    const target = job.resources_allocated?.target;
    expect(target?.config.type).toBe('node');
    if (target?.config.type !== 'node') throw new Error('expected a node target');
    expect(target.config.ssh_str).toBe('ssh cryosparc@gpu-node-1');
    expect(target.config.gpus?.map((gpu) => gpu.id)).toEqual([0, 1]);
    expect(target.arch).toBe('aarch64');
    expect(job.resources_allocated?.slots.GPU).toEqual([1]);
  });
});

describe('defaults of a minimal job document', () => {
  const job: Job = parseJobDocument(minimal());

  it('fills identity, status and computed fields', () => {
    expect(job._id).toBe('000000000000000000000000');
    expect(job.workspace_uids).toEqual(['W1']);
    expect(job.status).toBe('building');
    expect(job.status_num).toBe(0);
    expect(job.uid_num).toBe(1);
    expect(job.project_uid_num).toBe(1);
    expect(job.build_errors).toEqual([]);
    expect(job.created_at).toBe('1970-01-01T00:00:00.000Z');
    expect(job.updated_at).toBe('1970-01-01T00:00:00.000Z');
    expect(job.autodump).toBe(true);
  });

  it('fills the spec: empty params, inputs and outputs, 1x1 tile, default resources', () => {
    expect(job.spec).toEqual({
      type: 'import_movies',
      params: {},
      inputs: {},
      outputs: {},
      ui_tile_width: 1,
      ui_tile_height: 1,
      resource_spec: { cpu: 1, gpu: 0, ram: 1, ssd: false },
    });
  });

  it('uses null for optional records and [] or {} for collections', () => {
    expect(job.resources_allocated).toBeNull();
    expect(job.queued_to_gpu).toBeNull();
    expect(job.queue_status).toBeNull();
    expect(job.last_accessed).toBeNull();
    expect(job.workflow).toBeNull();
    expect(job.completed_at).toBeNull();
    expect(job.PID_workers).toEqual([]);
    expect(job.errors_run).toEqual([]);
    expect(job.progress).toEqual([]);
    expect(job.bench).toEqual({});
    expect(job.cluster_job_custom_vars).toEqual({});
  });

  it('fills instance_information with all its defaults', () => {
    expect(job.instance_information).toMatchObject({
      platform_node: '',
      physical_cores: 0,
      max_cpu_freq: 0,
      total_memory: '0B',
      gpu_info: null,
      CUDA_version: null,
      version: '',
      arch: 'x86_64',
    });
  });

  it('derives status_num from the position of the status', () => {
    for (const [index, status] of JOB_STATUSES.entries()) {
      expect(parseJobDocument({ ...minimal(), status }).status_num).toBe(index);
    }
  });

  it('derives uid numbers from the uids', () => {
    const parsed = parseJobDocument({ ...minimal(), uid: 'J1234', project_uid: 'P77' });
    expect([parsed.uid_num, parsed.project_uid_num]).toEqual([1234, 77]);
  });
});

describe('invalid job documents', () => {
  it('reports a bad status with its path', () => {
    const lines = issuesOf({ ...minimal(), status: 'done' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^status: .*"building".*"failed"/);
  });

  it('reports a uid that is not J<n> with a clear message', () => {
    expect(issuesOf({ ...minimal(), uid: 'X1' })).toEqual(['uid: expected a job uid like J42, received "X1"']);
    expect(issuesOf({ ...minimal(), project_uid: 'J1' })).toEqual([
      'project_uid: expected a project uid like P42, received "J1"',
    ]);
    expect(issuesOf({ ...minimal(), workspace_uids: ['W1', 'X2'] })).toEqual([
      'workspace_uids.1: expected a workspace uid like W42, received "X2"',
    ]);
  });

  it('reports a connection job_uid of the wrong type by its full path', () => {
    const raw = {
      ...minimal(),
      spec: {
        type: 'class_2D_new',
        inputs: { particles: { type: 'particle', title: 'Particles', connections: [{ job_uid: 5, output: 'particles' }] } },
      },
    };
    expect(issuesOf(raw)).toEqual(['spec.inputs.particles.connections.0.job_uid: expected string, received number']);
  });

  it('reports missing required fields', () => {
    const lines = issuesOf({ uid: 'J1', project_uid: 'P1' });
    expect(lines).toContain('spec: expected object, received undefined');
    expect(lines).toContain('job_dir: expected string, received undefined');
    expect(lines.some((line) => line.startsWith('job_dir_size_last_updated: '))).toBe(true);
  });

  it('turns an unparseable date into an issue rather than an exception', () => {
    const raw = { ...minimal(), completed_at: 'yesterday', queued_at: { $date: 'nope' } };
    expect(() => safeParseJobDocument(raw)).not.toThrow();
    const lines = issuesOf(raw);
    expect(lines.map((line) => line.split(':')[0])).toEqual(['queued_at', 'completed_at']);
    expect(lines[1]).toContain('"yesterday"');
  });

  it('rejects impossible calendar dates instead of rolling them over', () => {
    expect(issuesOf({ ...minimal(), created_at: '2024-02-30T00:00:00Z' })[0]).toMatch(/^created_at: /);
  });

  it('throws a ZodError from parseJobDocument', () => {
    expect(() => parseJobDocument({ ...minimal(), priority: 'high' })).toThrow(ZodError);
    expect(() => parseJobDocument('not a job')).toThrow(ZodError);
  });

  it('reports a scheduler target config of unknown type and a node config without ssh_str', () => {
    const target = { lane: 'l', name: 'n', title: 't', hostname: 'h', worker_bin_path: '/w' };
    const weird = issuesOf({ ...minimal(), resources_allocated: { hostname: 'h', target: { ...target, config: { type: 'grid' } } } });
    expect(weird[0]).toMatch(/^resources_allocated\.target\.config\.type: /);
    const noSsh = issuesOf({ ...minimal(), resources_allocated: { hostname: 'h', target: { ...target, config: { type: 'node' } } } });
    expect(noSsh).toEqual(['resources_allocated.target.config.ssh_str: expected string, received undefined']);
  });

  it('rejects a count_max that is neither an integer nor "inf", and a version that is neither an integer nor "F"', () => {
    const input = (extra: Doc) => ({
      ...minimal(),
      spec: { type: 't', inputs: { x: { type: 'particle', title: 'X', ...extra } } },
    });
    expect(issuesOf(input({ count_max: 'many' }))[0]).toMatch(/^spec\.inputs\.x\.count_max: /);
    const result = { name: 'blob', dtype: 'blob', job_uid: 'J2', output: 'p', result: 'blob', version: 'latest' };
    const lines = issuesOf(input({ connections: [{ job_uid: 'J2', output: 'p', results: [result] }] }));
    expect(lines[0]).toMatch(/^spec\.inputs\.x\.connections\.0\.results\.0\.version: /);
  });
});

describe('old-database quirks and date formats', () => {
  it('reads MongoDB extended JSON, epoch milliseconds, Date objects and naive datetimes as UTC', () => {
    const job = parseJobDocument({
      ...minimal(),
      created_at: { $date: '2023-06-14T08:15:30.512Z' },
      updated_at: { $date: { $numberLong: '1686733331000' } },
      queued_at: 1686731000000,
      started_at: new Date('2023-06-14T08:23:30Z'),
      running_at: '2023-06-14T08:23:40.123456',
      completed_at: '2023-06-14 09:02:11+02:00',
      job_dir_size_last_updated: { $date: 1686733331000 },
    });
    expect(job.created_at).toBe('2023-06-14T08:15:30.512Z');
    expect(job.updated_at).toBe('2023-06-14T09:02:11.000Z');
    expect(job.queued_at).toBe('2023-06-14T08:23:20.000Z');
    expect(job.started_at).toBe('2023-06-14T08:23:30.000Z');
    expect(job.running_at).toBe('2023-06-14T08:23:40.123Z');
    expect(job.completed_at).toBe('2023-06-14T07:02:11.000Z');
    expect(job.job_dir_size_last_updated).toBe('2023-06-14T09:02:11.000Z');
  });

  it('reads naive datetimes as UTC whatever the local time zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(new Date('2023-06-14T08:00:00').getUTCHours()).not.toBe(8);
      const job = parseJobDocument({ ...minimal(), running_at: '2023-06-14T08:00:00', waiting_at: '2023-06-14 08:00' });
      expect(job.running_at).toBe('2023-06-14T08:00:00.000Z');
      expect(job.waiting_at).toBe('2023-06-14T08:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('normalises false in nullable fields to null', () => {
    const job = parseJobDocument({
      ...minimal(),
      queued_to_hostname: false,
      queued_to_gpu: false,
      resources_allocated: false,
      cluster_job_id: false,
      interactive_port: false,
      last_accessed: false,
      completed_at: false,
    });
    expect(job.queued_to_hostname).toBeNull();
    expect(job.queued_to_gpu).toBeNull();
    expect(job.resources_allocated).toBeNull();
    expect(job.cluster_job_id).toBeNull();
    expect(job.interactive_port).toBeNull();
    expect(job.last_accessed).toBeNull();
    expect(job.completed_at).toBeNull();
  });

  it('treats an empty resources_allocated object as not allocated', () => {
    expect(parseJobDocument({ ...minimal(), resources_allocated: {} }).resources_allocated).toBeNull();
  });

  it('normalises false or null in non-nullable lists and maps to their defaults', () => {
    const job = parseJobDocument({
      ...minimal(),
      PID_workers: false,
      tags: null,
      parents: false,
      workspace_uids: false,
      bench: false,
      errors_run: null,
    });
    expect(job.PID_workers).toEqual([]);
    expect(job.tags).toEqual([]);
    expect(job.parents).toEqual([]);
    expect(job.workspace_uids).toEqual(['W1']);
    expect(job.bench).toEqual({});
    expect(job.errors_run).toEqual([]);
  });

  it('unwraps {"$oid"} ids and {"$numberLong"} integers', () => {
    const job = parseJobDocument({
      ...minimal(),
      _id: { $oid: '5f9a1b2c3d4e5f6a7b8c9d0e' },
      job_dir_size: { $numberLong: '9007199254740' },
    });
    expect(job._id).toBe('5f9a1b2c3d4e5f6a7b8c9d0e');
    expect(job.job_dir_size).toBe(9007199254740);
  });

  it('accepts count_max as an integer or "inf", version as an integer or "F", and unknown data types', () => {
    const job = parseJobDocument({
      ...minimal(),
      spec: {
        type: 't',
        inputs: {
          a: { type: 'particle', title: 'A', count_max: 4 },
          b: {
            type: 'cryo_et_tomogram',
            title: 'B',
            count_max: null,
            connections: [
              {
                job_uid: 'J2',
                output: 'o',
                results: [{ dtype: 'blob', job_uid: 'J2', output: 'o', result: 'blob', version: 3 }, { dtype: 'ctf', job_uid: 'J2', output: 'o', result: 'ctf' }],
              },
            ],
          },
        },
      },
    });
    expect(job.spec.inputs.a?.count_max).toBe(4);
    expect(job.spec.inputs.b?.count_max).toBe('inf');
    expect(job.spec.inputs.b?.type).toBe('cryo_et_tomogram');
    expect(job.spec.inputs.b?.connections[0]?.results.map((r) => [r.name, r.version])).toEqual([
      [null, 3],
      [null, 'F'],
    ]);
  });
});

describe('cluster scheduler targets', () => {
  it('parses a cluster target and fills the command template defaults', () => {
    const job = jobSchema.parse({
      ...minimal(),
      resources_allocated: {
        lane: 'slurm',
        lane_type: 'cluster',
        hostname: 'slurm',
        target: {
          lane: 'slurm',
          name: 'slurm',
          title: 'SLURM cluster',
          hostname: 'slurm',
          worker_bin_path: '/opt/cryosparc_worker/bin/cryosparcw',
          config: {
            type: 'cluster',
            qsub_cmd_tpl: 'sbatch {{ script_path_abs }}',
            script_tpl: '#!/bin/bash\n#SBATCH --partition={{ partition }}\n',
            custom_vars: { partition: 'gpu' },
            tpl_vars: ['script_path_abs', 'partition'],
            custom_var_names: ['partition'],
          },
        },
      },
    });
    const config = job.resources_allocated?.target?.config;
    if (config?.type !== 'cluster') throw new Error('expected a cluster config');
    expect(config.qsub_cmd_tpl).toBe('sbatch {{ script_path_abs }}');
    expect(config.send_cmd_tpl).toBe('{{ command }}');
    expect(config.qdel_cmd_tpl).toBe('qdel {{ cluster_job_id }}');
    expect(config.custom_var_names).toEqual(['partition']);
    expect(job.resources_allocated?.slots).toEqual({ CPU: [], GPU: [], RAM: [] });
    expect(job.resources_allocated?.fixed).toEqual({ SSD: false });
    expect(job.resources_allocated?.target?.arch).toBe('x86_64');
  });
});
