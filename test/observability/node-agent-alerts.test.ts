import { Duration } from 'cdk8s';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { podNamePattern } from '../../lib/observability/promql';
import { Probe } from '../../lib/workloads/probes';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { expectValidManifests } from '../support';
import { alerted, ofKind } from './fixtures';

/** PromQL regex matchers are fully anchored. */
const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);
const DS = '{namespace="shop", daemonset="log-agent"}';

function setup(options: Parameters<MonitoringStack['alertOn']>[1] = {}) {
  const { workload: agent, ...rest } = alerted(
    (c) => new NodeAgent(c, 'log-agent', { image: 'fluent/fluent-bit:3.2.4', probes: { liveness: Probe.exec(['/bin/true']) } }),
    options,
  );
  return { agent, ...rest };
}

describe('alertOn(NodeAgent): DaemonSet rules scoped to the app', () => {
  const { agent, objects, rules, dashboard } = setup();

  test('restarts, pods unavailable, pods misscheduled', () => {
    expect(rules.map((r: any) => r.alert)).toEqual(['WorkloadPodRestarting', 'WorkloadReplicasUnavailable', 'WorkloadDaemonSetMisscheduled']);
    expect(rules[1]).toEqual({
      alert: 'WorkloadReplicasUnavailable',
      expr: `kube_daemonset_status_number_unavailable${DS} > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'DaemonSet shop/log-agent has {{ $value }} nodes without an available pod for 10m.' },
    });
    expect(rules[2]).toEqual({
      alert: 'WorkloadDaemonSetMisscheduled',
      expr: `kube_daemonset_status_number_misscheduled${DS} > 0`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: { summary: 'DaemonSet shop/log-agent runs {{ $value }} pods on nodes it should not (node labels or taints changed) for 15m.' },
    });
  });

  test('the restart rule matches DaemonSet pod names and no other workload', () => {
    expect(rules[0].expr).toBe(`increase(kube_pod_container_status_restarts_total{namespace="shop", pod=~"log-agent-[a-z0-9]{5}"}[15m]) >= 3`);
    expect(matches(podNamePattern(agent), 'log-agent-x7k2p')).toBe(true);
    expect(matches(podNamePattern(agent), 'log-agent-6d8f9c7b5-x7k2p')).toBe(false);
    expect(matches(podNamePattern(agent), 'log-agent-other-x7k2p')).toBe(false);
  });

  test('the rule object carries the app labels and the platform Prometheus label', () => {
    const [rule] = ofKind(objects, 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'log-agent-alerts', namespace: 'shop', labels: { ...agent.selectorLabels, release: 'kps' } });
  });

  test('dashboard: pods on nodes (desired, available, unavailable, misscheduled)', () => {
    const pods = dashboard.panels.find((p: any) => p.title === 'Pods on nodes');
    expect(pods.targets.map((t: any) => t.expr)).toEqual([
      `kube_daemonset_status_desired_number_scheduled${DS}`,
      `kube_daemonset_status_number_available${DS}`,
      `kube_daemonset_status_number_unavailable${DS}`,
      `kube_daemonset_status_number_misscheduled${DS}`,
    ]);
    expect(dashboard.panels.map((p: any) => p.title)).not.toContain('Replicas');
  });

  test('passes strict schema and Polaris', () => expectValidManifests(objects, { polarisAllow: ['readinessProbeMissing'] }));
});

describe('alertOn options for DaemonSets', () => {
  test('misscheduledFor, unavailableFor, severity and owner labels', () => {
    const { rules } = setup({ misscheduledFor: Duration.minutes(30), unavailableFor: Duration.minutes(5), severity: 'critical', labels: { team: 'platform' } });
    expect(rules.map((r: any) => [r.alert, r.for, r.labels])).toEqual([
      ['WorkloadPodRestarting', undefined, { team: 'platform', severity: 'critical' }],
      ['WorkloadReplicasUnavailable', '5m', { team: 'platform', severity: 'critical' }],
      ['WorkloadDaemonSetMisscheduled', '30m', { team: 'platform', severity: 'critical' }],
    ]);
  });

  test('fails if owner labels are not Prometheus label names or set severity', () => {
    expect(() => setup({ labels: { 'team-name': 'x', severity: 'page' } })).toThrow(
      [
        '2 problems:',
        '  - tenant/monitoring: labels.severity "page" is invalid: is set by the severity option; remove it from labels',
        `  - tenant/monitoring: labels "team-name" is invalid: must be Prometheus label names: letters, digits and '_', not starting with a digit or '__'`,
      ].join('\n'),
    );
  });
});
