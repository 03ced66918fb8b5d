/**
 * The `references/…` family: objects the input refers to by name but does not create. A pod whose
 * Secret, ConfigMap or claim is missing stays in ContainerCreating; a missing ServiceAccount or
 * PriorityClass makes the controller's pod creation fail; an Ingress with an unknown class is never
 * served. What Kubernetes or a controller creates by itself counts as created.
 */
import { CheckContext, CheckFamily, Manifest, ObjectRef, RawFinding } from './types';
import { BOOTSTRAP_ROLES } from './rbac-builtin';
import { podTemplateOf } from './wiring';

/** Kinds without a namespace among those referenced. */
const CLUSTER_SCOPED = new Set(['IngressClass', 'StorageClass', 'PriorityClass', 'GatewayClass', 'ClusterRole', 'ClusterIssuer']);

/** PriorityClasses every cluster has (kube-apiserver creates them). */
const BUILTIN_PRIORITY_CLASSES = ['system-node-critical', 'system-cluster-critical'];
/** ClusterRoles the API server bootstraps (user-facing ones; `system:*` are bootstrapped too). */
const BUILTIN_CLUSTER_ROLES = ['cluster-admin', 'admin', 'edit', 'view'];

interface Ref {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly path: string;
}

function rec(x: unknown): Manifest {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Manifest) : {};
}
function list(x: unknown): Manifest[] {
  return Array.isArray(x) ? x.filter((e) => e && typeof e === 'object' && !Array.isArray(e)) : [];
}
const str = (x: unknown): x is string => typeof x === 'string' && x !== '';
const nsOf = (m: Manifest): string => (str(m.metadata?.namespace) ? m.metadata.namespace : '');

/** References a pod spec makes (volumes, env, envFrom, image pull secrets, account, priority). */
function podRefs(spec: Manifest, at: string, ns: string, out: Ref[]): void {
  const push = (kind: string, name: unknown, path: string): void => {
    if (str(name)) out.push({ kind, name, namespace: CLUSTER_SCOPED.has(kind) ? '' : ns, path: at + path });
  };
  list(spec.volumes).forEach((v, i) => {
    if (v.secret && !v.secret.optional) push('Secret', v.secret.secretName, `spec.volumes[${i}].secret.secretName`);
    if (v.configMap && !v.configMap.optional) push('ConfigMap', v.configMap.name, `spec.volumes[${i}].configMap.name`);
    if (v.persistentVolumeClaim) push('PersistentVolumeClaim', v.persistentVolumeClaim.claimName, `spec.volumes[${i}].persistentVolumeClaim.claimName`);
    list(v.projected?.sources).forEach((s, j) => {
      if (s.secret && !s.secret.optional) push('Secret', s.secret.name, `spec.volumes[${i}].projected.sources[${j}].secret.name`);
      if (s.configMap && !s.configMap.optional) push('ConfigMap', s.configMap.name, `spec.volumes[${i}].projected.sources[${j}].configMap.name`);
    });
  });
  for (const group of ['initContainers', 'containers']) {
    list(spec[group]).forEach((c, i) => {
      list(c.env).forEach((e, j) => {
        const from = rec(e.valueFrom);
        if (from.secretKeyRef && !from.secretKeyRef.optional)
          push('Secret', from.secretKeyRef.name, `spec.${group}[${i}].env[${j}].valueFrom.secretKeyRef.name`);
        if (from.configMapKeyRef && !from.configMapKeyRef.optional)
          push('ConfigMap', from.configMapKeyRef.name, `spec.${group}[${i}].env[${j}].valueFrom.configMapKeyRef.name`);
      });
      list(c.envFrom).forEach((e, j) => {
        if (e.secretRef && !e.secretRef.optional) push('Secret', e.secretRef.name, `spec.${group}[${i}].envFrom[${j}].secretRef.name`);
        if (e.configMapRef && !e.configMapRef.optional) push('ConfigMap', e.configMapRef.name, `spec.${group}[${i}].envFrom[${j}].configMapRef.name`);
      });
    });
  }
  list(spec.imagePullSecrets).forEach((s, i) => push('Secret', s.name, `spec.imagePullSecrets[${i}].name`));
  if (str(spec.serviceAccountName)) push('ServiceAccount', spec.serviceAccountName, 'spec.serviceAccountName');
  else push('ServiceAccount', spec.serviceAccount, 'spec.serviceAccount');
  push('PriorityClass', spec.priorityClassName, 'spec.priorityClassName');
}

