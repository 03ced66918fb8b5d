import type { Manifest } from './types';
import { LabelSelector, selectorMatches } from './wiring';

// Polaris checks whose rule spans several objects, is Go-template logic, or is Go code upstream,
// written here in TypeScript with the meaning of the upstream check. Each returns true when the
// check passes. Where the meaning deliberately differs, docs/validation.md says so.

function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Objects of one group and kind. */
export function ofKind(objects: readonly Manifest[], group: string, kind: string): Manifest[] {
  return objects.filter((o) => o?.kind === kind && groupOf(o.apiVersion) === group);
}

const nsOf = (o: Manifest): string => (typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '');

/**
 * The objects of one run, indexed by group, kind and namespace, with label-selector lookups that
 * only test the selectors that can match (by one of their matchLabels pairs). Cross-object checks
 * over 1,000 apps would otherwise compare every Deployment with every policy: quadratic.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, Manifest[]>();
  private readonly memo = new Map<string, unknown>();

  constructor(readonly objects: readonly Manifest[]) {
    for (const o of objects) {
      if (o === null || typeof o !== 'object' || typeof o.kind !== 'string') continue;
      const key = `${groupOf(o.apiVersion)}/${o.kind}`;
      let list = this.byKind.get(key);
      if (!list) this.byKind.set(key, (list = []));
      list.push(o);
    }
  }

  private readonly perObjectMemo = new WeakMap<object, Map<string, unknown>>();

  /** A value computed once per object of the run (two checks ask for the same Deployment's PDBs). */
  perObject<T>(obj: Manifest, key: string, build: () => T): T {
    let m = this.perObjectMemo.get(obj);
    if (!m) this.perObjectMemo.set(obj, (m = new Map()));
    if (!m.has(key)) m.set(key, build());
    return m.get(key) as T;
  }

  private cached<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, build());
    return this.memo.get(key) as T;
  }

  /** Objects of a group and kind, in input order; with a namespace, only those in it (`''`: none). */
  of(group: string, kind: string, namespace?: string): Manifest[] {
    const all = this.byKind.get(`${group}/${kind}`) ?? [];
    if (namespace === undefined) return all;
    return this.cached(`ns\u0000${group}/${kind}\u0000${namespace}`, () => all.filter((o) => nsOf(o) === namespace));
  }

  /** Objects of a kind in a namespace whose selector (read by `selectorOf`) selects the labels, in input order. */
  selecting(group: string, kind: string, namespace: string, labels: Record<string, string>, selectorOf: (o: Manifest) => unknown): Manifest[] {
    const idx = this.cached(`sel\u0000${group}/${kind}\u0000${namespace}`, () => {
      const byPair = new Map<string, number[]>();
      const unkeyed: number[] = [];
      const items = this.of(group, kind, namespace);
      items.forEach((o, i) => {
        const sel = selectorOf(o) as LabelSelector | undefined;
        const first = sel && typeof sel === 'object' && sel.matchLabels && typeof sel.matchLabels === 'object' ? Object.entries(sel.matchLabels)[0] : undefined;
        if (!first) unkeyed.push(i);
        else {
          const k = `${first[0]}=${first[1]}`;
          let l = byPair.get(k);
          if (!l) byPair.set(k, (l = []));
          l.push(i);
        }
      });
      return { items, byPair, unkeyed };
    });
    const candidates = new Set<number>(idx.unkeyed);
    for (const [k, v] of Object.entries(labels)) for (const i of idx.byPair.get(`${k}=${v}`) ?? []) candidates.add(i);
    return [...candidates]
      .sort((a, b) => a - b)
      .map((i) => idx.items[i])
      .filter((o) => selectorMatches(selectorOf(o) as LabelSelector | undefined, labels));
  }

  /** The first object of a kind in a namespace for which `keyOf` gives this key (e.g. an HPA by its target). */
  firstBy(group: string, kind: string, namespace: string, keyOf: (o: Manifest) => string | undefined, key: string): Manifest | undefined {
    const map = this.cached(`by\u0000${group}/${kind}\u0000${namespace}\u0000${keyOf.name}`, () => {
      const m = new Map<string, Manifest>();
      for (const o of this.of(group, kind, namespace)) {
        const k = keyOf(o);
        if (k !== undefined && !m.has(k)) m.set(k, o);
      }
      return m;
    });
    return map.get(key);
  }
}

// One selector matcher for the whole engine: wiring's.
export { selectorMatches };
export type { LabelSelector };

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
export function hasNetworkPolicy(controller: Manifest, template: Manifest, objects: ObjectIndex): boolean {
  const labels = labelsOf(template);
  if (Object.keys(labels).length === 0) return false;
  const covering = objects.selecting('networking.k8s.io', 'NetworkPolicy', nsOf(controller), labels, (np) => np.spec?.podSelector);
  const types = new Set(covering.flatMap(policyTypes));
  return types.has('ingress') && types.has('egress');
}

/** PodDisruptionBudgets in the controller's namespace whose selector selects its pod template. */
export function attachedPdbs(controller: Manifest, template: Manifest, objects: ObjectIndex): Manifest[] {
  return objects.perObject(controller, 'pdbs', () =>
    objects.selecting('policy', 'PodDisruptionBudget', nsOf(controller), labelsOf(template), (pdb) => pdb.spec?.selector),
  );
}

/** missingPodDisruptionBudget: the pod template has labels and a PDB selects them. */
export function hasPodDisruptionBudget(controller: Manifest, template: Manifest, objects: ObjectIndex): boolean {
  if (Object.keys(labelsOf(template)).length === 0) return false;
  return attachedPdbs(controller, template, objects).length > 0;
}

function hpaTarget(h: Manifest): string | undefined {
  const ref = h.spec?.scaleTargetRef;
  return ref && typeof ref === 'object' ? `${ref.kind}/${ref.name}` : undefined;
}

function hpaFor(controller: Manifest, objects: ObjectIndex): Manifest | undefined {
  return objects.firstBy('autoscaling', 'HorizontalPodAutoscaler', nsOf(controller), hpaTarget, `${controller.kind}/${controller.metadata?.name}`);
}

/**
 * pdbMinAvailableGreaterThanHPAMinReplicas (Go code upstream): with a PDB and an HPA on the
 * Deployment, the PDB's minAvailable (a percentage scaled by the HPA's minReplicas, rounding up)
 * must not exceed the HPA's minReplicas. Equal passes, as upstream.
 */
export function pdbFitsHpa(controller: Manifest, template: Manifest, objects: ObjectIndex): boolean {
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
export function serviceAccountTokenNotMounted(controller: Manifest, podSpec: Manifest, objects: ObjectIndex): boolean {
  if (podSpec.automountServiceAccountToken === true) return false;
  if (podSpec.automountServiceAccountToken === false) return true;
  const saName = podSpec.serviceAccountName ?? podSpec.serviceAccount ?? 'default';
  return objects.of('', 'ServiceAccount', nsOf(controller)).some((sa) => sa.metadata?.name === saName && sa.automountServiceAccountToken === false);
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
export function hasReplicas(controller: Manifest, objects: ObjectIndex): boolean {
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
