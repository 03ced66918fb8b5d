import { Duration } from 'cdk8s';
import { AlertOptions, AlertRule, DEFAULT_ALERTS, renderAlertRules } from '../../lib/observability/alert-rules';

const web = { name: 'web', kind: 'Deployment' as const, namespace: 'shop' };
const store = { name: 'mysql', kind: 'StatefulSet' as const, namespace: 'shop' };
const render =
  (options: AlertOptions, target: Parameters<typeof renderAlertRules>[1] = web) =>
  () =>
    renderAlertRules('t/mon', target, options);
const rule = (r: Partial<AlertRule> = {}): AlertRule => ({ alert: 'Custom', expr: 'up == 0', summary: 'down', ...r });

describe('default rules', () => {
  test('Deployment: restarts and unavailable replicas on kube-state-metrics', () => {
    const rules = render({})();
    expect(rules).toEqual([
      {
        alert: DEFAULT_ALERTS.restarts,
        expr: 'increase(kube_pod_container_status_restarts_total{namespace="shop", pod=~"web-[a-z0-9]+-[a-z0-9]{5}"}[15m]) >= 3',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Container {{ $labels.container }} of pod {{ $labels.pod }} (Deployment shop/web) restarted {{ $value | humanize }} times in 15m.',
        },
      },
      {
        alert: DEFAULT_ALERTS.unavailable,
        expr: 'kube_deployment_status_replicas_unavailable{namespace="shop", deployment="web"} > 0',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: { summary: 'Deployment shop/web has {{ $value }} unavailable replicas for 10m.' },
      },
    ]);
  });

  test('thresholds, windows and severity are tunable', () => {
    const rules = render({ restartThreshold: 1, restartWindow: Duration.hours(1), unavailableFor: Duration.minutes(2), severity: 'critical' })();
    expect(rules[0].expr).toBe('increase(kube_pod_container_status_restarts_total{namespace="shop", pod=~"web-[a-z0-9]+-[a-z0-9]{5}"}[1h]) >= 1');
    expect(rules[1].for).toBe('2m');
    expect(rules.every((r) => r.labels.severity === 'critical')).toBe(true);
  });

  test('autoscaler rule only with an autoscaler', () => {
    const rules = render({ autoscalerMaxFor: Duration.minutes(30) }, { ...web, autoscalerName: 'web-hpa' })();
    expect(rules.map((r) => r.alert)).toEqual([DEFAULT_ALERTS.restarts, DEFAULT_ALERTS.unavailable, DEFAULT_ALERTS.autoscalerAtMax]);
    expect(rules[2].for).toBe('30m');
    expect(rules[2].expr).toContain('horizontalpodautoscaler="web-hpa"');
  });

  test('StatefulSet: volume rule on its claims, with the NFS caveat', () => {
    const rules = render({ volumeUsedPercent: 80, volumeFullFor: Duration.minutes(5) }, store)();
    const volume = rules.find((r) => r.alert === DEFAULT_ALERTS.volumeAlmostFull)!;
    expect(volume.expr).toBe(
      'kubelet_volume_stats_available_bytes{namespace="shop", persistentvolumeclaim=~"[a-z0-9]([-a-z0-9]*[a-z0-9])?-mysql-[0-9]+"} / ' +
        'kubelet_volume_stats_capacity_bytes{namespace="shop", persistentvolumeclaim=~"[a-z0-9]([-a-z0-9]*[a-z0-9])?-mysql-[0-9]+"} * 100 < 20',
    );
    expect(volume.for).toBe('5m');
    expect(volume.annotations.description).toBe(
      'On NFS-backed storage classes the kubelet reports the free space of the whole export, shared by every claim on it, not of this claim.',
    );
    expect(rules[0].expr).toContain('pod=~"mysql-[0-9]+"');
  });
});

