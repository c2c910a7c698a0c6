/**
 * Deterministic synthetic CryoSPARC projects: raw v5 documents (snake_case,
 * ISO dates) shaped like what a CryoSPARC instance holds, for demos, imports,
 * tests and benchmarks. The same options always give the same output.
 *
 * The job DAG follows a single-particle pipeline (import -> motion -> CTF ->
 * curate -> pick -> extract -> 2D -> select -> ab-initio -> refinements ->
 * post-processing) with sibling branches, multi-parent jobs (diamonds), reruns
 * (clones), failed and killed jobs, and a handful of queued/running/waiting/
 * building jobs at the end. Job uids follow creation order and every parent
 * has a smaller uid than its child.
 *
 * Generation runs in two passes: a plan of every job (type, connections,
 * status, times in ms from a zero origin), then documents built from the plan
 * once the end of the timeline, and so the ISO dates, are known.
 */

import { buildJob, type DocContext, isoRequired, objectId, range, schedulerTarget } from './documents.js';
import { typeDef } from './job-types.js';
import { HOUR, MINUTE, type ProjectContext } from './plan-model.js';
import { finishPlans, planJobs } from './plan.js';
import { hash32, Rng } from './random.js';
import { CPU_MODELS, GPU_MODELS, type Host, SAMPLE_KEYS, SAMPLES, USER_NAMES, WORKSPACE_TITLES } from './samples.js';
import {
  DEFAULT_SYNTHETIC_NOW,
  type GenerateDatasetOptions,
  type GenerateProjectOptions,
  type RawJobDocument,
  type RawProjectDocument,
  type RawWorkspaceDocument,
  SYNTHETIC_CRYOSPARC_VERSION,
  type SyntheticProject,
} from './types.js';

export { DEFAULT_SYNTHETIC_NOW, SYNTHETIC_CRYOSPARC_VERSION } from './types.js';
export type {
  GenerateDatasetOptions,
  GenerateProjectOptions,
  RawConnection,
  RawInput,
  RawInputResult,
  RawJobDocument,
  RawJobSpec,
  RawOutput,
  RawOutputResult,
  RawProjectDocument,
  RawWorkspaceDocument,
  SyntheticJobStatus,
  SyntheticProject,
  SyntheticSample,
} from './types.js';

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

function slugify(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-') || 'project'
  );
}

function parseProjectNumber(projectUid: string): number {
  const match = /^P(\d+)$/.exec(projectUid);
  if (!match) throw new RangeError(`projectUid must look like P3, got ${JSON.stringify(projectUid)}`);
  return Number(match[1]);
}

function makeHosts(rng: Rng): { hosts: Host[]; master: Host } {
  const gpu = rng.pick(GPU_MODELS);
  const cpuModel = rng.pick(CPU_MODELS);
  const count = rng.int(2, 4);
  const hosts = range(1, count).map((i): Host => {
    const hostname = `gpu-node${String(i).padStart(2, '0')}`;
    const gpuCount = rng.pick([4, 4, 8]);
    return { target: schedulerTarget(hostname, gpu, gpuCount, 64, 64), allocations: new Map(), hostname, gpu, gpuCount, cores: 64, ramSlots: 64, cpuModel, memoryGb: 503.7 };
  });
  const master: Host = {
    target: schedulerTarget('cryosparc-master', gpu, 0, 32, 16),
    allocations: new Map(),
    hostname: 'cryosparc-master',
    gpu,
    gpuCount: 0,
    cores: 32,
    ramSlots: 16,
    cpuModel,
    memoryGb: 251.5,
  };
  return { hosts, master };
}

/**
 * Generates one project with exactly `jobs` jobs. Deterministic: the same
 * options give deep-equal output.
 * @throws RangeError on a malformed `projectUid`, a negative or fractional job count, or fewer than 1 workspace.
 */
