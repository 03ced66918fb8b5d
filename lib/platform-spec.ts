import { fail, ProblemCollector } from './core/errors';
import { checkDnsLabel, checkDnsSubdomain } from './core/names';
import { checkInteger, checkStorage } from './core/quantities';
import { KubeletTls, KubeletTlsInput, resolveKubeletTls } from './platform/values/metrics-server';
import { MonitoringStorage, MonitoringStorageInput, resolveMonitoringStorage } from './platform/values/storage';

/**
 * Cluster-level facts, described once and read by both synthesizers (cdktf installs the add-ons
 * from it, cdk8s wires workloads to them). Pure data: no cdk8s or cdktf import.
 */

/** Which NFS provisioner the platform installs. */
export type NfsBackendKind = 'nfs-subdir' | 'csi-driver-nfs';

/** Ingress controllers we know. */
export type IngressControllerKind = 'ingress-nginx' | 'traefik' | 'f5-nginx';

export interface NfsSpecInput {
  /** NFS server host name or IP. */
  readonly server: string;
  /** Exported path, absolute. */
  readonly path: string;
  /** Provisioner. @default 'nfs-subdir' (the seeds' choice; dormant upstream since 2024, see README) */
  readonly backend?: NfsBackendKind;
  /** Helm release name of the provisioner. @default 'nfs-provisioner' */
  readonly releaseName?: string;
  /** Namespace of the provisioner. @default 'nfs-provisioner' */
  readonly namespace?: string;
  /** Name of the StorageClass the provisioner chart creates. @default 'nfs-client' */
  readonly storageClassName?: string;
  /** Whether the chart's class is the cluster default. @default false */
  readonly defaultClass?: boolean;
  /**
   * What happens to data when a claim is deleted, for the chart's class.
   * 'archive' keeps it under an `archived-` folder (nfs-subdir) or archives it (csi); 'retain' keeps the volume;
   * 'delete' removes it.
   * @default 'archive'
   */
  readonly onDelete?: 'archive' | 'retain' | 'delete';
  /** Mount options for the chart's class, e.g. ['nfsvers=4.1']. @default [] */
  readonly mountOptions?: string[];
  /**
   * csi-driver-nfs only: permissions of the directory created for each volume, octal string, so
   * non-root pods can write (in-tree NFS ignores fsGroup).
   * @default '0' (the driver leaves permissions as the export gives them) -- set e.g. '0777' or own the export
   */
  readonly mountPermissions?: string;
}

export interface NfsSpec extends Required<Omit<NfsSpecInput, 'mountPermissions'>> {
  readonly mountPermissions?: string;
  /** The provisioner name the chart registers; StorageClasses must name exactly this. */
  readonly provisionerName: string;
}

export interface IngressSpecInput {
  /**
   * Controller. ingress-nginx is retired upstream (March 2026, chart 4.15.1 final): prefer
   * 'traefik' for new clusters.
   * @default 'ingress-nginx'
   */
  readonly controller?: IngressControllerKind;
  /** IngressClass name the controller's chart creates. @default 'nginx' for nginx controllers, 'traefik' for Traefik */
  readonly className?: string;
  /** Namespace of the controller. @default 'ingress-nginx', 'traefik' or 'nginx-ingress' */
  readonly namespace?: string;
  /** Helm release name. @default the namespace */
  readonly releaseName?: string;
  /** Whether the controller's IngressClass is the cluster default. @default true */
  readonly defaultClass?: boolean;
  /**
   * Gateway API: the controller also serves a Gateway that HTTPRoutes attach to. Only Traefik
   * implements it among our controllers.
   * @default - no Gateway API
   */
  readonly gatewayApi?: { readonly gatewayName?: string; readonly gatewayNamespace?: string };
  /**
   * Service type of the controller. Use 'NodePort' on clusters without a load-balancer
   * implementation (kubeadm on VMs, like the seeds'): Helm's `wait` holds a release until a
   * LoadBalancer Service has an address, so the install would time out there.
   * @default 'LoadBalancer'
   */
  readonly serviceType?: 'LoadBalancer' | 'NodePort';
}

