/**
 * Validation rows of `npm run bench`. One sample per fresh process:
 * `node build/bench/validation.js <mode> <n>` prints JSON.
 *   - `synth n`: n WebApps built and synthesized (as the other rows), peak RSS.
 *   - `validate n`: the same synth, then the whole engine over its objects, warm (engine loaded and
 *     its validators compiled on one small object first); peak RSS of synth plus validation.
 *   - `cold 0`: loading the engine and its data, plus compiling the validators on one object.
 * `validationRows()` runs them interleaved (median of BENCH_RUNS) and times `cdk8s-paas check dist/`.
 */
import { execFileSync } from 'child_process';
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
  readonly objects: number;
  readonly findings: number;
  readonly maxRssMb: number;
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One measurement in this process. */
function sampleHere(mode: string, n: number): Sample {
  const out = { synthMs: 0, validateMs: 0, coldMs: 0, objects: 0, findings: 0 };
  if (mode === 'cold') {
    const start = process.hrtime.bigint();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const engine = require('../lib/validation') as typeof import('../lib/validation');
    engine.validate([SMALL]);
    out.coldMs = ms(start);
  } else {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
    const { webApps } = require('./cases') as typeof import('./cases');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const start = process.hrtime.bigint();
    const app = new App({ outdir: '/nonexistent' });
    const chart = new Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
    webApps(chart, n);
    const yaml = app.synthYaml();
    out.synthMs = ms(start);
    out.objects = yaml.split('\n---\n').length;
    if (mode === 'validate') {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const engine = require('../lib/validation') as typeof import('../lib/validation');
      engine.validate([SMALL]);
      // The objects as synthesized (what the plugin and the CLI read back from the files).
      const objects = chart.toJson();
      const t = process.hrtime.bigint();
      out.findings = engine.validate(objects).findings.length;
      out.validateMs = ms(t);
    }
  }
  return { ...out, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

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
    '| WebApps | objects | synth | validate (warm) | validate / synth | peak RSS synth | peak RSS synth+validate | extra |',
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
    const rs = median(synth.map((x) => x.maxRssMb));
    const rb = median(both.map((x) => x.maxRssMb));
    lines.push(
      `| ${n} | ${both[0].objects} | ${s.toFixed(0)} ms | ${v.toFixed(0)} ms | ${(v / s).toFixed(2)}x | ${rs.toFixed(0)} MB | ${rb.toFixed(0)} MB | ${(rb - rs).toFixed(0)} MB |`,
    );
  }
  const cold = Array.from({ length: RUNS }, () => sample('cold', 0).coldMs);
  lines.push('', `cold start (load the engine and its data, compile the validators, check one object), median of ${RUNS}: ${median(cold).toFixed(0)} ms`);
  const cli: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    try {
      execFileSync(process.execPath, [path.join(root, 'bin', 'cdk8s-paas.js'), 'check', 'dist/', 'cdktf.out/'], { cwd: root, stdio: 'ignore' });
    } catch {
      // exit 1 (error findings) still measures the run
    }
    cli.push(ms(start));
  }
  lines.push(`npx cdk8s-paas check dist/ cdktf.out/ (the examples, the process as a user starts it), median of ${RUNS}: ${median(cli).toFixed(0)} ms`);
  return lines;
}

if (require.main === module && process.argv.length > 2) {
  process.stdout.write(JSON.stringify(sampleHere(process.argv[2], Number(process.argv[3] ?? 0))) + '\n');
}
