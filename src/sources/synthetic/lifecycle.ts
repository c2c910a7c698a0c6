/**
 * The lifecycle simulation of the synthetic generator: the times a job is
 * created, queued, launched, run, finished, failed or killed, consistent
 * with its status, and the host and workspaces it runs in.
 */
import type { JobTypeDef } from './job-types.js';
import { ABSENT, type Dataset, DAY, HOUR, MINUTE, type Plan, type ProjectContext, TIME_FIELD_COUNT, Times } from './plan-model.js';
import type { Rng } from './random.js';

export function emptyTimes(table: Float64Array, index: number, created: number): Times {
  const base = index * TIME_FIELD_COUNT;
  table.fill(ABSENT, base, base + TIME_FIELD_COUNT);
  const times = new Times(table, base);
  times.created = created;
  times.updated = created;
  return times;
}

export function thinkGap(rng: Rng): number {
  const r = rng.next();
  if (r < 0.7) return rng.range(0.5, 15) * MINUTE;
  if (r < 0.9) return rng.range(15, 90) * MINUTE;
  if (r < 0.98) return rng.range(8, 16) * HOUR;
  return rng.range(1, 5) * DAY;
}

/** Fills lifecycle times consistent with `plan.status` (and sets `updated`). */
export function simulateLifecycle(rng: Rng, plan: Plan, killedWhileQueued: boolean): void {
  const t = plan.times;
  const status = plan.status;
  if (status === 'building') return;
  t.queued = t.created + (rng.chance(0.7) ? rng.range(5_000, 3 * MINUTE) : rng.range(3 * MINUTE, 2 * HOUR));
  t.updated = t.queued;
  if (status === 'queued') {
    t.lastScheduled = t.queued + rng.range(200, 5_000);
    t.updated = t.lastScheduled;
    return;
  }
  if (status === 'killed' && killedWhileQueued) {
    t.killed = t.queued + rng.range(MINUTE, 3 * HOUR);
    t.updated = t.killed;
    return;
  }
  const wait = rng.chance(0.8) ? rng.range(2_000, 60_000) : rng.range(5 * MINUTE, 6 * HOUR);
  t.tokensRequested = t.queued + wait;
  t.tokensAcquired = t.tokensRequested + rng.range(200, 1_500);
  t.lastScheduled = t.tokensAcquired + rng.range(10, 200);
  t.launched = t.lastScheduled + rng.range(100, 800);
  t.updated = t.launched;
  if (status === 'launched') return;
  t.started = t.launched + rng.range(2_000, 15_000);
  t.updated = t.started;
  if (status === 'started') return;
  t.running = t.started + rng.range(3_000, 30_000);
  t.heartbeat = t.running;
  t.updated = t.running;
  const [lo, hi] = plan.def.runtimeMin;
  const runtime = rng.range(lo, hi) * MINUTE;
  switch (status) {
    case 'running':
      return;
    case 'waiting':
      t.waiting = t.running + rng.range(30_000, 10 * MINUTE);
      t.updated = t.waiting;
      return;
    case 'completed':
      if (plan.def.interactive) {
        t.waiting = t.running + rng.range(30_000, 3 * MINUTE);
        t.completed = t.waiting + runtime;
      } else {
        t.completed = t.running + runtime;
      }
      t.heartbeat = Math.max(t.running, t.completed - rng.range(1_000, 20_000));
      t.updated = t.completed;
      return;
    case 'failed':
      t.failed = t.running + runtime * rng.range(0.02, 0.9);
      t.heartbeat = Math.max(t.running, t.failed - rng.range(1_000, 20_000));
      t.updated = t.failed;
      return;
    case 'killed':
      t.killed = t.running + runtime * rng.range(0.05, 0.8);
      t.heartbeat = Math.max(t.running, t.killed - rng.range(1_000, 20_000));
      t.updated = t.killed;
      return;
    default:
      return;
  }
}

/** When a job's outputs became available to its children (or when it was created, for unfinished ones). */
export function readyAt(plan: Plan): number {
  return plan.times.completed !== ABSENT ? plan.times.completed : plan.times.created;
}

export function workspacesFor(ctx: ProjectContext, d: JobTypeDef, ds: Dataset): string[] {
  const k = ctx.workspaceCount;
  let base: number;
  if (k >= 3) base = d.stage < 2 ? d.stage + 1 : 3 + (ds.id % (k - 2));
  else base = Math.min(k, d.stage + 1);
  const list = [`W${base}`];
  if (k > 1 && ctx.rng.chance(0.12)) {
    const other = ctx.rng.int(1, k);
    if (other !== base) list.push(`W${other}`);
  }
  return list;
}

export function assignHost(ctx: ProjectContext, plan: Plan): void {
  if (plan.times.launched === ABSENT) return;
  const gpuParam = plan.params.compute_num_gpus;
  const wantGpus = plan.def.resources.gpu === 0 ? 0 : typeof gpuParam === 'number' ? gpuParam : plan.def.resources.gpu;
  if (plan.def.interactive || wantGpus === 0) {
    plan.host = plan.def.interactive ? ctx.master : ctx.rng.pick(ctx.hosts);
    plan.gpuCount = 0;
    return;
  }
  plan.host = ctx.rng.pick(ctx.hosts);
  plan.gpuCount = Math.min(wantGpus, plan.host.gpuCount);
}
