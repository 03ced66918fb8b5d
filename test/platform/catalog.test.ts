import { CHART_CATALOG, ChartKey, kubeVersionProblem } from '../../lib/platform';
import { readUpstreamYaml } from '../support/upstream';

interface ChartYaml {
  readonly name: string;
  readonly version: string;
  readonly kubeVersion?: string;
  readonly dependencies?: ReadonlyArray<{ readonly name: string; readonly alias?: string }>;
}

const keys = Object.keys(CHART_CATALOG) as ChartKey[];

describe('chart catalog (contract with shared/upstream/charts/*/Chart.yaml)', () => {
  test.each(keys)('%s: name, exact version and kubeVersion match the pinned Chart.yaml', (key) => {
    const pin = CHART_CATALOG[key];
    const chart = readUpstreamYaml<ChartYaml>(`charts/${pin.chart}/Chart.yaml`);
    expect(chart.name).toBe(pin.chart);
    // cert-manager's repository Chart.yaml carries the release tool's placeholder
    expect(pin.sourceVersion ?? pin.version).toBe(chart.version);
    // undefined on both sides when the chart declares none
    expect(pin.kubeVersion).toBe(chart.kubeVersion);
  });

  test.each(keys)('%s: subchart sections are the chart dependencies', (key) => {
    const pin = CHART_CATALOG[key];
    const chart = readUpstreamYaml<ChartYaml>(`charts/${pin.chart}/Chart.yaml`);
    const deps = (chart.dependencies ?? []).map((d) => d.alias ?? d.name);
    for (const section of pin.subchartSections ?? []) expect(deps).toContain(section);
  });

  test('versions are exact, repositories https', () => {
    for (const pin of Object.values(CHART_CATALOG)) {
      // cert-manager publishes its chart as the tag, `v` included
      expect(pin.version).toMatch(pin.chart === 'cert-manager' ? /^v\d+\.\d+\.\d+$/ : /^\d+\.\d+\.\d+$/);
      expect(pin.repository).toMatch(/^https:\/\//);
      expect(Number.isInteger(pin.timeoutSeconds) && pin.timeoutSeconds > 0).toBe(true);
    }
  });
});

describe('kubeVersionProblem', () => {
  test('accepts a supported version, including pre-release builds', () => {
    expect(kubeVersionProblem(CHART_CATALOG.kubePrometheusStack, '1.28.0')).toBeUndefined();
    expect(kubeVersionProblem(CHART_CATALOG.kubePrometheusStack, '1.28.3-eks-1')).toBeUndefined();
  });

  test('charts without a constraint accept anything', () => {
    expect(kubeVersionProblem(CHART_CATALOG.harbor, '1.10.0')).toBeUndefined();
  });

  test('names chart, version and constraint when unsupported', () => {
    expect(kubeVersionProblem(CHART_CATALOG.kubePrometheusStack, '1.24.0')).toBe(
      'is not supported by chart kube-prometheus-stack 88.5.3, which requires Kubernetes ">=1.25.0-0"',
    );
  });
});
