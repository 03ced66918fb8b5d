/**
 * Quota and LimitRange fit, as pure functions over plain manifest objects. Kubernetes only checks
 * these at admission time, pod by pod, so a tenant that does not fit fails half-way through a
 * rollout ("forbidden: exceeded quota"). Here the worst case is counted up front: HPA maximum (or
 * replicas) plus the surge pods of a rolling update, claim size times StatefulSet replicas, and
 * every object the tenant creates or references.
 */
import { Problem } from '../core/errors';
import { formatBytes, formatCpu, parseBytes, parseCpuMillis } from '../core/quantities';

/** A plain Kubernetes object as synthesized (JSON). */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Inputs of {@link checkTenantFit}. */
export interface TenantFitInput {
  /** Construct path of the tenant, used in messages. */
  readonly path: string;
  /** The objects the tenant's deployer applies into the namespace. */
  readonly objects: readonly KubeManifest[];
  /** `spec.hard` of the namespace's ResourceQuota. @default - no quota */
  readonly hard?: Readonly<Record<string, string | number>>;
  /** `spec.limits` of the namespace's LimitRange. @default - no LimitRange */
  readonly limits?: readonly LimitRangeItem[];
  /** StorageClass that claims without `storageClassName` get. @default - unknown: such claims count only in the totals */
  readonly defaultStorageClass?: string;
  /**
   * Objects that exist in the namespace without being in `objects` (created by Kubernetes or
   * outside our output), as `kind/name`. ConfigMap `kube-root-ca.crt` is always added.
   * @default []
   */
  readonly existing?: readonly string[];
}

/** One item of a LimitRange's `spec.limits`, as plain JSON. */
export interface LimitRangeItem {
  readonly type: string;
  readonly max?: Readonly<Record<string, string | number>>;
  readonly min?: Readonly<Record<string, string | number>>;
  readonly default?: Readonly<Record<string, string | number>>;
  readonly defaultRequest?: Readonly<Record<string, string | number>>;
  readonly maxLimitRequestRatio?: Readonly<Record<string, string | number>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- internal walk over untyped manifest JSON, never in the public API
type Json = Record<string, any>;
type Amounts = Record<string, number | undefined>;

const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];
const RESOURCE_WORDS: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral storage' };

function parse(resource: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return resource === 'cpu' ? parseCpuMillis(text) : parseBytes(text);
}

function format(resource: string, amount: number): string {
  if (resource === 'cpu') return formatCpu(amount);
  if (resource === 'memory' || resource.endsWith('storage')) return formatBytes(amount);
  return String(amount);
}

function label(obj: KubeManifest): string {
  return `${obj.kind} "${obj.metadata?.name ?? '?'}"`;
}

/** Plural resource name of a kind as used in `count/<resource>.<group>`. */
export function resourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The `count/...` quota field for an object. */
export function countField(obj: KubeManifest): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return group ? `count/${resourceName(obj.kind)}.${group}` : `count/${resourceName(obj.kind)}`;
}

/**
 * A Container item as the API server stores it: a missing `default` is taken from `max`, then a
 * missing `defaultRequest` from `default`, then from `min` (LimitRange defaulting, v1 API).
 */
export function withLimitRangeDefaults(item: LimitRangeItem): LimitRangeItem {
  if (item.type !== 'Container') return item;
  const def = { ...item.max, ...item.default };
  const defaultRequest = { ...item.min, ...def, ...item.defaultRequest };
  return { ...item, default: def, defaultRequest };
}

interface ContainerResources {
  requests: Amounts;
  limits: Amounts;
  /** Resources whose limit came from the LimitRange's `default`, not the container. */
  defaultedLimits: string[];
}

/** Effective requests and limits of one container after LimitRange defaulting, as Kubernetes applies them. */
function containerResources(container: Json, containerLimits: LimitRangeItem | undefined): ContainerResources {
  const requests: Amounts = {};
  const limits: Amounts = {};
  const defaultedLimits: string[] = [];
  for (const r of COMPUTE) {
    const ownLimit = parse(r, container.resources?.limits?.[r]);
    let request = parse(r, container.resources?.requests?.[r]);
    let limit = ownLimit;
    if (limit === undefined) {
      limit = parse(r, containerLimits?.default?.[r]);
      if (limit !== undefined) defaultedLimits.push(r);
    }
    // The API server sets a missing request to the container's own limit before admission; the
    // LimitRange's defaultRequest only fills what is still missing.
    if (request === undefined) request = ownLimit ?? parse(r, containerLimits?.defaultRequest?.[r]);
    requests[r] = request;
    limits[r] = limit;
  }
  return { requests, limits, defaultedLimits };
}

