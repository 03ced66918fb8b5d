import { ApiObject, App, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { WebApp } from '../lib/workloads/web-app';

/** One bench case: builds `n` apps into `chart`. */
export type BenchCase = (chart: Chart, n: number) => void;

/** Our WebApp with the object set of the raw baseline: Deployment, Service, HPA, PDB. */
export const webApps: BenchCase = (chart, n) => {
  for (let i = 0; i < n; i++) {
    new WebApp(chart, `app${i}`, {
      image: 'nginx:1.27.3',
      autoscaling: { minReplicas: 2, maxReplicas: 5 },
      network: { enabled: false },
    });
  }
};

/** Our WebApp as `new WebApp(scope, id, { image })` gives it (adds its NetworkPolicy). */
export const webAppsDefault: BenchCase = (chart, n) => {
  for (let i = 0; i < n; i++) new WebApp(chart, `app${i}`, { image: 'nginx:1.27.3', autoscaling: { minReplicas: 2, maxReplicas: 5 } });
};

/**
 * The same objects written directly with cdk8s-plus-28 (plus the L1 PDB it has no class for, and
 * JSON patches for the fields it cannot express), with the same labels, security context, probes
 * and resources as WebApp renders, so the comparison measures the abstraction, not the content.
 */
export const rawPlus: BenchCase = (chart, n) => {
  for (let i = 0; i < n; i++) {
    const name = `app${i}`;
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    const labels = { ...selector, 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/managed-by': 'raw', 'app.kubernetes.io/version': '1.27.3' };
    const dep = new kplus.Deployment(chart, name, {
      metadata: { name, labels },
      select: false,
      podMetadata: { labels },
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001 },
      containers: [
        {
          name,
          image: 'nginx:1.27.3',
          ports: [{ name: 'http', number: 8080 }],
          resources: {
            cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
            memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
          },
          liveness: kplus.Probe.fromTcpSocket({ port: 8080 }),
          readiness: kplus.Probe.fromTcpSocket({ port: 8080 }),
          securityContext: {
            ensureNonRoot: true,
            user: 10001,
            group: 10001,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: [kplus.Capability.ALL] },
            seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
          },
          volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'writable-0', { sizeLimit: Size.mebibytes(256) }) }],
        },
      ],
    });
    dep.select(kplus.LabelSelector.of({ labels: selector }));
    const obj = ApiObject.of(dep);
    obj.addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
    obj.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
    obj.addJsonPatch(
      JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
        { labelSelector: { matchLabels: selector }, maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
      ]),
    );
    new kplus.Service(chart, `${name}-svc`, { metadata: { name, labels }, selector: dep, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
    new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
      metadata: { name, labels },
      target: dep,
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
    new kplus.k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
      metadata: { name, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });
  }
};

/** Builds and synthesizes (validation + YAML, no disk) one case; returns the object count. */
export function runCase(build: BenchCase, n: number): number {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
  build(chart, n);
  const yaml = app.synthYaml();
  return yaml.split('\n---\n').length;
}
