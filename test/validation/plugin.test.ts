import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { addWarning } from '../../lib/core/warnings';
import { PaasValidation, PluginContext, writePaasWarnings } from '../../lib/validation/plugin';

const root = path.resolve(__dirname, '..', '..');
/** Files inside the working directory are reported relative to it. */
const rel = (p: string): string => path.relative(process.cwd(), p);

/** A stand-in for cdk8s-cli's ValidationContext that records what the plugin reports. */
function context(manifests: string[], metadata: PluginContext['metadata'] = {}) {
  const violations: Parameters<PluginContext['report']['addViolation']>[0][] = [];
  const logs: string[] = [];
  let status: string | undefined;
  let meta: Record<string, string> | undefined;
  const ctx: PluginContext = {
    manifests,
    metadata,
    report: {
      addViolation: (v) => violations.push(v),
      submit: (s, m) => {
        status = s;
        meta = m as Record<string, string>;
      },
    },
    logger: { log: (m) => logs.push(m) },
  };
  return { ctx, violations, logs, status: () => status, meta: () => meta };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(root, '.plugin-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A Pod that passes Pod Security restricted and every Polaris danger check (Polaris warnings remain). */
const POD_SPEC = {
  securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'main',
      image: 'nginx:1.27.3',
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    },
  ],
};

function synthApp(withError: boolean): App {
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const pod = new ApiObject(chart, 'pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: { ...POD_SPEC, ...(withError ? { serviceAccountName: 'robot' } : {}) },
  });
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web' }, data: { a: '1' } });
  addWarning(pod, 'runs a single replica');
  app.synth();
  return app;
}

test('error findings become violations and fail the report; warnings and exemptions go to the logger', async () => {
  const file = writePaasWarnings(synthApp(true));
  expect(path.basename(file)).toBe('paas-warnings.json');
  const c = context([path.join(dir, 'shop.k8s.yaml')]);
  await new PaasValidation({}).validate(c.ctx);
  expect(c.status()).toBe('failure');
  expect(c.violations).toEqual([
    {
      ruleName: '[error] references/serviceaccount',
      recommendation:
        'ServiceAccount "robot" in namespace "shop" is referenced but not created by the input: create it, or declare it created outside (annotation paas.cdk8s.io/created-outside or createdOutside in paas-checks.yaml) with who creates it',
      fix: 'Change spec.serviceAccountName as the recommendation says, or exempt the object in paas-checks.yaml (exemptions: [{ check: references/serviceaccount, kind, namespace, name, reason }]).',
      violatingResources: [
        { resourceName: 'web', locations: ['spec.serviceAccountName (line 22) [shop/pod]'], manifestPath: rel(path.join(dir, 'shop.k8s.yaml')) },
      ],
    },
  ]);
  // The construct warning comes from paas-warnings.json, which also names the Pod's construct path
  // although a ConfigMap shares its name (construct-metadata.json cannot tell them apart).
  expect(c.logs).toContain('warning construct/warning: shop/pod: runs a single replica');
  expect(c.logs).toContain(
    'warning polaris/livenessProbeMissing: Pod shop/web (' +
      rel(path.join(dir, 'shop.k8s.yaml')) +
      ':8): spec.containers[0].livenessProbe: add a livenessProbe so a hung container is restarted',
  );
  expect(c.logs.every((l) => l.startsWith('warning '))).toBe(true);
  expect(c.meta()).toMatchObject({ objects: '2', errors: '1', exempted: '0', prerequisites: '0' });
  expect(Number(c.meta()!.warnings)).toBe(c.logs.length);
});

test('properties carry the policy inline: a declared prerequisite passes and is logged', async () => {
  synthApp(true);
  const c = context([path.join(dir, 'shop.k8s.yaml')]);
  await new PaasValidation({
    createdOutside: [{ kind: 'ServiceAccount', namespace: 'shop', name: 'robot', reason: 'the tenant bootstrap creates it' }],
  }).validate(c.ctx);
  expect(c.status()).toBe('success');
  expect(c.violations).toEqual([]);
  expect(c.logs).toContain('prerequisite ServiceAccount shop/robot: the tenant bootstrap creates it (referenced by Pod shop/web)');
});

test('unreadable manifests and bad properties fail the report instead of throwing', async () => {
  fs.writeFileSync(path.join(dir, 'bad.k8s.yaml'), 'a: [\n');
  const c = context([path.join(dir, 'bad.k8s.yaml')]);
  await new PaasValidation().validate(c.ctx);
  expect(c.status()).toBe('failure');
  expect(c.violations.map((v) => [v.ruleName, v.recommendation])).toEqual([
    [
      '[error] input/unreadable',
      `${rel(path.join(dir, 'bad.k8s.yaml'))}:2: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    ],
  ]);
  const p = context([]);
  await new PaasValidation({ severity: { 'polaris/hostPIDSet': 'off' } }).validate(p.ctx);
  expect(p.violations[0].recommendation).toBe(
    'validate(): config: severity."polaris/hostPIDSet": "off" is invalid: a Polaris danger check can only be exempted per object (exemptions: [{ check, kind, namespace, name, reason }]), never switched off globally',
  );
});

test('writePaasWarnings needs an App', () => {
  expect(() => writePaasWarnings({})).toThrow('writePaasWarnings(): expected a cdk8s App (after app.synth())');
});

describe('with cdk8s-cli (cdk8s synth, offline, plugin from a local path)', () => {
  const cdk8s = path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
  function project(serviceAccount: boolean) {
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      [
        "import { ApiObject, App, Chart } from 'cdk8s';",
        `import { writePaasWarnings } from '${path.join(root, 'lib', 'validation', 'plugin')}';`,
        'const app = new App();',
        "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
        `new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { ...${JSON.stringify(POD_SPEC)}${serviceAccount ? ", serviceAccountName: 'robot'" : ''} } });`,
        'app.synth();',
        'writePaasWarnings(app);',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'cdk8s.yaml'),
      [
        'language: typescript',
        'app: node --import tsx main.ts',
        'output: dist',
        'validations:',
        `  - package: ${path.join(root, 'bin', 'dev-plugin.js')}`,
        '    class: PaasValidation',
        '    version: 0.1.0',
        '',
      ].join('\n'),
    );
    return spawnSync(process.execPath, [cdk8s, 'synth'], { cwd: dir, encoding: 'utf8' });
  }
  test('a failed validation makes cdk8s synth exit 2 and names the rule; a clean one exits 0', () => {
    const failed = project(true);
    expect(failed.stdout).toContain('[error] references/serviceaccount');
    // cdk8s-cli maps the construct path from construct-metadata.json by resource name.
    expect(failed.stdout).toContain('- Construct Path: shop/pod');
    expect(failed.stderr).toContain('Validation failed');
    expect(failed.status).toBe(2);
    const passed = project(false);
    expect(passed.stdout).toContain('Validations ended succesfully');
    expect(passed.status).toBe(0);
  });
});

test("this repository's cdk8s.yaml names the plugin by a local path, with this package's exact version", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  const config = parse(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  expect(config.validations).toEqual([
    { package: './bin/dev-plugin.js', class: 'PaasValidation', version: pkg.version, properties: { cdktfOut: 'cdktf.out' } },
  ]);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require(path.join(root, 'bin', 'dev-plugin.js')).PaasValidation).toBe(PaasValidation);
});
