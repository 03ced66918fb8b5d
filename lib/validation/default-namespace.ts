/**
 * The namespace of objects that do not name one. `helm template --namespace X` (and `kubectl apply
 * -n X`) leave `metadata.namespace` out of most chart objects: the API server puts them in the
 * release's namespace when they are applied. Judged as they stand they would land in `default`,
 * at the wrong Pod Security level and with references resolved in the wrong namespace.
 */
import * as path from 'path';
import { ValidationInputError } from './input';
import { InputObject, Manifest } from './types';

/**
 * Built-in kinds that have no namespace (Kubernetes 1.28 to 1.35 API discovery, `namespaced:
 * false`). Custom kinds take their scope from their CustomResourceDefinition in the input, or
 * from the cluster-scoped kinds of the CRD sets we ship (below).
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'StorageVersionMigration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
  // Shipped CRD sets: cert-manager's ClusterIssuer, Gateway API's GatewayClass.
  'ClusterIssuer',
  'GatewayClass',
]);

/**
 * Where namespace-less objects go: one namespace for the whole input, or one per input path (a
 * file, or a folder and everything below it: the longest matching path wins).
 */
export type DefaultNamespace = string | Readonly<Record<string, string>>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with a `defaultNamespace` option, in words. */
export function defaultNamespaceProblems(option: unknown): string[] {
  const bad = (where: string, v: unknown): string =>
    `defaultNamespace${where}: ${JSON.stringify(v)} is invalid: expected a namespace name (lowercase RFC 1123 label, at most 63 characters)`;
  const ok = (v: unknown): boolean => typeof v === 'string' && v.length <= 63 && DNS_LABEL.test(v);
  if (typeof option === 'string') return ok(option) ? [] : [bad('', option)];
  if (!option || typeof option !== 'object' || Array.isArray(option))
    return [`defaultNamespace: ${JSON.stringify(option)} is invalid: expected a namespace name or an object of input path → namespace`];
  return Object.entries(option).flatMap(([p, v]) => (ok(v) ? [] : [bad(`[${JSON.stringify(p)}]`, v)]));
}

function clusterScoped(objects: readonly InputObject[]): Set<string> {
  const kinds = new Set(CLUSTER_SCOPED_KINDS);
  for (const { manifest: m } of objects) {
    if (m.kind === 'CustomResourceDefinition' && m.spec?.scope === 'Cluster' && typeof m.spec?.names?.kind === 'string') kinds.add(m.spec.names.kind);
  }
  return kinds;
}

function namespaceFor(option: DefaultNamespace, file: string | undefined): string | undefined {
  if (typeof option === 'string') return option;
  if (!file) return undefined;
  const abs = path.resolve(file);
  let best: { len: number; ns: string } | undefined;
  for (const [p, ns] of Object.entries(option)) {
    const root = path.resolve(p);
    if ((abs === root || abs.startsWith(root + path.sep)) && (!best || root.length > best.len)) best = { len: root.length, ns };
  }
  return best?.ns;
}

/**
 * Puts every namespaced object without `metadata.namespace` into its default namespace (copies;
 * the input is not changed). Objects that name a namespace keep it, as the API server keeps it.
 */
export function applyDefaultNamespace(objects: InputObject[], option: DefaultNamespace): void {
  const problems = defaultNamespaceProblems(option);
  if (problems.length > 0) throw new ValidationInputError(`validate(): ${problems.join('; ')}`);
  const cluster = clusterScoped(objects);
  objects.forEach((o, i) => {
    const m: Manifest = o.manifest;
    if (typeof m.kind !== 'string' || cluster.has(m.kind)) return;
    const ns = m.metadata?.namespace;
    if (typeof ns === 'string' && ns !== '') return;
    const target = namespaceFor(option, o.origin.file);
    if (!target) return;
    objects[i] = { manifest: { ...m, metadata: { ...(m.metadata ?? {}), namespace: target } }, origin: o.origin };
  });
}
