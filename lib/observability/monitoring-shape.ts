import { Duration } from 'cdk8s';
import { assertArgs, S, ShapeMatches } from '../core/shape';
import { platformSpecShape } from '../networking/gateway-shape';
import type { AlertOptions, AlertRule } from './alert-rules';
import type { DashboardOptions, DashboardPanel, HttpMetrics, PanelQuery } from './dashboard';
import type { MonitoringStackProps, ScrapeOptions } from './monitoring-stack';
import type { IMonitorableWorkload } from './monitorable';

const duration = S.instance(Duration, 'a cdk8s Duration (Duration.seconds(30))');
const labels = S.record(S.string());
// Allowed values, ranges and expressions are the renderers' own collected rules; these check types and keys.
const severity = S.custom<'critical' | 'warning' | 'info'>('a string', (v) => typeof v === 'string');

export const monitoringStackPropsShape = S.object('MonitoringStackProps', { platform: platformSpecShape });

export const scrapeOptionsShape = S.object('ScrapeOptions', {
  port: S.optional(S.string()),
  path: S.optional(S.string()),
  interval: S.optional(duration),
  scrapeTimeout: S.optional(duration),
  scheme: S.optional(S.custom<'http' | 'https'>('a string', (v) => typeof v === 'string')),
  podMonitor: S.optional(S.boolean()),
});

export const alertRuleShape = S.object('AlertRule', {
  alert: S.string(),
  expr: S.string(),
  for: S.optional(duration),
  severity: S.optional(severity),
  summary: S.string(),
  description: S.optional(S.string()),
  labels: S.optional(labels),
});

export const alertOptionsShape = S.object('AlertOptions', {
  defaultRules: S.optional(S.boolean()),
  restartThreshold: S.optional(S.number()),
  restartWindow: S.optional(duration),
  unavailableFor: S.optional(duration),
  autoscalerMaxFor: S.optional(duration),
  volumeUsedPercent: S.optional(S.number()),
  volumeFullFor: S.optional(duration),
  missedRuns: S.optional(S.number()),
  suspendedFor: S.optional(duration),
  misscheduledFor: S.optional(duration),
  labels: S.optional(labels),
  severity: S.optional(severity),
  rules: S.optional(S.array(alertRuleShape)),
});

export const httpMetricsShape = S.object('HttpMetrics', {
  requestsTotal: S.optional(S.string()),
  statusLabel: S.optional(S.string()),
  durationHistogram: S.optional(S.string()),
});
export const panelQueryShape = S.object('PanelQuery', { expr: S.string(), legend: S.optional(S.string()) });
export const dashboardPanelShape = S.object('DashboardPanel', { title: S.string(), unit: S.optional(S.string()), queries: S.array(panelQueryShape) });
export const dashboardOptionsShape = S.object('DashboardOptions', {
  title: S.optional(S.string()),
  httpMetrics: S.optional(httpMetricsShape),
  panels: S.optional(S.array(dashboardPanelShape)),
});

const matches: [
  ShapeMatches<typeof monitoringStackPropsShape, MonitoringStackProps>,
  ShapeMatches<typeof scrapeOptionsShape, ScrapeOptions>,
  ShapeMatches<typeof alertRuleShape, AlertRule>,
  ShapeMatches<typeof alertOptionsShape, AlertOptions>,
  ShapeMatches<typeof httpMetricsShape, HttpMetrics>,
  ShapeMatches<typeof panelQueryShape, PanelQuery>,
  ShapeMatches<typeof dashboardPanelShape, DashboardPanel>,
  ShapeMatches<typeof dashboardOptionsShape, DashboardOptions>,
] = [true, true, true, true, true, true, true, true];
void matches;

/** Workloads of this library, duck typed on what monitors read. */
const workloadShape = S.handle<IMonitorableWorkload>('a workload of this library (WebApp, StatefulStore, BatchJob ...)', {
  node: 'object',
  name: 'string',
  kind: 'string',
  selectorLabels: 'object',
});
const appShape = S.handle<IMonitorableWorkload>('a WebApp', { node: 'object', name: 'string', ports: 'object', selectorLabels: 'object' });

/** @internal */
export function checkMonitoringProps(path: string, props: unknown): void {
  assertArgs(path, [['props', props, monitoringStackPropsShape]]);
}
/** @internal `scrape(app, options)`, `alertOn(workload, options)`, `dashboard(workload, options)`. */
export function checkMonitorArgs(path: string, method: 'scrape' | 'alertOn' | 'dashboard', target: unknown, options: unknown): void {
  const shape = method === 'scrape' ? scrapeOptionsShape : method === 'alertOn' ? alertOptionsShape : dashboardOptionsShape;
  assertArgs(path, [
    [method === 'scrape' ? 'app' : 'workload', target, method === 'scrape' ? appShape : workloadShape],
    ['options', options, shape],
  ]);
}
