import type { Manifest } from './types';

// Polaris checks whose rule spans several objects, is Go-template logic, or is Go code upstream,
// written here in TypeScript with the meaning of the upstream check. Each returns true when the
// check passes. Where the meaning deliberately differs, docs/validation.md says so.

function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function sameNamespace(a: Manifest, b: Manifest): boolean {
  return (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

/** Objects of one group and kind. */
export function ofKind(objects: readonly Manifest[], group: string, kind: string): Manifest[] {
  return objects.filter((o) => o?.kind === kind && groupOf(o.apiVersion) === group);
}

/** A metav1.LabelSelector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector selects a label set; an empty selector (`{}`) selects everything. */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = Array.isArray(e.values) ? e.values : [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[e.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const labelsOf = (template: Manifest | undefined): Record<string, string> => template?.metadata?.labels ?? {};

/** policyTypes a NetworkPolicy applies: explicit, else Ingress plus Egress when it has egress rules. */
function policyTypes(np: Manifest): string[] {
  const explicit = np.spec?.policyTypes;
  if (Array.isArray(explicit) && explicit.length > 0) return explicit.map((t: unknown) => String(t).toLowerCase());
  return np.spec?.egress !== undefined ? ['ingress', 'egress'] : ['ingress'];
}

/**
 * missingNetworkPolicy: NetworkPolicies in the pod's namespace whose podSelector selects the pod
 * template's labels together govern both its ingress and its egress (their policyTypes). Upstream
 * asks one policy, selecting the pod by exactly one matchLabels entry, to hold ingress and egress
 * rules; here a namespace default-deny plus per-app allow policies pass too, and a policy that
 * denies all egress (Egress in policyTypes, no egress rule) governs egress as much as any.
 */
export function hasNetworkPolicy(controller: Manifest, template: Manifest, objects: readonly Manifest[]): boolean {
  const labels = labelsOf(template);
  if (Object.keys(labels).length === 0) return false;
  const covering = ofKind(objects, 'networking.k8s.io', 'NetworkPolicy').filter(
    (np) => sameNamespace(np, controller) && selectorMatches(np.spec?.podSelector, labels),
  );
  const types = new Set(covering.flatMap(policyTypes));
  return types.has('ingress') && types.has('egress');
}

/** PodDisruptionBudgets in the controller's namespace whose selector selects its pod template. */
export function attachedPdbs(controller: Manifest, template: Manifest, objects: readonly Manifest[]): Manifest[] {
  const labels = labelsOf(template);
  return ofKind(objects, 'policy', 'PodDisruptionBudget').filter(
    (pdb) => sameNamespace(pdb, controller) && pdb.spec?.selector && selectorMatches(pdb.spec.selector, labels),
  );
}

/** missingPodDisruptionBudget: the pod template has labels and a PDB selects them. */
export function hasPodDisruptionBudget(controller: Manifest, template: Manifest, objects: readonly Manifest[]): boolean {
  if (Object.keys(labelsOf(template)).length === 0) return false;
  return attachedPdbs(controller, template, objects).length > 0;
}

function hpaFor(controller: Manifest, objects: readonly Manifest[]): Manifest | undefined {
  return ofKind(objects, 'autoscaling', 'HorizontalPodAutoscaler').find(
    (h) => sameNamespace(h, controller) && h.spec?.scaleTargetRef?.kind === controller.kind && h.spec?.scaleTargetRef?.name === controller.metadata?.name,
  );
}

/**
 * pdbMinAvailableGreaterThanHPAMinReplicas (Go code upstream): with a PDB and an HPA on the
 * Deployment, the PDB's minAvailable (a percentage scaled by the HPA's minReplicas, rounding up)
 * must not exceed the HPA's minReplicas. Equal passes, as upstream.
 */
export function pdbFitsHpa(controller: Manifest, template: Manifest, objects: readonly Manifest[]): boolean {
  const pdb = attachedPdbs(controller, template, objects)[0];
  const hpa = hpaFor(controller, objects);
  if (!pdb || !hpa) return true;
  const minAvailable = pdb.spec?.minAvailable;
  const hpaMin = hpa.spec?.minReplicas;
  if (minAvailable === undefined || minAvailable === null || !Number.isInteger(hpaMin)) return true;
  let pdbMin: number;
  if (typeof minAvailable === 'number') pdbMin = minAvailable;
  else {
    const m = /^(\d+)%$/.exec(String(minAvailable));
    if (m) pdbMin = Math.ceil((Number(m[1]) * hpaMin) / 100);
    else if (/^\d+$/.test(String(minAvailable))) pdbMin = Number(minAvailable);
    else return true;
  }
  return pdbMin <= hpaMin;
}

/**
 * automountServiceAccountToken: the pod sets `automountServiceAccountToken: false`, or does not
 * set it and the ServiceAccount it runs as (same namespace, in the input) does.
 */
export function serviceAccountTokenNotMounted(controller: Manifest, podSpec: Manifest, objects: readonly Manifest[]): boolean {
  if (podSpec.automountServiceAccountToken === true) return false;
  if (podSpec.automountServiceAccountToken === false) return true;
  const saName = podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default';
  return ofKind(objects, '', 'ServiceAccount').some(
    (sa) => sameNamespace(sa, controller) && sa.metadata?.name === saName && sa.automountServiceAccountToken === false,
  );
}

const ALL = /^all$/i;

/**
 * linuxHardening: the container is confined by one of AppArmor (the pod annotation for this
 * container), seccomp (a profile that is not Unconfined on the container, or on the pod without
 * the container overriding it with Unconfined), SELinux options (pod or container), or dropped
 * capabilities (without adding ALL back).
 */
export function containerHardened(template: Manifest, container: Manifest): boolean {
  const annotations = template.metadata?.annotations ?? {};
  if (annotations[`container.apparmor.security.beta.kubernetes.io/${container.name}`]) return true;
  const podSc = template.spec?.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const podType = podSc.seccompProfile?.type;
  const cType = sc.seccompProfile?.type;
  const seccomp = !podType || podType === 'Unconfined' ? typeof cType === 'string' && cType !== '' && cType !== 'Unconfined' : cType !== 'Unconfined';
  const nonEmpty = (o: unknown): boolean => o !== null && typeof o === 'object' && Object.keys(o).length > 0;
  const seLinux = nonEmpty(podSc.seLinuxOptions) || nonEmpty(sc.seLinuxOptions);
  const drop = sc.capabilities?.drop;
  const add: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
  const dropped = Array.isArray(drop) && drop.length > 0 && !add.some((a) => typeof a === 'string' && ALL.test(a));
  return Boolean(seccomp || seLinux || dropped);
}

/** hpaMaxAvailability: maxReplicas is set (>= 1) and, when minReplicas is set, greater than it. */
export function hpaCanScale(hpa: Manifest): boolean {
  const spec = hpa.spec;
  if (spec === undefined) return true;
  if (spec === null || typeof spec !== 'object') return false;
  const max = spec.maxReplicas;
  if (!Number.isInteger(max) || max < 1) return false;
  if (spec.minReplicas === undefined || spec.minReplicas === 0) return true;
  if (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1) return false;
  return max > spec.minReplicas;
}

/**
 * deploymentMissingReplicas: `spec.replicas` is at least 2, or it is left unset for an HPA (same
 * namespace, targeting this Deployment) whose minReplicas is at least 2. Upstream only reads
 * `spec.replicas`; in a cluster the HPA has written it by then, while in manifests leaving it
 * unset is right when an HPA owns the count.
 */
export function hasReplicas(controller: Manifest, objects: readonly Manifest[]): boolean {
  const replicas = controller.spec?.replicas;
  if (replicas !== undefined && replicas !== null) return Number.isInteger(replicas) && replicas >= 2;
  const hpa = hpaFor(controller, objects);
  return hpa !== undefined && Number.isInteger(hpa.spec?.minReplicas) && hpa.spec.minReplicas >= 2;
}

/**
 * When the additional (role) schema of an RBAC binding check applies to a binding. Upstream
 * writes these as Go-template conditions around the schema; when they do not hold, the rendered
 * schema is empty (no role lookup: the check passes) or, where `type: object` sits outside the
 * conditions, matches any role (the check passes when any role of that kind is visible).
 */
export const RBAC_GATES: Readonly<Record<string, (binding: Manifest) => boolean>> = {
  clusterrolebindingClusterAdmin: (b) => b.roleRef?.name !== 'view' && !defaultBinding(b, true),
  clusterrolebindingPodExecAttach: (b) => b.roleRef?.name !== 'view' && !defaultBinding(b, true),
  rolebindingClusterAdminClusterRole: (b) => b.roleRef?.kind === 'ClusterRole' && !defaultBinding(b, false),
  rolebindingClusterRolePodExecAttach: (b) => b.roleRef?.kind === 'ClusterRole' && !defaultBinding(b, false),
  rolebindingClusterAdminRole: (b) => b.roleRef?.kind === 'Role' && !defaultBinding(b, false),
  rolebindingRolePodExecAttach: (b) => b.roleRef?.kind === 'Role' && !defaultBinding(b, false),
};

function defaultBinding(b: Manifest, clusterAdminToo: boolean): boolean {
  const n = typeof b.metadata?.name === 'string' ? b.metadata.name : '';
  return n.startsWith('system:') || n === 'gce:podsecuritypolicy:calico-sa' || (clusterAdminToo && n === 'cluster-admin');
}
