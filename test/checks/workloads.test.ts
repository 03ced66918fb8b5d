import { checkWorkloadWiring } from '../../lib/checks/workloads';
import { KubeManifest } from '../../lib/checks/manifest';

const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
const deployment = (over: Record<string, unknown> = {}): KubeManifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    ...over,
  },
});
const service = (targetPort: string | number, selector: Record<string, string> = labels): KubeManifest => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector, ports: [{ name: 'http', port: 80, targetPort }] },
});
const path = (m: KubeManifest) => `app/${m.kind}`;

describe('checkWorkloadWiring', () => {
  test("a Job's selector is the API server's (controller-uid) unless manualSelector is set", () => {
    const template = { metadata: { labels }, spec: { containers: [{ name: 'task', image: 'busybox:1.37.0' }] } };
    const job = (spec: Record<string, unknown>): KubeManifest => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'task', namespace: 'shop' }, spec });
    expect(checkWorkloadWiring([job({ template })], path)).toEqual([]);
    expect(checkWorkloadWiring([job({ manualSelector: true, selector: { matchLabels: { app: 'other' } }, template })], path)).toEqual([
      {
        path: 'app/Job',
        field: 'spec.selector',
        value: { matchLabels: { app: 'other' } },
        expected:
          'spec.selector does not match the pod template labels of Job shop/task: the API server rejects it; make spec.template.metadata.labels carry every selector label',
      },
    ]);
  });
  test('a consistent Deployment, Service, HPA and PDB pass', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
    };
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: labels } },
    };
    expect(checkWorkloadWiring([deployment(), service('http'), hpa, pdb], path)).toEqual([]);
  });
  test('fails if a Service names a target port no selected container has', () => {
    expect(checkWorkloadWiring([deployment(), service('metrics')], path)).toEqual([
      {
        path: 'app/Service',
        field: 'spec.ports[0].targetPort',
        value: 'metrics',
        expected: 'targetPort "metrics" is not a container port name of Deployment shop/web (named ports: http)',
      },
    ]);
  });
  test('fails if a Service selects no pods', () => {
    expect(checkWorkloadWiring([deployment(), service('http', { app: 'other' })], path)).toEqual([
      {
        path: 'app/Service',
        field: 'spec.selector',
        value: { app: 'other' },
        expected: `selects no pods of a workload in namespace "shop": the Service gets no endpoints; make the selector match a pod template's labels`,
      },
    ]);
  });
  test('fails if a controller selector does not match its own template', () => {
    expect(checkWorkloadWiring([deployment({ selector: { matchLabels: { app: 'x' } } })], path)).toEqual([
      {
        path: 'app/Deployment',
        field: 'spec.selector',
        value: { matchLabels: { app: 'x' } },
        expected:
          'spec.selector does not match the pod template labels of Deployment shop/web: the API server rejects it; make spec.template.metadata.labels carry every selector label',
      },
    ]);
  });
  test('fails if an HPA targets a missing Deployment, or a PDB selects nothing', () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'gone' } },
    };
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'x' } } },
    };
    expect(checkWorkloadWiring([deployment(), hpa, pdb], path).map((p) => p.expected)).toEqual([
      'scales Deployment "gone", which the input does not create in namespace "shop"',
      `selects no pods of a workload in namespace "shop": the budget protects nothing; make the selector match a pod template's labels`,
    ]);
  });
});
