import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const from = Number(process.argv[3] ?? 0) * 1e6, to = Number(process.argv[4] ?? 1e9) * 1e6, bucket = Number(process.argv[5] ?? 50) * 1000;
const idle = new Set(p.nodes.filter((n: any) => n.callFrame.functionName === '(idle)').map((n: any) => n.id));
let t = p.startTime; const busy = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) { t += p.timeDeltas[i]; const rel = t - p.startTime; if (rel < from || rel > to) continue; const b = Math.floor(rel / bucket); if (!idle.has(p.samples[i])) busy.set(b, (busy.get(b) ?? 0) + (p.timeDeltas[i + 1] ?? 0)); }
let line = '';
for (const [b, v] of [...busy].sort((a, b) => a[0] - b[0])) line += `${(b * bucket / 1e6).toFixed(2)}s:${Math.round(100 * v / bucket)}% `;
console.log(line);
