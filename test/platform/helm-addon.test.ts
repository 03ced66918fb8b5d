import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { AddonNamespace, CHART_CATALOG, deepMerge, HelmAddon, HelmAddonProps, toValuesYaml } from '../../lib/platform';

function setup(): { stack: TerraformStack; helm: HelmProvider; ns: AddonNamespace } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'paas-addon-')), stackTraces: false });
  const stack = new TerraformStack(app, 'stack');
  const helm = new HelmProvider(stack, 'helm', {});
  const kube = new KubernetesProvider(stack, 'kubernetes', {});
  const ns = new AddonNamespace(stack, 'demo-namespace', { name: 'demo', provider: kube, podSecurity: 'restricted', reason: 'test' });
  return { stack, helm, ns };
}

function addon(overrides: Partial<HelmAddonProps> = {}): { stack: TerraformStack; addon: HelmAddon; json: any } {
  const { stack, helm, ns } = setup();
  const a = new HelmAddon(stack, 'metrics-server', {
    pin: CHART_CATALOG.metricsServer,
    releaseName: 'metrics-server',
    namespace: ns,
    provider: helm,
    kubernetesVersion: '1.28.0',
    values: { args: ['--a'], nested: { keep: 1, replace: [1, 2] } },
    ...overrides,
  });
  return { stack, addon: a, json: JSON.parse(Testing.synth(stack)) };
}

