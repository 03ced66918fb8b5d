import { LimitRangeItem } from '../checks/tenant-fit';
import { fail, ProblemCollector } from '../core/errors';
import { checkDnsSubdomain } from '../core/names';
import { checkCpu, checkMemory, checkStorage, parseBytes, parseCpuMillis } from '../core/quantities';

/**
 * CPU and memory amounts: Kubernetes quantities (`resource.ParseQuantity`, see
 * core/quantities.ts), kept as written; a JS number is written as its decimal text (`0.5` → "0.5").
 */
export interface ComputeAmounts {
  /** Cores ("2", "0.5") or millicores ("800m"). @default - not limited */
  readonly cpu?: string | number;
  /** Bytes ("200Mi", "10Gi"). @default - not limited */
  readonly memory?: string | number;
  /** Ephemeral storage ("1Gi"). @default - not limited */
  readonly ephemeralStorage?: string | number;
}

/** Quota of one StorageClass (`<class>.storageclass.storage.k8s.io/...`). */
export interface StorageClassQuota {
  /** Total requested storage of claims of this class. @default - not limited */
  readonly storage?: string;
  /** Number of claims of this class. @default - not limited */
  readonly claims?: number;
}

/**
 * The namespace's ResourceQuota, field by field as in the seeds' `dev-qt`. Only fields given are
 * emitted; every emitted field is checked at synth time against what the tenant holds.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export interface TenantQuotaProps {
  /** Object name. @default '<namespace>-quota' */
  readonly name?: string;
  /** `requests.cpu`, `requests.memory`, `requests.ephemeral-storage`. @default - not limited */
  readonly requests?: ComputeAmounts;
  /** `limits.cpu`, `limits.memory`, `limits.ephemeral-storage`. @default - not limited */
  readonly limits?: ComputeAmounts;
  /** `requests.storage`: total storage requested by all claims. @default - not limited */
  readonly storage?: string;
  /** Per-StorageClass storage and claim counts, keyed by class name. @default {} */
  readonly storageClasses?: Record<string, StorageClassQuota>;
  /** `persistentvolumeclaims`. @default - not limited */
  readonly persistentVolumeClaims?: number;
  /** `pods`. @default - not limited */
  readonly pods?: number;
  /** `configmaps` (Kubernetes adds `kube-root-ca.crt` to every namespace: it counts). @default - not limited */
  readonly configMaps?: number;
  /** `secrets` (the registry pull secret and TLS secrets count). @default - not limited */
  readonly secrets?: number;
  /** `services`. @default - not limited */
  readonly services?: number;
  /** `services.nodeports`. @default - not limited */
  readonly servicesNodePorts?: number;
  /** `services.loadbalancers`. @default - not limited */
  readonly servicesLoadBalancers?: number;
  /**
   * Object counts `count/<resource>.<group>` keyed by `<resource>.<group>` (or `<resource>` for
   * the core group), e.g. `{ 'deployments.apps': 1, 'jobs.batch': 1 }`.
   * @default {}
   */
  readonly objectCounts?: Record<string, number>;
  /**
   * A quota on CPU or memory makes the API server refuse every pod whose containers set no
   * request or limit for it (a pod applied by hand, a Helm chart's Job), so the tenant's
   * LimitRange gets a Container `defaultRequest` and `default` for each quota'd resource, taken
   * from the tenant's WorkloadDefaults at synth, unless `limits.container` gives them. False
   * leaves the LimitRange as `limits` says.
   * @default true
   */
  readonly containerDefaults?: boolean;
}

/** Container limits of a LimitRange. */
export interface ContainerLimitProps {
  /** Limits given to containers that set none (`default`). @default - none */
  readonly defaultLimit?: ComputeAmounts;
  /** Requests given to containers that set none (`defaultRequest`). @default - none */
  readonly defaultRequest?: ComputeAmounts;
  /** Largest limit a container may set. @default - none */
  readonly max?: ComputeAmounts;
  /** Smallest request a container may set. @default - none */
  readonly min?: ComputeAmounts;
}

