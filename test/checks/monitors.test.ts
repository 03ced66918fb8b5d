import { App, Chart, Testing } from 'cdk8s';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { checkMonitorLabels } from '../../lib/checks/monitors';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { definePlatform } from '../../lib/platform-spec';

describe('checkMonitorLabels', () => {
  const selector = { release: 'kube-prometheus-stack' };
  test('a monitor with the selected label passes', () => {
    expect(checkMonitorLabels([{ path: 'a/m', kind: 'ServiceMonitor', name: 'm', labels: { release: 'kube-prometheus-stack', x: 'y' } }], selector)).toEqual(
      [],
    );
  });
  test('fails if a monitor lacks the label or has another value', () => {
    expect(checkMonitorLabels([{ path: 'a/m', kind: 'PodMonitor', name: 'm', labels: { release: 'other' } }], selector)).toEqual([
      {
        path: 'a/m',
        field: 'metadata.labels',
        value: { release: 'other' },
        expected:
          'PodMonitor "m" must carry release=kube-prometheus-stack: the platform\'s Prometheus selects PodMonitors by these labels and ignores the rest',
      },
    ]);
  });
});

describe('monitors written by hand next to a MonitoringStack', () => {
  test('fails at synth if a hand-written ServiceMonitor lacks the release label', () => {
    const app: App = Testing.app();
    const chart = new Chart(app, 'obs', { namespace: 'obs' });
    new MonitoringStack(chart, 'monitoring', { platform: definePlatform() });
    new ServiceMonitor(chart, 'manual', { metadata: { name: 'manual' }, spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'metrics' }] } });
    expect(() => app.synth()).toThrow(
      'obs/manual: metadata.labels {} is invalid: ServiceMonitor "manual" must carry release=kube-prometheus-stack: the platform\'s Prometheus selects ServiceMonitors by these labels and ignores the rest',
    );
  });
});
