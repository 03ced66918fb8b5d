/**
 * Report formats over a ValidationResult: `text` (grouped by file and object), `json` (the result
 * as is) and `sarif` (SARIF 2.1.0 for code scanning).
 */
import * as fs from 'fs';
import * as path from 'path';
import { toSarif } from './sarif';
import { toText } from './text';
import { ValidationResult } from './validate';

export type ReportFormat = 'text' | 'json' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif'];

/** The JSON report: `{ findings, summary }`, keys in a fixed order, two-space indented. */
export function toJson(result: ValidationResult): string {
  return JSON.stringify({ findings: result.findings, summary: result.summary }, null, 2) + '\n';
}

/** Renders `result` in `format`. */
export function formatReport(result: ValidationResult, format: ReportFormat): string {
  if (format === 'json') return toJson(result);
  if (format === 'sarif') return JSON.stringify(toSarif(result), null, 2) + '\n';
  return toText(result);
}

let version: string | undefined;
/** This package's version (from its package.json, found upward from this file in source and build). */
export function packageVersion(): string {
  if (version) return version;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (pkg.name === 'cdk8s-paas') return (version = String(pkg.version));
    }
    dir = path.dirname(dir);
  }
  return (version = '0.0.0');
}
