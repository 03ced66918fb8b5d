import { apiGroup, Manifest, podTemplateOf, selectorMatches } from './objects';

/**
 * Polaris checks whose rule spans several objects or is written as Go template logic, evaluated
 * here in TypeScript with the meaning the upstream check file states. Each function returns
 * true when the check passes. Deviations from upstream are listed in docs/validation.md.
 */

function sameNamespace(a: Manifest, b: Manifest): boolean {
  return (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
}

function ofKind(objects: Manifest[], group: string, kind: string): Manifest[] {
  return objects.filter((o) => o?.kind === kind && apiGroup(o.apiVersion) === group);
}

/** policyTypes a NetworkPolicy applies: explicit, else Ingress plus Egress when it has egress rules. */
function policyTypes(np: Manifest): string[] {
  const explicit = np.spec?.policyTypes as string[] | undefined;
  if (explicit && explicit.length > 0) return explicit.map((t) => t.toLowerCase());
  return np.spec?.egress !== undefined ? ['ingress', 'egress'] : ['ingress'];
}

/**
 * missingNetworkPolicy: the pod template's labels are selected, in the same namespace, by
 * NetworkPolicies that together govern both its Ingress and its Egress.
 */
export function hasNetworkPolicy(controller: Manifest, objects: Manifest[]): boolean {
  const pod = podTemplateOf(controller);
  if (!pod) return true;
  const labels = pod.template.metadata?.labels ?? {};
  const covering = ofKind(objects, 'networking.k8s.io', 'NetworkPolicy').filter(
    (np) => sameNamespace(np, controller) && selectorMatches(np.spec?.podSelector, labels),
  );
  const types = new Set(covering.flatMap(policyTypes));
  return types.has('ingress') && types.has('egress');
}

/** PodDisruptionBudgets in the controller's namespace whose selector selects its pod template. */
export function attachedPdbs(controller: Manifest, objects: Manifest[]): Manifest[] {
  const labels = podTemplateOf(controller)?.template.metadata?.labels ?? {};
  return ofKind(objects, 'policy', 'PodDisruptionBudget').filter(
    (pdb) => sameNamespace(pdb, controller) && pdb.spec?.selector && selectorMatches(pdb.spec.selector, labels),
  );
}

/** missingPodDisruptionBudget: the Deployment has pod labels and a PDB selects its pods. */
export function hasPodDisruptionBudget(controller: Manifest, objects: Manifest[]): boolean {
  const labels = controller.spec?.template?.metadata?.labels;
  if (!labels || Object.keys(labels).length === 0) return false;
  return attachedPdbs(controller, objects).length > 0;
}

/**
 * pdbMinAvailableGreaterThanHPAMinReplicas (a Go check upstream): when both a PDB and an HPA
 * target the Deployment, the PDB's minAvailable (a percentage is scaled by the HPA's minReplicas,
 * rounding up) must be below the HPA's minReplicas, or no voluntary eviction is ever possible.
 */
export function pdbFitsHpa(controller: Manifest, objects: Manifest[]): boolean {
  const pdb = attachedPdbs(controller, objects)[0];
  const hpa = ofKind(objects, 'autoscaling', 'HorizontalPodAutoscaler').find(
    (h) => sameNamespace(h, controller) && h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec?.scaleTargetRef?.name === controller.metadata?.name,
  );
  if (!pdb || !hpa) return true;
  const minAvailable = pdb.spec?.minAvailable;
  const hpaMin = hpa.spec?.minReplicas;
  if (minAvailable === undefined || hpaMin === undefined) return true;
  let pdbMin: number;
  if (typeof minAvailable === 'number') pdbMin = minAvailable;
  else {
    const m = /^(\d+)%$/.exec(String(minAvailable));
    if (!m) return true;
    pdbMin = Math.ceil((Number(m[1]) * hpaMin) / 100);
  }
  return pdbMin < hpaMin;
}

/**
 * automountServiceAccountToken: the pod sets `automountServiceAccountToken: false`, or the
 * ServiceAccount it runs as (in the same namespace, among the objects) does.
 */
export function serviceAccountTokenNotMounted(controller: Manifest, objects: Manifest[]): boolean {
  const spec = podTemplateOf(controller)?.spec ?? {};
  if (spec.automountServiceAccountToken === true) return false;
  if (spec.automountServiceAccountToken === false) return true;
  const saName = spec.serviceAccountName ?? 'default';
  return ofKind(objects, '', 'ServiceAccount').some(
    (sa) => sameNamespace(sa, controller) && sa.metadata?.name === saName && sa.automountServiceAccountToken === false,
  );
}

const ALL = /^all$/i;

/**
 * linuxHardening: the container is restricted by one of AppArmor (pod annotation for this
 * container), seccomp (a non-Unconfined profile on the container, or on the pod without the
 * container overriding it with Unconfined), SELinux options, or dropped capabilities (without
 * adding ALL back).
 */
export function containerHardened(template: Manifest, container: Manifest): boolean {
  const annotations = template.metadata?.annotations ?? {};
  if (annotations[`container.apparmor.security.beta.kubernetes.io/${container.name}`]) return true;
  const podSc = template.spec?.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const podType = podSc.seccompProfile?.type;
  const cType = sc.seccompProfile?.type;
  const seccomp = !podType || podType === 'Unconfined' ? typeof cType === 'string' && cType !== '' && cType !== 'Unconfined' : cType !== 'Unconfined';
  const podSeLinux = podSc.seLinuxOptions && Object.keys(podSc.seLinuxOptions).length > 0;
  const seLinux = podSeLinux || (sc.seLinuxOptions && Object.keys(sc.seLinuxOptions).length > 0);
  const drop = sc.capabilities?.drop;
  const add: string[] = sc.capabilities?.add ?? [];
  const dropped = Array.isArray(drop) && drop.length > 0 && !add.some((a) => ALL.test(a));
  return Boolean(seccomp || seLinux || dropped);
}

/** hpaMaxAvailability: maxReplicas is set (>= 1) and, when minReplicas is set, greater than it. */
export function hpaCanScale(hpa: Manifest): boolean {
  const spec = hpa.spec ?? {};
  const max = spec.maxReplicas;
  if (!Number.isInteger(max) || max < 1) return false;
  if (spec.minReplicas === undefined) return true;
  if (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1) return false;
  return max > spec.minReplicas;
}

/**
 * deploymentMissingReplicas: `spec.replicas` is at least 2, or it is left unset for a
 * HorizontalPodAutoscaler (same namespace, targeting this Deployment) whose minReplicas is at
 * least 2. Upstream only reads `spec.replicas`; in a cluster the HPA has written it by then, in
 * manifests leaving it unset is the right thing to do when an HPA owns the count.
 */
export function hasReplicas(controller: Manifest, objects: Manifest[]): boolean {
  const replicas = controller.spec?.replicas;
  if (replicas !== undefined) return Number.isInteger(replicas) && replicas >= 2;
  return ofKind(objects, 'autoscaling', 'HorizontalPodAutoscaler').some(
    (h) =>
      sameNamespace(h, controller) &&
      h.spec?.scaleTargetRef?.kind === 'Deployment' &&
      h.spec?.scaleTargetRef?.name === controller.metadata?.name &&
      Number.isInteger(h.spec?.minReplicas) &&
      h.spec.minReplicas >= 2,
  );
}

/** A rule granting everything (`*` groups and resources, with `*` or all seven standard verbs). */
function isWildcardRule(rule: Manifest): boolean {
  const verbs: string[] = rule.verbs ?? [];
  const standard = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const allStandard = new Set(verbs).size === verbs.length && verbs.length >= 7 && verbs.every((v) => standard.includes(v));
  return (rule.apiGroups ?? []).includes('*') && (rule.resources ?? []).includes('*') && (verbs.includes('*') || allStandard);
}

/** A rule letting its holder exec into or attach to pods (`get` opens the exec web socket too). */
function isExecRule(rule: Manifest): boolean {
  const groups: string[] = rule.apiGroups ?? [];
  const resources: string[] = rule.resources ?? [];
  const verbs: string[] = rule.verbs ?? [];
  return (
    groups.some((g) => g === '' || g === '*') &&
    resources.some((r) => r === '*' || r === 'pods/exec' || r === 'pods/attach') &&
    verbs.some((v) => v === '*' || v === 'get' || v === 'create')
  );
}

/** Binding names upstream never alerts on. */
function isDefaultBinding(name: string | undefined, clusterAdminToo: boolean): boolean {
  const n = name ?? '';
  return n.startsWith('system:') || n === 'gce:podsecuritypolicy:calico-sa' || (clusterAdminToo && n === 'cluster-admin');
}

/**
 * The second half of the RBAC binding checks: the role a binding references must not hold a
 * forbidden rule. Only roles among the objects can be judged: a ClusterRole anywhere, a Role in the
 * binding's namespace. A referenced role that is not among them (a built-in such as `edit`, or one
 * created elsewhere) passes here; upstream fails the binding in that case.
 */
function boundRoleOk(binding: Manifest, objects: Manifest[], roleKind: 'Role' | 'ClusterRole', forbidden: (rule: Manifest) => boolean): boolean {
  const ref = binding.roleRef ?? {};
  if (ref.kind !== roleKind) return true;
  const role = ofKind(objects, 'rbac.authorization.k8s.io', roleKind).find(
    (r) => r.metadata?.name === ref.name && (roleKind === 'ClusterRole' || sameNamespace(r, binding)),
  );
  if (!role) return true;
  return !((role.rules ?? []) as Manifest[]).some(forbidden);
}

/** clusterrolebindingClusterAdmin / clusterrolebindingPodExecAttach (additional part). */
export function clusterRoleBindingRoleOk(forbidden: 'wildcard' | 'exec') {
  return (binding: Manifest, objects: Manifest[]): boolean =>
    binding.roleRef?.name === 'view' ||
    isDefaultBinding(binding.metadata?.name, true) ||
    boundRoleOk(binding, objects, 'ClusterRole', forbidden === 'wildcard' ? isWildcardRule : isExecRule);
}

/** rolebinding{ClusterAdmin,PodExecAttach}{Role,ClusterRole} (additional part). */
export function roleBindingRoleOk(roleKind: 'Role' | 'ClusterRole', forbidden: 'wildcard' | 'exec') {
  return (binding: Manifest, objects: Manifest[]): boolean =>
    isDefaultBinding(binding.metadata?.name, false) || boundRoleOk(binding, objects, roleKind, forbidden === 'wildcard' ? isWildcardRule : isExecRule);
}
