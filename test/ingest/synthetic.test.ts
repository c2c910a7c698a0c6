import { describe, expect, it } from 'vitest';
import { demoDataset } from '../../src/sources/synthetic/demo.js';
import {
  generateDataset,
  generateProject,
  type RawJobDocument,
  type SyntheticProject,
} from '../../src/sources/synthetic/generate.js';
import { categoryOfJobType } from '../../src/model/job-category.js';
import { JOB_STATUSES } from '../../src/model/job-status.js';
import { formatZodIssues, safeParseJobDocument } from '../../src/model/job.js';
import { parseProjectDocument, parseWorkspaceDocument } from '../../src/model/project.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const project500 = generateProject({ projectUid: 'P3', jobs: 500, seed: 42, now: NOW });

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** Parent uids from the connections, unique, in first-seen order. */
function connectionParents(job: RawJobDocument): string[] {
  const seen: string[] = [];
  for (const input of Object.values(job.spec.inputs)) {
    for (const connection of input.connections) if (!seen.includes(connection.job_uid)) seen.push(connection.job_uid);
  }
  return seen;
}

function ancestorsOf(jobs: readonly RawJobDocument[]): (uid: string) => Set<string> {
  const byUid = new Map(jobs.map((j) => [j.uid, j]));
  const memo = new Map<string, Set<string>>();
  const ancestors = (uid: string): Set<string> => {
    const known = memo.get(uid);
    if (known) return known;
    const set = new Set<string>();
    for (const parent of byUid.get(uid)?.parents ?? []) {
      set.add(parent);
      for (const a of ancestors(parent)) set.add(a);
    }
    memo.set(uid, set);
    return set;
  };
  return ancestors;
}

/** Jobs with two parents whose lineages meet again (one descends from the other, or they share an ancestor). */
function diamondJobs(jobs: readonly RawJobDocument[]): RawJobDocument[] {
  const ancestors = ancestorsOf(jobs);
  return jobs.filter((job) => {
    const lineages = job.parents.map((p) => new Set([p, ...ancestors(p)]));
    return lineages.some((a, i) => lineages.slice(i + 1).some((b) => [...a].some((uid) => b.has(uid))));
  });
}

/** Every problem with a job's lifecycle timestamps; empty when consistent with its status. */
function timestampProblems(job: RawJobDocument): string[] {
  const problems: string[] = [];
  const created = ms(job.created_at) as number;
  const t = {
    queued: ms(job.queued_at),
    tokensRequested: ms(job.tokens_requested_at as string | null),
    tokensAcquired: ms(job.tokens_acquired_at as string | null),
    lastScheduled: ms(job.last_scheduled_at as string | null),
    launched: ms(job.launched_at),
    started: ms(job.started_at),
    running: ms(job.running_at),
    waiting: ms(job.waiting_at),
    completed: ms(job.completed_at),
    killed: ms(job.killed_at),
    failed: ms(job.failed_at),
    heartbeat: ms(job.heartbeat_at),
    deleted: ms(job.deleted_at),
  };
  const set = (name: keyof typeof t, expected: boolean) => {
    if ((t[name] !== null) !== expected) problems.push(`${name}_at should ${expected ? '' : 'not '}be set`);
  };
  const order = (names: (keyof typeof t)[]) => {
    let last = created;
    for (const name of names) {
      const value = t[name];
      if (value === null) continue;
      if (value < last) problems.push(`${name}_at is before the previous lifecycle step`);
      last = value;
    }
  };
  const reached = (step: number) => JOB_STATUSES.indexOf(job.status) >= step;
  switch (job.status) {
    case 'building':
      for (const name of ['queued', 'launched', 'started', 'running', 'completed', 'killed', 'failed'] as const) set(name, false);
      break;
    case 'queued':
    case 'launched':
    case 'started':
    case 'running':
    case 'waiting':
      set('queued', true);
      set('launched', reached(2));
      set('started', reached(3));
      set('running', reached(4));
      set('waiting', job.status === 'waiting');
      for (const name of ['completed', 'killed', 'failed'] as const) set(name, false);
      break;
    case 'completed':
      for (const name of ['queued', 'launched', 'started', 'running', 'completed'] as const) set(name, true);
      set('killed', false);
      set('failed', false);
      break;
    case 'failed':
      for (const name of ['queued', 'launched', 'started', 'running', 'failed'] as const) set(name, true);
      set('completed', false);
      set('killed', false);
      break;
    case 'killed':
      set('queued', true);
      set('killed', true);
      set('completed', false);
      set('failed', false);
      break;
  }
  const scheduling = ['queued', 'tokensRequested', 'tokensAcquired', 'lastScheduled', 'launched', 'started', 'running'] as const;
  order([...scheduling, 'waiting', 'completed']);
  order([...scheduling, 'failed']);
  order([...scheduling, 'killed']);
  if (job.status !== 'building' && t.lastScheduled === null && job.status !== 'killed') problems.push('last_scheduled_at should be set');
  if (t.heartbeat !== null && t.running !== null && t.heartbeat < t.running) problems.push('heartbeat_at is before running_at');
  const latest = Math.max(created, ...Object.values(t).filter((v): v is number => v !== null));
  if (ms(job.updated_at) !== latest) problems.push('updated_at is not the latest timestamp');
  if (job.deleted !== (t.deleted !== null)) problems.push('deleted and deleted_at disagree');
  return problems;
}

