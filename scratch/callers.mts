import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const name = process.argv[3]!; const depth = Number(process.argv[4] ?? 4);
const parent = new Map<number, any>(); const byId = new Map<number, any>();
for (const n of p.nodes) { byId.set(n.id, n); for (const c of n.children ?? []) parent.set(c, n); }
const counts = new Map<string, number>();
for (const n of p.nodes) if (n.callFrame.functionName === name && n.hitCount) {
  const chain: string[] = []; let q = parent.get(n.id);
  for (let i = 0; i < depth && q; i++) { chain.push(`${q.callFrame.functionName}@${q.callFrame.url.split('/').slice(-2).join('/')}:${q.callFrame.lineNumber}`); q = parent.get(q.id); }
  const k = chain.join(' < '); counts.set(k, (counts.get(k) ?? 0) + n.hitCount);
}
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(v, k);
