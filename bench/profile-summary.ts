/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile`):
 * self time by function and by package/file, and inclusive time of chosen
 * frames — enough to see where a gateway spends its time.
 *
 *   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 30] [--focus name,name] [--from s --to s] [--timeline] [--callers name [--depth 4]]
 *
 * --timeline prints the busy share of each second, to pick a phase; --from/--to (seconds after the profile started) summarise only it;
 * --callers prints the commonest call chains (up to --depth frames) leading to the self time of a function.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  byFunction: { name: string; selfMs: number }[];
  byModule: { module: string; selfMs: number }[];
  inclusive: { name: string; totalMs: number }[];
}

/** `node_modules/<pkg>` for dependencies, the path under the repository for our files, `node:` internals, or a V8 pseudo-frame. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith('node:')) return url;
  const ours = /\/(src|bench|test)\/(.*)$/.exec(url);
  return ours ? `${ours[1]}/${ours[2]}` : url;
}

/** Busy share of each `bucketMs` of the profile, to find the phase worth summarising (e.g. the fan-out rounds after the connection phase). */
export function timeline(profile: CpuProfile, bucketMs = 1000): string {
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const buckets: { busy: number; total: number }[] = [];
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const b = Math.floor(t / 1000 / bucketMs);
    buckets[b] ??= { busy: 0, total: 0 };
    buckets[b]!.total += dt;
    if (!idleIds.has(profile.samples[i]!)) buckets[b]!.busy += dt;
  }
  return Array.from(buckets, (b, i) => `${String((i * bucketMs) / 1000).padStart(5)} s ${'#'.repeat(Math.round((20 * (b?.busy ?? 0)) / Math.max(1, b?.total ?? 1)))}`).join('\n');
}

/** The commonest `depth`-frame call chains into the samples of function `name`, by samples taken. */
export function callers(profile: CpuProfile, name: string, depth = 4, top = 8): { chain: string; samples: number }[] {
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const counts = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== name || !node.hitCount) continue;
    const chain: string[] = [];
    for (let at = parent.get(node.id); at && chain.length < depth; at = parent.get(at.id)) {
      chain.push(`${at.callFrame.functionName || '(anonymous)'} ${moduleOf(at.callFrame.url, at.callFrame.functionName)}:${at.callFrame.lineNumber + 1}`);
    }
    const key = chain.join(' < ');
    counts.set(key, (counts.get(key) ?? 0) + node.hitCount);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([chain, samples]) => ({ chain, samples }));
}

/**
 * Self time by function and module, and inclusive time of `focus` frames,
 * over the samples between `fromMs` and `toMs` after the profile started.
 */
export function summarizeProfile(profile: CpuProfile, focus: readonly string[] = [], fromMs = 0, toMs = Number.POSITIVE_INFINITY): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < fromMs * 1000 || elapsedUs > toMs * 1000) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fn = new Map<string, number>();
  const mod = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    if (functionName === '(idle)') idle += us;
    const where = url ? `${moduleOf(url, functionName)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const m = moduleOf(url, functionName);
    mod.set(m, (mod.get(m) ?? 0) + us);
    if (focus.length > 0) {
      // Inclusive time: charge each focused frame once per sample stack.
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)!.callFrame;
        const label = focus.find((f) => frame.functionName === f || `${moduleOf(frame.url, frame.functionName)}`.includes(f));
        if (label && !seen.has(label)) {
          seen.add(label);
          inclusive.set(label, (inclusive.get(label) ?? 0) + us);
        }
      }
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    byFunction: sorted(fn).map(([name, us]) => ({ name, selfMs: us / 1000 })),
    byModule: sorted(mod).map(([module, us]) => ({ module, selfMs: us / 1000 })),
    inclusive: sorted(inclusive).map(([name, us]) => ({ name, totalMs: us / 1000 })),
  };
}

export function formatProfile(summary: ProfileSummary, top = 25): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (ms: number) => `${((100 * ms) / busy).toFixed(1).padStart(5)} %`;
  const lines = [`busy ${busy.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms profiled (idle ${summary.idleMs.toFixed(0)} ms); shares are of busy time`, '', 'self time by module:'];
  for (const { module, selfMs } of summary.byModule.filter((m) => m.module !== '(idle)').slice(0, top)) lines.push(`  ${pct(selfMs)}  ${selfMs.toFixed(0).padStart(7)} ms  ${module}`);
  lines.push('', 'self time by function:');
  for (const { name, selfMs } of summary.byFunction.filter((f) => !f.name.startsWith('(idle)')).slice(0, top)) lines.push(`  ${pct(selfMs)}  ${selfMs.toFixed(0).padStart(7)} ms  ${name}`);
  if (summary.inclusive.length > 0) {
    lines.push('', 'inclusive time of focused frames:');
    for (const { name, totalMs } of summary.inclusive) lines.push(`  ${pct(totalMs)}  ${totalMs.toFixed(0).padStart(7)} ms  ${name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      focus: { type: 'string', default: '' },
      from: { type: 'string', default: '0' },
      to: { type: 'string', default: 'Infinity' },
      timeline: { type: 'boolean', default: false },
      callers: { type: 'string' },
      depth: { type: 'string', default: '4' },
    },
  });
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    if (values.timeline) {
      process.stdout.write(`# ${file}: busy share per second\n${timeline(profile)}\n\n`);
      continue;
    }
    if (values.callers) {
      const rows = callers(profile, values.callers, Number(values.depth), Number(values.top));
      process.stdout.write(`# ${file}: callers of ${values.callers}\n${rows.map((r) => `${String(r.samples).padStart(7)}  ${r.chain}`).join('\n')}\n\n`);
      continue;
    }
    const focus = values.focus ? values.focus.split(',') : [];
    const window = values.from !== '0' || values.to !== 'Infinity' ? ` (from ${values.from} s to ${values.to} s)` : '';
    const summary = summarizeProfile(profile, focus, Number(values.from) * 1000, Number(values.to) * 1000);
    process.stdout.write(`# ${file}${window}\n${formatProfile(summary, Number(values.top))}\n\n`);
  }
}