export interface IngressSpec {
  readonly controller: IngressControllerKind;
  readonly className: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly defaultClass: boolean;
  /** The IngressClass `spec.controller` value of this controller. */
  readonly controllerName: string;
  readonly gatewayApi?: { readonly gatewayName: string; readonly gatewayNamespace: string };
  /** Service type of the controller's Service. */
  readonly serviceType: 'LoadBalancer' | 'NodePort';
}

export interface ExposedHostInput {
  /** Host name, e.g. 'grafana.example.com'. */
  readonly host: string;
  /** Name of an existing TLS Secret in the add-on's namespace. @default - plain HTTP (not recommended) */
  readonly tlsSecretName?: string;
}

export interface MonitoringSpecInput {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** Helm release name of kube-prometheus-stack. @default 'kube-prometheus-stack' */
  readonly releaseName?: string;
  /** Namespace of node-exporter, which needs host access (privileged PSS). @default 'monitoring-node' */
  readonly nodeExporterNamespace?: string;
  /** Grafana's public host. @default - Grafana not exposed */
  readonly grafana?: ExposedHostInput;
  /**
   * Where Prometheus, Alertmanager and Grafana keep their data (lib/platform/values/storage.ts).
   * @default - Alertmanager and Grafana on 1Gi claims of the NFS class; Prometheus on an emptyDir with a synth warning
   */
  readonly storage?: MonitoringStorageInput;
}

export interface MonitoringSpec {
  readonly namespace: string;
  readonly releaseName: string;
  readonly nodeExporterNamespace: string;
  readonly grafana?: { readonly host: string; readonly tlsSecretName?: string };
  /** Labels Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by; monitors must carry them. */
  readonly monitorLabels: Readonly<Record<string, string>>;
  /** Label (and value) Grafana's dashboard sidecar watches ConfigMaps for. */
  readonly dashboardLabel: { readonly key: string; readonly value: string };
  /** Claims of Prometheus, Alertmanager and Grafana (undefined: emptyDir). */
  readonly storage: MonitoringStorage;
}

export interface RegistrySpecInput {
  /** Registry host as used in image references, e.g. 'harbor.example.com'. */
  readonly host: string;
  /** Name of the docker-registry Secret (created outside our output) tenants pull with. @default 'harbor-pull' */
  readonly pullSecretName?: string;
  /** Install Harbor with the platform stack. @default true */
  readonly installHarbor?: boolean;
  /** Harbor's namespace. @default 'harbor' */
  readonly namespace?: string;
  /** TLS Secret for Harbor's ingress. @default - plain HTTP (nodes then need it as an insecure registry) */
  readonly tlsSecretName?: string;
  /**
   * Replicas of Harbor's stateless components (core, portal, registry, jobservice). More than one
   * puts the registry and job-log claims on ReadWriteMany, which needs the NFS class.
   * @default 1
   */
  readonly harborReplicas?: number;
  /** Size of the claim holding the registry's images (on the NFS class). @default '20Gi' */
  readonly harborStorageSize?: string;
}

export interface RegistrySpec {
  readonly host: string;
  readonly pullSecretName: string;
  readonly installHarbor: boolean;
  readonly namespace: string;
  readonly tlsSecretName?: string;
  /** `https://host` or `http://host`, derived from the TLS setting: Harbor's externalURL. */
  readonly externalUrl: string;
  readonly harborReplicas: number;
  readonly harborStorageSize: string;
}

export interface MetricsServerSpecInput {
  /** @default true */
  readonly enabled?: boolean;
  /**
   * How metrics-server trusts kubelet serving certificates: 'verify', 'serverTlsBootstrap'
   * (kubeadm with `serverTLSBootstrap: true` and approved CSRs) or `{ insecure: { reason } }`
   * (`--kubelet-insecure-tls`, with a synth warning). See docs/platform.md.
   * @default 'verify'
   */
  readonly kubeletTls?: KubeletTlsInput;
  /**
   * @deprecated use `kubeletTls: { insecure: { reason } }`; `true` is read as that.
   * @default false
   */
  readonly kubeletInsecureTls?: boolean;
  /** Namespace of metrics-server (created by the platform stack unless it is 'kube-system'). @default 'metrics-server' */
  readonly namespace?: string;
}