describe('HelmAddon', () => {
  test('pins repository, chart and exact version; release settings fail safely', () => {
    const { json } = addon();
    const r = json.resource.helm_release.metrics_server;
    expect(r).toMatchObject({
      name: 'metrics-server',
      namespace: 'demo',
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      chart: 'metrics-server',
      version: '3.13.1',
      atomic: true,
      wait: true,
      cleanup_on_fail: true,
      create_namespace: false,
      max_history: 10,
      timeout: 300,
      depends_on: ['kubernetes_namespace_v1.demo_namespace'],
    });
    expect(r.set_wo).toBeUndefined();
    expect(json.resource.terraform_data).toBeUndefined();
  });

  test('values are one YAML document with keys sorted at every level', () => {
    const { json } = addon({ values: { zeta: 1, alpha: { b: 2, a: 'x' } } });
    expect(json.resource.helm_release.metrics_server.values).toEqual(['alpha:\n  a: x\n  b: 2\nzeta: 1\n']);
  });

  test('overrides deep-merge: maps merge, lists and scalars replace, null stays (Helm removes the default)', () => {
    const { addon: a } = addon({ overrides: { nested: { replace: [3], added: true, gone: null }, args: [] } });
    expect(a.values).toEqual({ args: [], nested: { keep: 1, replace: [3], added: true, gone: null } });
  });

  test('values getter returns a copy', () => {
    const { addon: a } = addon();
    (a.values.nested as Record<string, unknown>).keep = 99;
    expect((a.values.nested as Record<string, unknown>).keep).toBe(1);
  });

  test('dependsOn takes add-ons and resources; dependOn adds more without duplicates', () => {
    const { stack, helm, ns } = setup();
    const first = new HelmAddon(stack, 'first', {
      pin: CHART_CATALOG.prometheusOperatorCrds,
      releaseName: 'crds',
      namespace: ns,
      provider: helm,
      kubernetesVersion: '1.28.0',
      values: {},
    });
    const second = new HelmAddon(stack, 'second', {
      pin: CHART_CATALOG.kubePrometheusStack,
      releaseName: 'kps',
      namespace: ns,
      provider: helm,
      kubernetesVersion: '1.28.0',
      values: {},
      dependsOn: [first],
    });
    expect(second.dependOn(first, ns.resource)).toBe(second);
    const json = JSON.parse(Testing.synth(stack));
    expect(json.resource.helm_release.second.depends_on).toEqual(['kubernetes_namespace_v1.demo_namespace', 'helm_release.first']);
  });

  test('write-only values go to set_wo as strings, with a timestamp revision renewed whenever the release changes', () => {
    const { stack, helm, ns } = setup();
    const secret = new TerraformVariable(stack, 'pw', { type: 'string', sensitive: true });
    new HelmAddon(stack, 'app', {
      pin: CHART_CATALOG.harbor,
      releaseName: 'harbor',
      namespace: ns,
      provider: helm,
      kubernetesVersion: '1.28.0',
      values: {},
      writeOnlyValues: [{ path: 'harborAdminPassword', value: secret.stringValue }],
    });
    const json = JSON.parse(Testing.synth(stack));
    const r = json.resource.helm_release.app;
    expect(r.set_wo).toEqual([{ name: 'harborAdminPassword', type: 'string', value: '${var.pw}' }]);
    expect(r.set_wo_revision).toBe('${tonumber(terraform_data.app_secrets_revision.output)}');
    const stamp = json.resource.terraform_data.app_secrets_revision;
    expect(stamp.input).toBe('${formatdate("YYYYMMDDhhmmss", plantimestamp())}');
    expect(stamp.lifecycle).toEqual({ ignore_changes: ['input'] });
    expect(stamp.triggers_replace.revision).toBe('1');
    expect(stamp.triggers_replace.release).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the fingerprint changes with the chart version or values, not between identical syntheses', () => {
    const fp = (values: Record<string, unknown>, version = '1.19.1'): string => {
      const { stack, helm, ns } = setup();
      new HelmAddon(stack, 'app', {
        pin: { ...CHART_CATALOG.harbor, version },
        releaseName: 'harbor',
        namespace: ns,
        provider: helm,
        kubernetesVersion: '1.28.0',
        values,
        writeOnlyValues: [{ path: 'secretKey', value: '${var.x}' }],
      });
      return JSON.parse(Testing.synth(stack)).resource.terraform_data.app_secrets_revision.triggers_replace.release;
    };
    expect(fp({ a: 1 })).toBe(fp({ a: 1 }));
    expect(fp({ a: 2 })).not.toBe(fp({ a: 1 }));
    expect(fp({ a: 1 }, '1.19.2')).not.toBe(fp({ a: 1 }));
  });

  test('fails if the cluster version is outside the chart kubeVersion', () => {
    expect(() => addon({ pin: CHART_CATALOG.kubePrometheusStack, kubernetesVersion: '1.24.0' })).toThrow(
      'stack/metrics-server: kubernetesVersion "1.24.0" is invalid: is not supported by chart kube-prometheus-stack 88.5.3, which requires Kubernetes ">=1.25.0-0"',
    );
  });

  test('fails if a write-only path is also set in values or overrides', () => {
    expect(() =>
      addon({ pin: CHART_CATALOG.harbor, overrides: { secretKey: 'not-a-secure-key' }, writeOnlyValues: [{ path: 'secretKey', value: '${var.k}' }] }),
    ).toThrow(
      'stack/metrics-server: values.secretKey "<redacted>" is invalid: is a secret delivered as a write-only value: do not set it in values or overrides',
    );
  });

  test('fails if maxHistory would keep every revision, or the timeout is not positive; all problems at once', () => {
    expect(() => addon({ maxHistory: 0, timeoutSeconds: 0, releaseName: 'Bad_Name' })).toThrow(
      [
        '3 problems:',
        '  - stack/metrics-server: releaseName "Bad_Name" is invalid: must be a DNS-1123 label: 1-53 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit',
        '  - stack/metrics-server: timeoutSeconds 0 is invalid: must be a positive whole number of seconds',
        '  - stack/metrics-server: maxHistory 0 is invalid: must be a whole number of at least 1 (0 would keep every revision)',
      ].join('\n'),
    );
  });
});

describe('values helpers', () => {
  test('deepMerge leaves its inputs alone', () => {
    const base = { a: { b: 1 } };
    const out = deepMerge(base, { a: { c: 2 } });
    expect(base).toEqual({ a: { b: 1 } });
    expect(out).toEqual({ a: { b: 1, c: 2 } });
  });

  test('toValuesYaml drops undefined, keeps long strings on one line, quotes strings that look like numbers', () => {
    const long = 'x'.repeat(200);
    expect(toValuesYaml({ b: undefined, a: '1', c: long })).toBe(`a: "1"\nc: ${long}\n`);
  });
});
