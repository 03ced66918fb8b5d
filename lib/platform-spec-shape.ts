import { ProblemCollector } from './core/errors';
import { collectShape, S, ShapeMatches } from './core/shape';
import type {
  AcmeIssuerInput,
  CertificatesSpecInput,
  ExposedHostInput,
  IngressSpecInput,
  MetricsServerSpecInput,
  MonitoringSpecInput,
  NfsSpecInput,
  PlatformSpecInput,
  RegistrySpecInput,
} from './platform-spec';
import type { KubeletTlsInput } from './platform/values/metrics-server';
import type { MonitoringStorageInput } from './platform/values/storage';

const str = S.string();
const bool = S.boolean();
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Union values (controller kinds, backends, issuers) are definePlatform's own collected rules: types here. */
const kind = <T extends string>() => S.custom<T>('a string', (v) => typeof v === 'string');

export const nfsSpecInputShape = S.object('NfsSpecInput', {
  server: str,
  path: str,
  backend: S.optional(kind<'nfs-subdir' | 'csi-driver-nfs'>()),
  releaseName: S.optional(str),
  namespace: S.optional(str),
  storageClassName: S.optional(str),
  defaultClass: S.optional(bool),
  onDelete: S.optional(kind<'archive' | 'retain' | 'delete'>()),
  mountOptions: S.optional(S.array(str)),
  mountPermissions: S.optional(str),
});

export const ingressSpecInputShape = S.object('IngressSpecInput', {
  controller: S.optional(kind<'ingress-nginx' | 'traefik' | 'f5-nginx'>()),
  className: S.optional(str),
  namespace: S.optional(str),
  releaseName: S.optional(str),
  defaultClass: S.optional(bool),
  gatewayApi: S.optional(
    S.object('GatewayApiInput', {
      gatewayName: S.optional(str),
      gatewayNamespace: S.optional(str),
      https: S.optional(S.object('GatewayApiInput.https', { hosts: S.array(str) })),
    }),
  ),
  serviceType: S.optional(kind<'LoadBalancer' | 'NodePort'>()),
});

export const exposedHostInputShape = S.object('ExposedHostInput', { host: str, tlsSecretName: S.optional(str) });

export const monitoringSpecInputShape = S.object('MonitoringSpecInput', {
  namespace: S.optional(str),
  releaseName: S.optional(str),
  nodeExporterNamespace: S.optional(str),
  grafana: S.optional(exposedHostInputShape),
  // Its fields are lib/platform's (resolveMonitoringStorage checks them).
  storage: S.optional(S.custom<MonitoringStorageInput>('an object (MonitoringStorageInput)', isObject)),
});

export const registrySpecInputShape = S.object('RegistrySpecInput', {
  host: str,
  pullSecretName: S.optional(str),
  installHarbor: S.optional(bool),
  namespace: S.optional(str),
  tlsSecretName: S.optional(str),
  harborReplicas: S.optional(S.number()),
  harborStorageSize: S.optional(str),
});

export const metricsServerSpecInputShape = S.object('MetricsServerSpecInput', {
  enabled: S.optional(bool),
  // resolveKubeletTls checks it.
  kubeletTls: S.optional(S.custom<KubeletTlsInput>('a kubelet TLS setting', (v) => typeof v === 'string' || isObject(v))),
  kubeletInsecureTls: S.optional(S.custom<boolean>('true or false (prefer kubeletTls)', (v) => typeof v === 'boolean')),
  namespace: S.optional(str),
});

export const acmeIssuerInputShape = S.object('AcmeIssuerInput', { email: str, server: S.optional(str) });
export const certificatesSpecInputShape = S.object('CertificatesSpecInput', {
  issuer: kind<'self-signed-ca' | 'acme'>(),
  acme: S.optional(acmeIssuerInputShape),
  namespace: S.optional(str),
  clusterIssuerName: S.optional(str),
});

/** Runtime shape of {@link PlatformSpecInput}: every field the spec has today (a new one fails tsc below until added here). */
export const platformSpecInputShape = S.object('PlatformSpecInput', {
  name: S.optional(str),
  kubernetesVersion: S.optional(str),
  certificates: S.optional(certificatesSpecInputShape),
  nfs: S.optional(nfsSpecInputShape),
  ingress: S.optional(ingressSpecInputShape),
  monitoring: S.optional(monitoringSpecInputShape),
  registry: S.optional(registrySpecInputShape),
  metricsServer: S.optional(metricsServerSpecInputShape),
  nodeCount: S.optional(S.number()),
});

const matches: [
  ShapeMatches<typeof platformSpecInputShape, PlatformSpecInput>,
  ShapeMatches<typeof nfsSpecInputShape, NfsSpecInput>,
  ShapeMatches<typeof ingressSpecInputShape, IngressSpecInput>,
  ShapeMatches<typeof exposedHostInputShape, ExposedHostInput>,
  ShapeMatches<typeof monitoringSpecInputShape, MonitoringSpecInput>,
  ShapeMatches<typeof registrySpecInputShape, RegistrySpecInput>,
  ShapeMatches<typeof metricsServerSpecInputShape, MetricsServerSpecInput>,
  ShapeMatches<typeof acmeIssuerInputShape, AcmeIssuerInput>,
  ShapeMatches<typeof certificatesSpecInputShape, CertificatesSpecInput>,
] = [true, true, true, true, true, true, true, true, true];
void matches;

/** @internal Checks definePlatform() input: types and known keys at every level, every problem at once. */
export function checkPlatformInput(path: string, input: unknown): void {
  const problems = new ProblemCollector(path);
  collectShape(problems, path, input, platformSpecInputShape, '');
  problems.throwIfAny();
}
