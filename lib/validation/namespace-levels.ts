/**
 * Pod Security levels per namespace: from Namespaces in the input and from the platform stack's
 * `kubernetes_namespace_v1` resources in a cdktf output (the add-on namespaces Helm installs into).
 * The admission controller judges a pod at its namespace's `enforce` label, so the checks must too.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ValidationInputError } from './input';
import { InputObject, ObjectRef, PodSecurityLevel } from './types';

/** The label the Pod Security admission controller reads. */
export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

function levelOf(labels: unknown): PodSecurityLevel | undefined {
  const v = (labels as Record<string, unknown> | undefined)?.[ENFORCE_LABEL];
  return typeof v === 'string' && (LEVELS as readonly string[]).includes(v) ? (v as PodSecurityLevel) : undefined;
}

/** Levels of the Namespaces among `objects` that carry an enforce label. */
export function levelsFromObjects(objects: readonly InputObject[], into: Map<string, PodSecurityLevel>): void {
  for (const { manifest } of objects) {
    if (manifest.kind !== 'Namespace' || manifest.apiVersion !== 'v1') continue;
    const level = levelOf(manifest.metadata?.labels);
    if (level && typeof manifest.metadata?.name === 'string') into.set(manifest.metadata.name, level);
  }
}

/** The cdk.tf.json files of a cdktf output folder (`stacks/<stack>/cdk.tf.json`) or of one stack folder. */
export function cdktfStackFiles(dir: string): string[] {
  if (fs.existsSync(path.join(dir, 'cdk.tf.json'))) return [path.join(dir, 'cdk.tf.json')];
  const stacks = path.join(dir, 'stacks');
  if (!fs.existsSync(stacks) || !fs.statSync(stacks).isDirectory()) return [];
  return fs
    .readdirSync(stacks)
    .sort()
    .map((s) => path.join(stacks, s, 'cdk.tf.json'))
    .filter((f) => fs.existsSync(f));
}

/** Kubernetes objects the `hashicorp/kubernetes` provider's typed resources create. */
const RESOURCE_KINDS: Readonly<Record<string, string>> = {
  kubernetes_namespace_v1: 'Namespace',
  kubernetes_secret_v1: 'Secret',
  kubernetes_config_map_v1: 'ConfigMap',
  kubernetes_service_account_v1: 'ServiceAccount',
  kubernetes_storage_class_v1: 'StorageClass',
  kubernetes_priority_class_v1: 'PriorityClass',
  kubernetes_ingress_class_v1: 'IngressClass',
  kubernetes_persistent_volume_claim_v1: 'PersistentVolumeClaim',
  kubernetes_cluster_role_v1: 'ClusterRole',
  kubernetes_role_v1: 'Role',
  kubernetes_service_v1: 'Service',
};

function readStack(file: string): { resource?: Record<string, Record<string, Record<string, unknown>>> } {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValidationInputError(`${file}: not valid JSON: ${(e as Error).message}`, file);
  }
}

type Values = Record<string, unknown>;
const get = (v: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Values)[k] : undefined), v);

/** Merges a release's `values` documents in order, as Helm does (maps deep, the rest replaced). */
function mergeValues(docs: unknown): Values {
  const merge = (a: Values, b: Values): Values => {
    const out: Values = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const prev = out[k];
      out[k] =
        prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v) ? merge(prev as Values, v as Values) : v;
    }
    return out;
  };
  let values: Values = {};
  for (const d of Array.isArray(docs) ? docs : []) {
    if (typeof d !== 'string' || d.includes('${')) continue;
    try {
      const v = parse(d);
      if (v && typeof v === 'object' && !Array.isArray(v)) values = merge(values, v as Values);
    } catch {
      // values that do not parse: the release tells us nothing
    }
  }
  return values;
}

/**
 * What a chart of the platform catalog creates by itself, from its values and the chart's default
 * values (ingress-nginx 4.15, nfs-subdir-external-provisioner 4.0, csi-driver-nfs 4.13, traefik 41),
 * plus the `extraObjects` most charts accept.
 */