interface PodShape {
  readonly containers: ({ name: string } & ContainerResources)[];
  /** Pod totals: sum of containers, or the largest init container when that is larger. */
  readonly requests: Amounts;
  readonly limits: Amounts;
}

function podShape(spec: Json, containerLimits: LimitRangeItem | undefined): PodShape {
  const containers = ((spec.containers ?? []) as Json[]).map((c) => ({ name: String(c.name), ...containerResources(c, containerLimits) }));
  const inits = ((spec.initContainers ?? []) as Json[]).map((c) => containerResources(c, containerLimits));
  const total = (key: 'requests' | 'limits'): Amounts => {
    const out: Amounts = {};
    for (const r of COMPUTE) {
      let sum: number | undefined = 0;
      for (const c of containers) sum = c[key][r] === undefined || sum === undefined ? undefined : sum + c[key][r]!;
      for (const i of inits) if (i[key][r] !== undefined && sum !== undefined) sum = Math.max(sum, i[key][r]!);
      out[r] = containers.length === 0 ? undefined : sum;
    }
    return out;
  };
  return { containers, requests: total('requests'), limits: total('limits') };
}

/** A workload's pods at their worst case. */
interface Footprint {
  readonly obj: KubeManifest;
  readonly pods: number;
  readonly why: string;
  readonly shape: PodShape;
  readonly claims: { template: string; storageClass?: string; bytes: number; count: number }[];
}

function surge(value: unknown, replicas: number): number {
  if (value === undefined || value === null) return Math.ceil((replicas * 25) / 100);
  const m = /^(\d+)%$/.exec(String(value));
  // Kubernetes rounds a percentage maxSurge up.
  if (m) return Math.ceil((replicas * Number(m[1])) / 100);
  return Number(value) || 0;
}

function footprints(objects: readonly KubeManifest[], containerLimits: LimitRangeItem | undefined): Footprint[] {
  const hpaMax = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = (o as Json).spec ?? {};
    const key = `${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`;
    hpaMax.set(key, Math.max(hpaMax.get(key) ?? 0, Number(spec.maxReplicas ?? 0)));
  }
  const out: Footprint[] = [];
  for (const o of objects) {
    const spec = ((o as Json).spec ?? {}) as Json;
    const name = o.metadata?.name;
    if (o.kind === 'Deployment' || o.kind === 'StatefulSet' || o.kind === 'ReplicaSet') {
      const max = hpaMax.get(`${o.kind}/${name}`);
      const replicas = max ?? (spec.replicas === undefined ? 1 : Number(spec.replicas));
      let extra = 0;
      if (o.kind === 'Deployment' && spec.strategy?.type !== 'Recreate') extra = surge(spec.strategy?.rollingUpdate?.maxSurge, replicas);
      const base = max !== undefined ? `${replicas} at HPA max` : `${replicas} replica${replicas === 1 ? '' : 's'}`;
      const why = extra > 0 ? `${base} + ${extra} surge` : base;
      const claims = ((spec.volumeClaimTemplates ?? []) as Json[]).map((t) => ({
        template: String(t.metadata?.name),
        storageClass: t.spec?.storageClassName as string | undefined,
        bytes: parse('storage', t.spec?.resources?.requests?.storage) ?? 0,
        count: replicas,
      }));
      out.push({ obj: o, pods: replicas + extra, why, shape: podShape(spec.template?.spec ?? {}, containerLimits), claims });
    } else if (o.kind === 'Job' || o.kind === 'CronJob') {
      const jobSpec = o.kind === 'Job' ? spec : (spec.jobTemplate?.spec ?? {});
      const pods = jobSpec.parallelism === undefined ? 1 : Number(jobSpec.parallelism);
      out.push({ obj: o, pods, why: `parallelism ${pods}`, shape: podShape(jobSpec.template?.spec ?? {}, containerLimits), claims: [] });
    } else if (o.kind === 'Pod') {
      out.push({ obj: o, pods: 1, why: '1 pod', shape: podShape(spec, containerLimits), claims: [] });
    }
  }
  return out;
}