/** Every reference `m` makes. */
function refsOf(m: Manifest): Ref[] {
  const out: Ref[] = [];
  const ns = nsOf(m);
  const spec = rec(m.spec);
  const push = (kind: string, name: unknown, path: string, namespace = ns): void => {
    if (str(name)) out.push({ kind, name, namespace: CLUSTER_SCOPED.has(kind) ? '' : namespace, path });
  };
  const t = podTemplateOf(m);
  if (t) podRefs(rec(t.template.spec), t.path, ns, out);
  if (m.kind === 'StatefulSet')
    list(spec.volumeClaimTemplates).forEach((c, i) => push('StorageClass', c.spec?.storageClassName, `spec.volumeClaimTemplates[${i}].spec.storageClassName`));
  // storageClassName "" asks for no class (static binding); unset asks for the default class.
  if (m.kind === 'PersistentVolumeClaim') push('StorageClass', spec.storageClassName, 'spec.storageClassName');
  if (m.kind === 'Ingress') {
    push('IngressClass', spec.ingressClassName, 'spec.ingressClassName');
    list(spec.tls).forEach((x, i) => push('Secret', x.secretName, `spec.tls[${i}].secretName`));
    const ann = rec(m.metadata?.annotations);
    push('ClusterIssuer', ann['cert-manager.io/cluster-issuer'], 'metadata.annotations.cert-manager.io/cluster-issuer');
    push('Issuer', ann['cert-manager.io/issuer'], 'metadata.annotations.cert-manager.io/issuer');
  }
  const gw = typeof m.apiVersion === 'string' && m.apiVersion.startsWith('gateway.networking.k8s.io/');
  if (gw && m.kind === 'HTTPRoute') {
    list(spec.parentRefs).forEach((p, i) => {
      if ((p.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && (p.kind ?? 'Gateway') === 'Gateway')
        push('Gateway', p.name, `spec.parentRefs[${i}].name`, str(p.namespace) ? p.namespace : ns);
    });
  }
  if (gw && m.kind === 'Gateway') {
    push('GatewayClass', spec.gatewayClassName, 'spec.gatewayClassName');
    list(spec.listeners).forEach((l, i) =>
      list(l.tls?.certificateRefs).forEach((c, j) => {
        if ((c.group ?? '') === '' && (c.kind ?? 'Secret') === 'Secret')
          push('Secret', c.name, `spec.listeners[${i}].tls.certificateRefs[${j}].name`, str(c.namespace) ? c.namespace : ns);
      }),
    );
  }
  if ((m.kind === 'RoleBinding' || m.kind === 'ClusterRoleBinding') && m.apiVersion === 'rbac.authorization.k8s.io/v1') {
    const r = rec(m.roleRef);
    if (r.kind === 'Role' || r.kind === 'ClusterRole') push(r.kind, r.name, 'roleRef.name');
    list(m.subjects).forEach((s, i) => {
      if (s.kind === 'ServiceAccount') push('ServiceAccount', s.name, `subjects[${i}].name`, str(s.namespace) ? s.namespace : ns);
    });
  }
  if (m.kind === 'Certificate' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('cert-manager.io/')) {
    const r = rec(spec.issuerRef);
    if ((r.group ?? 'cert-manager.io') === 'cert-manager.io') push(r.kind === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', r.name, 'spec.issuerRef.name');
  }
  return out;
}

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** What exists once the input is applied: its objects and what the cluster or a controller adds. */
function createdBy(objects: readonly Manifest[], existing: readonly ObjectRef[]): Set<string> {
  const created = new Set<string>();
  for (const o of existing) if (o.kind && o.name) created.add(key(o.kind, CLUSTER_SCOPED.has(o.kind) ? '' : (o.namespace ?? ''), o.name));
  for (const n of BUILTIN_PRIORITY_CLASSES) created.add(key('PriorityClass', '', n));
  for (const n of BUILTIN_CLUSTER_ROLES) created.add(key('ClusterRole', '', n));
  for (const r of BOOTSTRAP_ROLES) created.add(key('Role', r.namespace, r.name));
  for (const m of objects) {
    const ns = CLUSTER_SCOPED.has(m.kind) ? '' : nsOf(m);
    created.add(key(m.kind, ns, m.metadata?.name));
    // A claim naming the storageClassName of a PersistentVolume binds to it statically: the
    // StorageClass object need not exist.
    if (m.kind === 'PersistentVolume' && str(m.spec?.storageClassName)) created.add(key('StorageClass', '', m.spec.storageClassName));
    // cert-manager issues the Secret a Certificate names, and ingress-shim does so for an Ingress
    // annotated with an issuer.
    if (m.kind === 'Certificate' && str(m.spec?.secretName)) created.add(key('Secret', ns, m.spec.secretName));
    const ann = rec(m.metadata?.annotations);
    if (m.kind === 'Ingress' && (str(ann['cert-manager.io/cluster-issuer']) || str(ann['cert-manager.io/issuer']))) {
      for (const t of list(m.spec?.tls)) if (str(t.secretName)) created.add(key('Secret', ns, t.secretName));
    }
  }
  return created;
}

/** Whether Kubernetes creates `kind/name` in every namespace by itself. */
function implicit(r: Ref): boolean {
  if (r.kind === 'ServiceAccount' && r.name === 'default') return true;
  if (r.kind === 'ConfigMap' && r.name === 'kube-root-ca.crt') return true;
  if (r.kind === 'ClusterRole' && r.name.startsWith('system:')) return true;
  return false;
}

/** Runs the reference checks over the whole input. */
export const referencesFamily: CheckFamily = function references(ctx: CheckContext): RawFinding[] {
  const manifests = ctx.objects.map((o) => o.manifest);
  const created = createdBy(manifests, ctx.existingObjects ?? []);
  const findings: RawFinding[] = [];
  manifests.forEach((m, objectIndex) => {
    const seen = new Set<string>();
    for (const r of refsOf(m)) {
      const k = key(r.kind, r.namespace, r.name);
      // One finding per missing object and referencing object: four env vars from one Secret are one problem.
      if (created.has(k) || implicit(r) || seen.has(k)) continue;
      seen.add(k);
      const where = r.namespace ? ` in namespace "${r.namespace}"` : '';
      const target: ObjectRef = { kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name };
      findings.push({
        id: `references/${r.kind.toLowerCase()}`,
        severity: 'error',
        objectIndex,
        path: r.path,
        message: `${r.kind} "${r.name}"${where} is referenced but not created by the input: create it, or declare it created outside (annotation paas.cdk8s.io/created-outside or createdOutside in paas-checks.yaml) with who creates it`,
        target,
      });
    }
  });
  return findings;
};