export function generateProject(options: GenerateProjectOptions): SyntheticProject {
  const { projectUid, jobs, workspaces: workspaceCount = 3, now = DEFAULT_SYNTHETIC_NOW } = options;
  const projectUidNum = parseProjectNumber(projectUid);
  if (!Number.isSafeInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  if (!Number.isSafeInteger(workspaceCount) || workspaceCount < 1) {
    throw new RangeError(`workspaces must be a positive integer, got ${workspaceCount}`);
  }
  const seed = options.seed ?? hash32(projectUid);
  const rng = new Rng(seed);
  const sampleKey = options.sample ?? rng.pick(SAMPLE_KEYS);
  const sample = SAMPLES[sampleKey];
  const { hosts, master } = makeHosts(rng);
  const ctx: ProjectContext = { rng, sample, sampleKey, hosts, master, workspaceCount, datasets: [] };
  const users = range(0, 3).map(() => rng.hex(24));
  const idSalt = rng.hex(4);
  const title = options.title ?? `${sample.title} ${rng.pick(['screening', 'dataset', 'collection'])} ${rng.int(1, 12)}`;

  const plans = planJobs(ctx, jobs);
  let endTime = 0;
  for (const plan of plans) endTime = Math.max(endTime, plan.times.updated);
  finishPlans(ctx, plans, endTime);

  // Align the timeline: the latest event sits a little before `now`.
  const nowMs = now.getTime();
  const origin = nowMs - endTime - rng.range(MINUTE, 10 * MINUTE);
  const dc: DocContext = {
    ctx,
    projectUid,
    projectUidNum,
    origin,
    nowMs,
    idSalt,
    users,
    tags: range(1, 4).map((i) => `T${i}`),
  };
  const jobDocs = plans.map((plan) => buildJob(dc, plan));

  const projectCreated = origin - rng.range(5 * MINUTE, HOUR);
  const projectCreatedIso = new Date(projectCreated).toISOString();
  const lastUpdate = jobDocs.length > 0 ? isoRequired(dc, endTime) : projectCreatedIso;
  const membersByWorkspace = new Map<string, RawJobDocument[]>();
  for (const job of jobDocs) {
    for (const w of job.workspace_uids) {
      const list = membersByWorkspace.get(w);
      if (list) list.push(job);
      else membersByWorkspace.set(w, [job]);
    }
  }
  const workspaceDocs: RawWorkspaceDocument[] = range(1, workspaceCount).map((w) => {
    const uid = `W${w}`;
    const members = membersByWorkspace.get(uid) ?? [];
    const created = members[0] ? Date.parse(members[0].created_at) - rng.range(MINUTE, 10 * MINUTE) : projectCreated + w * MINUTE;
    const updated = members.reduce((max, j) => (j.updated_at > max ? j.updated_at : max), new Date(created).toISOString());
    return {
      _id: objectId(dc, 1, created, w),
      updated_at: updated,
      created_at: new Date(created).toISOString(),
      dumped_at: updated,
      last_dumped_version: SYNTHETIC_CRYOSPARC_VERSION,
      autodump: false,
      uid,
      uid_num: w,
      project_uid: projectUid,
      project_uid_num: projectUidNum,
      workspace_type: 'base',
      created_by_user_id: users[0] ?? null,
      title: WORKSPACE_TITLES[(w - 1) % WORKSPACE_TITLES.length] ?? uid,
      description: '',
      created_by_job_uid: null,
      tags: [],
      starred_by: [],
      deleted: false,
      deleting: false,
      last_accessed: null,
      workspace_stats: {
        updated_at: updated,
        job_count: members.length,
        job_sections: countBy(members, (j) => typeDef(j.spec.type).category),
        job_status: countBy(members, (j) => j.status),
        job_types: countBy(members, (j) => j.spec.type),
      },
      imported_at: null,
      groups: [],
    };
  });

  const size = jobDocs.reduce((sum, j) => sum + (j.job_dir_size as number), 0);
  const project: RawProjectDocument = {
    _id: objectId(dc, 2, projectCreated, 0),
    updated_at: lastUpdate,
    created_at: projectCreatedIso,
    dumped_at: lastUpdate,
    last_dumped_version: SYNTHETIC_CRYOSPARC_VERSION,
    autodump: false,
    uid: projectUid,
    uid_num: projectUidNum,
    project_dir: `/data/cryosparc/CS-${slugify(title)}`,
    owner_user_id: users[0] ?? '',
    title,
    description: `Synthetic CryoSPARC project: ${sample.title}, ${sample.symmetry} symmetry, ${sample.psizeA} Å/pixel.`,
    project_params_pdef: {},
    queue_paused: false,
    deleted: false,
    deleting: false,
    users_with_access: users,
    size,
    size_last_updated: lastUpdate,
    last_accessed: { name: USER_NAMES[0], accessed_at: new Date(nowMs - rng.range(MINUTE, HOUR)).toISOString() },
    archived: false,
    detached: false,
    generate_intermediate_results_settings: { class_2D_new: false, class_3D: false, var_3D_disp: false },
    last_exp_group_id_used: 1,
    develop_run_as_user: null,
    imported_at: null,
    import_status: null,
    project_stats: {
      workspace_count: workspaceCount,
      session_count: 0,
      job_count: jobDocs.length,
      job_types: countBy(jobDocs, (j) => j.spec.type),
      job_sections: countBy(jobDocs, (j) => typeDef(j.spec.type).category),
      job_status: countBy(jobDocs, (j) => j.status),
      updated_at: lastUpdate,
    },
    created_at_version: SYNTHETIC_CRYOSPARC_VERSION,
    last_archived_version: null,
    last_detached_version: null,
    is_cleanup_in_progress: false,
    tags: [],
    starred_by: [],
    autodump_failed: false,
    autodump_errors: [],
    workflows: { latest_workflow_uid: null, runs: {} },
  };

  return { project, workspaces: workspaceDocs, jobs: jobDocs };
}

/**
 * Generates projects P1..Pn one at a time, so only one project's documents are
 * in memory at once. Deterministic for a given seed.
 * @throws RangeError when `projects` is not a positive integer or `jobs` is negative.
 */
export function* generateDataset(options: GenerateDatasetOptions): Generator<SyntheticProject> {
  const { projects, jobs, seed = 1, now = DEFAULT_SYNTHETIC_NOW } = options;
  if (!Number.isSafeInteger(projects) || projects < 1) throw new RangeError(`projects must be a positive integer, got ${projects}`);
  if (!Number.isSafeInteger(jobs) || jobs < 0) throw new RangeError(`jobs must be a non-negative integer, got ${jobs}`);
  const rng = new Rng(hash32(`dataset:${seed}`));
  const base = Math.floor(jobs / projects);
  const remainder = jobs % projects;
  for (let p = 1; p <= projects; p++) {
    const projectSeed = hash32(`project:${seed}:${p}`);
    const workspaces = rng.int(2, 5);
    yield generateProject({
      projectUid: `P${p}`,
      jobs: base + (p <= remainder ? 1 : 0),
      seed: projectSeed,
      workspaces,
      now,
    });
  }
}
