import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { addWarning } from '../../lib/core/warnings';
import * as root from '../../lib';
import * as engine from '../../lib/validation';
import { CheckContext, CheckFamily } from '../../lib/validation/types';
import { validate } from '../../lib/validation/validate';

/** A family that records the context it was given. */
function capture(): { family: CheckFamily; ctx: () => CheckContext } {
  let seen: CheckContext | undefined;
  return {
    family: function capturing(ctx) {
      seen = ctx;
      return [];
    },
    ctx: () => seen!,
  };
}
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-api-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ns = (name: string, level?: string) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(level ? { labels: { 'pod-security.kubernetes.io/enforce': level } } : {}) },
});
const crd = (group: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `widgets.${group}` },
  spec: { group, names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [] },
});

describe('validate()', () => {
  test('defaults: restricted, Kubernetes 1.28 and 1.35, no namespace levels, no CRDs', () => {
    const c = capture();
    const r = validate([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }], { families: [c.family] });
    expect(c.ctx()).toMatchObject({ podSecurityLevel: 'restricted', kubernetesVersions: ['1.28', '1.35'], customResourceDefinitions: [] });
    expect(c.ctx().namespaceLevels.size).toBe(0);
    expect(r).toEqual({ findings: [], summary: { objects: 1, errors: 0, warnings: 0, exempted: 0, prerequisites: [] } });
  });

  test('namespace levels come from Namespaces in the input and from a cdktf output folder; the input wins', () => {
    const stack = path.join(dir, 'cdktf.out', 'stacks', 'platform');
    fs.mkdirSync(stack, { recursive: true });
    const tfNs = (name: string, level: string) => ({ metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } });
    fs.writeFileSync(
      path.join(stack, 'cdk.tf.json'),
      JSON.stringify({
        resource: {
          kubernetes_namespace_v1: { a: tfNs('ingress', 'baseline'), b: tfNs('shop', 'privileged'), c: { metadata: [tfNs('nfs', 'privileged').metadata] } },
        },
      }),
    );
    const c = capture();
    validate([ns('shop', 'restricted'), ns('plain')], { families: [c.family], cdktfOut: path.join(dir, 'cdktf.out'), podSecurity: 'baseline' });
    expect([...c.ctx().namespaceLevels].sort()).toEqual([
      ['ingress', 'baseline'],
      ['nfs', 'privileged'],
      ['shop', 'restricted'],
    ]);
    expect(c.ctx().podSecurityLevel).toBe('baseline');
    // A cdktf.out folder among the paths does the same.
    const d = capture();
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    validate([path.join(dir, 'a.yaml'), path.join(dir, 'cdktf.out')], { families: [d.family] });
    expect(d.ctx().namespaceLevels.get('ingress')).toBe('baseline');
    expect(d.ctx().objects).toHaveLength(1);
    // One stack folder (one cluster's platform) works too; a folder that is neither is an error.
    const e = capture();
    validate([], { families: [e.family], cdktfOut: stack });
    expect(e.ctx().namespaceLevels.get('nfs')).toBe('privileged');
    expect(() => validate([], { families: [], cdktfOut: dir })).toThrow(`${dir}: not a cdktf output folder (no stacks/<stack>/cdk.tf.json, no cdk.tf.json)`);
  });

  test('CRDs in the input and in crds files reach the families', () => {
    fs.writeFileSync(path.join(dir, 'crd.yaml'), JSON.stringify(crd('b.example.com')));
    const c = capture();
    validate([crd('a.example.com')], { families: [c.family], crds: [path.join(dir, 'crd.yaml')] });
    expect(c.ctx().customResourceDefinitions.map((x) => x.spec.group)).toEqual(['a.example.com', 'b.example.com']);
    fs.writeFileSync(path.join(dir, 'not-crd.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    expect(() => validate([], { families: [], crds: [path.join(dir, 'not-crd.yaml')] })).toThrow(
      `${path.join(dir, 'not-crd.yaml')}:1: crds: expected a CustomResourceDefinition, got ConfigMap`,
    );
  });

  test('bad options are usage errors naming each', () => {
    expect(() => validate([], { podSecurity: 'privileged' as never, kubernetesVersions: ['1.28', 'latest', '1.30'], crdSets: ['gateway-api@v9'] })).toThrow(
      'validate(): podSecurity "privileged" is invalid: expected "baseline" or "restricted"; kubernetesVersions: "latest" is invalid: expected a minor such as "1.35"; kubernetesVersions: "1.30" is not shipped: expected one of 1.28, 1.35; crdSets: "gateway-api@v9" is not shipped: expected one of prometheus-operator@v0.93.0, cert-manager@v1.21.1, gateway-api@v1.5.1, gateway-api@v1.6.1',
    );
  });

  test('crdSets reach the families', () => {
    const c = capture();
    validate([], { families: [c.family], crdSets: ['gateway-api@v1.6.1'] });
    expect(c.ctx().crdSets).toEqual(['gateway-api@v1.6.1']);
  });

  test('bad input through the whole engine: containers as an object, a list as spec, null fields: findings, never a crash', () => {
    const r = validate([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' }, spec: { containers: { name: 'c', image: 'nginx:1.27.3' } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b', namespace: 'x' }, spec: [] },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'c', namespace: 'x' },
        spec: { template: { spec: { containers: [null, 'x', { name: 'm', env: {}, ports: 'http' }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'd', namespace: 'x' }, spec: { selector: [], ports: null } },
    ]);
    expect(r.findings.filter((f) => f.id === 'engine/internal-error')).toEqual([]);
    expect(r.findings.find((f) => f.name === 'a' && f.id === 'schema/type')).toMatchObject({ path: 'spec.containers', message: 'must be array, not object' });
    expect(r.findings.some((f) => f.name === 'b' && f.id.startsWith('schema/'))).toBe(true);
    expect(r.summary.errors).toBeGreaterThan(0);
  });

  test('a family that throws becomes an engine/internal-error finding; the other families still report', () => {
    const broken: CheckFamily = function broken() {
      throw new TypeError("Cannot read properties of undefined (reading 'map')");
    };
    const other: CheckFamily = function other() {
      return [{ id: 'wiring/x', severity: 'warning', objectIndex: 0, path: '', message: 'x' }];
    };
    const r = validate([ns('a')], { families: [broken, other] });
    expect(r.findings.map((f) => [f.id, f.severity, f.message])).toEqual([
      ['engine/internal-error', 'error', `check family "broken" failed on this input: Cannot read properties of undefined (reading 'map')`],
      ['wiring/x', 'warning', 'x'],
    ]);
  });

  test('an App: construct paths on findings and construct warnings as findings', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const obj = new ApiObject(chart, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
    addWarning(obj, 'this ConfigMap is big');
    const family: CheckFamily = function f() {
      return [{ id: 'polaris/x', severity: 'warning', objectIndex: 0, path: 'data', message: 'm' }];
    };
    const r = validate(app, { families: [family] });
    expect(r.findings).toEqual([
      {
        id: 'polaris/x',
        severity: 'warning',
        file: null,
        line: null,
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'shop',
        name: 'cfg',
        constructPath: 'shop/cfg',
        path: 'data',
        message: 'm',
        exemption: null,
      },
      {
        id: 'construct/warning',
        severity: 'warning',
        file: null,
        line: null,
        apiVersion: null,
        kind: null,
        namespace: null,
        name: null,
        constructPath: 'shop/cfg',
        path: '',
        message: 'this ConfigMap is big',
        exemption: null,
      },
    ]);
    expect(r.summary.warnings).toBe(2);
  });

  test('construct metadata maps names back only where a name is unique', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' } },
    ];
    const family: CheckFamily = (ctx) => ctx.objects.map((_, objectIndex) => ({ id: 'wiring/x', severity: 'warning', objectIndex, path: '', message: 'x' }));
    const r = validate(objects, { families: [family], constructMetadata: { web: { path: 'shop/web/Deployment' }, cfg: { path: 'shop/cfg' } } });
    expect(r.findings.map((f) => f.constructPath)).toEqual([null, null, 'shop/cfg']);
  });

  test('the default families run wiring and references (engine families added by the engine)', () => {
    const r = validate([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: { name: 'c' }, serviceAccountName: 'x' } },
    ]);
    expect(r.findings.some((f) => f.id === 'references/serviceaccount')).toBe(true);
    expect(r.findings.every((f) => f.id !== 'engine/internal-error')).toBe(true);
  });

  test('exported from cdk8s-paas/validation and, for the plugin and validate, from the package root', () => {
    expect(engine.validate).toBe(validate);
    expect(root.validate).toBe(validate);
    expect(root.PaasValidation).toBe(engine.PaasValidation);
    expect(typeof root.writePaasWarnings).toBe('function');
  });
});
