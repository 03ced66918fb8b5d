import * as fs from 'fs';
import * as path from 'path';
import { isCdktfOut } from './input';
import { validate, ValidateOptions, ValidationResult } from './validate';

/** One cluster's part of a synth output: its manifests and the cdktf stacks that belong to it. */
export interface OutputRun {
  /** `dist/<cluster>` (or `dist` itself when it has no cluster folders). */
  readonly input: string;
  /** Stack folders under `<cdktf>/stacks/` that are cdktf output. */
  readonly cdktfOut: readonly string[];
}

/**
 * Pairs a `dist/` folder with a `cdktf.out/` folder the way `npm run synth` writes them: each
 * `dist/<cluster>/` with `stacks/<cluster>` and `stacks/<cluster>-*` (which give its namespace
 * levels and the objects its platform creates). A `dist/` without cluster folders is one run with
 * every stack. A missing `cdktf.out/` gives runs without stacks.
 */
export function outputRuns(distDir: string, cdktfDir: string): OutputRun[] {
  const stacksDir = path.join(cdktfDir, 'stacks');
  const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : [];
  const entries = fs.existsSync(distDir) ? fs.readdirSync(distDir, { withFileTypes: true }) : [];
  const clusters = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const runs =
    clusters.length > 0 && entries.every((e) => e.isDirectory())
      ? clusters.sort().map((c) => ({ input: path.join(distDir, c), stacks: stacks.filter((s) => s === c || s.startsWith(`${c}-`)) }))
      : [{ input: distDir, stacks }];
  return runs.map((r) => ({ input: r.input, cdktfOut: r.stacks.map((s) => path.join(stacksDir, s)).filter((d) => isCdktfOut(d)) }));
}

/**
 * Validates a synth output cluster by cluster ({@link outputRuns}) and joins the results: the
 * findings in run order, the counts added, the prerequisites of every run.
 */
export function validateOutput(distDir: string, cdktfDir: string, options: Omit<ValidateOptions, 'cdktfOut'> = {}): ValidationResult {
  const results = outputRuns(distDir, cdktfDir).map((run) => validate([run.input], { ...options, cdktfOut: run.cdktfOut }));
  return {
    findings: results.flatMap((r) => r.findings),
    summary: {
      objects: results.reduce((n, r) => n + r.summary.objects, 0),
      errors: results.reduce((n, r) => n + r.summary.errors, 0),
      warnings: results.reduce((n, r) => n + r.summary.warnings, 0),
      exempted: results.reduce((n, r) => n + r.summary.exempted, 0),
      prerequisites: results.flatMap((r) => r.summary.prerequisites),
    },
  };
}
