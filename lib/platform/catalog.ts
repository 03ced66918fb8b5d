import satisfies from 'semver/functions/satisfies';
import type { PlatformSpec } from '../platform-spec';

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
  /**
   * Exact chart version as the chart repository publishes it (what Helm is asked for). Never a
   * range: values are checked against this version's values.yaml.
   */
  readonly version: string;
  /**
   * The `version` field of the chart's Chart.yaml in its source repository, when the release
   * tool rewrites it on publishing (cert-manager's repository carries the placeholder `v0.0.0`).
   * @default - the same as `version`
   */
  readonly sourceVersion?: string;
  /**
   * The `kubeVersion` constraint of the chart's Chart.yaml, as written there.
   * @default - the chart declares none
   */
  readonly kubeVersion?: string;
  /**
   * The Kubernetes versions the project itself supports for this release, from its own support
   * matrix (a semver range), with the page that says so. Stricter than `kubeVersion`, which most
   * charts set to whatever still renders: cert-manager's chart accepts `>= 1.22` while the
   * project supports four minors. `definePlatform` refuses a cluster outside it; every catalog
   * entry has one (a test says so).
   * @default - none recorded: only `kubeVersion` is checked (charts added with `addAddon`)
   */
  readonly supportedKubernetes?: SupportedKubernetes;
  /** How long Helm may wait for the release to become ready, sized to what the chart starts. */
  readonly timeoutSeconds: number;
  /**
   * Top-level values sections that configure subcharts (dependencies); the parent's values.yaml
   * only documents part of them, so the contract test does not require our keys there.
   * @default []
   */
  readonly subchartSections?: readonly string[];
}

/** A Kubernetes range a project supports, and where it says so. */
export interface SupportedKubernetes {
  /** Semver range over cluster versions, e.g. `>=1.33.0-0 <1.37.0-0`. */
  readonly range: string;
  /** The same range in words, for messages: `1.33 to 1.36`, `1.31 or newer`. */
  readonly words: string;
  /** The project's page that states it. */
  readonly source: string;
}