export interface PlatformSpecInput {
  /** A short name for the platform, used in stack names. @default 'platform' */
  readonly name?: string;
  /** Kubernetes version of the cluster ("1.28" or "1.28.3"). @default '1.28.0' */
  readonly kubernetesVersion?: string;
  readonly nfs?: NfsSpecInput;
  readonly ingress?: IngressSpecInput;
  readonly monitoring?: MonitoringSpecInput;
  readonly registry?: RegistrySpecInput;
  readonly metricsServer?: MetricsServerSpecInput;
  /**
   * Number of nodes in the cluster, control plane included. A NodeAgent (DaemonSet) runs one pod
   * per matching node, so a tenant's quota fit counts this many of its pods.
   * @default - unknown: the quota fit counts one pod per NodeAgent and warns
   */
  readonly nodeCount?: number;
}

export interface PlatformSpec {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly nfs?: NfsSpec;
  readonly ingress: IngressSpec;
  readonly monitoring: MonitoringSpec;
  readonly registry?: RegistrySpec;
  readonly metricsServer: { readonly enabled: boolean; readonly kubeletInsecureTls: boolean; readonly kubeletTls: KubeletTls; readonly namespace: string };
  /** Nodes of the cluster, when the input said. */
  readonly nodeCount?: number;
}

const PATH = 'platform';

