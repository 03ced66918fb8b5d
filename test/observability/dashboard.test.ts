import { dashboardUid, DashboardOptions, renderDashboard, stableJson } from '../../lib/observability/dashboard';

const web = { name: 'web', kind: 'Deployment' as const, namespace: 'shop' };
const render = (options: DashboardOptions) => () => renderDashboard('t/mon', web, options);

describe('dashboard JSON', () => {
  test('keys sorted at every level, ending in a newline', () => {
    expect(stableJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  test("uid is <namespace>-<name>, cut to Grafana's 40 characters with a digest when longer", () => {
    expect(dashboardUid('shop', 'web')).toBe('shop-web');
    const long = dashboardUid('a-very-long-tenant-namespace', 'and-an-equally-long-app-name');
    expect(long).toHaveLength(40);
    expect(long).toMatch(/^a-very-long-tenant-namespace-an-[0-9a-f]{8}$/);
    expect(dashboardUid('a-very-long-tenant-namespace', 'and-an-equally-long-app-name-2')).not.toBe(long);
    expect(dashboardUid('a-very-long-tenant-namespace', 'and-an-equally-long-app-name')).toBe(long);
  });

  test('panels use a data source variable, not a fixed data source uid', () => {
    const d = JSON.parse(render({})());
    expect(d.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
    for (const p of d.panels) expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    expect(d.panels.map((p: any) => p.id)).toEqual([1, 2, 3, 4]);
  });

  test('latency panel: p50, p95, p99 of the histogram buckets', () => {
    const d = JSON.parse(render({ httpMetrics: { durationHistogram: 'http_request_duration_seconds' } })());
    const latency = d.panels.find((p: any) => p.title === 'Request latency');
    expect(latency.targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p95', 'p99']);
    expect(latency.targets[1].expr).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop", pod=~"web-[a-z0-9]+-[a-z0-9]{5}"}[$__rate_interval])))',
    );
    expect(d.panels.find((p: any) => p.title === 'Request rate')).toBeUndefined();
  });

  test('request rate without a status label is one series', () => {
    const d = JSON.parse(render({ httpMetrics: { requestsTotal: 'http_requests_total' } })());
    expect(d.panels[4].targets).toEqual([
      expect.objectContaining({
        expr: 'sum (rate(http_requests_total{namespace="shop", pod=~"web-[a-z0-9]+-[a-z0-9]{5}"}[$__rate_interval]))',
        legendFormat: 'requests',
      }),
    ]);
  });
});

test('panels of your own follow the default ones', () => {
  const d = JSON.parse(
    render({ panels: [{ title: 'Random integer', queries: [{ expr: 'random_integer{namespace="shop"}', legend: '{{pod}}' }, { expr: 'up' }] }] })(),
  );
  const own = d.panels[4];
  expect(own.title).toBe('Random integer');
  expect(own.id).toBe(5);
  expect(own.fieldConfig.defaults.unit).toBe('short');
  expect(own.gridPos).toEqual({ h: 8, w: 12, x: 0, y: 16 });
  expect(own.targets).toEqual([
    { datasource: { type: 'prometheus', uid: '${datasource}' }, expr: 'random_integer{namespace="shop"}', legendFormat: '{{pod}}', refId: 'A' },
    { datasource: { type: 'prometheus', uid: '${datasource}' }, expr: 'up', refId: 'B' },
  ]);
});

describe('validation', () => {
  test('fails if a panel has no title', () => {
    expect(render({ panels: [{ title: '', queries: [{ expr: 'up' }] }] })).toThrow('t/mon: panels[0].title "" is invalid: must not be empty');
  });
  test('fails if a panel has no query', () => {
    expect(render({ panels: [{ title: 'x', queries: [] }] })).toThrow('t/mon: panels[0].queries [] is invalid: must hold at least one query');
  });
  test('fails if a panel query is empty', () => {
    expect(render({ panels: [{ title: 'x', queries: [{ expr: '' }] }] })).toThrow(
      't/mon: panels[0].queries[0].expr "" is invalid: must be a non-empty PromQL expression',
    );
  });
  test('fails if requestsTotal is not a metric name', () => {
    expect(render({ httpMetrics: { requestsTotal: 'http-requests' } })).toThrow(
      "t/mon: httpMetrics.requestsTotal \"http-requests\" is invalid: must be a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit",
    );
  });
  test('fails if durationHistogram is not a metric name', () => {
    expect(render({ httpMetrics: { durationHistogram: '9s' } })).toThrow(
      "t/mon: httpMetrics.durationHistogram \"9s\" is invalid: must be a Prometheus metric name: letters, digits, '_' and ':', not starting with a digit",
    );
  });
  test('fails if durationHistogram names the _bucket series', () => {
    expect(render({ httpMetrics: { durationHistogram: 'http_request_duration_seconds_bucket' } })).toThrow(
      "t/mon: httpMetrics.durationHistogram \"http_request_duration_seconds_bucket\" is invalid: must be the histogram's base name, without the '_bucket' suffix",
    );
  });
  test('fails if statusLabel is not a label name', () => {
    expect(render({ httpMetrics: { requestsTotal: 'http_requests_total', statusLabel: 'status-code' } })).toThrow(
      "t/mon: httpMetrics.statusLabel \"status-code\" is invalid: must be a Prometheus label name: letters, digits and '_', not starting with a digit or '__'",
    );
  });
  test('fails if statusLabel comes without requestsTotal', () => {
    expect(render({ httpMetrics: { statusLabel: 'code' } })).toThrow(
      't/mon: httpMetrics.statusLabel "code" is invalid: needs httpMetrics.requestsTotal: it labels that counter',
    );
  });
  test('fails if the title is empty', () => {
    expect(render({ title: ' ' })).toThrow('t/mon: title " " is invalid: must not be empty');
  });
});
