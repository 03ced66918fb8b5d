/**
 * Validation rows of `npm run bench`. One sample per fresh process:
 * `node build/bench/validation.js <mode> <n>` prints JSON.
 *   - `synth n`: n WebApps built and synthesized (as the other rows), peak RSS.
 *   - `validate n`: the same synth, then the whole engine over its objects, warm (engine loaded and
 *     its validators compiled on one small object first); peak RSS of synth plus validation.
 *   - `cold 0`: loading the engine and its data, plus compiling the validators on one object.
 * `validationRows()` runs them interleaved (median of BENCH_RUNS) and times `cdk8s-paas check dist/`.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = path.resolve(__dirname, '..', '..');

const SMALL = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'warm', namespace: 'warm' },
  spec: {
    selector: { matchLabels: { app: 'warm' } },
    template: { metadata: { labels: { app: 'warm' } }, spec: { containers: [{ name: 'warm', image: 'nginx:1.27.3' }] } },
  },
};

interface Sample {
  readonly synthMs: number;
  readonly validateMs: number;
  readonly coldMs: number;
  /** CPU time (user + system) of the same spans: the machine is shared, wall time alone misleads. */
  readonly synthCpuMs: number;
  readonly validateCpuMs: number;
  readonly coldCpuMs: number;
  readonly objects: number;
  readonly findings: number;
  readonly maxRssMb: number;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** One measurement in this process. */
function sampleHere(mode: string, n: number): Sample {
  const out = { synthMs: 0, validateMs: 0, coldMs: 0, synthCpuMs: 0, validateCpuMs: 0, coldCpuMs: 0, objects: 0, findings: 0 };
  if (mode === 'cold') {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require('../lib/validation') as typeof import('../lib/validation');
    engine.validate([SMALL]);
    out.coldMs = ms(start);
    out.coldCpuMs = cpuMs(cpu);
  } else {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
    const { webApps } = require('./cases') as typeof import('./cases');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const app = new App({ outdir: '/nonexistent' });
    const chart = new Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
    webApps(chart, n);
    const yaml = app.synthYaml();
    out.synthMs = ms(start);
    out.synthCpuMs = cpuMs(cpu);
    out.objects = yaml.split('\n---\n').length;
    if (mode === 'validate') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const engine = require('../lib/validation') as typeof import('../lib/validation');
      engine.validate([SMALL]);
      // The objects as synthesized (what the plugin and the CLI read back from the files).
      const objects = chart.toJson();
      const c = process.cpuUsage();
      const t = process.hrtime.bigint();
      out.findings = engine.validate(objects).findings.length;
      out.validateMs = ms(t);
      out.validateCpuMs = cpuMs(c);
    }
  }
  return { ...out, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Runs bin/cdk8s-paas.js (argv[1]) with the rest of argv, printing its CPU time at exit. */
const CLI_WITH_CPU =
  'const bin = process.argv[1]; process.argv = [process.argv[0], bin, ...process.argv.slice(2)]; ' +
  "process.on('exit', () => { const c = process.cpuUsage(); process.stderr.write('cpu-ms=' + (c.user + c.system) / 1000 + '\\n'); }); require(bin);";

function sample(mode: string, n: number): Sample {
  return JSON.parse(execFileSync(process.execPath, [__filename, mode, String(n)], { encoding: 'utf8' })) as Sample;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The validation rows of the bench table, and the CLI timing line. */
export function validationRows(): string[] {
  const lines = ['', `Validation (the whole engine), median of ${RUNS} fresh processes, interleaved:`, ''];
  lines.push(
    '| WebApps | objects | synth wall / CPU | validate (warm) wall / CPU | validate / synth wall, CPU (budget 0.5x at 1,000) | peak RSS synth | peak RSS synth+validate | extra (budget 100 MB) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const n of [100, 1000]) {
    const synth: Sample[] = [];
    const both: Sample[] = [];
    for (let r = 0; r < RUNS; r++) {
      synth.push(sample('synth', n));
      both.push(sample('validate', n));
    }
    const s = median(synth.map((x) => x.synthMs));
    const v = median(both.map((x) => x.validateMs));
    const sc = median(synth.map((x) => x.synthCpuMs));
    const vc = median(both.map((x) => x.validateCpuMs));
    const rs = median(synth.map((x) => x.maxRssMb));
    const rb = median(both.map((x) => x.maxRssMb));
    lines.push(
      `| ${n} | ${both[0].objects} | ${s.toFixed(0)} / ${sc.toFixed(0)} ms | ${v.toFixed(0)} / ${vc.toFixed(0)} ms | ${(v / s).toFixed(2)}x, ${(vc / sc).toFixed(2)}x | ${rs.toFixed(0)} MB | ${rb.toFixed(0)} MB | ${(rb - rs).toFixed(0)} MB |`,
    );
  }
  const cold = Array.from({ length: RUNS }, () => sample('cold', 0));
  lines.push(
    '',
    `cold start (load the engine and its data, compile the validators, check one object; budget 300 ms), median of ${RUNS}: ` +
      `${median(cold.map((c) => c.coldMs)).toFixed(0)} ms wall, ${median(cold.map((c) => c.coldCpuMs)).toFixed(0)} ms CPU`,
  );
  const cli: number[] = [];
  const cliCpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    // The CLI as a user starts it, with the process's own CPU time reported on exit (stderr).
    const run = spawnSync(process.execPath, ['-e', CLI_WITH_CPU, path.join(root, 'bin', 'cdk8s-paas.js'), 'check', 'dist/', 'cdktf.out/'], {
      cwd: root,
      encoding: 'utf8',
    });
    cli.push(ms(start));
    const m = /cpu-ms=(\d+(?:\.\d+)?)/.exec(run.stderr ?? '');
    if (m) cliCpu.push(Number(m[1]));
  }
  lines.push(
    `npx cdk8s-paas check dist/ cdktf.out/ (the examples; budget 1 s), median of ${RUNS}: ${median(cli).toFixed(0)} ms wall, ${cliCpu.length ? median(cliCpu).toFixed(0) : '?'} ms CPU`,
  );
  return lines;
}

if (require.main === module && process.argv.length > 2) {
  process.stdout.write(JSON.stringify(sampleHere(process.argv[2], Number(process.argv[3] ?? 0))) + '\n');
}
