import { ApiObject, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsScheme,
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr,
  ServiceMonitor,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/monitoring.coreos.com';
import { checkMonitorLabels, MONITOR_KINDS, MonitorFacts } from '../checks/monitors';
import { fail, ProblemCollector } from '../core/errors';
import { namespaceSelector } from '../core/network';
import { LABEL_COMPONENT, LABEL_MANAGED_BY, LABEL_VERSION, MANAGED_BY } from '../core/labels';
import { PaasRegistry } from '../core/registry';
import { MonitoringSpec, PlatformSpec } from '../platform-spec';
import { IWebApp, WorkloadPort } from '../workloads/types';
import { AlertOptions, renderAlertRules } from './alert-rules';
import { DashboardOptions, renderDashboard } from './dashboard';
import { IMonitorableWorkload } from './monitorable';
import { checkMonitorArgs, checkMonitoringProps } from './monitoring-shape';
import { prometheusDuration, WorkloadTarget } from './promql';

/**
 * Labels of the Prometheus pods that kube-prometheus-stack's operator runs; scrape NetworkPolicies
 * admit only them from the monitoring namespace.
 */
export const PROMETHEUS_POD_LABELS: Readonly<Record<string, string>> = Object.freeze({ 'app.kubernetes.io/name': 'prometheus' });

export interface MonitoringStackProps {
  /** The platform: its monitoring namespace, the labels Prometheus selects and Grafana's dashboard label. */
  readonly platform: PlatformSpec;
}

/** How Prometheus scrapes one port of an app. */
export interface ScrapeOptions {
  /** Name of the app's port that serves metrics. @default 'metrics' when the app has such a port, else its main port */
  readonly port?: string;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default - Prometheus' global interval (30s in kube-prometheus-stack) */
  readonly interval?: Duration;
  /** Scrape timeout; at most `interval`. @default - Prometheus' global timeout (10s) */
  readonly scrapeTimeout?: Duration;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /**
   * Scrape the pods directly (PodMonitor) instead of through the Service (ServiceMonitor), e.g. when
   * every replica must be scraped although the Service hides some.
   * @default false
   */
  readonly podMonitor?: boolean;
}

/**
 * Hooks apps into the platform's kube-prometheus-stack: `scrape()` (ServiceMonitor or PodMonitor
 * plus the NetworkPolicy that lets Prometheus in), `alertOn()` (PrometheusRule with default and
 * own rules) and `dashboard()` (Grafana dashboard ConfigMap for the sidecar). Every object goes to
 * the workload's namespace, carries the labels the platform's Prometheus or Grafana selects and
 * has a readable name derived from the workload's.
 */
export class MonitoringStack extends Construct {
  /** The platform's monitoring facts. */
  public readonly monitoring: MonitoringSpec;
  /** `<namespace>/<app>/<port>` -> what scrapes it. */
  private readonly scraped = new Map<string, string>();

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    if (!props || !props.platform || !props.platform.monitoring) {
      fail(this.node.path, 'platform', props?.platform, 'must be a platform spec from definePlatform()');
    }
    checkMonitoringProps(this.node.path, props);
    this.monitoring = props.platform.monitoring;
    // Monitors written by hand (imports/ classes) must carry the labels too: checked once per synth.
    const labels = this.monitoring.monitorLabels;
    const root = this.node.root;
    PaasRegistry.of(this).addCheck('monitor-labels', () => checkMonitorLabels(monitorsIn(root), labels));
  }

  /**
   * Scrapes one named port of an app: a ServiceMonitor (or PodMonitor) named `<app>-metrics` (or
   * `<app>-<port>-metrics` for another port) with the labels Prometheus selects, and a NetworkPolicy
   * `<monitor>-from-monitoring` admitting Prometheus to that port of the app's pods.
   */
  public scrape(app: IWebApp, options: ScrapeOptions & { readonly podMonitor: true }): PodMonitor;
  public scrape(app: IWebApp, options?: ScrapeOptions & { readonly podMonitor?: false }): ServiceMonitor;
  public scrape(app: IWebApp, options?: ScrapeOptions): ServiceMonitor | PodMonitor;
  public scrape(app: IWebApp, options: ScrapeOptions = {}): ServiceMonitor | PodMonitor {
    const path = this.node.path;
    checkMonitorArgs(path, 'scrape', app, options);
    const namespace = this.namespaceOf(app);
    const port = this.metricsPort(app, options.port);
    const problems = new ProblemCollector(path);
    const metricsPath = options.path ?? '/metrics';
    if (typeof metricsPath !== 'string' || !metricsPath.startsWith('/')) problems.add('path', metricsPath, "must be an absolute URL path starting with '/'");
    const scheme = options.scheme ?? 'http';
    if (scheme !== 'http' && scheme !== 'https') problems.add('scheme', scheme, 'must be "http" or "https"');
    if (port.protocol !== 'TCP') problems.add('port', port.name, 'must be a TCP port: Prometheus scrapes over HTTP');
    const interval = options.interval ? problems.capture(() => prometheusDuration(path, 'interval', options.interval!)) : undefined;
    const timeout = options.scrapeTimeout ? problems.capture(() => prometheusDuration(path, 'scrapeTimeout', options.scrapeTimeout!)) : undefined;
    if (interval && timeout && options.scrapeTimeout!.toMilliseconds() > options.interval!.toMilliseconds()) {
      problems.add('scrapeTimeout', timeout, `must not be longer than interval (${interval})`);
    }
    problems.throwIfAny();

    const name = port.name === 'metrics' ? `${app.name}-metrics` : `${app.name}-${port.name}-metrics`;
    const kind = options.podMonitor ? 'PodMonitor' : 'ServiceMonitor';
    const scrapeKey = `${namespace}/${app.name}/${port.name}`;
    const earlier = this.scraped.get(scrapeKey);
    if (earlier) fail(path, 'port', port.name, `is already scraped by this MonitoringStack (${earlier}); scrape each port of an app once`);
    this.scraped.set(scrapeKey, `${kind} "${name}"`);
    const metadata = { name, namespace, labels: { ...this.labelsOf(app), ...this.monitoring.monitorLabels } };
    const endpoint = { port: port.name, path: metricsPath, ...(interval ? { interval } : {}), ...(timeout ? { scrapeTimeout: timeout } : {}) };
    let monitor: ServiceMonitor | PodMonitor;
    if (options.podMonitor) {
      monitor = new PodMonitor(this, this.childId(kind, namespace, name), {
        metadata,
        spec: {
          selector: { matchLabels: app.selectorLabels },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: [
            { ...endpoint, scheme: scheme === 'https' ? PodMonitorSpecPodMetricsEndpointsScheme.HTTPS : PodMonitorSpecPodMetricsEndpointsScheme.HTTP },
          ],
        },
      });
    } else {
      monitor = new ServiceMonitor(this, this.childId(kind, namespace, name), {
        metadata,
        spec: {
          selector: { matchLabels: stableServiceLabels(app) },
          namespaceSelector: { matchNames: [namespace] },
          endpoints: [{ ...endpoint, scheme: scheme === 'https' ? ServiceMonitorSpecEndpointsScheme.HTTPS : ServiceMonitorSpecEndpointsScheme.HTTP }],
        },
      });
    }
    this.allowPrometheus(app, port, namespace, `${name}-from-monitoring`);
    return monitor;
  }

  /**
   * Alerting rules for a workload (WebApp, StatefulStore, NodeAgent, BatchJob, ScheduledJob, or
   * anything implementing IMonitorableWorkload): a PrometheusRule `<workload>-alerts` with the
   * default rules for its kind and your own rules. Call once per workload, with all its rules.
   */
  public alertOn(workload: IMonitorableWorkload, options: AlertOptions = {}): PrometheusRule {
    checkMonitorArgs(this.node.path, 'alertOn', workload, options);
    const target = this.targetOf(workload);
    const namespace = target.namespace;
    const rules = renderAlertRules(this.node.path, target, options);
    const name = `${workload.name}-alerts`;
    return new PrometheusRule(this, this.childId('PrometheusRule', namespace, name), {
      metadata: { name, namespace, labels: { ...this.labelsOf(workload), ...this.monitoring.monitorLabels } },
      spec: {
        groups: [
          {
            name: `${namespace}.${workload.name}`,
            rules: rules.map((r) => ({
              alert: r.alert,
              expr: PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr),
              ...(r.for ? { for: r.for } : {}),
              labels: r.labels,
              annotations: r.annotations,
            })),
          },
        ],
      },
    });
  }

  /**
   * A Grafana dashboard for a workload, as a ConfigMap `<workload>-dashboard` carrying the label
   * Grafana's dashboard sidecar watches: CPU, memory, restarts and replicas, plus request rate and
   * latency when `httpMetrics` names the metrics the app exports. The uid is `<namespace>-<name>`.
   */
  public dashboard(workload: IMonitorableWorkload, options: DashboardOptions = {}): k8s.KubeConfigMap {
    checkMonitorArgs(this.node.path, 'dashboard', workload, options);
    const target = this.targetOf(workload);
    const namespace = target.namespace;
    const json = renderDashboard(this.node.path, target, options);
    const name = `${workload.name}-dashboard`;
    const label = this.monitoring.dashboardLabel;
    return new k8s.KubeConfigMap(this, this.childId('ConfigMap', namespace, name), {
      metadata: { name, namespace, labels: { ...this.labelsOf(workload), [label.key]: label.value } },
      data: { [`${namespace}-${workload.name}.json`]: json },
    });
  }

  private metricsPort(app: IWebApp, requested: string | undefined): WorkloadPort {
    if (requested !== undefined) return app.port(requested);
    return app.ports.find((p) => p.name === 'metrics') ?? app.mainPort;
  }

  /** Monitors, rules and dashboards select by namespace, so the workload must have one. */
  private namespaceOf(workload: IMonitorableWorkload): string {
    if (!workload.namespace) {
      fail(
        this.node.path,
        'workload.namespace',
        workload.namespace,
        `must be set: ${workload.node.path} is in a chart without a namespace; give its chart a namespace`,
      );
    }
    return workload.namespace;
  }

  /** What the default rules and panels need about a workload (WebApps may have an autoscaler). */
  private targetOf(workload: IMonitorableWorkload): WorkloadTarget {
    const autoscalerName = (workload as Partial<IWebApp>).autoscalerName;
    const { schedule, timeZone, ttlSecondsAfterFinished } = workload;
    return { name: workload.name, kind: workload.kind, namespace: this.namespaceOf(workload), autoscalerName, schedule, timeZone, ttlSecondsAfterFinished };
  }

  private labelsOf(workload: Pick<IMonitorableWorkload, 'selectorLabels'>): Record<string, string> {
    return { ...workload.selectorLabels, [LABEL_COMPONENT]: 'monitoring', [LABEL_MANAGED_BY]: MANAGED_BY };
  }

  /** A construct id per object; a second object of the same kind and name is a clear error, not a construct-id clash. */
  private childId(kind: string, namespace: string, name: string): string {
    const id = `${kind}-${namespace}-${name}`;
    if (this.node.tryFindChild(id)) {
      fail(
        this.node.path,
        'name',
        name,
        `${kind} "${name}" in namespace "${namespace}" was already created by this MonitoringStack: scrape each port, and alert on and chart each workload, once`,
      );
    }
    PaasRegistry.of(this).registerObject({ path: this.node.path, kind, namespace, name });
    return id;
  }

  /**
   * Tenant namespaces usually deny ingress by default (the app's own policy admits its namespace
   * only), so Prometheus, in the monitoring namespace, needs its own allowance to the metrics port.
   */
  private allowPrometheus(app: IWebApp, port: WorkloadPort, namespace: string, name: string): ApiObject {
    return new k8s.KubeNetworkPolicy(this, this.childId('NetworkPolicy', namespace, name), {
      metadata: { name, namespace, labels: this.labelsOf(app) },
      spec: {
        podSelector: { matchLabels: app.selectorLabels },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: namespaceSelector(this.monitoring.namespace),
                podSelector: { matchLabels: { ...PROMETHEUS_POD_LABELS } },
              },
            ],
            ports: [{ port: k8s.IntOrString.fromString(port.name), protocol: 'TCP' }],
          },
        ],
      },
    });
  }
}

/**
 * The Service's labels without `app.kubernetes.io/version`: the monitor then keeps matching while
 * a new version's Service and the monitor are applied in either order.
 */
function stableServiceLabels(app: IWebApp): Record<string, string> {
  const labels = app.serviceLabels;
  delete labels[LABEL_VERSION];
  return labels;
}

/** Every monitor object in the tree, with its labels (no rendering needed). */
function monitorsIn(root: IConstruct): MonitorFacts[] {
  const kinds: readonly string[] = MONITOR_KINDS;
  return root.node
    .findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && kinds.includes(c.kind))
    .map((o) => ({ path: o.node.path, kind: o.kind, name: o.name, labels: (o.metadata.toJson().labels ?? {}) as Record<string, string> }));
}
