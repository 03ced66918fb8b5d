import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { PLATFORMS } from '../../apps/platform';
import { PlatformStack, renderedChartDeclarations, renderedChartPolicy } from '../../lib/platform';
import { definePlatform } from '../../lib/platform-spec';
import { validate } from '../../lib/validation/validate';
import { POLARIS_DANGER_CHECKS } from '../../lib/validation/policy';
import { SEEDS } from './fixtures';

// Runs without the Helm render (CI cannot fetch charts): the declarations are checked against the
// synthesized stack, and the policy against a small sample written for this test.

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-rendered-policy-'));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** helm_release name → namespace of a spec's stack. */
function releases(spec: (typeof PLATFORMS)[number]): Map<string, string> {
  const app = new App({ outdir, stackTraces: false });
  const json = JSON.parse(Testing.synth(new PlatformStack(app, spec.name, { platform: spec })));
  const out = new Map<string, string>();
  for (const r of Object.values(json.resource.helm_release) as { name: string; namespace: string }[]) out.set(r.name, r.namespace);
  return out;
}

const KNOWN_CHECKS = /^(wiring\/(service-selects-nothing|monitor-selects-nothing)|polaris\/[A-Za-z]+)$/;

describe.each(PLATFORMS.map((p) => [p.name, p] as const))('renderedChartDeclarations(%s)', (_name, spec) => {
  const d = renderedChartDeclarations(spec);
  const rel = releases(spec);

  test('every entry names a release of the stack, a namespace that release writes to, and a reason', () => {
    const mon = spec.monitoring;
    for (const e of [...d.exemptions, ...d.createdOutside]) {
      expect(rel.has(e.release)).toBe(true);
      const allowed = [rel.get(e.release)];
      // kube-prometheus-stack puts node-exporter into its own namespace and the control-plane
      // scrape Services into kube-system.
      if (e.release === mon.releaseName) allowed.push(mon.nodeExporterNamespace, 'kube-system');
      expect(allowed).toContain(e.namespace);
      expect(e.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(e.reason.length).toBeGreaterThan(40);
    }
    for (const e of d.exemptions) expect(e.check).toMatch(KNOWN_CHECKS);
  });

  test('no entry twice; never a family-wide or a Pod Security exemption', () => {
    const keys = d.exemptions.map((e) => `${e.check} ${e.kind} ${e.namespace}/${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of d.exemptions) {
      expect(e.check.endsWith('/*')).toBe(false);
      expect(e.check.startsWith('pod-security/')).toBe(false);
    }
  });

  test('the policy loads in validate() and carries no release field', () => {
    const policy = renderedChartPolicy(spec);
    expect(() => validate([], { config: policy })).not.toThrow();
    for (const e of policy.exemptions ?? []) expect(Object.keys(e).sort()).toEqual(['check', 'kind', 'name', 'namespace', 'reason']);
  });
});

test('the seeds cluster: exactly these declarations (names follow the release names)', () => {
  const d = renderedChartDeclarations(definePlatform(SEEDS));
  expect(d.createdOutside.map((c) => `${c.kind} ${c.namespace}/${c.name}`)).toEqual([
    'Secret ingress-nginx/ingress-nginx-admission',
    'Secret monitoring/kube-prometheus-stack-admission',
  ]);
  expect(d.exemptions.map((e) => `${e.check} ${e.kind} ${e.namespace}/${e.name}`)).toEqual([
    'wiring/service-selects-nothing Service monitoring/kube-prometheus-stack-prometheus',
    'wiring/service-selects-nothing Service monitoring/kube-prometheus-stack-alertmanager',
    'wiring/service-selects-nothing Service kube-system/kube-prometheus-stack-coredns',
    'wiring/service-selects-nothing Service kube-system/kube-prometheus-stack-kube-controller-manager',
    'wiring/service-selects-nothing Service kube-system/kube-prometheus-stack-kube-etcd',
    'wiring/service-selects-nothing Service kube-system/kube-prometheus-stack-kube-proxy',
    'wiring/service-selects-nothing Service kube-system/kube-prometheus-stack-kube-scheduler',
    'wiring/monitor-selects-nothing ServiceMonitor monitoring/kube-prometheus-stack-apiserver',
    'wiring/monitor-selects-nothing ServiceMonitor monitoring/kube-prometheus-stack-kubelet',
    'polaris/hostNetworkSet DaemonSet monitoring-node/kube-prometheus-stack-prometheus-node-exporter',
    'polaris/hostPIDSet DaemonSet monitoring-node/kube-prometheus-stack-prometheus-node-exporter',
    'polaris/runAsRootAllowed Deployment nfs-provisioner/nfs-provisioner-nfs-subdir-external-provisioner',
    'polaris/sensitiveConfigmapContent ConfigMap harbor/harbor-core',
    'polaris/sensitiveConfigmapContent ConfigMap harbor/harbor-jobservice-env',
  ]);
  // The Polaris exemptions are all for danger checks, which the policy can only exempt per object.
  for (const e of d.exemptions.filter((x) => x.check.startsWith('polaris/'))) expect(POLARIS_DANGER_CHECKS).toContain(e.check.slice('polaris/'.length));
});

describe('the policy on a small rendered-like sample (written for this test)', () => {
  const spec = definePlatform(SEEDS);
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring-node', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } };
  const exporter = (extra: Record<string, unknown> = {}, name = 'kube-prometheus-stack-prometheus-node-exporter') => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'monitoring-node' },
    spec: {
      selector: { matchLabels: { app: 'ne' } },
      template: {
        metadata: { labels: { app: 'ne' } },
        spec: {
          hostNetwork: true,
          hostPID: true,
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'node-exporter',
              image: 'quay.io/prometheus/node-exporter:v1.9.1',
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
              livenessProbe: { httpGet: { path: '/', port: 9100 } },
              readinessProbe: { httpGet: { path: '/', port: 9100 } },
              securityContext: { runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, ...extra },
            },
          ],
        },
      },
    },
  });
  const errors = (objects: unknown[]) =>
    validate(objects, { kubernetesVersions: ['1.35'], config: renderedChartPolicy(spec) })
      .findings.filter((f) => f.severity === 'error' && !f.exemption)
      .map((f) => `${f.id} ${f.name}`);

  test("node-exporter's host namespaces are exempted with the reason, on that object only", () => {
    const r = validate([ns, exporter()], { kubernetesVersions: ['1.35'], config: renderedChartPolicy(spec) });
    const exempted = r.findings.filter((f) => f.exemption).map((f) => f.id);
    expect(exempted).toEqual(['polaris/hostNetworkSet', 'polaris/hostPIDSet']);
    expect(r.findings.find((f) => f.id === 'polaris/hostPIDSet')!.exemption!.reason).toMatch(/^node-exporter reads the node's processes/);
    expect(r.summary.errors).toBe(0);
    expect(errors([ns, exporter({}, 'other-exporter')])).toEqual(['polaris/hostNetworkSet other-exporter', 'polaris/hostPIDSet other-exporter']);
  });

  test('a chart upgrade that makes it privileged still fails', () => {
    expect(errors([ns, exporter({ privileged: true, allowPrivilegeEscalation: true })])).toEqual([
      'polaris/privilegeEscalationAllowed kube-prometheus-stack-prometheus-node-exporter',
      'polaris/runAsPrivileged kube-prometheus-stack-prometheus-node-exporter',
    ]);
  });

  test('the hook-made admission Secret is a prerequisite, not an error; another Secret is still missing', () => {
    const mounting = (secretName: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ctl', namespace: 'ingress-nginx' },
      spec: { containers: [{ name: 'c', image: 'x:1' }], volumes: [{ name: 'w', secret: { secretName } }] },
    });
    const ok = validate([mounting('ingress-nginx-admission')], { kubernetesVersions: ['1.35'], config: renderedChartPolicy(spec) });
    expect(ok.findings.filter((f) => f.id.startsWith('references/'))).toEqual([]);
    expect(ok.summary.prerequisites.map((p) => `${p.kind} ${p.namespace}/${p.name}`)).toEqual(['Secret ingress-nginx/ingress-nginx-admission']);
    expect(errors([mounting('other')]).filter((e) => e.startsWith('references/'))).toEqual(['references/secret ctl']);
  });
});
