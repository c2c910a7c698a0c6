/**
 * Pass 1 of the synthetic generator: the plan of every job of a project
 * (type, connections, status and times), with reruns, dead ends, a final
 * result and the unfinished jobs at the end of the timeline.
 */
import { draftClone, draftImport, draftSuccessor, recent, registerSources } from './drafts.js';
import { type InputDef, NEXT } from './job-types.js';
import { assignHost, emptyTimes, readyAt, simulateLifecycle, thinkGap, workspacesFor } from './lifecycle.js';
import { type Draft, type Lineage, MINUTE, type Plan, type ProjectContext, type Ref, TIME_FIELD_COUNT } from './plan-model.js';
import type { Rng } from './random.js';
import { DESCRIPTIONS, TITLE_NOTES } from './samples.js';
import type { SyntheticJobStatus } from './types.js';

/** Pass 1: the type, connections, status and times (ms from a zero origin) of `n` jobs. */
export function planJobs(ctx: ProjectContext, n: number): Plan[] {
  const { rng } = ctx;
  const plans: Plan[] = [];
  // Jobs later jobs may connect to, and those with successors (branch points).
  const usable: Plan[] = [];
  const branchable: Plan[] = [];
  const tail = n < 8 ? Math.min(n, 1) : Math.min(8, 3 + Math.floor(n / 200));
  const tailStart = n - tail;
  const timeTable = new Float64Array(n * TIME_FIELD_COUNT);
  let cursor: Plan | null = null;
  let clock = 0;
  let maxTime = 0;

  for (let index = 0; index < n; index++) {
    const uidNum = index + 1;
    const inTail = index >= tailStart;
    const last = plans[index - 1];
    let draft: Draft | null = null;
    let anchor: Plan | null = null;
    let clonedFrom: Plan | null = null;

    if (last && (last.status === 'failed' || last.status === 'killed') && rng.chance(0.6)) {
      clonedFrom = last;
    } else if (usable.length > 10 && rng.chance(0.03)) {
      const candidates = recent(usable, 30).filter((p) => p.def.type !== 'import_movies' && p.status === 'completed');
      if (candidates.length > 0) clonedFrom = rng.pick(candidates);
    }
    if (clonedFrom) {
      draft = draftClone(ctx, clonedFrom);
      anchor = clonedFrom.anchor;
    } else if (cursor && !rng.chance(0.012)) {
      const r = rng.next();
      let candidate: Plan = cursor;
      if (r >= 0.7 && r < 0.85 && cursor.anchor && isUsable(cursor.anchor)) candidate = cursor.anchor;
      else if (r >= 0.85 && branchable.length > 0) candidate = rng.pick(branchable);
      for (let attempt = 0; attempt < 12 && !draft; attempt++) {
        draft = draftFrom(ctx, candidate);
        if (draft) anchor = candidate;
        else if (branchable.length > 0) candidate = rng.pick(branchable);
        else break;
      }
    }
    if (!draft) {
      draft = draftImport(ctx);
      anchor = null;
    }

    const parents = uniqueParents(draft.inputs);
    let created = clock + thinkGap(rng);
    for (const parent of parents) created = Math.max(created, readyAt(parent) + rng.range(30_000, 10 * MINUTE));
    // The unfinished jobs at the end are the newest activity of the project.
    if (inTail) created = Math.max(created, maxTime + rng.range(10_000, 5 * MINUTE));
    clock = created;

    const plan: Plan = {
      uidNum,
      uid: `J${uidNum}`,
      def: draft.def,
      outputs: draft.outputs,
      params: draft.params,
      inputs: draft.inputs,
      items: draft.items,
      // Set right below: the lineage refers to this plan's own outputs.
      lin: undefined as unknown as Lineage,
      anchor,
      clonedFrom,
      status: 'completed',
      queueStatus: null,
      times: emptyTimes(timeTable, index, created),
      parents,
      children: [],
      workspaces: [],
      user: rng.chance(0.7) ? 0 : rng.int(1, 2),
      title: clonedFrom ? clonedFrom.title : draft.def.title,
      description: clonedFrom ? clonedFrom.description : '',
      deleted: false,
      finalResult: false,
      ancestorOfFinal: false,
      host: null,
      gpuCount: 0,
    };
    plan.lin = draft.lineage(plan);
    plan.workspaces = clonedFrom ? [...clonedFrom.workspaces] : workspacesFor(ctx, plan.def, plan.lin.ds);
    if (!clonedFrom && rng.chance(0.2)) plan.title = `${plan.def.title} (${rng.pick(TITLE_NOTES)})`;
    if (!clonedFrom && rng.chance(0.08)) plan.description = rng.pick(DESCRIPTIONS);

    let killedWhileQueued = false;
    if (inTail) {
      plan.status = tailStatus(rng, index - tailStart, tail, plan);
      if (plan.status === 'queued') {
        plan.queueStatus = parents.some((p) => p.status !== 'completed')
          ? 'waiting_inputs'
          : rng.pick(['actively_queued', 'waiting_resources', 'waiting_licenses']);
      }
    } else {
      const failRate = clonedFrom && clonedFrom.status !== 'completed' ? 0.04 : plan.def.type === 'import_movies' ? 0.03 : 0.08;
      const r = rng.next();
      plan.status = r < failRate ? 'failed' : r < failRate * 1.5 ? 'killed' : 'completed';
      killedWhileQueued = plan.status === 'killed' && rng.chance(0.25);
    }
    simulateLifecycle(rng, plan, killedWhileQueued);
    assignHost(ctx, plan);
    maxTime = Math.max(maxTime, plan.times.updated);

    plans.push(plan);
    if (isUsable(plan)) {
      usable.push(plan);
      cursor = plan;
      if (plan.status === 'completed') {
        registerSources(plan);
        if ((NEXT[plan.def.type] ?? []).length > 0) branchable.push(plan);
      }
    }
  }
  return plans;
}

