import satisfies from 'semver/functions/satisfies';

/**
 * One pinned Helm chart: where it comes from, the exact version we tested our values against,
 * and the Kubernetes versions its Chart.yaml declares. Pure data: the contract tests compare it
 * with the upstream Chart.yaml and values.yaml of exactly this version.
 */
export interface ChartPin {
  /** Chart name in its repository. */
  readonly chart: string;
  /** Helm repository URL (an `https://` index, installed without `helm repo add`). */
  readonly repository: string;
  /** Exact chart version. Never a range: values are checked against this version's values.yaml. */
  readonly version: string;
  /**
   * The `kubeVersion` constraint of the chart's Chart.yaml, as written there.
   * @default - the chart declares none
   */
  readonly kubeVersion?: string;
  /** How long Helm may wait for the release to become ready, sized to what the chart starts. */
  readonly timeoutSeconds: number;
  /**
   * Top-level values sections that configure subcharts (dependencies); the parent's values.yaml
   * only documents part of them, so the contract test does not require our keys there.
   * @default []
   */
  readonly subchartSections?: readonly string[];
}

/** The add-ons the platform stack knows, by their key in the catalog. */
export type ChartKey =
  'prometheusOperatorCrds' | 'kubePrometheusStack' | 'metricsServer' | 'nfsSubdirExternalProvisioner' | 'csiDriverNfs' | 'harbor' | 'ingressNginx' | 'traefik';

const PROMETHEUS_COMMUNITY = 'https://prometheus-community.github.io/helm-charts';

/**
 * Every chart the platform stack installs, pinned. Versions match `shared/upstream/charts/*`;
 * bump a version only together with the values builders and their contract tests.
 */
export const CHART_CATALOG: Readonly<Record<ChartKey, ChartPin>> = Object.freeze({
  prometheusOperatorCrds: {
    chart: 'prometheus-operator-crds',
    repository: PROMETHEUS_COMMUNITY,
    version: '31.0.1',
    kubeVersion: '>=1.16.0-0',
    timeoutSeconds: 300,
  },
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    repository: PROMETHEUS_COMMUNITY,
    version: '88.5.3',
    kubeVersion: '>=1.25.0-0',
    // operator admission webhook job, Prometheus and Alertmanager StatefulSets, Grafana: slow first pulls
    timeoutSeconds: 900,
    subchartSections: ['crds', 'grafana', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-windows-exporter'],
  },
  metricsServer: {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.13.1',
    timeoutSeconds: 300,
  },
  nfsSubdirExternalProvisioner: {
    chart: 'nfs-subdir-external-provisioner',
    repository: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/',
    version: '4.0.18',
    kubeVersion: '>=1.9.0-0',
    timeoutSeconds: 300,
  },
  csiDriverNfs: {
    chart: 'csi-driver-nfs',
    repository: 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts',
    version: '4.13.4',
    timeoutSeconds: 300,
  },
  harbor: {
    chart: 'harbor',
    repository: 'https://helm.goharbor.io',
    version: '1.19.1',
    // database init and migrations, then core waits for the database: the slowest chart here
    timeoutSeconds: 1200,
  },
  ingressNginx: {
    chart: 'ingress-nginx',
    repository: 'https://kubernetes.github.io/ingress-nginx',
    version: '4.15.1',
    kubeVersion: '>=1.21.0-0',
    // admission webhook certificate jobs run before the controller
    timeoutSeconds: 600,
  },
  traefik: {
    chart: 'traefik',
    repository: 'https://traefik.github.io/charts',
    version: '41.3.0',
    kubeVersion: '>=1.25.0-0',
    timeoutSeconds: 300,
  },
});

/**
 * Checks a cluster version against a chart's `kubeVersion` constraint the way Helm does
 * (pre-releases such as `1.28.3-eks-1` count, hence the `-0` in most constraints).
 * @returns undefined when supported, else what is wrong, in words
 */
export function kubeVersionProblem(pin: ChartPin, kubernetesVersion: string): string | undefined {
  if (!pin.kubeVersion) return undefined;
  if (satisfies(kubernetesVersion, pin.kubeVersion, { includePrerelease: true })) return undefined;
  return `is not supported by chart ${pin.chart} ${pin.version}, which requires Kubernetes ${JSON.stringify(pin.kubeVersion)}`;
}