/** Names of ConfigMaps and Secrets that pods, Ingresses and ServiceAccounts refer to. */
function references(objects: readonly KubeManifest[]): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const walk = (node: unknown, parentKey: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, parentKey);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (parentKey === 'configMapKeyRef' || parentKey === 'configMapRef' || parentKey === 'configMap') {
      if (typeof n.name === 'string') configMaps.add(n.name);
    }
    if (parentKey === 'secretKeyRef' || parentKey === 'secretRef' || parentKey === 'imagePullSecrets') {
      if (typeof n.name === 'string') secrets.add(n.name);
    }
    if (parentKey === 'secret' && typeof n.secretName === 'string') secrets.add(n.secretName);
    if (parentKey === 'tls' && typeof n.secretName === 'string') secrets.add(n.secretName);
    for (const [k, v] of Object.entries(n)) walk(v, k);
  };
  for (const o of objects) walk(o, '');
  return { configMaps, secrets };
}

/** One contribution to a quota field. */
export interface UsagePart {
  readonly who: string;
  readonly amount: number;
  readonly detail?: string;
}

/** What the tenant uses per quota field at worst, with the contributions that make it up. */
export function tenantUsage(input: Omit<TenantFitInput, 'hard' | 'path'>): Map<string, UsagePart[]> {
  const found = input.limits?.find((l) => l.type === 'Container');
  const containerLimits = found && withLimitRangeDefaults(found);
  const usage = new Map<string, UsagePart[]>();
  const add = (field: string, part: UsagePart): void => {
    const parts = usage.get(field) ?? [];
    parts.push(part);
    usage.set(field, parts);
  };
  const fps = footprints(input.objects, containerLimits);
  for (const fp of fps) {
    const who = label(fp.obj);
    add('pods', { who, amount: fp.pods, detail: fp.why });
    add('count/pods', { who, amount: fp.pods, detail: fp.why });
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of COMPUTE) {
        const per = fp.shape[kind][r];
        const amount = per === undefined ? NaN : per * fp.pods;
        const detail = per === undefined ? 'not set' : `${fp.pods} pods (${fp.why}) x ${format(r, per)}`;
        add(`${kind}.${r}`, { who, amount, detail });
        if (kind === 'requests' && r !== 'ephemeral-storage') add(r, { who, amount, detail });
      }
    }
    for (const c of fp.claims) {
      const detail = `${c.count} claims of "${c.template}" x ${format('storage', c.bytes)}`;
      add('requests.storage', { who, amount: c.bytes * c.count, detail });
      add('persistentvolumeclaims', { who, amount: c.count });
      add('count/persistentvolumeclaims', { who, amount: c.count });
      const cls = c.storageClass ?? input.defaultStorageClass;
      if (cls) {
        add(`${cls}.storageclass.storage.k8s.io/requests.storage`, { who, amount: c.bytes * c.count, detail });
        add(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, { who, amount: c.count });
      }
    }
  }
  const created = new Set<string>();
  for (const o of input.objects) {
    const who = label(o);
    created.add(`${o.kind}/${o.metadata?.name}`);
    add(countField(o), { who, amount: 1 });
    const spec = ((o as Json).spec ?? {}) as Json;
    if (o.kind === 'ConfigMap') add('configmaps', { who, amount: 1 });
    if (o.kind === 'Secret') add('secrets', { who, amount: 1 });
    if (o.kind === 'ReplicationController') add('replicationcontrollers', { who, amount: 1 });
    if (o.kind === 'Deployment') {
      const history = spec.revisionHistoryLimit === undefined ? 10 : Number(spec.revisionHistoryLimit);
      add('count/replicasets.apps', { who, amount: history + 1, detail: `current + ${history} kept for rollback` });
    }
    if (o.kind === 'CronJob') {
      // Finished Jobs stay (and count) until the history limits prune them.
      const kept = Number(spec.successfulJobsHistoryLimit ?? 3) + Number(spec.failedJobsHistoryLimit ?? 1);
      add('count/jobs.batch', { who, amount: kept + 1, detail: `1 running + ${kept} finished kept by the history limits` });
    }
    if (o.kind === 'Service') {
      add('services', { who, amount: 1 });
      const ports = ((spec.ports ?? []) as Json[]).length;
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') add('services.nodeports', { who, amount: ports });
      if (spec.type === 'LoadBalancer') add('services.loadbalancers', { who, amount: 1 });
    }
    if (o.kind === 'PersistentVolumeClaim') {
      const bytes = parse('storage', spec.resources?.requests?.storage) ?? 0;
      add('requests.storage', { who, amount: bytes });
      add('persistentvolumeclaims', { who, amount: 1 });
      const cls = spec.storageClassName ?? input.defaultStorageClass;
      if (cls) {
        add(`${cls}.storageclass.storage.k8s.io/requests.storage`, { who, amount: bytes });
        add(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, { who, amount: 1 });
      }
    }
  }
  // Objects that exist in the namespace but are not ours count as well.
  const refs = references(input.objects);
  const existing = new Set(['ConfigMap/kube-root-ca.crt', ...(input.existing ?? [])]);
  for (const name of [...refs.configMaps].sort()) existing.add(`ConfigMap/${name}`);
  for (const name of [...refs.secrets].sort()) existing.add(`Secret/${name}`);
  for (const key of existing) {
    if (created.has(key)) continue;
    const [kind, name] = key.split('/');
    const who = `${kind} "${name}" (${name === 'kube-root-ca.crt' ? 'created by Kubernetes in every namespace' : 'referenced, created outside'})`;
    if (kind === 'ConfigMap') {
      add('configmaps', { who, amount: 1 });
      add('count/configmaps', { who, amount: 1 });
    }
    if (kind === 'Secret') {
      add('secrets', { who, amount: 1 });
      add('count/secrets', { who, amount: 1 });
    }
    if (kind === 'ServiceAccount') add('count/serviceaccounts', { who, amount: 1 });
  }
  return usage;
}

