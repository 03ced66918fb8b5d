import { fail, ProblemCollector } from './core/errors';
import { checkDnsLabel, checkDnsSubdomain, fitName } from './core/names';
import { hostProblem } from './checks/routes';
import { checkInteger, checkStorage } from './core/quantities';
import { addonOf, CHART_CATALOG, GATEWAY_API_CRDS, SupportedAddon, supportProblem } from './platform/catalog';
import { KubeletTls, KubeletTlsInput, resolveKubeletTls } from './platform/values/metrics-server';
import { MonitoringStorage, MonitoringStorageInput, resolveMonitoringStorage } from './platform/values/storage';
import { checkPlatformInput } from './platform-spec-shape';

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
  readonly gatewayApi?: GatewayApiInput;
  /**
   * Service type of the controller. Use 'NodePort' on clusters without a load-balancer
   * implementation (kubeadm on VMs, like the seeds'): Helm's `wait` holds a release until a
   * LoadBalancer Service has an address, so the install would time out there.
   * @default 'LoadBalancer'
   */
  readonly serviceType?: 'LoadBalancer' | 'NodePort';
}

export interface GatewayApiInput {
  /** Name of the Gateway the Traefik chart creates. @default 'traefik-gateway' */
  readonly gatewayName?: string;
  /** Namespace of the Gateway. @default - the controller's namespace */
  readonly gatewayNamespace?: string;
  /**
   * An HTTPS listener `websecure` (Traefik's 8443 entry point, 443 on the Service) beside the
   * HTTP listener `web`, terminating TLS with one certificate for these hosts from the
   * platform's cert-manager (needs `certificates`). Routes with `tls: RouteTls.fromPlatform()`
   * attach to it, and their plain-HTTP requests are redirected to it. A `*.` wildcard covers
   * one label and needs the `self-signed-ca` issuer (ACME's HTTP-01 cannot prove wildcards).
   * @default - HTTP only
   */
  readonly https?: { readonly hosts: string[] };
}

export interface GatewayApiSpec {
  readonly gatewayName: string;
  readonly gatewayNamespace: string;
  /** Name of the plain-HTTP listener (Traefik's `web` entry point, port 8000). */
  readonly httpListener: string;
  /** The HTTPS listener, when the spec asks for one. */
  readonly https?: {
    readonly listener: string;
    /** Hosts the listener's certificate covers, sorted. */
    readonly hosts: readonly string[];
    /** The cert-manager Certificate, in the Gateway's namespace, that writes `secretName`. */
    readonly certificateName: string;
    /** The `kubernetes.io/tls` Secret the listener's `certificateRefs` name. */
    readonly secretName: string;
  };
}

/** Traefik chart listener names: they must match the chart's entry points (`ports.web`, `ports.websecure`). */
export const GATEWAY_HTTP_LISTENER = 'web';
export const GATEWAY_HTTPS_LISTENER = 'websecure';

/**
 * Whether `host` is covered by a certificate for `hosts`: listed exactly, or by a `*.` wildcard
 * one label deep (`*.test` covers `a.test`, not `a.b.test` or `test`), as TLS clients match.
 */
export function hostCoveredBy(host: string, hosts: readonly string[]): boolean {
  const h = host.toLowerCase();
  return hosts.some((c) => {
    if (c === h) return true;
    if (!c.startsWith('*.')) return false;
    if (h.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot) === c.slice(1);
  });
}

