import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Runs the CLI's TypeScript entry as `npx cdk8s-paas` would run its build, in `cwd`. */
const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'lib', 'validation', 'cli.ts');
function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(root, '.cli-test-'));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.mkdirSync(path.join(dir, 'broken'));
  fs.writeFileSync(path.join(dir, 'dist', 'ok.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\ndata:\n  a: "1"\n');
  fs.writeFileSync(
    path.join(dir, 'pod.yaml'),
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  serviceAccountName: robot\n  containers:\n    - name: main\n      image: nginx:1.27.3\n',
  );
  fs.writeFileSync(path.join(dir, 'broken', 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('no error finding: exit 0, text report on stdout; dist/ is the default path', () => {
  const r = run(['check'], dir);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^1 object checked: 0 errors, 0 warnings, 0 exempted, 0 prerequisites\n$/m);
  expect(r.code).toBe(0);
});

test('without paths, each dist/<cluster>/ is checked with its own cdktf.out stacks, as npm run synth writes them', () => {
  const out = fs.mkdtempSync(path.join(root, '.cli-test-clusters-'));
  try {
    const claim = (ns: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: ${ns}\nspec:\n  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n`;
    const stack = (cls: string) => JSON.stringify({ resource: { kubernetes_storage_class_v1: { c: { metadata: { name: cls } } } } });
    const write = (p: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(out, p)), { recursive: true });
      fs.writeFileSync(path.join(out, p), text);
    };
    write('dist/one/a.k8s.yaml', claim('a'));
    write('dist/two/b.k8s.yaml', claim('b'));
    write('cdktf.out/stacks/one/cdk.tf.json', stack('fast'));
    write('cdktf.out/stacks/two-extra/cdk.tf.json', stack('slow'));
    const r = run(['check', '--format', 'json'], out);
    // "one" gets its class from its own stack; "two"'s stack makes another class, and one's does not count for it.
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { id: string; file: string }) => [f.id, f.file])).toEqual([['references/storageclass', 'dist/two/b.k8s.yaml']]);
    expect(report.summary).toMatchObject({ objects: 2, errors: 1 });
    expect(r.code).toBe(1);
    fs.rmSync(path.join(out, 'dist', 'two'), { recursive: true });
    expect(run(['check'], out).code).toBe(0);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('error findings: exit 1; --format json and --output write the report to a file', () => {
  const r = run(['check', 'pod.yaml', '--format', 'json', '--output', 'out/report.json'], dir);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain('report written to out/report.json');
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'));
  const ids: string[] = report.findings.map((f: { id: string }) => f.id);
  expect(ids).toContain('references/serviceaccount');
  const sa = report.findings.find((f: { id: string }) => f.id === 'references/serviceaccount');
  expect(sa).toMatchObject({ file: 'pod.yaml', line: 7, kind: 'Pod', namespace: 'shop', name: 'p', path: 'spec.serviceAccountName' });
});

test('a policy file (paas-checks.yaml in the working directory by default) turns the reference into a prerequisite', () => {
  fs.writeFileSync(
    path.join(dir, 'paas-checks.yaml'),
    'createdOutside:\n  - kind: ServiceAccount\n    namespace: shop\n    name: robot\n    reason: the tenant bootstrap creates it\n',
  );
  try {
    const r = run(['check', 'pod.yaml', '--format=sarif'], dir);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).not.toContain('references/serviceaccount');
    const text = run(['check', 'pod.yaml', '--config', 'paas-checks.yaml'], dir);
    expect(text.stdout).toContain('  ServiceAccount shop/robot: the tenant bootstrap creates it (config; referenced by Pod shop/p)\n');
  } finally {
    fs.rmSync(path.join(dir, 'paas-checks.yaml'));
  }
});

test('documents that are not objects, a missing kind and containers as an object: findings (exit 1), never a crash', () => {
  fs.writeFileSync(
    path.join(dir, 'odd.yaml'),
    '- a list\n---\napiVersion: v1\nmetadata:\n  name: nokind\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\nspec:\n  containers:\n    name: main\n    image: nginx:1.27.3\n',
  );
  const r = run(['check', 'odd.yaml', '--format', 'json'], dir);
  expect([r.code, r.stderr]).toEqual([1, '']);
  const findings: { id: string; line: number; path: string }[] = JSON.parse(r.stdout).findings;
  expect(findings.filter((f) => f.id.startsWith('input/') || f.id === 'schema/type').map((f) => [f.id, f.line, f.path])).toEqual([
    ['input/not-an-object', 1, ''],
    ['input/missing-kind', 3, ''],
    ['schema/type', 13, 'spec.containers'],
  ]);
  expect(findings.filter((f) => f.id === 'engine/internal-error')).toEqual([]);
});

test('bad usage and unreadable input: exit 2 with the reason', () => {
  const bad = run(['check', '--format', 'xml'], dir);
  expect(bad.code).toBe(2);
  expect(bad.stderr.split('\n')[0]).toBe('cdk8s-paas check: --format xml is invalid: expected text, json, sarif');
  const syntax = run(['check', 'broken'], dir);
  expect(syntax.code).toBe(2);
  expect(syntax.stderr).toBe('cdk8s-paas check: broken/bad.yaml:5: YAML syntax error: duplicate key: Map keys must be unique\n');
  const missing = run(['check', 'nope/', '--pod-security', 'baseline', '--kubernetes-version', '1.28'], dir);
  expect([missing.code, missing.stderr]).toEqual([2, 'cdk8s-paas check: nope/: no such file or folder\n']);
  const set = run(['check', '--crd-set', 'gateway-api@v0'], dir);
  expect([set.code, set.stderr]).toEqual([
    2,
    'cdk8s-paas check: validate(): crdSets: "gateway-api@v0" is not shipped: expected one of prometheus-operator@v0.93.0, cert-manager@v1.21.1, gateway-api@v1.5.1, gateway-api@v1.6.1\n',
  ]);
  const cmd = run(['lint'], dir);
  expect([cmd.code, cmd.stderr.split('\n')[0]]).toEqual([2, 'cdk8s-paas: unknown command "lint"']);
  const policy = run(['check', '--config', 'pod.yaml'], dir);
  expect(policy.code).toBe(2);
  expect(policy.stderr.split('\n')[0]).toBe('cdk8s-paas check: pod.yaml: 4 problems:');
});
