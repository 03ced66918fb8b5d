import { App, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { MonitoringStack } from '../lib/observability/monitoring-stack';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { Probe } from '../lib/workloads/probes';
import { WebApp } from '../lib/workloads/web-app';

/** Namespace of the example. */
export const METRICS_DEMO_NAMESPACE = 'metrics-demo';

/**
 * The seeds' Python (Flask + prometheus_client) app: it serves `/metrics` on its HTTP port with a
 * `random_integer` gauge. Pushed to the platform's registry (Harbor) and pulled with its pull secret.
 */
export function createMetricsDemo(scope: Construct, platform: PlatformSpec): WebApp {
  const registry = platform.registry;
  return new WebApp(scope, 'metrics-demo', {
    image: `${registry?.host ?? 'registry.example'}/demo/metrics-demo:1.0.0`,
    // Flask's default port; /metrics is served on the same port as the app.
    ports: [{ name: 'http', containerPort: 5000, servicePort: 80 }],
    probes: {
      liveness: Probe.tcp({ periodSeconds: 10 }),
      readiness: Probe.http('/metrics', { periodSeconds: 10 }),
    },
    resources: { cpu: { request: '50m', limit: '250m' }, memory: { request: '64Mi', limit: '128Mi' } },
    imagePullSecrets: registry ? [registry.pullSecretName] : [],
  });
}

/**
 * Example: the metrics demo scraped by the platform's Prometheus (ServiceMonitor + NetworkPolicy),
 * alerted on (default rules plus one on `random_integer`) and charted in Grafana.
 */
export function addMetricsApp(app: App, platform: PlatformSpec): void {
  const chart = new TenantNamespace(app, 'metrics-demo', { platform, namespace: METRICS_DEMO_NAMESPACE });
  const demo = createMetricsDemo(chart, platform);
  const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
  monitoring.scrape(demo, { port: 'http', path: '/metrics', interval: Duration.seconds(30) });
  const gauge = `random_integer{namespace="${METRICS_DEMO_NAMESPACE}", service="${demo.serviceName}"}`;
  monitoring.alertOn(demo, {
    rules: [
      {
        alert: 'RandomIntegerHigh',
        expr: `${gauge} > 90`,
        for: Duration.minutes(5),
        severity: 'info',
        summary: 'random_integer of {{ $labels.pod }} has stayed above 90 for 5 minutes (now {{ $value }}).',
      },
    ],
  });
  monitoring.dashboard(demo, {
    title: 'Metrics demo',
    panels: [{ title: 'random_integer', queries: [{ expr: gauge, legend: '{{pod}}' }] }],
  });
}
