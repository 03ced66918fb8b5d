import * as path from 'path';
import { podSecurityFamily } from '../../lib/validation/pod-security';
import { disagreements, fixtureFiles, fixtureObjects, tracedContext, Verdict } from './fidelity-helpers';

// kubernetes/pod-security-admission's own fixtures for the v1.28 policy (test/testdata/<level>/v1.28/
// {pass,fail}/), each judged at its level: a `fail` file must have at least one finding, a `pass`
// file none, and its pod must have been evaluated.

/** Fixtures where we knowingly differ from upstream, with the reason. None today. */
const EXPECTED_DISAGREEMENTS: Record<string, string> = {};

function verdicts(level: 'baseline' | 'restricted'): Verdict[] {
  const out: Verdict[] = [];
  for (const verdict of ['pass', 'fail'] as const) {
    for (const rel of fixtureFiles(`pss/${level}/v1.28/${verdict}`, '.yaml')) {
      const { ctx, evaluated } = tracedContext(fixtureObjects(rel), { level });
      const findings = podSecurityFamily(ctx);
      out.push({
        fixture: `${level}/${verdict}/${path.basename(rel)}`,
        expected: verdict,
        actual: findings.length > 0 ? 'fail' : 'pass',
        evaluated: evaluated('pod-security'),
      });
    }
  }
  return out;
}

describe.each(['baseline', 'restricted'] as const)('fidelity: Pod Security Standards %s v1.28 fixtures', (level) => {
  const all = verdicts(level);

  test('covers the pass and fail fixtures of the level', () => {
    expect(all.length).toBe(level === 'baseline' ? 40 : 86);
    expect(all.some((v) => v.expected === 'pass') && all.some((v) => v.expected === 'fail')).toBe(true);
  });

  test('agrees with pod-security-admission on every fixture except the listed disagreements', () => {
    expect(disagreements(all)).toEqual(Object.keys(EXPECTED_DISAGREEMENTS).filter((k) => k.startsWith(`${level}/`)));
  });

  test('every fixture was evaluated at its level', () => {
    expect(all.filter((v) => v.evaluated === 0).map((v) => v.fixture)).toEqual([]);
  });
});

/**
 * pod-security-admission's fixture name prefix -> our control ids. A hostPath volume breaks both
 * restrictedVolumes and hostPathVolumes upstream; we report it once, as the baseline control.
 */
const CONTROL_OF_FIXTURE: Record<string, string | string[]> = {
  allowprivilegeescalation: 'allowPrivilegeEscalation',
  apparmorprofile: 'appArmor',
  capabilities_baseline: 'capabilities',
  capabilities_restricted: 'capabilities',
  hostnamespaces: 'hostNamespaces',
  hostpathvolumes: 'hostPath',
  hostports: 'hostPorts',
  privileged: 'privileged',
  procmount: 'procMount',
  restrictedvolumes: ['volumeTypes', 'hostPath'],
  runasnonroot: 'runAsNonRoot',
  runasuser: 'runAsUser',
  seccompprofile_baseline: 'seccomp',
  seccompprofile_restricted: 'seccomp',
  selinuxoptions: 'seLinux',
  sysctls: 'sysctls',
  windowshostprocess: 'hostProcess',
};

describe('fidelity: each fail fixture fails for the control it is about', () => {
  test.each(['baseline', 'restricted'] as const)('%s', (level) => {
    const wrong: string[] = [];
    for (const rel of fixtureFiles(`pss/${level}/v1.28/fail`, '.yaml')) {
      const prefix = path.basename(rel).replace(/\d*\.yaml$/, '');
      const controls = [CONTROL_OF_FIXTURE[prefix] ?? []].flat();
      const ids = podSecurityFamily(tracedContext(fixtureObjects(rel), { level }).ctx).map((f) => f.id);
      if (!controls.some((c) => ids.includes(`pod-security/${c}`))) wrong.push(`${path.basename(rel)}: ${ids.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('fidelity: levels', () => {
  test('a restricted-only violation passes at baseline and is not checked at privileged', () => {
    const rel = fixtureFiles('pss/restricted/v1.28/fail', '.yaml').find((f) => f.endsWith('allowprivilegeescalation0.yaml'))!;
    const objects = fixtureObjects(rel);
    expect(podSecurityFamily(tracedContext(objects, { level: 'restricted' }).ctx).map((f) => f.id)).toEqual(['pod-security/allowPrivilegeEscalation']);
    expect(podSecurityFamily(tracedContext(objects, { level: 'baseline' }).ctx)).toEqual([]);
    const privileged = tracedContext(objects, { level: 'privileged' });
    expect(podSecurityFamily(privileged.ctx)).toEqual([]);
    expect(privileged.evaluated('pod-security')).toBe(0);
  });
});