export interface IngressSpec {
  readonly controller: IngressControllerKind;
  readonly className: string;
  readonly namespace: string;
  readonly releaseName: string;
  readonly defaultClass: boolean;
  /** The IngressClass `spec.controller` value of this controller. */
  readonly controllerName: string;
  readonly gatewayApi?: GatewayApiSpec;
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

/** Where the platform's certificates come from. */
export type CertificateIssuerKind = 'self-signed-ca' | 'acme';

export interface AcmeIssuerInput {
  /** Account email the ACME server sends expiry and policy notices to. */
  readonly email: string;
  /**
   * ACME directory URL.
   * @default 'https://acme-v02.api.letsencrypt.org/directory' (Let's Encrypt production)
   */
  readonly server?: string;
}

export interface CertificatesSpecInput {
  /**
   * The ClusterIssuer the platform creates: `self-signed-ca` for a lab cluster whose hosts are
   * not public (the seeds' `*.test`): a self-signed root signs one CA, and the CA signs every
   * host; clients trust the CA. `acme` for public hosts: certificates from an ACME server
   * (Let's Encrypt), proved by HTTP-01 through the platform's ingress class.
   */
  readonly issuer: CertificateIssuerKind;
  /** Required for `acme`. @default - none */
  readonly acme?: AcmeIssuerInput;
  /** Namespace of cert-manager; also where the CA's Secret lives. @default 'cert-manager' */
  readonly namespace?: string;
  /** Name of the ClusterIssuer routes, Grafana and Harbor get certificates from. @default 'platform-ca' or 'acme' */
  readonly clusterIssuerName?: string;
}

export interface CertificatesSpec {
  readonly issuer: CertificateIssuerKind;
  readonly namespace: string;
  readonly releaseName: string;
  /** The ClusterIssuer that signs every platform certificate (`cert-manager.io/cluster-issuer`). */
  readonly clusterIssuerName: string;
  /** Self-signed CA: the Secret holding the CA (in `namespace`) and the bootstrap issuer's name. */
  readonly ca?: { readonly secretName: string; readonly commonName: string; readonly selfSignedIssuerName: string };
  /** ACME: account and the Secret holding its private key (in `namespace`). */
  readonly acme?: { readonly email: string; readonly server: string; readonly accountKeySecretName: string };
}

export interface PlatformSpecInput {
  /** A short name for the platform, used in stack names. @default 'platform' */
  readonly name?: string;
  /**
   * Kubernetes version of the cluster ("1.35" or "1.35.1"). Checked against what every add-on
   * the spec asks for supports (the catalog's ranges, from each project's support matrix).
   * @default '1.35.0'
   */
  readonly kubernetesVersion?: string;
  /**
   * cert-manager and the ClusterIssuer that every TLS host of the platform gets its certificate
   * from (Grafana, Harbor, routes with `RouteTls.fromPlatform()`).
   * @default - no cert-manager: TLS Secrets named in the spec must exist
   */
  readonly certificates?: CertificatesSpecInput;
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
  readonly certificates?: CertificatesSpec;
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
  if (!m) fail(PATH, 'kubernetesVersion', v, 'must be a Kubernetes version such as "1.35" or "1.35.1"');
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
    const gatewayName = checkDnsLabel(PATH, 'ingress.gatewayApi.gatewayName', input.gatewayApi.gatewayName ?? 'traefik-gateway');
    gatewayApi = {
      gatewayName,
      gatewayNamespace: checkDnsLabel(PATH, 'ingress.gatewayApi.gatewayNamespace', input.gatewayApi.gatewayNamespace ?? namespace),
      httpListener: GATEWAY_HTTP_LISTENER,
      https: input.gatewayApi.https ? resolveGatewayHttps(input.gatewayApi.https, gatewayName) : undefined,
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

function resolveGatewayHttps(input: { readonly hosts: string[] }, gatewayName: string): GatewayApiSpec['https'] {
  const field = 'ingress.gatewayApi.https.hosts';
  const problems = new ProblemCollector(PATH);
  const hosts = input.hosts;
  if (hosts.length === 0) fail(PATH, field, hosts, 'must list at least one host the listener serves, e.g. ["hello.example.com"] or ["*.test"]');
  // hostProblem admits lower-case names only, so equal hosts are equal strings.
  const seen = new Set<string>();
  hosts.forEach((h, i) => {
    const why = hostProblem(h);
    if (why) problems.add(`${field}[${i}]`, h, why);
    else if (seen.has(h)) problems.add(`${field}[${i}]`, h, 'is listed twice: list each host once');
    else seen.add(h);
  });
  problems.throwIfAny();
  const name = fitName(`${gatewayName}-${GATEWAY_HTTPS_LISTENER}`);
  return { listener: GATEWAY_HTTPS_LISTENER, hosts: [...seen].sort(), certificateName: name, secretName: fitName(`${name}-tls`) };
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

/** Default cluster version: a supported minor that every pinned add-on supports. */
export const DEFAULT_KUBERNETES_VERSION = '1.35.0';

const ACME_LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';

function resolveCertificates(input: CertificatesSpecInput): CertificatesSpec {
  const issuer = input.issuer;
  if (issuer !== 'self-signed-ca' && issuer !== 'acme') {
    fail(PATH, 'certificates.issuer', issuer, 'must be "self-signed-ca" (lab cluster, private hosts) or "acme" (public hosts)');
  }
  const namespace = checkDnsLabel(PATH, 'certificates.namespace', input.namespace ?? 'cert-manager');
  const clusterIssuerName = checkDnsSubdomain(PATH, 'certificates.clusterIssuerName', input.clusterIssuerName ?? (issuer === 'acme' ? 'acme' : 'platform-ca'));
  if (issuer === 'acme') {
    const acme = input.acme;
    if (!acme || typeof acme.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(acme.email)) {
      fail(PATH, 'certificates.acme.email', acme?.email, 'must be the ACME account email (e.g. "ops@example.com"): the "acme" issuer needs one');
    }
    const server = acme.server ?? ACME_LETS_ENCRYPT;
    if (typeof server !== 'string' || !/^https:\/\/[^\s]+$/.test(server)) {
      fail(PATH, 'certificates.acme.server', server, 'must be the https:// URL of an ACME directory');
    }
    return {
      issuer,
      namespace,
      releaseName: 'cert-manager',
      clusterIssuerName,
      acme: { email: acme.email, server, accountKeySecretName: `${clusterIssuerName}-account-key` },
    };
  }
  if (input.acme !== undefined) fail(PATH, 'certificates.acme', input.acme, 'only applies to issuer "acme"');
  return {
    issuer,
    namespace,
    releaseName: 'cert-manager',
    clusterIssuerName,
    ca: { secretName: `${clusterIssuerName}-root`, commonName: `${clusterIssuerName} root CA`, selfSignedIssuerName: `${clusterIssuerName}-bootstrap` },
  };
}

/**
 * The add-ons a spec installs with the platform stack, for the version check: what the stack's
 * releases and manifests are made of.
 */
export function platformAddons(spec: Omit<PlatformSpec, 'kubernetesVersion' | 'name'>): SupportedAddon[] {
  const c = CHART_CATALOG;
  const list: SupportedAddon[] = [];
  if (spec.certificates) list.push(addonOf(c.certManager));
  if (spec.ingress.controller === 'traefik') list.push(addonOf(c.traefik));
  if (spec.ingress.controller === 'ingress-nginx') list.push(addonOf(c.ingressNginx));
  if (spec.ingress.gatewayApi) list.push(GATEWAY_API_CRDS);
  list.push(addonOf(c.prometheusOperatorCrds), addonOf(c.kubePrometheusStack));
  if (spec.metricsServer.enabled) list.push(addonOf(c.metricsServer));
  if (spec.nfs) list.push(addonOf(spec.nfs.backend === 'nfs-subdir' ? c.nfsSubdirExternalProvisioner : c.csiDriverNfs));
  if (spec.registry?.installHarbor) list.push(addonOf(c.harbor));
  return list;
}

/** Suffixes no public CA can validate (RFC 6761 special-use names, mDNS, ICANN's private `.internal`). */
const PRIVATE_SUFFIXES = ['.test', '.example', '.invalid', '.localhost', '.local', '.internal', '.home.arpa'];

/** ACME proves control of a public name over HTTP-01: a lab host such as `grafana.test` can never pass. */
function checkAcmeHosts(problems: ProblemCollector, hosts: { grafana?: string; registry?: string; gateway?: readonly string[] }): void {
  const gatewayFields = (hosts.gateway ?? []).map((h, i) => [`ingress.gatewayApi.https.hosts[${i}]`, h] as const);
  for (const [field, host] of gatewayFields) {
    if (host.startsWith('*.')) {
      problems.add(
        field,
        host,
        "is a wildcard, which ACME's HTTP-01 challenge cannot prove: list each host, or use certificates: { issuer: 'self-signed-ca' } on a lab cluster",
      );
    }
  }
  for (const [field, host] of [['monitoring.grafana.host', hosts.grafana] as const, ['registry.host', hosts.registry] as const, ...gatewayFields]) {
    const suffix = host ? PRIVATE_SUFFIXES.find((x) => host.toLowerCase().endsWith(x)) : undefined;
    if (host && suffix) {
      problems.add(
        field,
        host,
        `is a private name (${suffix}) that an ACME server cannot validate: use certificates: { issuer: 'self-signed-ca' } for a lab cluster, or a public host`,
      );
    }
  }
}

/** Minor versions past upstream end of life that the seeds' cluster may still run: said plainly. */
const END_OF_LIFE_BELOW = '1.33.0';

function checkSupported(problems: ProblemCollector, version: string, addons: readonly SupportedAddon[]): void {
  let any = false;
  for (const addon of addons) {
    const why = supportProblem(addon, version);
    if (why) {
      any = true;
      problems.add('kubernetesVersion', version, why);
    }
  }
  if (any && semverLess(version, END_OF_LIFE_BELOW)) {
    problems.add(
      'kubernetesVersion',
      version,
      `is past upstream end of life, and the add-ons above have left it behind: upgrade the cluster one minor at a time (kubeadm upgrade plan/apply per minor) to ${DEFAULT_KUBERNETES_VERSION.replace(/\.0$/, '')} before installing the platform stack`,
    );
  }
}

function semverLess(a: string, b: string): boolean {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] < pb[i];
  return false;
}

/**
 * Validates the platform description, fills in defaults and derived names, and freezes it.
 * All problems are reported together.
 */
export function definePlatform(input: PlatformSpecInput = {}): PlatformSpec {
  // Plain JavaScript reaches here with anything: types and known keys first, every problem at once.
  checkPlatformInput(PATH, input);
  const problems = new ProblemCollector(PATH);
  const name = problems.capture(() => checkDnsLabel(PATH, 'name', input.name ?? 'platform')) ?? 'platform';
  const kubernetesVersion = problems.capture(() => normalizeVersion(input.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION));
  const certificates = input.certificates ? problems.capture(() => resolveCertificates(input.certificates!)) : undefined;
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
  const metricsServer = {
    enabled: input.metricsServer?.enabled ?? true,
    kubeletInsecureTls: kubeletTls.mode === 'insecure',
    kubeletTls,
    namespace: metricsServerNamespace,
  };
  const gatewayHttps = ingress?.gatewayApi?.https;
  if (gatewayHttps && !certificates && !input.certificates) {
    problems.add(
      'ingress.gatewayApi.https',
      { hosts: gatewayHttps.hosts },
      "needs the platform's cert-manager to issue the listener's certificate: add certificates: { issuer: 'self-signed-ca' } (lab hosts) or { issuer: 'acme', acme: { email } } (public hosts)",
    );
  }
  if (certificates?.acme) {
    checkAcmeHosts(problems, {
      grafana: monitoring?.grafana?.host,
      registry: registry?.installHarbor ? registry.host : undefined,
      gateway: gatewayHttps ? input.ingress?.gatewayApi?.https?.hosts : undefined,
    });
  }
  if (kubernetesVersion && ingress) {
    checkSupported(problems, kubernetesVersion, platformAddons({ certificates, nfs, ingress, monitoring: monitoring!, registry, metricsServer }));
  }
  const nodeCount = input.nodeCount === undefined ? undefined : problems.capture(() => checkInteger(PATH, 'nodeCount', input.nodeCount!, 1));
  problems.throwIfAny();
  return deepFreeze({
    name,
    kubernetesVersion: kubernetesVersion!,
    certificates,
    nfs,
    ingress: ingress!,
    monitoring: monitoring!,
    registry,
    metricsServer,
    ...(nodeCount !== undefined ? { nodeCount } : {}),
  });
}
