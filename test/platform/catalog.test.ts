import validRange from 'semver/ranges/valid';
import { PLATFORMS } from '../../apps/platform';
import { addonOf, CHART_CATALOG, ChartKey, GATEWAY_API_CRDS, kubeVersionProblem, supportProblem } from '../../lib/platform';
import { DEFAULT_KUBERNETES_VERSION, definePlatform } from '../../lib/platform-spec';
import { SEEDS } from './fixtures';
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

describe('supported Kubernetes (each project’s own support matrix)', () => {
  test.each(keys)('%s: a range, in words, with the page that states it', (key) => {
    const s = CHART_CATALOG[key].supportedKubernetes!;
    expect(s).toBeDefined();
    expect(validRange(s.range)).not.toBeNull();
    expect(s.source).toMatch(/^https:\/\//);
    expect(s.words).toMatch(/^1\.\d+ (to 1\.\d+|or newer)$/);
  });

  test.each(keys)('%s: supports the default 1.35 and is at least as strict as the chart kubeVersion', (key) => {
    const pin = CHART_CATALOG[key];
    expect(supportProblem(addonOf(pin), DEFAULT_KUBERNETES_VERSION)).toBeUndefined();
    // every minor the project supports renders with the chart
    for (let minor = 9; minor <= 40; minor++) {
      if (supportProblem(addonOf(pin), `1.${minor}.0`) === undefined) expect([minor, kubeVersionProblem(pin, `1.${minor}.0`)]).toEqual([minor, undefined]);
    }
  });

  test('cert-manager 1.21: 1.33 to 1.36, stricter than its chart (>= 1.22)', () => {
    const cm = addonOf(CHART_CATALOG.certManager);
    expect(['1.32.9', '1.33.0', '1.36.4', '1.37.0'].map((v) => supportProblem(cm, v) === undefined)).toEqual([false, true, true, false]);
    expect(kubeVersionProblem(CHART_CATALOG.certManager, '1.28.0')).toBeUndefined();
    expect(supportProblem(cm, '1.28.0')).toBe(
      'is outside what cert-manager v1.21.1 supports: Kubernetes 1.33 to 1.36 (">=1.33.0-0 <1.37.0-0", https://cert-manager.io/docs/releases/)',
    );
  });

  test('Gateway API v1.5.1 needs 1.30 (its ValidatingAdmissionPolicy is GA there)', () => {
    expect(supportProblem(GATEWAY_API_CRDS, '1.29.5')).toBe(
      'is outside what Gateway API CRDs v1.5.1 supports: Kubernetes 1.30 or newer (">=1.30.0-0", https://gateway-api.sigs.k8s.io/concepts/versioning/#supported-versions)',
    );
    expect(supportProblem(GATEWAY_API_CRDS, '1.30.0')).toBeUndefined();
  });
});

describe('definePlatform: kubernetesVersion against the add-ons it asks for', () => {
  test('default is 1.35.0', () => {
    expect(definePlatform().kubernetesVersion).toBe('1.35.0');
  });

  test('every example platform runs 1.35 and passes', () => {
    for (const spec of PLATFORMS) expect([spec.name, spec.kubernetesVersion]).toEqual([spec.name, '1.35.0']);
  });

  test("fails for the seeds' 1.28 cluster, naming each add-on and its range, then what to do", () => {
    const seeds = { ...SEEDS, kubernetesVersion: '1.28' };
    expect(() => definePlatform(seeds)).toThrow(
      [
        '4 problems:',
        '  - platform: kubernetesVersion "1.28.0" is invalid: is outside what cert-manager v1.21.1 supports: Kubernetes 1.33 to 1.36 (">=1.33.0-0 <1.37.0-0", https://cert-manager.io/docs/releases/)',
        '  - platform: kubernetesVersion "1.28.0" is invalid: is outside what ingress-nginx 4.15.1 supports: Kubernetes 1.31 to 1.35 (">=1.31.0-0 <1.36.0-0", https://github.com/kubernetes/ingress-nginx#supported-versions-table)',
        '  - platform: kubernetesVersion "1.28.0" is invalid: is outside what metrics-server 3.13.1 supports: Kubernetes 1.31 or newer (">=1.31.0-0", https://github.com/kubernetes-sigs/metrics-server#compatibility-matrix)',
        '  - platform: kubernetesVersion "1.28.0" is invalid: is past upstream end of life, and the add-ons above have left it behind: upgrade the cluster one minor at a time (kubeadm upgrade plan/apply per minor) to 1.35 before installing the platform stack',
      ].join('\n'),
    );
  });

  test('only the add-ons the spec installs count: no cert-manager, no metrics-server, a controller installed outside, 1.28 passes', () => {
    const { certificates: _c, ...noCerts } = SEEDS;
    const spec = { ...noCerts, kubernetesVersion: '1.28', metricsServer: { enabled: false }, ingress: { controller: 'f5-nginx' as const } };
    expect(definePlatform(spec).kubernetesVersion).toBe('1.28.0');
  });

  test('fails above a project range without the end-of-life line', () => {
    expect(() => definePlatform({ ...SEEDS, kubernetesVersion: '1.37.1' })).toThrow(
      [
        '2 problems:',
        '  - platform: kubernetesVersion "1.37.1" is invalid: is outside what cert-manager v1.21.1 supports: Kubernetes 1.33 to 1.36 (">=1.33.0-0 <1.37.0-0", https://cert-manager.io/docs/releases/)',
        '  - platform: kubernetesVersion "1.37.1" is invalid: is outside what ingress-nginx 4.15.1 supports: Kubernetes 1.31 to 1.35 (">=1.31.0-0 <1.36.0-0", https://github.com/kubernetes/ingress-nginx#supported-versions-table)',
      ].join('\n'),
    );
  });

  test('ingress-nginx is retired: its last release supports up to 1.35, so a 1.36 seeds cluster moves to Traefik', () => {
    expect(() => definePlatform({ ...SEEDS, kubernetesVersion: '1.36' })).toThrow(
      'platform: kubernetesVersion "1.36.0" is invalid: is outside what ingress-nginx 4.15.1 supports: Kubernetes 1.31 to 1.35 (">=1.31.0-0 <1.36.0-0", https://github.com/kubernetes/ingress-nginx#supported-versions-table)',
    );
    expect(definePlatform({ ...SEEDS, kubernetesVersion: '1.36', ingress: { controller: 'traefik', serviceType: 'NodePort' } }).kubernetesVersion).toBe(
      '1.36.0',
    );
  });

  test('Traefik with Gateway API on 1.33: Traefik (latest three minors) and not the CRDs', () => {
    expect(() => definePlatform({ ingress: { controller: 'traefik', gatewayApi: {} }, kubernetesVersion: '1.33' })).toThrow(
      'platform: kubernetesVersion "1.33.0" is invalid: is outside what traefik 41.3.0 supports: Kubernetes 1.34 or newer (">=1.34.0-0", https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-gateway/#requirements)',
    );
  });
});
