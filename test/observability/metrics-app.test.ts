import { Testing } from 'cdk8s';
import { addMetricsApp } from '../../apps/metrics-app';
import { platform } from '../../apps/platform.config';
import { expectValidManifests, synthObjects } from '../support';
import { ofKind } from './fixtures';

function synth(): any[] {
  const app = Testing.app();
  addMetricsApp(app, platform);
  return synthObjects(app);
}

describe('apps/metrics-app', () => {
  const objects = synth();

  test('every object passes schema, Pod Security restricted and Polaris', () => {
    expectValidManifests(objects);
  });

  test('whole output (snapshot)', () => {
    expect(objects).toMatchSnapshot();
  });

  test('objects and names', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/metrics-demo-dashboard',
      'Deployment/metrics-demo',
      'Namespace/metrics-demo',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/metrics-demo',
      'NetworkPolicy/metrics-demo-http-metrics-from-monitoring',
      'PodDisruptionBudget/metrics-demo',
      'PrometheusRule/metrics-demo-alerts',
      'Role/deployer',
      'RoleBinding/deployer-sa-deployer',
      'Service/metrics-demo',
      'ServiceAccount/default',
      'ServiceAccount/deployer',
      'ServiceMonitor/metrics-demo-http-metrics',
    ]);
    // Namespace is cluster-scoped; everything else lands in the tenant's namespace.
    expect(new Set(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace))).toEqual(new Set(['metrics-demo']));
  });

  test('image from the platform registry, pulled with its secret', () => {
    const pod = ofKind(objects, 'Deployment')[0].spec.template.spec;
    expect(pod.containers[0].image).toBe('harbor.test/demo/metrics-demo:1.0.0');
    expect(pod.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
  });

  test('Prometheus scrapes /metrics on the app port, with the release label', () => {
    const [sm] = ofKind(objects, 'ServiceMonitor');
    expect(sm.metadata.labels.release).toBe(platform.monitoring.releaseName);
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }]);
  });

  test('random_integer alert next to the defaults', () => {
    const rules = ofKind(objects, 'PrometheusRule')[0].spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['WorkloadPodRestarting', 'WorkloadReplicasUnavailable', 'RandomIntegerHigh']);
    expect(rules[2].expr).toBe('random_integer{namespace="metrics-demo", service="metrics-demo"} > 90');
  });

  test('dashboard with the random_integer panel', () => {
    const cm = ofKind(objects, 'ConfigMap')[0];
    expect(cm.metadata.labels[platform.monitoring.dashboardLabel.key]).toBe(platform.monitoring.dashboardLabel.value);
    const dashboard = JSON.parse(cm.data['metrics-demo-metrics-demo.json']);
    expect(dashboard.uid).toBe('metrics-demo-metrics-demo');
    expect(dashboard.panels.map((p: any) => p.title)).toEqual(['CPU usage', 'Memory (working set)', 'Container restarts', 'Replicas', 'random_integer']);
  });
});