/** The namespace's LimitRange, as in the seeds' `dev-limits`. */
export interface TenantLimitsProps {
  /** Object name. @default '<namespace>-limits' */
  readonly name?: string;
  /** @default - no Container item */
  readonly container?: ContainerLimitProps;
  /** Sum over a pod's containers. @default - no Pod item */
  readonly pod?: { readonly max?: ComputeAmounts; readonly min?: ComputeAmounts };
  /** Size of each claim. @default - no PersistentVolumeClaim item */
  readonly persistentVolumeClaim?: { readonly min?: string; readonly max?: string };
}

function amounts(problems: ProblemCollector, path: string, field: string, a: ComputeAmounts | undefined): Record<string, string> | undefined {
  if (!a) return undefined;
  const out: Record<string, string> = {};
  if (a.cpu !== undefined) out.cpu = problems.capture(() => checkCpu(path, `${field}.cpu`, a.cpu!)) ?? String(a.cpu);
  if (a.memory !== undefined) out.memory = problems.capture(() => checkMemory(path, `${field}.memory`, a.memory!)) ?? String(a.memory);
  if (a.ephemeralStorage !== undefined) {
    out['ephemeral-storage'] = problems.capture(() => checkStorage(path, `${field}.ephemeralStorage`, a.ephemeralStorage!)) ?? String(a.ephemeralStorage);
  }
  return Object.keys(out).length ? out : undefined;
}

function count(problems: ProblemCollector, field: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) problems.add(field, value, 'must be an integer >= 0');
  return value;
}

