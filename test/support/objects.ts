/** Small helpers over plain manifest objects shared by the validators. */

/** A plain Kubernetes manifest object as synthesized (JSON). */
export type Manifest = Record<string, any>;

/** `Kind ns/name`, or `Kind name` for objects without a namespace. */
export function objectRef(obj: Manifest): string {
  const kind = obj?.kind ?? '<no kind>';
  const name = obj?.metadata?.name ?? '<no name>';
  const ns = obj?.metadata?.namespace;
  return ns ? `${kind} ${ns}/${name}` : `${kind} ${name}`;
}

/** Group of an `apiVersion` (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroup(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** A pod template found in a workload object. */
export interface PodTemplateRef {
  /** `{ metadata, spec }` of the pod (for a bare Pod: the Pod itself). */
  readonly template: Manifest;
  /** The pod spec. */
  readonly spec: Manifest;
  /** JSON pointer of the pod spec inside the object. */
  readonly pointer: string;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

/** Kinds whose objects carry a pod template (Polaris calls them controllers). */
export const WORKLOAD_KINDS = ['Pod', ...TEMPLATE_KINDS, 'CronJob'];

/** The pod template of a workload object, or undefined when it has none. */
export function podTemplateOf(obj: Manifest): PodTemplateRef | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  if (obj.kind === 'Pod' && apiGroup(obj.apiVersion) === '') {
    return { template: { metadata: obj.metadata ?? {}, spec: obj.spec ?? {} }, spec: obj.spec ?? {}, pointer: '/spec' };
  }
  if (obj.kind === 'CronJob' && apiGroup(obj.apiVersion) === 'batch') {
    const t = obj.spec?.jobTemplate?.spec?.template;
    return t ? { template: t, spec: t.spec ?? {}, pointer: '/spec/jobTemplate/spec/template/spec' } : undefined;
  }
  if (TEMPLATE_KINDS.has(obj.kind) && ['apps', 'batch', ''].includes(apiGroup(obj.apiVersion))) {
    const t = obj.spec?.template;
    return t ? { template: t, spec: t.spec ?? {}, pointer: '/spec/template/spec' } : undefined;
  }
  return undefined;
}

/** A label selector (`matchLabels` / `matchExpressions`) as in metav1.LabelSelector. */
export interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Whether a metav1.LabelSelector selects a set of labels. An empty selector (`{}`) selects
 * everything, as it does for NetworkPolicy `podSelector` and policy/v1 PodDisruptionBudget.
 */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (l[k] !== v) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const values = e.values ?? [];
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