/** Jobs whose outputs children may use: completed ones, and (at the end) unfinished ones. */
function isUsable(plan: Plan): boolean {
  return plan.status !== 'failed' && plan.status !== 'killed';
}

function draftFrom(ctx: ProjectContext, a: Plan): Draft | null {
  const options = [...(NEXT[a.def.type] ?? [])];
  while (options.length > 0) {
    const type = ctx.rng.weighted(options);
    const draft = draftSuccessor(ctx, type, a);
    if (draft) return draft;
    options.splice(
      options.findIndex(([t]) => t === type),
      1,
    );
  }
  return null;
}

function tailStatus(rng: Rng, position: number, tail: number, plan: Plan): SyntheticJobStatus {
  const parentsDone = plan.parents.every((p) => p.status === 'completed');
  if (position === tail - 1 && tail >= 3) return 'building';
  if (position < Math.ceil(tail / 2) && parentsDone) {
    if (position === 0) return 'running';
    if (plan.def.interactive && rng.chance(0.7)) return 'waiting';
    return rng.weighted([
      ['running', 8],
      ['launched', 1],
      ['started', 1],
    ]);
  }
  return 'queued';
}

function uniqueParents(inputs: readonly (readonly [InputDef, readonly Ref[]])[]): Plan[] {
  const parents: Plan[] = [];
  for (const [, refs] of inputs) {
    for (const r of refs) if (!parents.includes(r.plan)) parents.push(r.plan);
  }
  return parents;
}

/** Children lists, final result and its ancestors, deleted leaves. */
export function finishPlans(ctx: ProjectContext, plans: Plan[], endTime: number): void {
  const { rng } = ctx;
  for (const plan of plans) for (const parent of plan.parents) parent.children.push(plan);

  // The newest completed map of the project is marked as the final result.
  for (let i = plans.length - 1; i >= 0; i--) {
    const plan = plans[i] as Plan;
    if (plan.status === 'completed' && ['nonuniform_refine_new', 'sharpen', 'homo_refine_new'].includes(plan.def.type)) {
      plan.finalResult = true;
      const stack = [...plan.parents];
      while (stack.length > 0) {
        const p = stack.pop() as Plan;
        if (p.ancestorOfFinal) continue;
        p.ancestorOfFinal = true;
        stack.push(...p.parents);
      }
      break;
    }
  }

  // About 1 % of the jobs are deleted: finished leaves outside the final result's lineage.
  const leaves = plans.filter(
    (p) => p.children.length === 0 && !p.finalResult && !p.ancestorOfFinal && (p.status === 'completed' || p.status === 'failed' || p.status === 'killed'),
  );
  let toDelete = Math.min(leaves.length, Math.round(plans.length * 0.01));
  while (toDelete > 0) {
    const j = rng.int(0, leaves.length - 1);
    const [leaf] = leaves.splice(j, 1);
    if (leaf) {
      leaf.deleted = true;
      leaf.times.deleted = leaf.times.updated + rng.next() * (endTime - leaf.times.updated);
      leaf.times.updated = leaf.times.deleted;
    }
    toDelete--;
  }
}
