import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { App as TerraformApp } from 'cdktf';
import { addMetricsApp } from '../../apps/metrics-app';
import { platform } from '../../apps/platform.config';
import { PlatformStack } from '../../lib/platform';
import { synthObjects } from '../support';
import { readUpstreamYaml } from '../support/upstream';

/**
 * One spec, two synthesizers: what MonitoringStack emits (cdk8s) must be what the platform stack's
 * kube-prometheus-stack (cdktf) picks up. Checked on the seeds' example app and platform stack.
 */
describe('MonitoringStack output is selected by the platform stack kube-prometheus-stack', () => {
  const tf = new TerraformApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'paas-wiring-')), stackTraces: false });
  const stack = new PlatformStack(tf, platform.name, { platform });
  const values = stack.monitoring.values as any;
  const prometheusSpec = values.prometheus.prometheusSpec;
  const app = Testing.app();
  addMetricsApp(app, platform);
  const objects = synthObjects(app);
  const byKind = (kind: string): any[] => objects.filter((o) => o.kind === kind);

  const selected = (labels: Record<string, string>, selector: { matchLabels: Record<string, string> }): boolean =>
    Object.entries(selector.matchLabels).every(([k, v]) => labels[k] === v);

  test.each([
    ['ServiceMonitor', 'serviceMonitor'],
    ['PrometheusRule', 'rule'],
  ])('%s carries the labels of %sSelector; every namespace is searched', (kind, key) => {
    const found = byKind(kind);
    expect(found.length).toBeGreaterThan(0);
    expect(prometheusSpec[`${key}SelectorNilUsesHelmValues`]).toBe(false);
    expect(prometheusSpec[`${key}NamespaceSelector`]).toEqual({});
    for (const o of found) expect([o.metadata.name, selected(o.metadata.labels, prometheusSpec[`${key}Selector`])]).toEqual([o.metadata.name, true]);
  });

  test('the selector is not empty (an empty one would select everything and prove nothing)', () => {
    expect(Object.keys(prometheusSpec.serviceMonitorSelector.matchLabels)).toEqual(['release']);
    expect(prometheusSpec.serviceMonitorSelector.matchLabels.release).toBe(stack.monitoring.releaseName);
  });

  test('dashboard ConfigMaps carry the label the Grafana sidecar watches, in all namespaces', () => {
    const sidecar = values.grafana.sidecar.dashboards;
    expect(sidecar.searchNamespace).toBe('ALL');
    const dashboards = byKind('ConfigMap').filter((c) => c.metadata.name.endsWith('-dashboard'));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const d of dashboards) expect(d.metadata.labels[sidecar.label]).toBe(sidecar.labelValue);
  });

  test('the scrape NetworkPolicy admits pods from the namespace the release installs into', () => {
    const policy = byKind('NetworkPolicy').find((p) => p.metadata.name.endsWith('-from-monitoring'));
    expect(policy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': stack.monitoring.namespace });
  });

  test('our keys are the ones the pinned chart reads (not commented examples)', () => {
    const upstream = readUpstreamYaml<any>('charts/kube-prometheus-stack/values.yaml').prometheus.prometheusSpec;
    for (const key of ['serviceMonitor', 'podMonitor', 'rule', 'probe']) {
      for (const suffix of ['Selector', 'NamespaceSelector', 'SelectorNilUsesHelmValues']) expect(upstream).toHaveProperty(`${key}${suffix}`);
    }
    const grafana = readUpstreamYaml<any>('charts/kube-prometheus-stack/values.yaml').grafana.sidecar.dashboards;
    expect(grafana).toMatchObject({ label: platform.monitoring.dashboardLabel.key, labelValue: platform.monitoring.dashboardLabel.value });
  });
});
