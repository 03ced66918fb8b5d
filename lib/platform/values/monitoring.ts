import type { CertificatesSpec, MonitoringSpec, IngressSpec } from '../../platform-spec';
import { CLUSTER_ISSUER_ANNOTATION } from '../issuers';
import { deepMerge } from './merge';
import { monitoringStorageValues } from './storage';

/** Values we set on prometheus-operator-crds: every monitoring.coreos.com CRD, which is the chart's default. */
export interface PrometheusOperatorCrdsValues {
  readonly [key: string]: unknown;
  readonly crds: { readonly annotations: Readonly<Record<string, string>> };
}

/** The CRDs chart keeps its defaults (all CRDs); we only say so explicitly. */
export function prometheusOperatorCrdsValues(): PrometheusOperatorCrdsValues {
  return { crds: { annotations: {} } };
}

/** A label selector as the Prometheus custom resource takes it. */
export interface MatchLabelsSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
}

/** The prometheusSpec fields we set: which monitors and rules Prometheus picks up, from where. */
export interface PrometheusSelectionValues {
  readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
  readonly serviceMonitorSelector: MatchLabelsSelector;
  /** `{}`: every namespace. */
  readonly serviceMonitorNamespaceSelector: Readonly<Record<string, never>>;
  readonly podMonitorSelectorNilUsesHelmValues: boolean;
  readonly podMonitorSelector: MatchLabelsSelector;
  readonly podMonitorNamespaceSelector: Readonly<Record<string, never>>;
  readonly ruleSelectorNilUsesHelmValues: boolean;
  readonly ruleSelector: MatchLabelsSelector;
  readonly ruleNamespaceSelector: Readonly<Record<string, never>>;
  readonly probeSelectorNilUsesHelmValues: boolean;
  readonly probeSelector: MatchLabelsSelector;
  readonly probeNamespaceSelector: Readonly<Record<string, never>>;
}

export interface GrafanaValues {
  readonly admin?: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
  readonly sidecar: {
    readonly dashboards: { readonly enabled: boolean; readonly label: string; readonly labelValue: string; readonly searchNamespace: string };
  };
  readonly ingress: {
    readonly enabled: boolean;
    readonly ingressClassName?: string;
    readonly hosts?: readonly string[];
    readonly path?: string;
    readonly tls?: ReadonlyArray<{ readonly secretName: string; readonly hosts: readonly string[] }>;
    /** `cert-manager.io/cluster-issuer` when the platform has cert-manager: it writes the TLS Secret. */
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly 'grafana.ini'?: { readonly server: { readonly root_url: string } };
}

/** Values we set on kube-prometheus-stack. */
export interface KubePrometheusStackValues {
  readonly [key: string]: unknown;
  /** Off: the prometheus-operator-crds release owns the CRDs (and upgrades them, which Helm never does for `crds/`). */
  readonly crds: { readonly enabled: boolean };
  readonly 'prometheus-node-exporter': {
    readonly namespaceOverride: string;
    /** The chart's default (read-only root) plus no privilege escalation: it reads /proc and /sys as UID 65534. */
    readonly containerSecurityContext: { readonly readOnlyRootFilesystem: true; readonly allowPrivilegeEscalation: false };
  };
  readonly prometheus: { readonly prometheusSpec: PrometheusSelectionValues };
  readonly grafana: GrafanaValues;
}

export interface KubePrometheusStackOptions {
  readonly monitoring: MonitoringSpec;
  readonly ingress: IngressSpec;
  /**
   * Existing Secret in the monitoring namespace with keys `admin-user` and `admin-password`.
   * @default - the admin password comes as a write-only value (not set here)
   */
  readonly grafanaAdminSecretName?: string;
  /**
   * The platform's cert-manager: Grafana's TLS Secret is then issued by its ClusterIssuer.
   * @default - the TLS Secret must exist
   */
  readonly certificates?: CertificatesSpec;
}

/**
 * kube-prometheus-stack values: Prometheus selects ServiceMonitors, PodMonitors, Probes and
 * PrometheusRules carrying the spec's monitor labels in every namespace (the `*NilUsesHelmValues`
 * switches off so the explicit selectors are what counts); Grafana's dashboard sidecar watches
 * ConfigMaps with the spec's dashboard label in every namespace; Grafana is exposed through the
 * platform's IngressClass when the spec gives it a host; node-exporter runs in its own namespace.
 */
export function kubePrometheusStackValues(opts: KubePrometheusStackOptions): KubePrometheusStackValues {
  const { monitoring, ingress } = opts;
  const select = (): MatchLabelsSelector => ({ matchLabels: { ...monitoring.monitorLabels } });
  const grafana = monitoring.grafana;
  const grafanaValues: GrafanaValues = {
    admin: opts.grafanaAdminSecretName ? { existingSecret: opts.grafanaAdminSecretName, userKey: 'admin-user', passwordKey: 'admin-password' } : undefined,
    sidecar: {
      dashboards: {
        enabled: true,
        label: monitoring.dashboardLabel.key,
        labelValue: monitoring.dashboardLabel.value,
        searchNamespace: 'ALL',
      },
    },
    ingress: grafana
      ? {
          enabled: true,
          ingressClassName: ingress.className,
          hosts: [grafana.host],
          path: '/',
          tls: grafana.tlsSecretName ? [{ secretName: grafana.tlsSecretName, hosts: [grafana.host] }] : [],
          annotations: grafana.tlsSecretName && opts.certificates ? { [CLUSTER_ISSUER_ANNOTATION]: opts.certificates.clusterIssuerName } : undefined,
        }
      : { enabled: false },
    'grafana.ini': grafana ? { server: { root_url: `${grafana.tlsSecretName ? 'https' : 'http'}://${grafana.host}` } } : undefined,
  };
  const values: KubePrometheusStackValues = {
    crds: { enabled: false },
    'prometheus-node-exporter': {
      namespaceOverride: monitoring.nodeExporterNamespace,
      containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    },
    prometheus: {
      prometheusSpec: {
        serviceMonitorSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: select(),
        serviceMonitorNamespaceSelector: {},
        podMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelector: select(),
        podMonitorNamespaceSelector: {},
        ruleSelectorNilUsesHelmValues: false,
        ruleSelector: select(),
        ruleNamespaceSelector: {},
        probeSelectorNilUsesHelmValues: false,
        probeSelector: select(),
        probeNamespaceSelector: {},
      },
    },
    grafana: grafanaValues,
  };
  // Claims for Alertmanager, Grafana and (when the spec names a class) Prometheus: values/storage.ts.
  return deepMerge(values, monitoringStorageValues(monitoring.storage ?? { emptyDirByChoice: [] })) as KubePrometheusStackValues;
}