describe('validation', () => {
  test('fails if the severity is unknown', () => {
    expect(render({ severity: 'fatal' as 'critical' })).toThrow('t/mon: severity "fatal" is invalid: must be one of "critical", "warning", "info"');
  });
  test('fails if the restart threshold is below 1', () => {
    expect(render({ restartThreshold: 0 })).toThrow('t/mon: restartThreshold 0 is invalid: must be a whole number of restarts, at least 1');
  });
  test('fails if the volume percentage is 100', () => {
    expect(render({ volumeUsedPercent: 100 })).toThrow('t/mon: volumeUsedPercent 100 is invalid: must be a percentage between 0 and 100 (exclusive)');
  });
  test.each(['restartWindow', 'unavailableFor', 'autoscalerMaxFor', 'volumeFullFor'] as const)('fails if %s is zero', (field) => {
    expect(render({ [field]: Duration.seconds(0) })).toThrow(`t/mon: ${field} "0 ms" is invalid: must be a positive whole number of milliseconds`);
  });
  test('fails if an alert name has a space', () => {
    expect(render({ rules: [rule({ alert: 'Too high' })] })).toThrow(
      't/mon: rules[0].alert "Too high" is invalid: must be an alert name: a letter, then letters, digits and \'_\'',
    );
  });
  test('fails if a rule repeats a default alert name', () => {
    expect(render({ rules: [rule({ alert: DEFAULT_ALERTS.restarts })] })).toThrow(
      't/mon: rules[0].alert "WorkloadPodRestarting" is invalid: is already an alert of this workload; alert names must be unique per workload',
    );
  });
  test('fails if two rules share a name', () => {
    expect(render({ rules: [rule(), rule()] })).toThrow(
      't/mon: rules[1].alert "Custom" is invalid: is already an alert of this workload; alert names must be unique per workload',
    );
  });
  test('fails if the expression is empty', () => {
    expect(render({ rules: [rule({ expr: ' ' })] })).toThrow('t/mon: rules[0].expr " " is invalid: must be a non-empty PromQL expression');
  });
  test('fails if the summary is empty', () => {
    expect(render({ rules: [rule({ summary: '' })] })).toThrow('t/mon: rules[0].summary "" is invalid: must be a non-empty one-line summary');
  });
  test('fails if a rule severity is unknown', () => {
    expect(render({ rules: [rule({ severity: 'page' as 'critical' })] })).toThrow(
      't/mon: rules[0].severity "page" is invalid: must be one of "critical", "warning", "info"',
    );
  });
  test('fails if severity is given as a label', () => {
    expect(render({ rules: [rule({ labels: { severity: 'critical' } })] })).toThrow(
      't/mon: rules[0].labels.severity "critical" is invalid: is set by the severity field; remove it from labels',
    );
  });
  test('fails if a label name is not a Prometheus label name', () => {
    expect(render({ rules: [rule({ labels: { 'team-name': 'x' } })] })).toThrow(
      "t/mon: rules[0].labels \"team-name\" is invalid: must be Prometheus label names: letters, digits and '_', not starting with a digit or '__'",
    );
  });
  test('fails if a rule "for" is zero', () => {
    expect(render({ rules: [rule({ for: Duration.millis(0) })] })).toThrow(
      't/mon: rules[0].for "0 ms" is invalid: must be a positive whole number of milliseconds',
    );
  });
  test('fails if there would be no rule at all', () => {
    expect(render({ defaultRules: false })).toThrow('t/mon: rules [] is invalid: must not be empty when defaultRules is false: give at least one rule');
  });
  test('fails with every problem at once', () => {
    expect(render({ restartThreshold: -1, rules: [rule({ expr: '', summary: '' })] })).toThrow(
      '3 problems:\n' +
        '  - t/mon: restartThreshold -1 is invalid: must be a whole number of restarts, at least 1\n' +
        '  - t/mon: rules[0].expr "" is invalid: must be a non-empty PromQL expression\n' +
        '  - t/mon: rules[0].summary "" is invalid: must be a non-empty one-line summary',
    );
  });
});
