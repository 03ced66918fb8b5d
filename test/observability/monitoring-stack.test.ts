import { Duration } from 'cdk8s';
import { MonitoringStack, PROMETHEUS_POD_LABELS } from '../../lib/observability/monitoring-stack';
import { PlatformSpec } from '../../lib/platform-spec';
import { expectValidManifests, synthObjects } from '../support';
import { FakeStore, ofKind, platform, tenantChart, webApp } from './fixtures';

function setup(appProps = {}) {
  const chart = tenantChart();
  const app = webApp(chart, appProps);
  const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
  return { chart, app, monitoring };
}

describe('MonitoringStack.scrape', () => {
  test('ServiceMonitor on the metrics port with the labels Prometheus selects', () => {
    const { chart, app, monitoring } = setup();
    const monitor = monitoring.scrape(app);
    expect(monitor.name).toBe('web-metrics');
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const [sm] = ofKind(objects, 'ServiceMonitor');
    expect(sm.metadata).toEqual({
      name: 'web-metrics',
      namespace: 'shop',
      labels: {
        'app.kubernetes.io/name': 'web',
        'app.kubernetes.io/instance': 'web',
        'app.kubernetes.io/component': 'monitoring',
        'app.kubernetes.io/managed-by': 'cdk8s-paas',
        release: 'kps',
      },
    });
    expect(sm.spec).toEqual({
      endpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http' }],
      namespaceSelector: { matchNames: ['shop'] },
      // the Service's labels without the version, so a release does not break the match
      selector: {
        matchLabels: {
          'app.kubernetes.io/component': 'web',
          'app.kubernetes.io/instance': 'web',
          'app.kubernetes.io/managed-by': 'cdk8s-paas',
          'app.kubernetes.io/name': 'web',
        },
      },
    });
  });

  test('the ServiceMonitor selects the Service and names one of its ports', () => {
    const { chart, app, monitoring } = setup();
    monitoring.scrape(app);
    const objects = synthObjects(chart);
    const [sm] = ofKind(objects, 'ServiceMonitor');
    const [svc] = ofKind(objects, 'Service');
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    expect(svc.spec.ports.map((p: any) => p.name)).toContain(sm.spec.endpoints[0].port);
  });

  test('NetworkPolicy admits only Prometheus pods of the monitoring namespace, to the metrics port', () => {
    const { chart, app, monitoring } = setup();
    monitoring.scrape(app);
    const objects = synthObjects(chart);
    const policy = ofKind(objects, 'NetworkPolicy').find((p) => p.metadata.name === 'web-metrics-from-monitoring');
    expect(policy.metadata.namespace).toBe('shop');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: app.selectorLabels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observe' } },
              podSelector: { matchLabels: { ...PROMETHEUS_POD_LABELS } },
            },
          ],
          ports: [{ port: 'metrics', protocol: 'TCP' }],
        },
      ],
    });
    // the policy's named port is a container port of the app's pods
    const [deployment] = ofKind(objects, 'Deployment');
    const containerPorts = deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name);
    expect(containerPorts).toContain('metrics');
  });

  test('without a metrics port the main port is scraped, and the name says which port', () => {
    const chart = tenantChart();
    const app = webApp(chart, { ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }] });
    const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
    expect(monitoring.scrape(app).name).toBe('web-http-metrics');
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    expect(ofKind(objects, 'ServiceMonitor')[0].spec.endpoints[0].port).toBe('http');
    expect(ofKind(objects, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['web', 'web-http-metrics-from-monitoring']);
  });

  test('path, interval, timeout and scheme', () => {
    const { chart, app, monitoring } = setup();
    monitoring.scrape(app, { port: 'http', path: '/internal/metrics', interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(5), scheme: 'https' });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    expect(ofKind(objects, 'ServiceMonitor')[0].spec.endpoints).toEqual([
      { port: 'http', path: '/internal/metrics', interval: '15s', scrapeTimeout: '5s', scheme: 'https' },
    ]);
  });

  test('podMonitor: PodMonitor selecting the pods by their selector labels', () => {
    const { chart, app, monitoring } = setup();
    const monitor = monitoring.scrape(app, { podMonitor: true, interval: Duration.minutes(1) });
    expect(monitor.kind).toBe('PodMonitor');
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    expect(ofKind(objects, 'ServiceMonitor')).toHaveLength(0);
    const [pm] = ofKind(objects, 'PodMonitor');
    expect(pm.metadata.name).toBe('web-metrics');
    expect(pm.metadata.labels.release).toBe('kps');
    expect(pm.spec).toEqual({
      namespaceSelector: { matchNames: ['shop'] },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '1m', scheme: 'http' }],
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
    });
  });

  test('monitors follow the platform release label', () => {
    const chart = tenantChart();
    const app = webApp(chart);
    const custom: PlatformSpec = { ...platform, monitoring: { ...platform.monitoring, monitorLabels: { prometheus: 'tenants' } } };
    new MonitoringStack(chart, 'monitoring', { platform: custom }).scrape(app);
    const [sm] = ofKind(synthObjects(chart), 'ServiceMonitor');
    expect(sm.metadata.labels.prometheus).toBe('tenants');
    expect(sm.metadata.labels.release).toBeUndefined();
  });

  test('two apps in one stack get their own objects', () => {
    const chart = tenantChart();
    const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
    monitoring.scrape(webApp(chart, {}, 'web'));
    monitoring.scrape(webApp(chart, {}, 'api'));
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    expect(ofKind(objects, 'ServiceMonitor').map((o) => o.metadata.name)).toEqual(['web-metrics', 'api-metrics']);
  });

  test('fails if the port name is unknown (the app lists its ports)', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { port: 'prom' })).toThrow(
      'tenant/web: port "prom" is invalid: must be one of the app\'s port names: "http", "metrics"',
    );
  });

  test('fails if the path is relative', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { path: 'metrics' })).toThrow(
      'tenant/monitoring: path "metrics" is invalid: must be an absolute URL path starting with \'/\'',
    );
  });

  test('fails if the scheme is unknown', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { scheme: 'ftp' as 'http' })).toThrow('tenant/monitoring: scheme "ftp" is invalid: must be "http" or "https"');
  });

  test('fails if the port is UDP', () => {
    const { app, monitoring } = setup({
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'stats', containerPort: 8125, protocol: 'UDP' },
      ],
    });
    expect(() => monitoring.scrape(app, { port: 'stats' })).toThrow(
      'tenant/monitoring: port "stats" is invalid: must be a TCP port: Prometheus scrapes over HTTP',
    );
  });

  test('fails if the interval is zero', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { interval: Duration.millis(0) })).toThrow(
      'tenant/monitoring: interval "0 ms" is invalid: must be a positive whole number of milliseconds',
    );
  });

  test('fails if the scrape timeout is a fraction of a millisecond', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { scrapeTimeout: Duration.millis(1.5) })).toThrow(
      'tenant/monitoring: scrapeTimeout "1.5 ms" is invalid: must be a positive whole number of milliseconds',
    );
  });

  test('fails if the scrape timeout is longer than the interval', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { interval: Duration.seconds(30), scrapeTimeout: Duration.minutes(1) })).toThrow(
      'tenant/monitoring: scrapeTimeout "1m" is invalid: must not be longer than interval (30s)',
    );
  });

  test('fails with every problem at once', () => {
    const { app, monitoring } = setup();
    expect(() => monitoring.scrape(app, { path: 'x', scheme: 'ftp' as 'http' })).toThrow(
      '2 problems:\n' +
        '  - tenant/monitoring: path "x" is invalid: must be an absolute URL path starting with \'/\'\n' +
        '  - tenant/monitoring: scheme "ftp" is invalid: must be "http" or "https"',
    );
  });

  test('fails if the app has no namespace', () => {
    const chart = tenantChart(null);
    const app = webApp(chart);
    const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
    expect(() => monitoring.scrape(app)).toThrow(
      'tenant/monitoring: workload.namespace undefined is invalid: must be set: tenant/web is in a chart without a namespace; give its chart a namespace',
    );
  });

  test('fails if the same port is scraped twice', () => {
    const { app, monitoring } = setup();
    monitoring.scrape(app);
    expect(() => monitoring.scrape(app, { podMonitor: true })).toThrow(
      'tenant/monitoring: port "metrics" is invalid: is already scraped by this MonitoringStack (ServiceMonitor "web-metrics"); scrape each port of an app once',
    );
  });

  test('fails at synth if another stack already made a monitor of that name', () => {
    const { chart, app, monitoring } = setup();
    monitoring.scrape(app);
    new MonitoringStack(chart, 'monitoring2', { platform }).scrape(app);
    expect(() => synthObjects(chart)).toThrow(
      'tenant/monitoring2: name "web-metrics" is invalid: ServiceMonitor "web-metrics" already exists in namespace "shop" (created by tenant/monitoring); choose a unique name',
    );
  });

  test('fails if no platform is given', () => {
    const chart = tenantChart();
    expect(() => new MonitoringStack(chart, 'monitoring', {} as { platform: PlatformSpec })).toThrow(
      'tenant/monitoring: platform undefined is invalid: must be a platform spec from definePlatform()',
    );
  });
});