function resourceOfField(field: string): string {
  if (field.endsWith('cpu')) return 'cpu';
  if (field.endsWith('memory')) return 'memory';
  if (field.endsWith('storage')) return 'storage';
  return 'count';
}

/** Quota fit: every `spec.hard` field we can count must hold the tenant's worst case. */
export function checkQuotaFit(input: TenantFitInput): Problem[] {
  const problems: Problem[] = [];
  if (!input.hard) return problems;
  const usage = tenantUsage(input);
  for (const field of Object.keys(input.hard).sort()) {
    const parts = usage.get(field);
    if (!parts) continue;
    const resource = resourceOfField(field);
    const hardValue = input.hard[field];
    const hard = resource === 'count' ? Number(hardValue) : parse(resource === 'cpu' ? 'cpu' : 'memory', hardValue);
    if (hard === undefined || Number.isNaN(hard)) continue;
    const unset = parts.filter((p) => Number.isNaN(p.amount));
    if (unset.length > 0) {
      const what = field.split('.').slice(-1)[0];
      problems.push({
        path: input.path,
        field: `quota["${field}"]`,
        value: hardValue,
        expected: `requires every container to set ${field.startsWith('limits') ? 'a limit' : 'a request'} for ${what}, and no LimitRange default covers ${unset
          .map((p) => p.who)
          .join(', ')}: Kubernetes would reject these pods; set resources or a LimitRange default`,
      });
      continue;
    }
    const total = parts.reduce((s, p) => s + p.amount, 0);
    if (total <= hard) continue;
    const show = (n: number) => (resource === 'count' ? String(n) : format(resource, n));
    const breakdown = parts
      .filter((p) => p.amount > 0)
      .map((p) => `${p.who}: ${show(p.amount)}${p.detail && resource !== 'count' ? ` = ${p.detail}` : p.detail ? ` (${p.detail})` : ''}`)
      .join(', ');
    problems.push({
      path: input.path,
      field: `quota["${field}"]`,
      value: hardValue,
      expected: `the tenant needs ${show(total)} at worst case (${breakdown}); raise the quota or shrink what the tenant holds`,
    });
  }
  return problems;
}

