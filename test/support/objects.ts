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

// One implementation of metav1.LabelSelector matching: the engine's (lib/validation).
export { selectorMatches } from '../../lib/validation/polaris-native';
export type { LabelSelector } from '../../lib/validation/polaris-native';
