import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notSecretNames, Policy, PolicyError } from '../../lib/validation/policy';
import { CheckFamily, RawFinding } from '../../lib/validation/types';
import { validate } from '../../lib/validation/validate';

/** A fake family: one finding per object for each id given, with the path and container given. */
const fake = (...raws: Omit<RawFinding, 'objectIndex' | 'message'>[]): CheckFamily =>
  function fakeFamily(ctx) {
    return ctx.objects.flatMap((_, objectIndex) => raws.map((r) => ({ ...r, objectIndex, message: `${r.id} failed` })));
  };
const deployment = (annotations: Record<string, string> = {}, env: unknown[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', annotations },
  spec: { template: { spec: { containers: [{ name: 'main', image: 'nginx:1.27.3', env }] } } },
});

describe('severity', () => {
  test('a warning can be raised to error or switched off; an error can be lowered when it is not protected', () => {
    const family = fake(
      { id: 'polaris/cpuLimitsMissing', severity: 'warning', path: '' },
      { id: 'wiring/pdb-selects-nothing', severity: 'error', path: '' },
      { id: 'polaris/priorityClassNotSet', severity: 'warning', path: '' },
    );
    const r = validate([deployment()], {
      families: [family],
      config: { severity: { 'polaris/cpuLimitsMissing': 'error', 'wiring/pdb-selects-nothing': 'warning', 'polaris/priorityClassNotSet': 'off' } },
    });
    expect(r.findings.map((f) => `${f.id} ${f.severity}`)).toEqual(['polaris/cpuLimitsMissing error', 'wiring/pdb-selects-nothing warning']);
    expect(r.summary).toMatchObject({ errors: 1, warnings: 1, exempted: 0 });
  });

  test('a family wildcard applies to every check of the family', () => {
    const r = validate([deployment()], { families: [fake({ id: 'wiring/a', severity: 'error', path: '' })], config: { severity: { 'wiring/*': 'warning' } } });
    expect(r.findings.map((f) => f.severity)).toEqual(['warning']);
  });

  test('a Polaris danger or a Pod Security control can never be switched off or lowered globally', () => {
    const config = {
      severity: { 'polaris/hostPIDSet': 'off', 'pod-security/runAsNonRoot': 'warning', 'polaris/*': 'off', 'polaris/cpuLimitsMissing': 'off' },
    } as const;
    expect(() => Policy.load(config, 'paas-checks.yaml')).toThrow(
      new PolicyError('paas-checks.yaml', [
        'severity."polaris/hostPIDSet": "off" is invalid: a Polaris danger check can only be exempted per object (exemptions: [{ check, kind, namespace, name, reason }]), never switched off globally',
        'severity."pod-security/runAsNonRoot": "warning" is invalid: a Pod Security failure can only be exempted per object (exemptions: [{ check, kind, namespace, name, reason }]), never switched off globally',
        'severity."polaris/*": "off" is invalid: a Polaris danger check can only be exempted per object (exemptions: [{ check, kind, namespace, name, reason }]), never switched off globally',
      ]),
    );
  });

  test('bad policies name every problem', () => {
    expect(() =>
      Policy.load({ severity: { nope: 'loud' }, exemptions: [{ check: 'polaris/hostPIDSet', kind: 'Deployment', name: 'web' }], extra: 1 } as never, 'p.yaml'),
    ).toThrow(
      'p.yaml: 4 problems:\n  - unknown key "extra": expected severity, exemptions or createdOutside\n  - severity."nope": not a check id (family/check or family/*)\n  - severity."nope": "loud" is invalid: expected error, warning or off\n  - exemptions[0].reason: required: say why',
    );
    expect(() => Policy.load([] as never, 'p.yaml')).toThrow('p.yaml: expected a mapping with severity, exemptions and createdOutside');
  });
});