describe('MonitoringStack.alertOn', () => {
  test('PrometheusRule with the default WebApp rules and the labels Prometheus selects', () => {
    const { chart, app, monitoring } = setup();
    expect(monitoring.alertOn(app).name).toBe('web-alerts');
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const [rule] = ofKind(objects, 'PrometheusRule');
    expect(rule.metadata.namespace).toBe('shop');
    expect(rule.metadata.labels.release).toBe('kps');
    expect(rule.spec.groups).toHaveLength(1);
    expect(rule.spec.groups[0].name).toBe('shop.web');
    expect(rule.spec.groups[0].rules.map((r: any) => r.alert)).toEqual(['WorkloadPodRestarting', 'WorkloadReplicasUnavailable']);
  });

  test('autoscaled WebApp also gets the autoscaler-at-max rule on its HPA', () => {
    const { chart, app, monitoring } = setup({ autoscaling: { maxReplicas: 6 } });
    monitoring.alertOn(app);
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const rules = ofKind(objects, 'PrometheusRule')[0].spec.groups[0].rules;
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler')[0].metadata.name;
    const atMax = rules.find((r: any) => r.alert === 'WorkloadAutoscalerAtMax');
    // kube-state-metrics v2 names and its `horizontalpodautoscaler` label; min == max is never an alert
    const sel = `{namespace="shop", horizontalpodautoscaler="${hpa}"}`;
    expect(atMax.expr).toBe(
      `kube_horizontalpodautoscaler_status_current_replicas${sel} >= kube_horizontalpodautoscaler_spec_max_replicas${sel}` +
        ` and kube_horizontalpodautoscaler_spec_min_replicas${sel} < kube_horizontalpodautoscaler_spec_max_replicas${sel}`,
    );
    expect(atMax.for).toBe('15m');
  });

  test('StatefulSet workloads get restarts, readiness and volume rules', () => {
    const chart = tenantChart();
    const store = new FakeStore(chart, 'db', 'mysql', 'shop');
    new MonitoringStack(chart, 'monitoring', { platform }).alertOn(store, { volumeUsedPercent: 90 });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const [rule] = ofKind(objects, 'PrometheusRule');
    expect(rule.metadata.name).toBe('mysql-alerts');
    const byName = Object.fromEntries(rule.spec.groups[0].rules.map((r: any) => [r.alert, r]));
    expect(Object.keys(byName)).toEqual(['WorkloadPodRestarting', 'WorkloadReplicasUnavailable', 'WorkloadVolumeAlmostFull']);
    expect(byName.WorkloadReplicasUnavailable.expr).toBe(
      'kube_statefulset_replicas{namespace="shop", statefulset="mysql"} - kube_statefulset_status_replicas_ready{namespace="shop", statefulset="mysql"} > 0',
    );
    expect(byName.WorkloadVolumeAlmostFull.expr).toContain('kubelet_volume_stats_available_bytes{namespace="shop", persistentvolumeclaim=~"');
    expect(byName.WorkloadVolumeAlmostFull.expr).toMatch(/\* 100 < 10$/);
    expect(byName.WorkloadVolumeAlmostFull.annotations.description).toContain('NFS');
  });

  test('user rules follow the defaults, typed durations rendered for Prometheus', () => {
    const { chart, app, monitoring } = setup();
    monitoring.alertOn(app, {
      rules: [
        {
          alert: 'RandomIntegerHigh',
          expr: 'max(random_integer) > 90',
          for: Duration.minutes(90),
          severity: 'critical',
          summary: 'random_integer is {{ $value }}',
          description: 'demo',
          labels: { team: 'shop' },
        },
      ],
    });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const rules = ofKind(objects, 'PrometheusRule')[0].spec.groups[0].rules;
    expect(rules[rules.length - 1]).toEqual({
      alert: 'RandomIntegerHigh',
      expr: 'max(random_integer) > 90',
      for: '1h30m',
      labels: { severity: 'critical', team: 'shop' },
      annotations: { summary: 'random_integer is {{ $value }}', description: 'demo' },
    });
  });

  test('defaultRules: false keeps only the user rules', () => {
    const { chart, app, monitoring } = setup();
    monitoring.alertOn(app, { defaultRules: false, rules: [{ alert: 'Down', expr: 'up == 0', summary: 'down' }] });
    const rules = ofKind(synthObjects(chart), 'PrometheusRule')[0].spec.groups[0].rules;
    expect(rules).toEqual([{ alert: 'Down', expr: 'up == 0', labels: { severity: 'warning' }, annotations: { summary: 'down' } }]);
  });

  test('fails if a workload gets a second PrometheusRule', () => {
    const { app, monitoring } = setup();
    monitoring.alertOn(app);
    expect(() => monitoring.alertOn(app)).toThrow(
      'tenant/monitoring: name "web-alerts" is invalid: PrometheusRule "web-alerts" in namespace "shop" was already created by this MonitoringStack: scrape each port, and alert on and chart each workload, once',
    );
  });

  test('fails if the workload has no namespace', () => {
    const chart = tenantChart(null);
    const store = new FakeStore(chart, 'db', 'mysql');
    expect(() => new MonitoringStack(chart, 'monitoring', { platform }).alertOn(store)).toThrow(
      'tenant/monitoring: workload.namespace undefined is invalid: must be set: tenant/db is in a chart without a namespace; give its chart a namespace',
    );
  });
});

