import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadSecurity } from '../../lib/core/security';
import { IMonitorableWorkload } from '../../lib/observability/monitorable';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { definePlatform, PlatformSpec } from '../../lib/platform-spec';
import { IWorkload } from '../../lib/workloads/types';
import { WebApp } from '../../lib/workloads/web-app';
import { WebAppProps } from '../../lib/workloads/web-app-props';
import { synthObjects } from '../support';

export const platform: PlatformSpec = definePlatform({ monitoring: { releaseName: 'kps', namespace: 'observe' } });

/** A tenant chart with namespace `shop`, or none when `namespace` is null. */
export function tenantChart(namespace: string | null = 'shop', app: App = Testing.app()): Chart {
  return new Chart(app, 'tenant', namespace === null ? {} : { namespace });
}

/** A WebApp with an http and a metrics port. */
export function webApp(scope: Construct, props: Partial<WebAppProps> = {}, id = 'web'): WebApp {
  return new WebApp(scope, id, {
    image: 'harbor.test/shop/web:1.2.3',
    ports: [
      { name: 'http', containerPort: 8080, servicePort: 80 },
      { name: 'metrics', containerPort: 9100 },
    ],
    ...props,
  });
}

/**
 * A StatefulSet-backed workload as StatefulStore presents itself (IWorkload), so these tests need
 * nothing from the StatefulStore construct.
 */
export class FakeStore extends Construct implements IWorkload {
  public readonly kind = 'StatefulSet' as const;
  public readonly security = WorkloadSecurity.restricted();
  constructor(
    scope: Construct,
    id: string,
    public readonly name: string,
    public readonly namespace?: string,
  ) {
    super(scope, id);
  }
  public get selectorLabels(): Record<string, string> {
    return { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/instance': this.name };
  }
}

/** Synth objects of one kind. */
export function ofKind(objects: any[], kind: string): any[] {
  return objects.filter((o) => o.kind === kind);
}

/**
 * A workload built in a fresh tenant chart with its alerts (and optionally its dashboard) from a
 * MonitoringStack: the synthesized objects, the rules of its PrometheusRule, its dashboard JSON.
 */
export function alerted<W extends IMonitorableWorkload>(
  build: (chart: Chart) => W,
  options: Parameters<MonitoringStack['alertOn']>[1] = {},
  withDashboard = true,
): { workload: W; objects: any[]; rules: any[]; dashboard: any } {
  const chart = tenantChart();
  const workload = build(chart);
  const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
  monitoring.alertOn(workload, options);
  if (withDashboard) monitoring.dashboard(workload);
  const objects = synthObjects(chart);
  const board = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name === `${workload.name}-dashboard`);
  return {
    workload,
    objects,
    rules: ofKind(objects, 'PrometheusRule')[0].spec.groups[0].rules,
    dashboard: board ? JSON.parse(Object.values(board.data)[0] as string) : undefined,
  };
}