function helmObjects(chart: unknown, releaseNamespace: unknown, values: Values): ObjectRef[] {
  const out: ObjectRef[] = [];
  const on = (v: unknown, byDefault: boolean): boolean => (v === undefined ? byDefault : v === true);
  const str = (v: unknown, byDefault?: string): string | undefined => (typeof v === 'string' && v !== '' ? v : byDefault);
  const ns = str(releaseNamespace);
  if (chart === 'ingress-nginx' && on(get(values, 'controller.ingressClassResource.enabled'), true)) {
    out.push({ kind: 'IngressClass', name: str(get(values, 'controller.ingressClassResource.name'), 'nginx')! });
  }
  if (chart === 'nfs-subdir-external-provisioner' && on(get(values, 'storageClass.create'), true)) {
    out.push({ kind: 'StorageClass', name: str(get(values, 'storageClass.name'), 'nfs-client')! });
  }
  if (chart === 'csi-driver-nfs' && on(get(values, 'storageClass.create'), false)) {
    const name = str(get(values, 'storageClass.name'));
    if (name) out.push({ kind: 'StorageClass', name });
  }
  if (chart === 'traefik') {
    // The chart derives unnamed ones from its fullname; only explicit names are known here.
    const gw = str(get(values, 'gateway.name'));
    if (gw && on(get(values, 'gateway.enabled'), true))
      out.push({ kind: 'Gateway', name: gw, ...(str(get(values, 'gateway.namespace'), ns) ? { namespace: str(get(values, 'gateway.namespace'), ns) } : {}) });
    const gc = str(get(values, 'gatewayClass.name'));
    if (gc && on(get(values, 'gatewayClass.enabled'), true)) out.push({ kind: 'GatewayClass', name: gc });
  }
  const extra = get(values, 'extraObjects');
  for (const e of Array.isArray(extra) ? extra : []) {
    let o: unknown = e;
    if (typeof e === 'string') {
      try {
        o = parse(e);
      } catch {
        continue;
      }
    }
    const m = o as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (m && typeof m.kind === 'string' && typeof m.metadata?.name === 'string' && !m.metadata.name.includes('{{')) {
      const namespace = str(m.metadata.namespace, ns);
      out.push({ kind: m.kind, name: m.metadata.name, ...(namespace ? { namespace } : {}) });
    }
  }
  return out;
}

/**
 * The objects a cdktf output's stacks create: the kubernetes provider's typed resources and
 * `kubernetes_manifest`, and what the `helm_release`s of the platform catalog's charts create (see
 * helmObjects). A name or namespace that is a Terraform expression (`${...}`) is unknown until
 * apply and is skipped.
 */
export function objectsFromCdktfOut(dir: string): ObjectRef[] {
  const out: ObjectRef[] = [];
  const literal = (x: unknown): x is string => typeof x === 'string' && x !== '' && !x.includes('${');
  for (const file of cdktfStackFiles(dir)) {
    const resources = readStack(file).resource ?? {};
    for (const [type, byId] of Object.entries(resources)) {
      for (const res of Object.values(byId ?? {})) {
        if (type === 'helm_release') {
          out.push(...helmObjects(res.chart, res.namespace, mergeValues(res.values)));
          continue;
        }
        if (type === 'kubernetes_manifest') {
          const m = res.manifest as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | undefined;
          if (literal(m?.kind) && literal(m?.metadata?.name)) {
            out.push({ kind: m.kind, name: m.metadata.name, ...(literal(m.metadata.namespace) ? { namespace: m.metadata.namespace } : {}) });
          }
          continue;
        }
        const kind = RESOURCE_KINDS[type];
        const meta = (Array.isArray(res.metadata) ? res.metadata[0] : res.metadata) as { name?: unknown; namespace?: unknown } | undefined;
        if (kind && literal(meta?.name)) out.push({ kind, name: meta.name, ...(literal(meta.namespace) ? { namespace: meta.namespace } : {}) });
      }
    }
  }
  return out;
}

/**
 * Levels of the `kubernetes_namespace_v1` resources of a cdktf output: every stack of a
 * `cdktf.out` folder, or one stack folder (`cdktf.out/stacks/<cluster>`) when clusters differ.
 */
export function levelsFromCdktfOut(dir: string, into: Map<string, PodSecurityLevel>): void {
  const files = cdktfStackFiles(dir);
  if (files.length === 0) throw new ValidationInputError(`${dir}: not a cdktf output folder (no stacks/<stack>/cdk.tf.json, no cdk.tf.json)`, dir);
  for (const file of files) {
    for (const res of Object.values(readStack(file).resource?.kubernetes_namespace_v1 ?? {})) {
      // cdktf writes a nested block as an object, Terraform JSON also allows a one-element list.
      const meta = (Array.isArray(res.metadata) ? res.metadata[0] : res.metadata) as { name?: unknown; labels?: unknown } | undefined;
      const level = levelOf(meta?.labels);
      if (level && typeof meta?.name === 'string') into.set(meta.name, level);
    }
  }
}