/** Helm's fullname rule: the release name if it contains the chart name, else `<release>-<chart>`, cut to 63. */
export function helmFullname(releaseName: string, chartName: string): string {
  const full = releaseName.includes(chartName) ? releaseName : `${releaseName}-${chartName}`;
  // Helm: `trunc 63 | trimSuffix "-"` drops exactly one trailing dash; the name must match the chart's.
  return full.slice(0, 63).replace(/-$/, '');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function normalizeVersion(v: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
  if (!m) fail(PATH, 'kubernetesVersion', v, 'must be a Kubernetes version such as "1.28" or "1.28.3"');
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
}

function resolveNfs(input: NfsSpecInput): NfsSpec {
  const backend = input.backend ?? 'nfs-subdir';
  if (backend !== 'nfs-subdir' && backend !== 'csi-driver-nfs') {
    fail(PATH, 'nfs.backend', backend, 'must be "nfs-subdir" or "csi-driver-nfs"');
  }
  if (!input.server || !/^[A-Za-z0-9.:-]+$/.test(input.server)) {
    fail(PATH, 'nfs.server', input.server, 'must be a host name or IP address of the NFS server');
  }
  if (!input.path || !input.path.startsWith('/')) fail(PATH, 'nfs.path', input.path, 'must be an absolute exported path such as "/srv/nfs"');
  const releaseName = checkDnsLabel(PATH, 'nfs.releaseName', input.releaseName ?? 'nfs-provisioner', 53);
  const namespace = checkDnsLabel(PATH, 'nfs.namespace', input.namespace ?? 'nfs-provisioner');
  const storageClassName = checkDnsSubdomain(PATH, 'nfs.storageClassName', input.storageClassName ?? 'nfs-client');
  const onDelete = input.onDelete ?? 'archive';
  if (!['archive', 'retain', 'delete'].includes(onDelete)) fail(PATH, 'nfs.onDelete', onDelete, 'must be "archive", "retain" or "delete"');
  if (input.mountPermissions !== undefined && !/^0?[0-7]{1,4}$/.test(input.mountPermissions)) {
    fail(PATH, 'nfs.mountPermissions', input.mountPermissions, 'must be an octal mode such as "0775"');
  }
  if (input.mountPermissions !== undefined && backend !== 'csi-driver-nfs') {
    fail(
      PATH,
      'nfs.mountPermissions',
      input.mountPermissions,
      'is a csi-driver-nfs parameter; with nfs-subdir set ownership on the export instead (see README)',
    );
  }
  const provisionerName = backend === 'nfs-subdir' ? `cluster.local/${helmFullname(releaseName, 'nfs-subdir-external-provisioner')}` : 'nfs.csi.k8s.io';
  return {
    server: input.server,
    path: input.path,
    backend,
    releaseName,
    namespace,
    storageClassName,
    defaultClass: input.defaultClass ?? false,
    onDelete,
    mountOptions: [...(input.mountOptions ?? [])],
    mountPermissions: input.mountPermissions,
    provisionerName,
  };
}

const CONTROLLERS: Record<IngressControllerKind, { className: string; namespace: string; controllerName: string }> = {
  'ingress-nginx': { className: 'nginx', namespace: 'ingress-nginx', controllerName: 'k8s.io/ingress-nginx' },
  traefik: { className: 'traefik', namespace: 'traefik', controllerName: 'traefik.io/ingress-controller' },
  'f5-nginx': { className: 'nginx', namespace: 'nginx-ingress', controllerName: 'nginx.org/ingress-controller' },
};

function resolveIngress(input: IngressSpecInput): IngressSpec {
  const controller = input.controller ?? 'ingress-nginx';
  const known = CONTROLLERS[controller];
  if (!known)
    fail(
      PATH,
      'ingress.controller',
      controller,
      `must be one of ${Object.keys(CONTROLLERS)
        .map((k) => `"${k}"`)
        .join(', ')}`,
    );
  const namespace = checkDnsLabel(PATH, 'ingress.namespace', input.namespace ?? known.namespace);
  let gatewayApi: IngressSpec['gatewayApi'];
  if (input.gatewayApi) {
    if (controller !== 'traefik') {
      fail(PATH, 'ingress.gatewayApi', input.gatewayApi, `is not implemented by controller "${controller}": use controller "traefik" for Gateway API`);
    }
    gatewayApi = {
      gatewayName: checkDnsLabel(PATH, 'ingress.gatewayApi.gatewayName', input.gatewayApi.gatewayName ?? 'traefik-gateway'),
      gatewayNamespace: checkDnsLabel(PATH, 'ingress.gatewayApi.gatewayNamespace', input.gatewayApi.gatewayNamespace ?? namespace),
    };
  }
  return {
    controller,
    className: checkDnsSubdomain(PATH, 'ingress.className', input.className ?? known.className),
    namespace,
    releaseName: checkDnsLabel(PATH, 'ingress.releaseName', input.releaseName ?? namespace, 53),
    defaultClass: input.defaultClass ?? true,
    controllerName: known.controllerName,
    gatewayApi,
    serviceType: resolveServiceType(input.serviceType),
  };
}

function resolveServiceType(value: IngressSpecInput['serviceType']): IngressSpec['serviceType'] {
  const type = value ?? 'LoadBalancer';
  if (type !== 'LoadBalancer' && type !== 'NodePort') fail(PATH, 'ingress.serviceType', type, 'must be "LoadBalancer" or "NodePort"');
  return type;
}

function resolveHarborReplicas(value: number | undefined, nfs: NfsSpecInput | undefined): number {
  const replicas = value ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1) fail(PATH, 'registry.harborReplicas', replicas, 'must be a whole number of at least 1');
  if (replicas > 1 && !nfs) {
    fail(PATH, 'registry.harborReplicas', replicas, 'needs ReadWriteMany storage for the registry above 1 replica: configure nfs');
  }
  return replicas;
}

function resolveHost(field: string, input: ExposedHostInput | undefined): { host: string; tlsSecretName?: string } | undefined {
  if (!input) return undefined;
  checkDnsSubdomain(PATH, `${field}.host`, input.host);
  if (input.tlsSecretName !== undefined) checkDnsSubdomain(PATH, `${field}.tlsSecretName`, input.tlsSecretName);
  return input.tlsSecretName ? { host: input.host, tlsSecretName: input.tlsSecretName } : { host: input.host };
}