describe('MonitoringStack.dashboard', () => {
  test('ConfigMap with the sidecar label and the dashboard JSON', () => {
    const { chart, app, monitoring } = setup();
    expect(monitoring.dashboard(app).name).toBe('web-dashboard');
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const [cm] = ofKind(objects, 'ConfigMap').filter((c) => c.metadata.name === 'web-dashboard');
    expect(cm.metadata.namespace).toBe('shop');
    expect(cm.metadata.labels.grafana_dashboard).toBe('1');
    expect(Object.keys(cm.data)).toEqual(['shop-web.json']);
    const dashboard = JSON.parse(cm.data['shop-web.json']);
    expect(dashboard.uid).toBe('shop-web');
    expect(dashboard.title).toBe('shop / web');
    expect(dashboard.panels.map((p: any) => p.title)).toEqual(['CPU usage', 'Memory (working set)', 'Container restarts', 'Replicas']);
  });

  test('request rate and latency panels only when the app exports them', () => {
    const { chart, app, monitoring } = setup();
    monitoring.dashboard(app, {
      title: 'Web shop',
      httpMetrics: { requestsTotal: 'http_requests_total', statusLabel: 'code', durationHistogram: 'http_request_duration_seconds' },
    });
    const cm = ofKind(synthObjects(chart), 'ConfigMap').find((c) => c.metadata.name === 'web-dashboard');
    const dashboard = JSON.parse(cm.data['shop-web.json']);
    expect(dashboard.title).toBe('Web shop');
    expect(dashboard.panels.map((p: any) => p.title)).toEqual([
      'CPU usage',
      'Memory (working set)',
      'Container restarts',
      'Replicas',
      'Request rate',
      'Request latency',
    ]);
    expect(dashboard.panels[4].targets[0].expr).toBe(
      'sum by (code) (rate(http_requests_total{namespace="shop", pod=~"web-[a-z0-9]+-[a-z0-9]{5}"}[$__rate_interval]))',
    );
  });

  test('byte-identical across synths', () => {
    const render = () => {
      const { chart, app, monitoring } = setup({ autoscaling: { maxReplicas: 4 } });
      monitoring.dashboard(app, { httpMetrics: { requestsTotal: 'http_requests_total' } });
      return ofKind(synthObjects(chart), 'ConfigMap').find((c) => c.metadata.name === 'web-dashboard').data['shop-web.json'];
    };
    expect(render()).toBe(render());
  });

  test('dashboard for a StatefulSet workload shows its readiness', () => {
    const chart = tenantChart();
    const store = new FakeStore(chart, 'db', 'mysql', 'shop');
    new MonitoringStack(chart, 'monitoring', { platform }).dashboard(store);
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const dashboard = JSON.parse(objects[0].data['shop-mysql.json']);
    expect(dashboard.panels[3].targets.map((t: any) => t.expr)).toEqual([
      'kube_statefulset_replicas{namespace="shop", statefulset="mysql"}',
      'kube_statefulset_status_replicas_ready{namespace="shop", statefulset="mysql"}',
    ]);
  });

  test('fails if a workload gets a second dashboard', () => {
    const { app, monitoring } = setup();
    monitoring.dashboard(app);
    expect(() => monitoring.dashboard(app)).toThrow(
      'tenant/monitoring: name "web-dashboard" is invalid: ConfigMap "web-dashboard" in namespace "shop" was already created by this MonitoringStack: scrape each port, and alert on and chart each workload, once',
    );
  });
});

test('scrape, alerts and dashboard together pass every validator', () => {
  const { chart, app, monitoring } = setup({ autoscaling: { maxReplicas: 5 } });
  monitoring.scrape(app);
  monitoring.alertOn(app);
  monitoring.dashboard(app);
  const objects = synthObjects(chart);
  expectValidManifests(objects);
  expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).filter((n) => !n.startsWith('Deployment') && !n.startsWith('Service/'))).toEqual(
    expect.arrayContaining(['ServiceMonitor/web-metrics', 'NetworkPolicy/web-metrics-from-monitoring', 'PrometheusRule/web-alerts', 'ConfigMap/web-dashboard']),
  );
});
