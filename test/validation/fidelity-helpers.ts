import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { CheckContext, Manifest, PodSecurityLevel } from '../../lib/validation/types';
import { listUpstreamFiles, readUpstreamText } from '../support/upstream';

// Shared by the fidelity contract tests: reading the upstream projects' own fixtures
// (../shared/upstream/fixtures, see its PROVENANCE.md) and building a check context with an
// evaluation trace, so a passing fixture proves its check really judged the object.

/** The objects of a fixture file (every YAML document, empty ones dropped). Duplicate keys are kept (last wins), as Go's decoder does. */
export function fixtureObjects(rel: string): Manifest[] {
  return parseAllDocuments(readUpstreamText(rel), { uniqueKeys: false })
    .map((d) => d.toJS({ maxAliasCount: -1 }) as unknown)
    .filter((d): d is Manifest => d !== null && d !== undefined);
}

/** Fixture files under a folder of `fixtures/`, relative to the upstream folder, sorted. */
export function fixtureFiles(relDir: string, ext?: string): string[] {
  return listUpstreamFiles(path.join('fixtures', relDir), ext);
}

/** A context over objects that records every (check, object) evaluation. */
export function tracedContext(
  objects: readonly Manifest[],
  opts: { level?: PodSecurityLevel; versions?: readonly string[] } = {},
): { ctx: CheckContext; evaluated: (check: string) => number } {
  const seen = new Map<string, Set<number>>();
  const ctx: CheckContext = {
    objects: objects.map((manifest) => ({ manifest, origin: {} })),
    kubernetesVersions: opts.versions ?? ['1.28'],
    podSecurityLevel: opts.level ?? 'restricted',
    namespaceLevels: new Map(),
    customResourceDefinitions: [],
    onEvaluated: (check, i) => {
      let s = seen.get(check);
      if (!s) seen.set(check, (s = new Set()));
      s.add(i);
    },
  };
  return { ctx, evaluated: (check) => seen.get(check)?.size ?? 0 };
}

/** One fixture's verdict compared with the expectation, and any expected disagreement's reason. */
export interface Verdict {
  readonly fixture: string;
  readonly expected: 'pass' | 'fail';
  readonly actual: 'pass' | 'fail';
  /** Objects the check evaluated (a pass with 0 proves nothing). */
  readonly evaluated: number;
}

/** Fixtures whose verdict differs from upstream, or that passed without being evaluated. */
export function disagreements(verdicts: readonly Verdict[]): string[] {
  return verdicts.filter((v) => v.actual !== v.expected || (v.expected === 'pass' && v.evaluated === 0)).map((v) => v.fixture);
}