/**
 * Validates the platform description, fills in defaults and derived names, and freezes it.
 * All problems are reported together.
 */
export function definePlatform(input: PlatformSpecInput = {}): PlatformSpec {
  const problems = new ProblemCollector(PATH);
  const name = problems.capture(() => checkDnsLabel(PATH, 'name', input.name ?? 'platform')) ?? 'platform';
  const kubernetesVersion = problems.capture(() => normalizeVersion(input.kubernetesVersion ?? '1.28.0')) ?? '1.28.0';
  const nfs = input.nfs ? problems.capture(() => resolveNfs(input.nfs!)) : undefined;
  const ingress = problems.capture(() => resolveIngress(input.ingress ?? {}));
  const monitoring = problems.capture((): MonitoringSpec => {
    const m = input.monitoring ?? {};
    const releaseName = checkDnsLabel(PATH, 'monitoring.releaseName', m.releaseName ?? 'kube-prometheus-stack', 53);
    const ns = checkDnsLabel(PATH, 'monitoring.namespace', m.namespace ?? 'monitoring');
    const nodeNs = checkDnsLabel(PATH, 'monitoring.nodeExporterNamespace', m.nodeExporterNamespace ?? `${ns}-node`);
    if (nodeNs === ns) {
      fail(
        PATH,
        'monitoring.nodeExporterNamespace',
        nodeNs,
        'must differ from monitoring.namespace: node-exporter needs the privileged level, the rest stays restricted',
      );
    }
    return {
      namespace: ns,
      releaseName,
      nodeExporterNamespace: nodeNs,
      grafana: resolveHost('monitoring.grafana', m.grafana),
      monitorLabels: { release: releaseName },
      dashboardLabel: { key: 'grafana_dashboard', value: '1' },
      storage: resolveMonitoringStorage(PATH, m.storage, nfs?.storageClassName),
    };
  });
  const metricsServerNamespace =
    problems.capture(() => checkDnsLabel(PATH, 'metricsServer.namespace', input.metricsServer?.namespace ?? 'metrics-server')) ?? 'metrics-server';
  const registry = input.registry
    ? problems.capture((): RegistrySpec => {
        const r = input.registry!;
        const host = resolveHost('registry', { host: r.host, tlsSecretName: r.tlsSecretName })!;
        return {
          host: host.host,
          pullSecretName: checkDnsSubdomain(PATH, 'registry.pullSecretName', r.pullSecretName ?? 'harbor-pull'),
          installHarbor: r.installHarbor ?? true,
          namespace: checkDnsLabel(PATH, 'registry.namespace', r.namespace ?? 'harbor'),
          tlsSecretName: host.tlsSecretName,
          externalUrl: `${host.tlsSecretName ? 'https' : 'http'}://${host.host}`,
          harborReplicas: resolveHarborReplicas(r.harborReplicas, input.nfs),
          harborStorageSize: checkStorage(PATH, 'registry.harborStorageSize', r.harborStorageSize ?? '20Gi'),
        };
      })
    : undefined;
  const kubeletTls = problems.capture(() => resolveKubeletTls(PATH, input.metricsServer?.kubeletTls, input.metricsServer?.kubeletInsecureTls)) ?? {
    mode: 'verify' as const,
  };
  const nodeCount = input.nodeCount === undefined ? undefined : problems.capture(() => checkInteger(PATH, 'nodeCount', input.nodeCount!, 1));
  problems.throwIfAny();
  return deepFreeze({
    name,
    kubernetesVersion,
    nfs,
    ingress: ingress!,
    monitoring: monitoring!,
    registry,
    metricsServer: {
      enabled: input.metricsServer?.enabled ?? true,
      kubeletInsecureTls: kubeletTls.mode === 'insecure',
      kubeletTls,
      namespace: metricsServerNamespace,
    },
    ...(nodeCount !== undefined ? { nodeCount } : {}),
  });
}