/** The add-ons the platform stack knows, by their key in the catalog. */
export type ChartKey =
  | 'prometheusOperatorCrds'
  | 'kubePrometheusStack'
  | 'metricsServer'
  | 'nfsSubdirExternalProvisioner'
  | 'csiDriverNfs'
  | 'harbor'
  | 'ingressNginx'
  | 'traefik'
  | 'certManager';

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
    // prometheus-operator >= v0.84 uses CEL in its CRDs: Kubernetes >= 1.25.
    supportedKubernetes: {
      range: '>=1.25.0-0',
      words: '1.25 or newer',
      source: 'https://prometheus-operator.dev/docs/getting-started/compatibility/',
    },
    timeoutSeconds: 300,
  },
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    repository: PROMETHEUS_COMMUNITY,
    version: '88.5.3',
    kubeVersion: '>=1.25.0-0',
    // The operator's own statement (v0.93.1 inside); the chart's kubeVersion says the same.
    supportedKubernetes: {
      range: '>=1.25.0-0',
      words: '1.25 or newer',
      source: 'https://prometheus-operator.dev/docs/getting-started/compatibility/',
    },
    // operator admission webhook job, Prometheus and Alertmanager StatefulSets, Grafana: slow first pulls
    timeoutSeconds: 900,
    subchartSections: ['crds', 'grafana', 'kube-state-metrics', 'prometheus-node-exporter', 'prometheus-windows-exporter'],
  },
  metricsServer: {
    chart: 'metrics-server',
    repository: 'https://kubernetes-sigs.github.io/metrics-server/',
    version: '3.13.1',
    // Compatibility matrix of the README: metrics-server 0.8.x (appVersion 0.8.1) supports 1.31+.
    supportedKubernetes: {
      range: '>=1.31.0-0',
      words: '1.31 or newer',
      source: 'https://github.com/kubernetes-sigs/metrics-server#compatibility-matrix',
    },
    timeoutSeconds: 300,
  },
  nfsSubdirExternalProvisioner: {
    chart: 'nfs-subdir-external-provisioner',
    repository: 'https://kubernetes-sigs.github.io/nfs-subdir-external-provisioner/',
    version: '4.0.18',
    kubeVersion: '>=1.9.0-0',
    // The project states no matrix beyond the chart's kubeVersion (dormant upstream since 2024).
    supportedKubernetes: {
      range: '>=1.9.0-0',
      words: '1.9 or newer',
      source: 'https://github.com/kubernetes-sigs/nfs-subdir-external-provisioner#readme',
    },
    timeoutSeconds: 300,
  },
  csiDriverNfs: {
    chart: 'csi-driver-nfs',
    repository: 'https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts',
    version: '4.13.4',
    // README's "Container Images & Kubernetes Compatibility" table: every v4 driver, 1.21+.
    supportedKubernetes: {
      range: '>=1.21.0-0',
      words: '1.21 or newer',
      source: 'https://github.com/kubernetes-csi/csi-driver-nfs#container-images--kubernetes-compatibility',
    },
    timeoutSeconds: 300,
  },
  harbor: {
    chart: 'harbor',
    repository: 'https://helm.goharbor.io',
    version: '1.19.1',
    // harbor-helm README, Prerequisites: Kubernetes cluster 1.20+.
    supportedKubernetes: {
      range: '>=1.20.0-0',
      words: '1.20 or newer',
      source: 'https://github.com/goharbor/harbor-helm#prerequisites',
    },
    // database init and migrations, then core waits for the database: the slowest chart here
    timeoutSeconds: 1200,
  },
  ingressNginx: {
    chart: 'ingress-nginx',
    repository: 'https://kubernetes.github.io/ingress-nginx',
    version: '4.15.1',
    kubeVersion: '>=1.21.0-0',
    // README "Supported Versions table", row v1.15.1 (chart 4.15.1): 1.35, 1.34, 1.33, 1.32, 1.31.
    // Retired upstream in March 2026, so no release will support a newer minor: prefer Traefik.
    supportedKubernetes: {
      range: '>=1.31.0-0 <1.36.0-0',
      words: '1.31 to 1.35',
      source: 'https://github.com/kubernetes/ingress-nginx#supported-versions-table',
    },
    // admission webhook certificate jobs run before the controller
    timeoutSeconds: 600,
  },
  traefik: {
    chart: 'traefik',
    repository: 'https://traefik.github.io/charts',
    version: '41.3.0',
    kubeVersion: '>=1.25.0-0',
    // Traefik "supports at least the latest three minor versions of Kubernetes". Chart 41.3.0
    // (Traefik v3.7.11) was released on 2026-08-21, when those were 1.34 to 1.36; the policy
    // follows new minors, so no upper bound. (The chart README's own floor is 1.25.)
    supportedKubernetes: {
      range: '>=1.34.0-0',
      words: '1.34 or newer',
      source: 'https://doc.traefik.io/traefik/reference/install-configuration/providers/kubernetes/kubernetes-gateway/#requirements',
    },
    timeoutSeconds: 300,
  },
  certManager: {
    chart: 'cert-manager',
    repository: 'https://charts.jetstack.io',
    // The repository publishes the chart with the tag as its version, `v` included.
    version: 'v1.21.1',
    sourceVersion: 'v0.0.0',
    kubeVersion: '>= 1.22.0-0',
    // Supported releases table: cert-manager 1.21 supports Kubernetes 1.33 to 1.36. No release
    // that is still supported runs on 1.28.
    supportedKubernetes: {
      range: '>=1.33.0-0 <1.37.0-0',
      words: '1.33 to 1.36',
      source: 'https://cert-manager.io/docs/releases/',
    },
    // webhook and cainjector start, then the startupapicheck hook and our issuer hooks
    timeoutSeconds: 600,
  },
});

/**
 * The Gateway API CRDs the stack installs for Traefik's Gateway provider: the standard channel of
 * the release Traefik chart 41.3.0 documents. Not a chart (see gateway-api-crds.ts).
 */
export const GATEWAY_API_CRDS = Object.freeze({
  name: 'Gateway API CRDs',
  version: 'v1.5.1',
  // v1.5 ships a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, GA in 1.30) that
  // guards CRD upgrades; the project supports the five most recent minors from 1.30 on.
  supportedKubernetes: {
    range: '>=1.30.0-0',
    words: '1.30 or newer',
    source: 'https://gateway-api.sigs.k8s.io/concepts/versioning/#supported-versions',
  } satisfies SupportedKubernetes,
});

