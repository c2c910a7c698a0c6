import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProjects } from '../../src/sources/synthetic/load-dataset.js';
import { type Job, JOB_FIELD_NAMES, parseJobDocument } from '../../src/model/job.js';
import { JobDetailDocument, NodeLookupDocument } from '../gql/graphql.js';
import { execute, expectData } from '../helpers/client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { type TestStore, createTestStore } from '../helpers/stores.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/model/job-v5-full.json', import.meta.url), 'utf8'));

/** snake_case document key → the API's field name. */
function apiName(key: string): string {
  const special: Record<string, string> = { _id: 'objectId', PID_main: 'pidMain', PID_monitor: 'pidMonitor', PID_workers: 'pidWorkers', parents: 'parentUids', children: 'childUids' };
  return special[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Deeply camel-cases keys of nested records, as the API exposes them. */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        // Fields outside the model are kept in `document`, not exposed as fields.
        .filter(([k]) => !k.startsWith('x_'))
        .map(([k, v]) => [k === 'CUDA_version' ? 'cudaVersion' : /^[A-Z]+$/.test(k) ? k.toLowerCase() : apiName(k), camelKeys(v)]),
    );
  }
  return value;
}

describe('every Job field through the API', () => {
  let ts: TestStore;
  let server: TestServer;
  let job: Job;

  beforeAll(async () => {
    ts = await createTestStore('sqlite');
    job = parseJobDocument(fixture);
    // The parent J40 and a child J43 exist so that parents and children resolve through the edge table.
    const parent = { uid: 'J40', project_uid: 'P3', job_dir: 'J40', job_dir_size_last_updated: '2026-01-01T00:00:00Z', spec: { type: 'extract_micrographs_multi' } };
    const child = {
      uid: 'J43',
      project_uid: 'P3',
      job_dir: 'J43',
      job_dir_size_last_updated: '2026-01-01T00:00:00Z',
      spec: { type: 'sharpen', inputs: { volume: { type: 'volume', title: 'Volume', connections: [{ job_uid: 'J42', output: 'volume' }] } } },
    };
    await loadProjects(ts.store, [{ project: { uid: 'P3', title: 'Fixture' }, workspaces: [], jobs: [parent, fixture, child] }]);
    server = await startTestServer(ts.store);
  });
  afterAll(async () => {
    await server?.stop();
    await ts?.dispose();
  });

  it('exposes each of the 96 reference fields with the stored value', async () => {
    const result = expectData(await execute(server.url, JobDetailDocument, { projectUid: 'P3', uid: 'J42' })).job as Record<string, unknown>;
    expect(JOB_FIELD_NAMES).toHaveLength(96);
    const enumFields = new Set(['status', 'queue_status', 'import_status', 'attach_status']);
    const jsonFields = new Set(['bench', 'bench_timings', 'progress', 'cluster_job_custom_vars']);
    const checked: string[] = [];
    for (const key of JOB_FIELD_NAMES) {
      const value = (job as Record<string, unknown>)[key];
      const name = apiName(key);
      expect(result, `field ${name} for ${key}`).toHaveProperty(name);
      const got = result[name];
      if (key === 'spec' || key === 'children') continue;
      if (key === 'parents') expect(got).toEqual(job.parents);
      else if (enumFields.has(key)) expect(got, key).toBe(value == null ? null : String(value).toUpperCase());
      else if (key === 'queued_job_hash') expect(got).toBe(String(value));
      else if (jsonFields.has(key)) expect(got, key).toEqual(value);
      else if (key === 'resources_allocated' || key === 'instance_information' || key === 'errors_run' || key === 'ui_tile_images' || key === 'workflow' || key === 'last_accessed') {
        expect(got, key).toMatchObject(asExposed(camelKeys(value)));
      } else if (key === 'build_errors') {
        expect(got).toEqual(job.build_errors.map((e) => ({ type: e.type, loc: e.loc.map(String), input: e.input ?? null, ctx: e.ctx, inputType: e.input_type })));
      } else expect(got, key).toEqual(value);
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(93);
    expect(result.childUids).toEqual(['J43']);
    expect(result.type).toBe(job.spec.type);
    expect(result.document).toMatchObject({ uid: 'J42', project_uid: 'P3', instance_information: { x_probe_note: 'kept nested' } });
  });

  it('exposes the spec: params, inputs with their connections, outputs with their results', async () => {
    const result = expectData(await execute(server.url, JobDetailDocument, { projectUid: 'P3', uid: 'J42' })).job!;
    expect(result.spec.type).toBe(job.spec.type);
    expect(result.spec.params).toEqual(job.spec.params);
    expect(result.spec.resourceSpec).toEqual(job.spec.resource_spec);
    expect(result.spec.inputs.map((i) => i.name)).toEqual(Object.keys(job.spec.inputs));
    for (const input of result.spec.inputs) {
      const source = job.spec.inputs[input.name]!;
      expect(input.connections.map((c) => [c.jobUid, c.output])).toEqual(source.connections.map((c) => [c.job_uid, c.output]));
      expect(input.connections.flatMap((c) => c.results.map((r) => [r.jobUid, r.result, r.version]))).toEqual(
        source.connections.flatMap((c) => c.results.map((r) => [r.job_uid, r.result, String(r.version)])),
      );
      expect(input.countMax).toBe(source.count_max === 'inf' ? null : source.count_max);
    }
    expect(result.spec.outputs.map((o) => o.name)).toEqual(Object.keys(job.spec.outputs));
    for (const output of result.spec.outputs) {
      const source = job.spec.outputs[output.name]!;
      expect(output.results.map((r) => [r.name, r.metafiles, r.numItems])).toEqual(source.results.map((r) => [r.name, r.metafiles, r.num_items]));
      expect(output.summary).toEqual(source.summary);
    }
  });

  it('refetches a job, its project and a workspace by global id through node and nodes', async () => {
    const detail = expectData(await execute(server.url, JobDetailDocument, { projectUid: 'P3', uid: 'J42' })).job!;
    const lookup = expectData(await execute(server.url, NodeLookupDocument, { id: detail.id, ids: [detail.id, 'UHJvamVjdDpQMw==', 'Sm9iOlAzL0o5OTk='] }));
    expect(lookup.node).toMatchObject({ __typename: 'Job', id: detail.id, projectUid: 'P3', uid: 'J42' });
    expect(lookup.nodes.map((n) => n && n.__typename)).toEqual(['Job', 'Project', null]);
  });
});

/** The target config's `type` discriminator is exposed as the union member's `__typename`. */
function asExposed(expected: unknown): Record<string, unknown> {
  const config = (expected as { target?: { config?: Record<string, unknown> } } | null)?.target?.config;
  if (config) {
    config.__typename = config.type === 'cluster' ? 'ClusterTargetConfig' : 'NodeTargetConfig';
    delete config.type;
  }
  return expected as Record<string, unknown>;
}
