import { createHash } from 'crypto';
import { ProblemCollector } from '../core/errors';
import { sortKeysDeep } from '../core/patch';
import { checkMetricName, cronJobJobPattern, isLabelName, objectSelector, podMatchers, selector, WorkloadTarget } from './promql';

/** Metrics an app exports about the HTTP requests it serves; each one adds panels. */
export interface HttpMetrics {
  /**
   * Counter of handled requests, e.g. `http_requests_total`: adds a request-rate panel.
   * @default - no request-rate panel
   */
  readonly requestsTotal?: string;
  /**
   * Label of `requestsTotal` holding the response status, e.g. `code` or `status`: the rate panel
   * then shows one series per status.
   * @default - one series for all requests
   */
  readonly statusLabel?: string;
  /**
   * Histogram of request durations in seconds, its base name without `_bucket`, e.g.
   * `http_request_duration_seconds`: adds a latency panel (p50, p95, p99).
   * @default - no latency panel
   */
  readonly durationHistogram?: string;
}

/** One query of a panel of your own. */
export interface PanelQuery {
  /** PromQL expression. */
  readonly expr: string;
  /** Legend, may use `{{label}}`. @default - Grafana's default (the series' labels) */
  readonly legend?: string;
}

/** A time-series panel of your own, e.g. for a metric the app exports. */
export interface DashboardPanel {
  readonly title: string;
  /** Grafana unit id (`short`, `bytes`, `s`, `percent`, `reqps`, ...). @default 'short' */
  readonly unit?: string;
  /** At least one query. */
  readonly queries: PanelQuery[];
}

/** Options of `MonitoringStack.dashboard()`. */
export interface DashboardOptions {
  /** Dashboard title. @default '<namespace> / <name>' */
  readonly title?: string;
  /**
   * Request rate and latency panels, for apps that export such metrics. Only name metrics the app
   * really exports: a panel on a missing metric stays empty.
   * @default - CPU, memory, restarts and replicas panels only
   */
  readonly httpMetrics?: HttpMetrics;
  /** Panels of your own, after the default ones. @default [] */
  readonly panels?: DashboardPanel[];
}

/** The facts a dashboard needs about a workload. */
export type DashboardTarget = WorkloadTarget;

/** Grafana limits dashboard uids to 40 characters. */
const MAX_UID = 40;

/**
 * A readable, deterministic dashboard uid from namespace and name; names too long for Grafana's 40
 * characters are cut and get a short digest of the full name, so two long names never collide.
 */
export function dashboardUid(namespace: string, name: string): string {
  const full = `${namespace}-${name}`;
  if (full.length <= MAX_UID) return full;
  const digest = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_UID - 9).replace(/-+$/, '')}-${digest}`;
}

/** JSON with object keys sorted at every level, two-space indented: byte-stable across runs. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 2) + '\n';
}

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panel(spec: PanelSpec, index: number): Record<string, unknown> {
  return {
    id: index + 1,
    type: 'timeseries',
    title: spec.title,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    fieldConfig: { defaults: { unit: spec.unit }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
    targets: spec.queries.map((q, i) => ({
      datasource: DATASOURCE,
      expr: q.expr,
      ...(q.legend !== undefined ? { legendFormat: q.legend } : {}),
      refId: String.fromCharCode(65 + i),
    })),
  };
}

/**
 * Validates the options and renders the dashboard JSON. CPU and memory come from the kubelet's
 * cAdvisor metrics, restarts and replicas from kube-state-metrics, all of which
 * kube-prometheus-stack scrapes; request panels from the app's own metrics.
 */
export function renderDashboard(path: string, t: DashboardTarget, options: DashboardOptions): string {
  const problems = new ProblemCollector(path);
  const http = options.httpMetrics ?? {};
  if (http.requestsTotal !== undefined) problems.capture(() => checkMetricName(path, 'httpMetrics.requestsTotal', http.requestsTotal!));
  if (http.durationHistogram !== undefined) problems.capture(() => checkMetricName(path, 'httpMetrics.durationHistogram', http.durationHistogram!));
  if (http.durationHistogram?.endsWith('_bucket')) {
    problems.add('httpMetrics.durationHistogram', http.durationHistogram, "must be the histogram's base name, without the '_bucket' suffix");
  }
  if (http.statusLabel !== undefined && !isLabelName(http.statusLabel)) {
    problems.add('httpMetrics.statusLabel', http.statusLabel, "must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'");
  }
  if (http.statusLabel !== undefined && http.requestsTotal === undefined) {
    problems.add('httpMetrics.statusLabel', http.statusLabel, 'needs httpMetrics.requestsTotal: it labels that counter');
  }
  if (options.title !== undefined && options.title.trim() === '') problems.add('title', options.title, 'must not be empty');
  (options.panels ?? []).forEach((p, i) => {
    if (typeof p.title !== 'string' || p.title.trim() === '') problems.add(`panels[${i}].title`, p.title, 'must not be empty');
    if (!Array.isArray(p.queries) || p.queries.length === 0) problems.add(`panels[${i}].queries`, p.queries, 'must hold at least one query');
    (p.queries ?? []).forEach((q, j) => {
      if (typeof q.expr !== 'string' || q.expr.trim() === '') problems.add(`panels[${i}].queries[${j}].expr`, q.expr, 'must be a non-empty PromQL expression');
    });
  });
  problems.throwIfAny();

  const ns = t.namespace;
  const podMatch = podMatchers(t);
  const pods = selector(podMatch);
  const containers = selector([...podMatch, ['container', '!=', ''], ['container', '!=', 'POD']]);
  const resource = (r: string) => selector([...podMatch, ['resource', '=', r]]);
  const panels: PanelSpec[] = [
    {
      title: 'CPU usage',
      unit: 'short',
      queries: [
        { expr: `sum by (pod) (rate(container_cpu_usage_seconds_total${containers}[$__rate_interval]))`, legend: '{{pod}}' },
        { expr: `sum by (pod) (kube_pod_container_resource_limits${resource('cpu')})`, legend: '{{pod}} limit' },
      ],
    },
    {
      title: 'Memory (working set)',
      unit: 'bytes',
      queries: [
        { expr: `sum by (pod) (container_memory_working_set_bytes${containers})`, legend: '{{pod}}' },
        { expr: `sum by (pod) (kube_pod_container_resource_limits${resource('memory')})`, legend: '{{pod}} limit' },
      ],
    },
    {
      title: 'Container restarts',
      unit: 'short',
      queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total${pods}[$__rate_interval]))`, legend: '{{pod}}' }],
    },
    ...controllerPanels(t),
  ];
  if (http.requestsTotal) {
    const by = http.statusLabel ? ` by (${http.statusLabel})` : '';
    panels.push({
      title: 'Request rate',
      unit: 'reqps',
      queries: [{ expr: `sum${by} (rate(${http.requestsTotal}${pods}[$__rate_interval]))`, legend: http.statusLabel ? `{{${http.statusLabel}}}` : 'requests' }],
    });
  }
  if (http.durationHistogram) {
    panels.push({
      title: 'Request latency',
      unit: 's',
      queries: [0.5, 0.95, 0.99].map((q) => ({
        expr: `histogram_quantile(${q}, sum by (le) (rate(${http.durationHistogram}_bucket${pods}[$__rate_interval])))`,
        legend: `p${Math.round(q * 100)}`,
      })),
    });
  }
  for (const p of options.panels ?? []) {
    panels.push({ title: p.title, unit: p.unit ?? 'short', queries: p.queries });
  }

  return stableJson({
    annotations: { list: [] },
    editable: false,
    graphTooltip: 1,
    panels: panels.map(panel),
    refresh: '1m',
    schemaVersion: 39,
    tags: ['cdk8s-paas', ns],
    templating: {
      list: [{ current: {}, hide: 0, label: 'Data source', name: 'datasource', options: [], query: 'prometheus', refresh: 1, regex: '', type: 'datasource' }],
    },
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    title: options.title ?? `${ns} / ${t.name}`,
    uid: dashboardUid(ns, t.name),
    version: 1,
  });
}