/** An add-on the cluster version is checked against: its name, version and supported range. */
export interface SupportedAddon {
  readonly name: string;
  readonly version: string;
  readonly supportedKubernetes: SupportedKubernetes;
}

/** A catalog pin as a SupportedAddon. */
export function addonOf(pin: ChartPin): SupportedAddon {
  return {
    name: pin.chart,
    version: pin.version,
    supportedKubernetes: pin.supportedKubernetes ?? { range: '*', words: 'any version', source: 'none recorded' },
  };
}

/**
 * Checks a cluster version against what an add-on's project supports.
 * @returns undefined when supported, else what is wrong, in words
 */
export function supportProblem(addon: SupportedAddon, kubernetesVersion: string): string | undefined {
  const s = addon.supportedKubernetes;
  if (satisfies(kubernetesVersion, s.range, { includePrerelease: true })) return undefined;
  return `is outside what ${addon.name} ${addon.version} supports: Kubernetes ${s.words} (${JSON.stringify(s.range)}, ${s.source})`;
}

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

/** An object the platform stack (one of its add-ons) creates, that `dist/` may refer to by name. */
export interface ProvidedObject {
  readonly kind: string;
  /** @default cluster-scoped */
  readonly namespace?: string;
  readonly name: string;
  /** Which add-on creates it, and how: shown as the reason in the references check. */
  readonly reason: string;
}

/**
 * The objects the spec's platform stack creates that the cdk8s side refers to by name (the
 * StorageClass, IngressClass, GatewayClass and Gateway, the ClusterIssuer, the add-on
 * namespaces), declared per add-on. In the shape of the validator's `createdOutside`
 * declarations, so checking `dist/` alone knows what the platform stack provides.
 */
export function platformProvides(spec: PlatformSpec): ProvidedObject[] {
  const out: ProvidedObject[] = [];
  const ns = (name: string, addon: string) => out.push({ kind: 'Namespace', name, reason: `platform stack: namespace of ${addon}` });
  const ingress = spec.ingress;
  if (ingress.controller !== 'f5-nginx') {
    const chart = ingress.controller === 'traefik' ? CHART_CATALOG.traefik : CHART_CATALOG.ingressNginx;
    ns(ingress.namespace, chart.chart);
    out.push({ kind: 'IngressClass', name: ingress.className, reason: `platform stack: the ${chart.chart} ${chart.version} chart's IngressClass` });
  }
  if (ingress.gatewayApi) {
    const t = `platform stack: the traefik ${CHART_CATALOG.traefik.version} chart's`;
    if (ingress.gatewayApi.gatewayNamespace !== ingress.namespace) ns(ingress.gatewayApi.gatewayNamespace, 'the Gateway');
    out.push({ kind: 'GatewayClass', name: 'traefik', reason: `${t} GatewayClass` });
    out.push({ kind: 'Gateway', namespace: ingress.gatewayApi.gatewayNamespace, name: ingress.gatewayApi.gatewayName, reason: `${t} Gateway` });
  }
  if (spec.certificates) {
    ns(spec.certificates.namespace, 'cert-manager');
    out.push({
      kind: 'ClusterIssuer',
      name: spec.certificates.clusterIssuerName,
      reason: `platform stack: cert-manager ${CHART_CATALOG.certManager.version} release (issuer hook)`,
    });
  }
  ns(spec.monitoring.namespace, 'kube-prometheus-stack');
  ns(spec.monitoring.nodeExporterNamespace, 'node-exporter');
  if (spec.metricsServer.enabled && spec.metricsServer.namespace !== 'kube-system') ns(spec.metricsServer.namespace, 'metrics-server');
  if (spec.nfs) {
    const chart = spec.nfs.backend === 'nfs-subdir' ? CHART_CATALOG.nfsSubdirExternalProvisioner : CHART_CATALOG.csiDriverNfs;
    ns(spec.nfs.namespace, chart.chart);
    out.push({ kind: 'StorageClass', name: spec.nfs.storageClassName, reason: `platform stack: the ${chart.chart} ${chart.version} chart's StorageClass` });
  }
  if (spec.registry?.installHarbor) ns(spec.registry.namespace, 'harbor');
  return out;
}
