import * as path from 'path';
import { runPolarisChecks } from '../../lib/validation/polaris';
import { disagreements, fixtureFiles, fixtureObjects, tracedContext, Verdict } from './fidelity-helpers';
import { listUpstreamFiles } from '../support/upstream';

// Polaris v10.2.2's own check fixtures (test/checks/<checkId>/), judged as its test/schema_test.go
// does: the fixture's check alone, forced to danger; a `failure*` file must fail it, a `success*`
// file must pass it and must have been evaluated on at least one object. `mutated*` files are
// `polaris fix` outputs and folders with a check.yaml are custom checks: neither is in scope.

/** Fixtures where we knowingly differ from upstream, with the reason (docs/validation.md, "Fidelity"). */
const EXPECTED_DISAGREEMENTS: Record<string, string> = {
  'missingNetworkPolicy/failure.netpol_missing_egress_rules.yaml':
    'a policy with Egress in policyTypes and no egress rule denies all egress: we count that as governed; upstream wants at least one egress rule',
  'missingNetworkPolicy/failure.netpol_missing_ingress_rules.yaml':
    'a policy with Ingress in policyTypes and no ingress rule denies all ingress: we count that as governed; upstream wants at least one ingress rule',
};

function builtInCheckDirs(): string[] {
  const files = listUpstreamFiles('fixtures/polaris');
  const dirs = [...new Set(files.map((f) => path.basename(path.dirname(f))))].sort();
  return dirs.filter((d) => !files.some((f) => f.endsWith(`polaris/${d}/check.yaml`)));
}

function verdicts(): Verdict[] {
  const out: Verdict[] = [];
  for (const checkId of builtInCheckDirs()) {
    for (const rel of fixtureFiles(`polaris/${checkId}`, '.yaml')) {
      const name = path.basename(rel);
      if (!/^(success|failure)/.test(name)) continue;
      const { ctx, evaluated } = tracedContext(fixtureObjects(rel));
      const findings = runPolarisChecks(ctx, { only: [checkId], severities: { [checkId]: 'danger' } });
      out.push({
        fixture: `${checkId}/${name}`,
        expected: name.startsWith('failure') ? 'fail' : 'pass',
        actual: findings.length > 0 ? 'fail' : 'pass',
        evaluated: evaluated(`polaris/${checkId}`),
      });
    }
  }
  return out;
}

describe('fidelity: Polaris v10.2.2 test/checks fixtures', () => {
  const all = verdicts();

  test('covers every built-in check fixture with a verdict: 294 files over all 44 checks', () => {
    expect(all).toHaveLength(294);
    expect(new Set(all.map((v) => v.fixture.split('/')[0])).size).toBe(44);
    expect(all.filter((v) => v.expected === 'fail').length).toBeGreaterThan(100);
  });

  test('agrees with upstream on every fixture except the listed disagreements', () => {
    expect(disagreements(all)).toEqual(Object.keys(EXPECTED_DISAGREEMENTS));
  });

  test('every success fixture was evaluated by its check, not skipped', () => {
    expect(all.filter((v) => v.expected === 'pass' && v.evaluated === 0).map((v) => v.fixture)).toEqual([]);
  });

  test('agreement is reported as a figure for docs/validation.md', () => {
    const agree = all.length - disagreements(all).length;
    expect(`${agree}/${all.length}`).toBe('292/294');
  });
});