/** What the controller reports: replicas, pods per node, or runs (Jobs and CronJobs). */
function controllerPanels(t: DashboardTarget): PanelSpec[] {
  const ns = t.namespace;
  if (t.kind === 'DaemonSet') {
    const ds = objectSelector(ns, 'daemonset', t.name);
    return [
      {
        title: 'Pods on nodes',
        unit: 'short',
        queries: [
          { expr: `kube_daemonset_status_desired_number_scheduled${ds}`, legend: 'desired' },
          { expr: `kube_daemonset_status_number_available${ds}`, legend: 'available' },
          { expr: `kube_daemonset_status_number_unavailable${ds}`, legend: 'unavailable' },
          { expr: `kube_daemonset_status_number_misscheduled${ds}`, legend: 'misscheduled' },
        ],
      },
    ];
  }
  if (t.kind === 'Job' || t.kind === 'CronJob') {
    const jobs =
      t.kind === 'Job'
        ? objectSelector(ns, 'job_name', t.name)
        : selector([
            ['namespace', '=', ns],
            ['job_name', '=~', cronJobJobPattern(t.name)],
          ]);
    const runs: PanelSpec = {
      title: 'Job pods',
      unit: 'short',
      queries: [
        { expr: `sum(kube_job_status_active${jobs})`, legend: 'active' },
        { expr: `sum(kube_job_status_succeeded${jobs})`, legend: 'succeeded' },
        { expr: `sum(kube_job_status_failed${jobs})`, legend: 'failed' },
      ],
    };
    if (t.kind === 'Job') return [runs];
    const cj = objectSelector(ns, 'cronjob', t.name);
    return [
      runs,
      {
        title: 'Since the last successful run',
        unit: 's',
        queries: [
          { expr: `time() - kube_cronjob_status_last_successful_time${cj}`, legend: 'since success' },
          { expr: `time() - kube_cronjob_status_last_schedule_time${cj}`, legend: 'since schedule' },
        ],
      },
    ];
  }
  return [{ title: 'Replicas', unit: 'short', queries: replicaQueries(t) }];
}

function replicaQueries(t: DashboardTarget): PanelQuery[] {
  const ns = t.namespace;
  const queries: PanelQuery[] = [];
  if (t.kind === 'Deployment') {
    const deployment = objectSelector(ns, 'deployment', t.name);
    queries.push(
      { expr: `kube_deployment_spec_replicas${deployment}`, legend: 'desired' },
      { expr: `kube_deployment_status_replicas_available${deployment}`, legend: 'available' },
    );
  } else {
    const sts = objectSelector(ns, 'statefulset', t.name);
    queries.push({ expr: `kube_statefulset_replicas${sts}`, legend: 'desired' }, { expr: `kube_statefulset_status_replicas_ready${sts}`, legend: 'ready' });
  }
  if (t.autoscalerName) {
    queries.push({
      expr: `kube_horizontalpodautoscaler_spec_max_replicas${objectSelector(ns, 'horizontalpodautoscaler', t.autoscalerName)}`,
      legend: 'autoscaler max',
    });
  }
  return queries;
}