describe('generateProject', () => {
  it('returns deep-equal output for the same options and different jobs for another seed', () => {
    const again = generateProject({ projectUid: 'P3', jobs: 500, seed: 42, now: NOW });
    expect(again).toEqual(project500);
    const other = generateProject({ projectUid: 'P3', jobs: 500, seed: 43, now: NOW });
    expect(other.jobs.map((j) => j.spec.type)).not.toEqual(project500.jobs.map((j) => j.spec.type));
  });

  it('produces exactly N jobs numbered J1..JN in creation order', () => {
    for (const n of [0, 1, 2, 7, 8, 9, 61, 500]) {
      const { jobs } = n === 500 ? project500 : generateProject({ projectUid: 'P1', jobs: n, seed: n });
      expect(jobs).toHaveLength(n);
      jobs.forEach((job, i) => {
        expect(job.uid).toBe(`J${i + 1}`);
        expect(job.uid_num).toBe(i + 1);
        expect(job.job_dir).toBe(job.uid);
        if (i > 0) expect(Date.parse(job.created_at)).toBeGreaterThan(Date.parse(jobs[i - 1]!.created_at));
      });
    }
  });

  it('rejects malformed options', () => {
    expect(() => generateProject({ projectUid: 'X1', jobs: 3 })).toThrow(RangeError);
    expect(() => generateProject({ projectUid: 'P1', jobs: -1 })).toThrow(RangeError);
    expect(() => generateProject({ projectUid: 'P1', jobs: 2.5 })).toThrow(RangeError);
    expect(() => generateProject({ projectUid: 'P1', jobs: 3, workspaces: 0 })).toThrow(RangeError);
  });

  it('builds an acyclic DAG where every parent has a smaller uid number than its child', () => {
    for (const job of project500.jobs) {
      for (const parent of job.parents) expect(Number(parent.slice(1))).toBeLessThan(job.uid_num);
    }
  });

  it('sets parents to the unique connection job uids, and children to exactly the inverse', () => {
    const children = new Map<string, string[]>();
    for (const job of project500.jobs) {
      expect(job.parents).toEqual(connectionParents(job));
      for (const parent of job.parents) children.set(parent, [...(children.get(parent) ?? []), job.uid]);
    }
    for (const job of project500.jobs) expect(job.children).toEqual(children.get(job.uid) ?? []);
    expect(project500.jobs.filter((j) => j.parents.length === 0).every((j) => j.spec.type === 'import_movies')).toBe(true);
  });

  it('binds each connection to results of the named parent output', () => {
    const byUid = new Map(project500.jobs.map((j) => [j.uid, j]));
    const problems: string[] = [];
    for (const job of project500.jobs) {
      for (const [name, input] of Object.entries(job.spec.inputs)) {
        for (const connection of input.connections) {
          const where = `${job.uid}.${name} <- ${connection.job_uid}.${connection.output}`;
          const output = byUid.get(connection.job_uid)?.spec.outputs[connection.output];
          if (!output) problems.push(`${where}: no such output`);
          else if (output.type !== input.type) problems.push(`${where}: ${output.type} into ${input.type}`);
          if (connection.results.length === 0) problems.push(`${where}: no results`);
          for (const result of connection.results) {
            if (result.job_uid !== connection.job_uid || result.output !== connection.output || result.version !== 'F') {
              problems.push(`${where}: result ${result.result} points elsewhere`);
            }
            if (!output?.slots.some((slot) => slot.name === result.result)) problems.push(`${where}: unknown result ${result.result}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('uses CryoSPARC data types and metafiles inside the job directory', () => {
    const dataTypes = new Set(['exposure', 'particle', 'template', 'volume', 'mask']);
    const problems: string[] = [];
    for (const job of project500.jobs) {
      if (categoryOfJobType(job.spec.type) === null) problems.push(`${job.uid}: unknown type ${job.spec.type}`);
      for (const input of Object.values(job.spec.inputs)) if (!dataTypes.has(input.type)) problems.push(`${job.uid}: input type ${input.type}`);
      for (const [name, output] of Object.entries(job.spec.outputs)) {
        const where = `${job.uid}.${name}`;
        if (!dataTypes.has(output.type)) problems.push(`${where}: output type ${output.type}`);
        for (const result of output.results) {
          const versions = result.versions.length;
          if (result.metafiles.length !== versions || result.num_items.length !== versions) problems.push(`${where}.${result.name}: lists differ in length`);
          if (versions !== (job.status === 'completed' ? 1 : 0)) problems.push(`${where}.${result.name}: ${versions} versions for a ${job.status} job`);
          for (const file of result.metafiles) if (!file.startsWith(`${job.uid}/`)) problems.push(`${where}: metafile ${file}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has branches, diamonds and multi-parent jobs of the kinds a CryoSPARC pipeline has', () => {
    const { jobs } = project500;
    const typeOf = new Map(jobs.map((j) => [j.uid, j.spec.type]));
    expect(jobs.some((j) => j.spec.type === 'patch_ctf_estimation_multi' && j.children.filter((c) => typeOf.get(c)?.includes('picker')).length >= 2)).toBe(true);
    expect(jobs.some((j) => j.spec.type === 'template_picker_gpu' && j.parents.some((p) => typeOf.get(p) === 'select_2D') && j.parents.length === 2)).toBe(true);
    expect(jobs.some((j) => j.spec.type === 'hetero_refine' && (j.spec.inputs.volume?.connections.length ?? 0) >= 2 && j.parents.length >= 2)).toBe(true);
    expect(jobs.some((j) => j.spec.type === 'particle_sets' && j.parents.length === 2)).toBe(true);
    expect(jobs.some((j) => j.spec.type === 'homo_abinit' && j.children.length >= 2)).toBe(true);
    expect(diamondJobs(jobs).length).toBeGreaterThan(5);
  });

  it('makes clones that rerun the original with the same type and parents', () => {
    const byUid = new Map(project500.jobs.map((j) => [j.uid, j]));
    const clones = project500.jobs.filter((j) => j.cloned_from !== null);
    expect(clones.length).toBeGreaterThan(5);
    for (const clone of clones) {
      const original = byUid.get(clone.cloned_from as string);
      expect(original && original.uid_num < clone.uid_num).toBe(true);
      expect(clone.spec.type).toBe(original?.spec.type);
      expect(clone.parents).toEqual(original?.parents);
    }
    expect(clones.some((c) => byUid.get(c.cloned_from as string)?.status === 'failed')).toBe(true);
  });

  it('has completed, failed and killed jobs, and the unfinished ones only at the end', () => {
    const { jobs } = project500;
    const statuses = new Set(jobs.map((j) => j.status));
    for (const status of ['completed', 'failed', 'killed', 'running', 'queued', 'building'] as const) expect(statuses).toContain(status);
    const firstUnfinished = jobs.findIndex((j) => !['completed', 'failed', 'killed'].includes(j.status));
    expect(firstUnfinished).toBeGreaterThan(jobs.length - 10);
    expect(jobs.slice(firstUnfinished).every((j) => !['completed', 'failed', 'killed'].includes(j.status))).toBe(true);
    expect(jobs.filter((j) => j.status === 'completed').length / jobs.length).toBeGreaterThan(0.75);
    expect(generateProject({ projectUid: 'P1', jobs: 1, seed: 1 }).jobs[0]?.status).toBe('running');
  });

  it('keeps timestamps consistent with each status and never later than now', () => {
    const projects = [project500, ...generateDataset({ projects: 4, jobs: 600, seed: 9, now: NOW })];
    for (const { jobs } of projects) {
      for (const job of jobs) {
        expect(timestampProblems(job), `${job.uid} (${job.status})`).toEqual([]);
        expect(Date.parse(job.updated_at)).toBeLessThanOrEqual(NOW.getTime());
      }
    }
  });

  it('fills status-specific fields: errors for failed and killed jobs, processes for running ones', () => {
    for (const job of project500.jobs) {
      expect(job.status_num).toBe(JOB_STATUSES.indexOf(job.status));
      expect(job.has_error).toBe(job.status === 'failed');
      if (job.status === 'failed' || job.status === 'killed') expect(job.errors_run.length).toBeGreaterThan(0);
      else expect(job.errors_run).toEqual([]);
      expect(job.resources_allocated !== null).toBe(job.launched_at !== null);
      if (job.status === 'running') {
        expect(job.PID_main).toEqual(expect.any(Number));
        expect(job.heartbeat_at).not.toBeNull();
      } else {
        expect(job.PID_main).toBeNull();
      }
      if (job.status === 'queued') expect(job.queue_status).not.toBeNull();
    }
  });

  it('deletes about 1 % of the jobs, all of them finished leaves', () => {
    const deleted = project500.jobs.filter((j) => j.deleted);
    expect(deleted).toHaveLength(5);
    for (const job of deleted) {
      expect(job.children).toEqual([]);
      expect(['completed', 'failed', 'killed']).toContain(job.status);
      expect(job.is_ancestor_of_final_result).toBe(false);
    }
  });

  it('assigns each job one or two of the project workspaces and unique object ids', () => {
    const uids = project500.workspaces.map((w) => w.uid);
    expect(uids).toEqual(['W1', 'W2', 'W3']);
    for (const job of project500.jobs) {
      expect(job.workspace_uids.length).toBeGreaterThanOrEqual(1);
      expect(job.workspace_uids.length).toBeLessThanOrEqual(2);
      expect(new Set(job.workspace_uids).size).toBe(job.workspace_uids.length);
      for (const w of job.workspace_uids) expect(uids).toContain(w);
    }
    const ids = [project500.project._id, ...project500.workspaces.map((w) => w._id), ...project500.jobs.map((j) => j._id)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('summarises the jobs in the project and workspace stats', () => {
    const { project, workspaces, jobs } = project500;
    const stats = project.project_stats as { job_count: number; job_status: Record<string, number>; job_types: Record<string, number> };
    expect(stats.job_count).toBe(jobs.length);
    expect(stats.job_status.completed).toBe(jobs.filter((j) => j.status === 'completed').length);
    expect(stats.job_types.import_movies).toBe(jobs.filter((j) => j.spec.type === 'import_movies').length);
    for (const workspace of workspaces) {
      const count = (workspace.workspace_stats as { job_count: number }).job_count;
      expect(count).toBe(jobs.filter((j) => j.workspace_uids.includes(workspace.uid)).length);
    }
    expect(project.project_dir).toMatch(/^\/data\/cryosparc\/CS-[a-z0-9-]+$/);
  });

  it('writes documents that the model schemas accept without losing fields', () => {
    const projects: SyntheticProject[] = [project500, ...generateDataset({ projects: 3, jobs: 300, seed: 5 })];
    const problems: string[] = [];
    for (const { project, workspaces, jobs } of projects) {
      expect(parseProjectDocument(project).uid).toBe(project.uid);
      for (const workspace of workspaces) expect(parseWorkspaceDocument(workspace).uid).toBe(workspace.uid);
      for (const job of jobs) {
        const parsed = safeParseJobDocument(job);
        if (!parsed.success) {
          problems.push(...formatZodIssues(parsed.error).map((issue) => `${project.uid}/${job.uid} ${issue}`));
          continue;
        }
        const { uid, status, parents, children, created_at, status_num, spec } = parsed.data;
        expect({ uid, status, parents, children, created_at, status_num, type: spec.type }).toEqual({
          uid: job.uid,
          status: job.status,
          parents: job.parents,
          children: job.children,
          created_at: job.created_at,
          status_num: job.status_num,
          type: job.spec.type,
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('takes about linear time in the number of jobs', () => {
    const perJobMs = (jobs: number) => {
      const started = performance.now();
      generateProject({ projectUid: 'P9', jobs, seed: 3 });
      return (performance.now() - started) / jobs;
    };
    perJobMs(500); // warm-up
    const small = Math.min(perJobMs(2_000), perJobMs(2_000));
    const large = perJobMs(16_000);
    // Quadratic work would make a job of the 8x larger project about 8x dearer.
    expect(large).toBeLessThan(small * 4);
  });
});

describe('generateDataset', () => {
  it('spreads the job total evenly over projects P1..Pn, one project at a time', () => {
    const iterator = generateDataset({ projects: 7, jobs: 100, seed: 2 });
    const first = iterator.next();
    expect(first.done).toBe(false);
    const rest = [...iterator];
    const projects = [first.value as SyntheticProject, ...rest];
    expect(projects.map((p) => p.project.uid)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']);
    expect(projects.map((p) => p.jobs.length)).toEqual([15, 15, 14, 14, 14, 14, 14]);
    for (const p of projects) for (const job of p.jobs) expect(job.project_uid).toBe(p.project.uid);
  });

  it('is deterministic per seed', () => {
    const a = [...generateDataset({ projects: 2, jobs: 80, seed: 4 })];
    const b = [...generateDataset({ projects: 2, jobs: 80, seed: 4 })];
    const c = [...generateDataset({ projects: 2, jobs: 80, seed: 5 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('demoDataset', () => {
  const demo = demoDataset();

  it('is stable and has the promised projects', () => {
    expect(demoDataset()).toEqual(demo);
    expect(demo.map((p) => [p.project.uid, p.project.title, p.jobs.length, p.workspaces.length])).toEqual([
      ['P1', 'Apoferritin demo', 60, 3],
      ['P2', 'TRPV1 nanodisc', 40, 2],
    ]);
  });

  it('shows running, queued, failed, killed, cloned and deleted jobs and a diamond in P1', () => {
    const p1 = demo[0]!.jobs;
    const statuses = new Set(p1.map((j) => j.status));
    for (const status of ['completed', 'running', 'queued', 'failed', 'killed'] as const) expect(statuses).toContain(status);
    expect(p1.some((j) => j.cloned_from !== null)).toBe(true);
    expect(p1.some((j) => j.deleted)).toBe(true);
    expect(diamondJobs(p1).length).toBeGreaterThan(0);
  });

  it('moves the timeline with now but keeps the jobs', () => {
    const later = demoDataset({ now: new Date('2027-01-01T00:00:00.000Z') });
    expect(later[0]!.jobs.map((j) => [j.uid, j.spec.type, j.status, j.parents])).toEqual(demo[0]!.jobs.map((j) => [j.uid, j.spec.type, j.status, j.parents]));
    expect(Date.parse(later[0]!.jobs[0]!.created_at)).toBeGreaterThan(Date.parse(demo[0]!.jobs[0]!.created_at));
  });
});
