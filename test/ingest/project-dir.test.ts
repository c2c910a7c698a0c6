import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeProjectDirectory } from '../../src/sources/synthetic/write-project-dir.js';
import { generateProject, type RawJobDocument } from '../../src/sources/synthetic/generate.js';
import { parseJobDocument } from '../../src/model/job.js';
import { parseProjectDocument, parseWorkspaceDocument } from '../../src/model/project.js';

const generated = generateProject({ projectUid: 'P4', jobs: 200, seed: 17 });
const tempDirs: string[] = [];
let dir = '';

async function tempDir(): Promise<string> {
  const created = await mkdtemp(path.join(os.tmpdir(), 'jobgraph-project-dir-'));
  tempDirs.push(created);
  return created;
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** JSON round trip: what a reader of the file should get back for a v5 document. */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

beforeAll(async () => {
  dir = await tempDir();
  await writeProjectDirectory(dir, generated, { legacyV4Share: 0.3 });
});

afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('writeProjectDirectory', () => {
  it('writes project.json, workspaces.json and a directory per job with job.json and an empty job.log', async () => {
    expect(await readJson(path.join(dir, 'project.json'))).toEqual(asJson(generated.project));
    const workspaces = JSON.parse(await readFile(path.join(dir, 'workspaces.json'), 'utf8')) as unknown[];
    expect(workspaces).toEqual(asJson(generated.workspaces));
    expect(parseProjectDocument(await readJson(path.join(dir, 'project.json'))).uid).toBe('P4');
    for (const workspace of workspaces) expect(parseWorkspaceDocument(workspace).project_uid).toBe('P4');

    const entries = (await readdir(dir)).sort();
    const jobDirs = generated.jobs.map((j) => j.uid).sort();
    expect(entries).toEqual([...jobDirs, 'project.json', 'workspaces.json'].sort());
    for (const job of generated.jobs) {
      expect((await readdir(path.join(dir, job.uid))).sort()).toEqual(['job.json', 'job.log']);
      expect((await stat(path.join(dir, job.uid, 'job.log'))).size).toBe(0);
    }
    // Pretty-printed, as CryoSPARC writes them.
    expect(await readFile(path.join(dir, 'J1', 'job.json'), 'utf8')).toMatch(/^\{\n {2}"/);
  });

  it('writes about 30 % of the jobs in the v4 shape, spread over the project, and the rest unchanged', async () => {
    const legacy: string[] = [];
    for (const job of generated.jobs) {
      const doc = await readJson(path.join(dir, job.uid, 'job.json'));
      if ('job_type' in doc) {
        legacy.push(job.uid);
        expect(doc.spec).toBeUndefined();
        expect(doc.job_type).toBe(job.spec.type);
        expect(doc.created_at).toEqual({ $date: job.created_at });
        expect(doc.updated_at).toEqual({ $date: job.updated_at });
        expect(doc.completed_at).toEqual(job.completed_at === null ? null : { $date: job.completed_at });
        expect(Array.isArray(doc.input_slot_groups)).toBe(true);
        expect(Array.isArray(doc.output_result_groups)).toBe(true);
        expect(Array.isArray(doc.output_results)).toBe(true);
        expect(Object.keys(doc.params_spec as object).sort()).toEqual(Object.keys(job.spec.params).sort());
      } else {
        expect(doc).toEqual(asJson(job));
      }
    }
    expect(legacy).toHaveLength(60);
    const uidNums = legacy.map((uid) => Number(uid.slice(1)));
    expect(uidNums.filter((n) => n <= 100).length).toBeGreaterThan(20);
    expect(uidNums.filter((n) => n > 100).length).toBeGreaterThan(20);
  });

  it('writes job.json files that parse back to the generated uid, type, status and lineage', async () => {
    for (const job of generated.jobs) {
      const raw = await readJson(path.join(dir, job.uid, 'job.json'));
      const parsed = parseJobDocument(raw);
      expect({ uid: parsed.uid, type: parsed.spec.type, status: parsed.status, parents: parsed.parents, children: parsed.children }).toEqual({
        uid: job.uid,
        type: job.spec.type,
        status: job.status,
        parents: job.parents,
        children: job.children,
      });
      expect(parsed.created_at).toBe(job.created_at);
      expect(parsed.completed_at).toBe(job.completed_at);
      expect(parsed.spec.params).toEqual(asJson(job.spec.params));
      expect(connectionsOf(parsed.spec.inputs)).toEqual(connectionsOf(job.spec.inputs));
      expect(outputCounts(parsed.spec.outputs)).toEqual(outputCounts(job.spec.outputs));
      expect(parsed.resources_allocated?.hostname ?? null).toBe(
        (job.resources_allocated as { hostname: string } | null)?.hostname ?? null,
      );
    }
  });

  it('writes only v5 documents by default', async () => {
    const small = generateProject({ projectUid: 'P5', jobs: 12, seed: 1 });
    const target = path.join(await tempDir(), 'nested', 'CS-small');
    await writeProjectDirectory(target, small);
    for (const job of small.jobs) expect(await readJson(path.join(target, job.uid, 'job.json'))).toEqual(asJson(job));
  });

  it('rejects a share outside 0..1 and a concurrency below 1', async () => {
    const target = await tempDir();
    await expect(writeProjectDirectory(target, generated, { legacyV4Share: 1.5 })).rejects.toThrow(RangeError);
    await expect(writeProjectDirectory(target, generated, { concurrency: 0 })).rejects.toThrow(RangeError);
  });
});

type Inputs = Record<string, { connections: { job_uid: string; output: string; results: { name: string | null; result: string; dtype: string }[] }[] }>;
type Outputs = Record<string, { type: string; num_items: number; results: { name: string; passthrough: boolean; metafiles: string[] }[] }>;

function connectionsOf(inputs: Inputs | RawJobDocument['spec']['inputs']): unknown {
  return Object.fromEntries(
    Object.entries(inputs as Inputs).map(([name, input]) => [
      name,
      input.connections.map((c) => ({ job_uid: c.job_uid, output: c.output, results: c.results.map((r) => [r.name, r.result, r.dtype]) })),
    ]),
  );
}

function outputCounts(outputs: Outputs | RawJobDocument['spec']['outputs']): unknown {
  return Object.fromEntries(
    Object.entries(outputs as Outputs).map(([name, output]) => [
      name,
      { type: output.type, num_items: output.num_items, results: output.results.map((r) => [r.name, r.passthrough, r.metafiles]) },
    ]),
  );
}
