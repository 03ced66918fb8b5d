/**
 * `npm run bench`: our constructs against raw cdk8s-plus-28 in the same run, interleaved, median
 * of several fresh processes each. Reports wall time, time per app, peak RSS and the ratio to raw.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { validationRows } from './validation';

interface Sample {
  ms: number;
  maxRssMb: number;
  objects: number;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const caseJs = path.join(__dirname, 'case.js');
const root = path.resolve(__dirname, '..', '..');

function sample(name: string, n: number): Sample {
  return JSON.parse(execFileSync(process.execPath, [caseJs, name, String(n)], { encoding: 'utf8' })) as Sample;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function measure(names: string[], n: number): Map<string, { ms: number; rss: number; objects: number }> {
  const all = new Map<string, Sample[]>(names.map((x) => [x, []]));
  for (let r = 0; r < RUNS; r++) for (const name of names) all.get(name)!.push(sample(name, n));
  return new Map([...all].map(([k, v]) => [k, { ms: median(v.map((s) => s.ms)), rss: median(v.map((s) => s.maxRssMb)), objects: v[0].objects }]));
}
function row(label: string, n: number, m: { ms: number; rss: number; objects: number }, base?: { ms: number }): string {
  const ratio = base ? `${(m.ms / base.ms).toFixed(2)}x` : '1.00x';
  return `| ${label} | ${n} | ${m.objects} | ${m.ms.toFixed(0)} ms | ${((m.ms / n) * 1000).toFixed(0)} µs | ${m.rss.toFixed(0)} MB | ${ratio} |`;
}

const lines: string[] = [`cdk8s-paas bench: median of ${RUNS} fresh processes per cell, interleaved; node ${process.version}`, ''];
lines.push('| case | n | objects | wall (build+synth) | per app | peak RSS | vs raw cdk8s-plus-28 |', '|---|---:|---:|---:|---:|---:|---:|');
const extra = fs.existsSync(path.join(__dirname, 'stateful-store.bench-case.js')) ? ['stateful-store.bench-case#buildStatefulStores'] : [];
for (const n of [100, 1000]) {
  const m = measure(['rawPlus', 'webApps', 'webAppsDefault', ...extra], n);
  const raw = m.get('rawPlus')!;
  lines.push(row('raw cdk8s-plus-28 (Deployment, Service, HPA, PDB)', n, raw));
  lines.push(row('WebApp, same objects', n, m.get('webApps')!, raw));
  lines.push(row('WebApp, defaults (+ NetworkPolicy)', n, m.get('webAppsDefault')!, raw));
  if (extra.length) lines.push(row('StatefulStore (StatefulSet, 2 Services, PDB, NetworkPolicy)', n, m.get(extra[0])!, raw));
}

// Tenant scaling: 8x the tenants must cost at most 9x the time (issue 9). cdk8s renders each
// chart after validating the whole app, which made it quadratic (see lib/core/chart-synth.ts).
if (fs.existsSync(path.join(__dirname, 'tenants.bench-case.js'))) {
  const tenants = 'tenants.bench-case#buildTenants';
  // Interleaved, so load from elsewhere on the machine hits both sizes alike.
  const runs: Record<24 | 192, Sample[]> = { 24: [], 192: [] };
  for (let r = 0; r < RUNS; r++) for (const n of [24, 192] as const) runs[n].push(sample(tenants, n));
  const summary = (v: Sample[]) => ({ ms: median(v.map((s) => s.ms)), rss: median(v.map((s) => s.maxRssMb)), objects: v[0].objects });
  const small = summary(runs[24]);
  const large = summary(runs[192]);
  lines.push('', '| tenants (quota, LimitRange, 2 WebApps, 2 routes each) | n | objects | wall | per tenant | peak RSS | vs 24 tenants |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  lines.push(row('TenantNamespace', 24, small), row('TenantNamespace', 192, large, small));
}

// Cold `npm run synth` of the examples (both synthesizers), as a user runs it.
const synthTimes: number[] = [];
for (let r = 0; r < 3; r++) {
  const start = process.hrtime.bigint();
  execFileSync('npm', ['run', '--silent', 'synth'], { cwd: root, stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  synthTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
}
lines.push('', `npm run synth (examples into dist/ and cdktf.out/), median of 3: ${median(synthTimes).toFixed(0)} ms`);
lines.push(...validationRows());
process.stdout.write(lines.join('\n') + '\n');
