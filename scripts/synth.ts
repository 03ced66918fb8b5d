/**
 * `npm run synth`: synthesizes every example app into `dist/` and the platform stack into
 * `cdktf.out/`, atomically: both are written to temporary folders first, checked by the shipped
 * validation engine, and swapped in only when everything succeeded and no check found an error,
 * so a failed synth leaves the previous output as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { warningsOf } from '../lib/core/warnings';
import { validateOutput } from '../lib/validation/output';
import { toText } from '../lib/validation/text';
import { Finding } from '../lib/validation/validate';

/** Output folders of one synth: `target` is swapped in from `tmp` on success. */
interface Output {
  readonly tmp: string;
  readonly target: string;
}

function swapIn(out: Output): void {
  if (!fs.existsSync(out.tmp)) return;
  const old = `${out.target}.old-${process.pid}`;
  if (fs.existsSync(out.target)) fs.renameSync(out.target, old);
  fs.renameSync(out.tmp, out.target);
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Runs `build` with temporary folders for `dist/` and `cdktf.out/` under `root`; swaps them in
 * only if it returns. On a throw the temporary folders are removed and the error is rethrown.
 */
export function atomicSynth(root: string, build: (distDir: string, cdktfDir: string) => void): void {
  const dist = { tmp: path.join(root, `.dist-tmp-${process.pid}`), target: path.join(root, 'dist') };
  const tf = { tmp: path.join(root, `.cdktf-tmp-${process.pid}`), target: path.join(root, 'cdktf.out') };
  try {
    build(dist.tmp, tf.tmp);
  } catch (e) {
    fs.rmSync(dist.tmp, { recursive: true, force: true });
    fs.rmSync(tf.tmp, { recursive: true, force: true });
    throw e;
  }
  swapIn(dist);
  swapIn(tf);
}

/** What checkOutput found in one synth's output. */
export interface OutputCheck {
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  /** The text report of the error findings, file names as they will be after the swap. */
  readonly errorReport: string;
}

/**
 * Runs the shipped engine over what a synth wrote, before it is swapped in: cluster by cluster as
 * `cdk8s-paas check` does by default ({@link validateOutput}), under `paas-checks.yaml` of `root`.
 */
export function checkOutput(root: string, distDir: string, cdktfDir: string): OutputCheck {
  const config = fs.existsSync(path.join(root, 'paas-checks.yaml')) ? path.join(root, 'paas-checks.yaml') : undefined;
  const result = validateOutput(distDir, cdktfDir, { config });
  const rel = (p: string): string => path.relative(process.cwd(), p).split(path.sep).join('/');
  const tmp = rel(distDir);
  const renamed = (f: Finding): Finding => (f.file && f.file.startsWith(`${tmp}/`) ? { ...f, file: `dist/${f.file.slice(tmp.length + 1)}` } : f);
  const errors = result.findings.filter((f) => f.severity === 'error' && !f.exemption).map(renamed);
  const { objects, warnings, exempted } = result.summary;
  const errorReport =
    errors.length > 0 ? toText({ findings: errors, summary: { objects, errors: errors.length, warnings: 0, exempted: 0, prerequisites: [] } }) : '';
  return { errors: errors.length, warnings, exempted, errorReport };
}

function main(): void {
  process.env.CHECKPOINT_DISABLE = '1';
  const root = path.resolve(__dirname, '..');
  try {
    atomicSynth(root, (distDir, cdktfDir) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildExamples } = require('../apps/main') as typeof import('../apps/main');
      // one App per cluster, into dist/<cluster>/
      for (const examples of buildExamples(distDir)) {
        examples.synth();
        for (const w of warningsOf(examples)) process.stderr.write(`warning: ${w}\n`);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { buildPlatformApp } = require('../apps/platform') as typeof import('../apps/platform');
      const platformApp = buildPlatformApp(cdktfDir);
      platformApp.synth();
      // the platform stacks' soft problems too (monitoring storage, kubelet certificates)
      for (const w of warningsOf(platformApp)) process.stderr.write(`warning: ${w}\n`);
      const check = checkOutput(root, distDir, cdktfDir);
      if (check.errors > 0) throw new Error(`validation found ${check.errors} error(s):\n${check.errorReport}`);
      process.stderr.write(`validation: 0 errors, ${check.warnings} warning(s), ${check.exempted} exempted (npx cdk8s-paas check lists them)\n`);
    });
  } catch (e) {
    process.stderr.write(`synth failed; dist/ and cdktf.out/ were left as they were.\n${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `dist/: ${fs.readdirSync(path.join(root, 'dist')).join(', ')}; cdktf.out/: ${fs.readdirSync(path.join(root, 'cdktf.out', 'stacks')).join(', ')}\n`,
  );
}

if (require.main === module) main();