describe('exemptions', () => {
  const family = fake({ id: 'polaris/hostPortSet', severity: 'warning', path: 'spec' }, { id: 'pod-security/runAsNonRoot', severity: 'error', path: 'spec' });

  test('the policy file exempts one object from one check, with its reason in the finding', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-policy-'));
    const file = path.join(dir, 'paas-checks.yaml');
    fs.writeFileSync(
      file,
      'exemptions:\n  - check: pod-security/runAsNonRoot\n    kind: Deployment\n    namespace: shop\n    name: web\n    reason: the image needs root until v2\n',
    );
    const r = validate([deployment(), { ...deployment(), metadata: { name: 'other', namespace: 'shop' } }], { families: [family], config: file });
    expect(r.findings.filter((f) => f.exemption).map((f) => [f.name, f.id, f.exemption])).toEqual([
      ['web', 'pod-security/runAsNonRoot', { reason: 'the image needs root until v2', source: 'config' }],
    ]);
    expect(r.summary).toMatchObject({ errors: 1, warnings: 2, exempted: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the pod-security opt-out annotation exempts only pod-security findings', () => {
    const r = validate([deployment({ 'paas.cdk8s.io/pod-security-opt-out': 'node agent reads /proc' })], { families: [family] });
    expect(r.findings.map((f) => [f.id, f.exemption?.reason ?? null])).toEqual([
      ['pod-security/runAsNonRoot', 'node agent reads /proc'],
      ['polaris/hostPortSet', null],
    ]);
  });

  test("Polaris' own exemption annotations", () => {
    const one = validate([deployment({ 'polaris.fairwinds.com/hostPortSet-exempt': 'true' })], { families: [family] });
    expect(one.findings.map((f) => [f.id, f.exemption?.source ?? null])).toEqual([
      ['pod-security/runAsNonRoot', null],
      ['polaris/hostPortSet', 'polaris.fairwinds.com/hostPortSet-exempt'],
    ]);
    const all = validate([deployment({ 'polaris.fairwinds.com/exempt': 'true' })], { families: [family] });
    expect(all.findings.map((f) => f.exemption?.source ?? null)).toEqual([null, 'polaris.fairwinds.com/exempt']);
  });

  test("NodeAgent's declared host access exempts the Polaris checks it implies, with the opt-out reason", () => {
    const host = fake(
      { id: 'polaris/hostNetworkSet', severity: 'error', path: 'spec.template.spec.hostNetwork' },
      { id: 'polaris/hostPortSet', severity: 'warning', path: 'spec' },
      { id: 'polaris/hostPIDSet', severity: 'error', path: 'spec' },
    );
    const annotations = {
      'paas.cdk8s.io/pod-security-opt-out': 'node-exporter reads the node',
      'paas.cdk8s.io/host-access': 'hostNetwork, hostPort 9100, hostPath /proc (read-only)',
    };
    const r = validate([deployment(annotations)], { families: [host] });
    expect(r.findings.map((f) => [f.id, f.exemption?.reason ?? null])).toEqual([
      ['polaris/hostNetworkSet', 'declared host access (hostNetwork): node-exporter reads the node'],
      ['polaris/hostPIDSet', null],
      ['polaris/hostPortSet', 'declared host access (hostPort): node-exporter reads the node'],
    ]);
    // Without the opt-out reason beside it, the annotation exempts nothing.
    const bare = validate([deployment({ 'paas.cdk8s.io/host-access': 'hostNetwork' })], { families: [host] });
    expect(bare.summary.exempted).toBe(0);
  });

  test('not-secret exempts sensitive* findings only when every flagged name is marked', () => {
    const env = [
      { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' },
      { name: 'API_TOKEN_URL', value: 'https://auth' },
    ];
    const sensitive = fake({ id: 'polaris/sensitiveContainerEnvVar', severity: 'error', path: 'spec.template.spec.containers[0]', container: 'main' });
    const marked = validate([deployment({ 'paas.cdk8s.io/not-secret': '["DB_PASSWORD_FILE","API_TOKEN_URL"]' }, env)], { families: [sensitive] });
    expect(marked.findings[0].exemption).toEqual({ reason: 'marked not secret: DB_PASSWORD_FILE, API_TOKEN_URL', source: 'paas.cdk8s.io/not-secret' });
    const half = validate([deployment({ 'paas.cdk8s.io/not-secret': 'DB_PASSWORD_FILE' }, env)], { families: [sensitive] });
    expect(half.findings[0].exemption).toBeNull();
    expect(half.summary.errors).toBe(1);
  });

  test('not-secret on a ConfigMap names its keys', () => {
    const cfg = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop', annotations: { 'paas.cdk8s.io/not-secret': 'TOKEN_ENDPOINT' } },
      data: { TOKEN_ENDPOINT: 'https://x', PLAIN: 'y' },
    };
    const r = validate([cfg], { families: [fake({ id: 'polaris/sensitiveConfigmapContent', severity: 'error', path: 'data' })] });
    expect(r.findings[0].exemption?.reason).toBe('marked not secret: TOKEN_ENDPOINT');
  });

  test('notSecretNames reads a JSON list or a comma list', () => {
    expect([...notSecretNames('["A","B"]')]).toEqual(['A', 'B']);
    expect([...notSecretNames(' A, B ,')]).toEqual(['A', 'B']);
    expect([...notSecretNames(undefined)]).toEqual([]);
  });
});