/** LimitRange fit: containers, pods and claims against the Container, Pod and PersistentVolumeClaim items. */
export function checkLimitRangeFit(input: TenantFitInput): Problem[] {
  const problems: Problem[] = [];
  const limits = input.limits ?? [];
  if (limits.length === 0) return problems;
  const foundContainer = limits.find((l) => l.type === 'Container');
  const containerItem = foundContainer && withLimitRangeDefaults(foundContainer);
  const podItem = limits.find((l) => l.type === 'Pod');
  const pvcItem = limits.find((l) => l.type === 'PersistentVolumeClaim');
  const push = (field: string, value: unknown, expected: string) => problems.push({ path: input.path, field, value, expected });
  for (const fp of footprints(input.objects, containerItem)) {
    const who = label(fp.obj);
    // With LimitRange defaulting a container always has a limit under a max and a request under a min.
    for (const c of containerItem ? fp.shape.containers : []) {
      const subject = `container "${c.name}" of ${who}`;
      for (const r of COMPUTE) {
        const word = RESOURCE_WORDS[r];
        const max = parse(r, containerItem!.max?.[r]);
        const min = parse(r, containerItem!.min?.[r]);
        const limit = c.limits[r];
        const request = c.requests[r];
        if (max !== undefined && limit !== undefined && limit > max) {
          push(
            `limitRange.container.max.${r}`,
            containerItem!.max![r],
            `${subject} has a ${word} limit of ${format(r, limit)}, above it; Kubernetes would reject its pods: raise the max or lower the limits`,
          );
        }
        if (min !== undefined && request !== undefined && request < min) {
          push(
            `limitRange.container.min.${r}`,
            containerItem!.min![r],
            `${subject} requests ${format(r, request)} of ${word}, below it; Kubernetes would reject its pods: lower the min or raise the requests`,
          );
        }
        if (c.defaultedLimits.includes(r) && request !== undefined && limit !== undefined && request > limit) {
          push(
            `limitRange.container.default.${r}`,
            containerItem!.default![r],
            `${subject} requests ${format(r, request)} of ${word} and sets no limit, so it gets this default limit, below its request; Kubernetes would reject its pods: set a limit or raise the default`,
          );
        }
        const ratio = containerItem!.maxLimitRequestRatio?.[r];
        if (ratio !== undefined && request && limit !== undefined && limit / request > Number(ratio)) {
          push(
            `limitRange.container.maxLimitRequestRatio.${r}`,
            ratio,
            `${subject} has a ${word} limit/request ratio of ${format(r, limit)} / ${format(r, request)}, above it; Kubernetes would reject its pods`,
          );
        }
      }
    }
    const breakdown = (r: string) =>
      fp.shape.containers.length > 1
        ? ` (${fp.shape.containers.map((c) => `${c.name} ${c.limits[r] === undefined ? 'unset' : format(r, c.limits[r]!)}`).join(' + ')})`
        : '';
    if (podItem) {
      for (const r of COMPUTE) {
        const max = parse(r, podItem.max?.[r]);
        const limit = fp.shape.limits[r];
        if (max !== undefined && limit !== undefined && limit > max) {
          push(
            `limitRange.pod.max.${r}`,
            podItem.max![r],
            `each pod of ${who} has ${RESOURCE_WORDS[r]} limits of ${format(r, limit)}${breakdown(r)}, above it; Kubernetes would reject its pods: raise the max or lower the limits`,
          );
        } else if (max !== undefined && limit === undefined) {
          push(
            `limitRange.pod.max.${r}`,
            podItem.max![r],
            `requires a ${RESOURCE_WORDS[r]} limit on every container, but a container of ${who} sets none: Kubernetes would reject its pods`,
          );
        }
        const min = parse(r, podItem.min?.[r]);
        const request = fp.shape.requests[r];
        if (min !== undefined && request === undefined) {
          push(
            `limitRange.pod.min.${r}`,
            podItem.min![r],
            `requires a ${RESOURCE_WORDS[r]} request on every container, but a container of ${who} sets none: Kubernetes would reject its pods`,
          );
        } else if (min !== undefined && request! < min) {
          push(
            `limitRange.pod.min.${r}`,
            podItem.min![r],
            `each pod of ${who} requests ${format(r, request!)} of ${RESOURCE_WORDS[r]}, below it; Kubernetes would reject its pods: lower the min or raise the requests`,
          );
        }
      }
    }
    for (const c of fp.claims) checkClaim(pvcItem, `claim template "${c.template}" of ${who}`, c.bytes, push);
  }
  for (const o of input.objects) {
    if (o.kind !== 'PersistentVolumeClaim') continue;
    const bytes = parse('storage', ((o as Json).spec ?? {}).resources?.requests?.storage) ?? 0;
    checkClaim(pvcItem, label(o), bytes, push);
  }
  return problems;
}

function checkClaim(item: LimitRangeItem | undefined, subject: string, bytes: number, push: (f: string, v: unknown, e: string) => void): void {
  if (!item) return;
  const max = parse('storage', item.max?.storage);
  const min = parse('storage', item.min?.storage);
  if (max !== undefined && bytes > max) {
    push(
      'limitRange.persistentVolumeClaim.max.storage',
      item.max!.storage,
      `${subject} asks for ${format('storage', bytes)}, above it; Kubernetes would reject the claim`,
    );
  }
  if (min !== undefined && bytes < min) {
    push(
      'limitRange.persistentVolumeClaim.min.storage',
      item.min!.storage,
      `${subject} asks for ${format('storage', bytes)}, below it; Kubernetes would reject the claim`,
    );
  }
}

/** Both checks, quota first. */
export function checkTenantFit(input: TenantFitInput): Problem[] {
  return [...checkQuotaFit(input), ...checkLimitRangeFit(input)];
}