/** Entries by key in code-unit order, so `spec.hard` and the problems come out the same whatever order the props were written in. */
function sortedEntries<T>(record: Record<string, T> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `spec.hard` of the ResourceQuota from typed props; problems are collected. */
export function renderQuotaHard(problems: ProblemCollector, path: string, q: TenantQuotaProps): Record<string, string | number> {
  const hard: Record<string, string | number> = {};
  const put = (key: string, v: string | number | undefined) => {
    if (v !== undefined) hard[key] = v;
  };
  for (const kind of ['requests', 'limits'] as const) {
    const a = amounts(problems, path, `quota.${kind}`, q[kind]);
    for (const [k, v] of Object.entries(a ?? {})) put(`${kind}.${k}`, v);
  }
  if (q.storage !== undefined) put('requests.storage', problems.capture(() => checkStorage(path, 'quota.storage', q.storage!)) ?? q.storage);
  put('persistentvolumeclaims', count(problems, 'quota.persistentVolumeClaims', q.persistentVolumeClaims));
  for (const [cls, sq] of sortedEntries(q.storageClasses)) {
    problems.capture(() => checkDnsSubdomain(path, 'quota.storageClasses', cls));
    const prefix = `${cls}.storageclass.storage.k8s.io`;
    if (sq.storage !== undefined) {
      put(`${prefix}/requests.storage`, problems.capture(() => checkStorage(path, `quota.storageClasses["${cls}"].storage`, sq.storage!)) ?? sq.storage);
    }
    put(`${prefix}/persistentvolumeclaims`, count(problems, `quota.storageClasses["${cls}"].claims`, sq.claims));
  }
  put('pods', count(problems, 'quota.pods', q.pods));
  put('configmaps', count(problems, 'quota.configMaps', q.configMaps));
  put('secrets', count(problems, 'quota.secrets', q.secrets));
  put('services', count(problems, 'quota.services', q.services));
  put('services.nodeports', count(problems, 'quota.servicesNodePorts', q.servicesNodePorts));
  put('services.loadbalancers', count(problems, 'quota.servicesLoadBalancers', q.servicesLoadBalancers));
  for (const [key, v] of sortedEntries(q.objectCounts)) {
    if (!/^[a-z0-9]+(\.[a-z0-9-]+)*$/.test(key) || key.startsWith('count/')) {
      problems.add(
        `quota.objectCounts`,
        key,
        'must be "<resource>.<group>" (e.g. "deployments.apps") or "<resource>" for the core group (e.g. "services"), without "count/"',
      );
      continue;
    }
    put(`count/${key}`, count(problems, `quota.objectCounts["${key}"]`, v));
  }
  if (Object.keys(hard).length === 0) problems.add('quota', q, 'must limit at least one field; leave `quota` out for no ResourceQuota');
  return hard;
}

/** Reports each resource of `low` above `high`, once per field (`failed` remembers the fields reported). */
function notAbove(
  problems: ProblemCollector,
  field: string,
  low: Record<string, string> | undefined,
  high: Record<string, string> | undefined,
  what: string,
  failed = new Set<string>(),
) {
  for (const r of Object.keys(low ?? {})) {
    const parseOne = r === 'cpu' ? parseCpuMillis : parseBytes;
    const l = parseOne(low![r]);
    const h = high?.[r] !== undefined ? parseOne(high[r]) : undefined;
    const key = `${field}.${r === 'ephemeral-storage' ? 'ephemeralStorage' : r}`;
    if (l !== undefined && h !== undefined && l > h && !failed.has(key)) {
      failed.add(key);
      problems.add(key, low![r], `must not exceed ${what} ${JSON.stringify(high![r])}`);
    }
  }
}

/** `spec.limits` of the LimitRange from typed props; problems are collected. */
export function renderLimits(problems: ProblemCollector, path: string, l: TenantLimitsProps): LimitRangeItem[] {
  const items: LimitRangeItem[] = [];
  if (l.container) {
    const c = l.container;
    const item = {
      type: 'Container',
      default: amounts(problems, path, 'limits.container.defaultLimit', c.defaultLimit),
      defaultRequest: amounts(problems, path, 'limits.container.defaultRequest', c.defaultRequest),
      max: amounts(problems, path, 'limits.container.max', c.max),
      min: amounts(problems, path, 'limits.container.min', c.min),
    };
    // The API server requires min <= defaultRequest <= default <= max for each resource, after
    // filling a missing default from max and a missing defaultRequest from default or min; comparing
    // every pair of the given values finds every violation (a filled value equals a given one).
    const failed = new Set<string>();
    const pair = (lowField: string, low: Record<string, string> | undefined, high: Record<string, string> | undefined, what: string) =>
      notAbove(problems, `limits.container.${lowField}`, low, high, what, failed);
    pair('min', item.min, item.max, 'the max');
    pair('min', item.min, item.defaultRequest, 'the default request');
    pair('min', item.min, item.default, 'the default limit');
    pair('defaultRequest', item.defaultRequest, item.default, 'the default limit');
    pair('defaultRequest', item.defaultRequest, item.max, 'the max');
    pair('defaultLimit', item.default, item.max, 'the max');
    items.push(strip(item));
  }
  if (l.pod) {
    const item = { type: 'Pod', max: amounts(problems, path, 'limits.pod.max', l.pod.max), min: amounts(problems, path, 'limits.pod.min', l.pod.min) };
    notAbove(problems, 'limits.pod.min', item.min, item.max, 'the max');
    items.push(strip(item));
  }
  if (l.persistentVolumeClaim) {
    const p = l.persistentVolumeClaim;
    const max = p.max !== undefined ? problems.capture(() => checkStorage(path, 'limits.persistentVolumeClaim.max', p.max!)) : undefined;
    const min = p.min !== undefined ? problems.capture(() => checkStorage(path, 'limits.persistentVolumeClaim.min', p.min!)) : undefined;
    if (max && min && parseBytes(min)! > parseBytes(max)!)
      problems.add('limits.persistentVolumeClaim.min', min, `must not exceed the max ${JSON.stringify(max)}`);
    items.push(strip({ type: 'PersistentVolumeClaim', max: max ? { storage: max } : undefined, min: min ? { storage: min } : undefined }));
  }
  if (items.length === 0) problems.add('limits', l, 'must set container, pod or persistentVolumeClaim; leave `limits` out for no LimitRange');
  return items;
}

function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Checks a namespace's ResourceQuota or LimitRange object name. */
export function checkObjectName(path: string, field: string, name: string): string {
  if (name.length > 63) fail(path, field, name, 'must be at most 63 characters');
  return checkDnsSubdomain(path, field, name);
}
