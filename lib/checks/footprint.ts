/**
 * @internal What a tenant's workloads hold at worst, for the quota and LimitRange checks: pods
 * (HPA maximum or replicas, plus the surge pods of a rolling update), their requests and limits
 * after LimitRange defaulting, and claim templates times replicas.
 */
import { formatBytes, formatCpu, parseBytes, parseCpuMillis } from '../core/quantities';
import { Json, KubeManifest, specOf } from './manifest';
import { LimitRangeItem, withLimitRangeDefaults } from './tenant-fit';

export type Amounts = Record<string, number | undefined>;

/** The resources a LimitRange and a quota count per container. */
export const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

export function parse(resource: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  return resource === 'cpu' ? parseCpuMillis(text) : parseBytes(text);
}

export function format(resource: string, amount: number): string {
  if (resource === 'cpu') return formatCpu(amount);
  if (resource === 'memory' || resource.endsWith('storage')) return formatBytes(amount);
  return String(amount);
}

/** `Kind "name"`, as messages name an object. */
export function label(obj: KubeManifest): string {
  return `${obj.kind} "${obj.metadata?.name ?? '?'}"`;
}

/** The LimitRange's Container item with the API server's defaulting applied, if there is one. */
export function containerItemOf(limits: readonly LimitRangeItem[] | undefined): LimitRangeItem | undefined {
  const found = limits?.find((l) => l.type === 'Container');
  return found && withLimitRangeDefaults(found);
}

export interface ContainerResources {
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

export interface PodShape {
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
export interface Footprint {
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

/**
 * Annotation on a DaemonSet (NodeAgent) with the number of nodes it may run on: one pod each. The
 * manifest alone cannot say how many nodes match; without it one node is counted.
 */
export const NODE_COUNT_ANNOTATION = 'paas.cdk8s.io/node-count';

export function footprints(objects: readonly KubeManifest[], containerLimits: LimitRangeItem | undefined): Footprint[] {
  const hpaMax = new Map<string, number>();
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = specOf(o);
    const key = `${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`;
    hpaMax.set(key, Math.max(hpaMax.get(key) ?? 0, Number(spec.maxReplicas ?? 0)));
  }
  const out: Footprint[] = [];
  for (const o of objects) {
    const spec = specOf(o);
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
      // The Job controller never runs more pods than completions remain; finished pods hold no quota.
      const parallelism = jobSpec.parallelism === undefined ? 1 : Number(jobSpec.parallelism);
      const perRun = jobSpec.completions === undefined ? parallelism : Math.min(parallelism, Number(jobSpec.completions));
      const shape = podShape(jobSpec.template?.spec ?? {}, containerLimits);
      if (o.kind === 'Job') {
        out.push({ obj: o, pods: perRun, why: `parallelism ${perRun}`, shape, claims: [] });
      } else {
        const runs = concurrentRuns(o);
        const pods = runs.count * perRun;
        out.push({
          obj: o,
          pods,
          why: `${runs.count === Infinity ? 'unbounded' : runs.count} run${runs.count === 1 ? '' : 's'} at once (${runs.why}) x parallelism ${perRun}`,
          shape,
          claims: [],
        });
      }
    } else if (o.kind === 'DaemonSet') {
      const annotated = Number((o.metadata?.annotations as Record<string, string> | undefined)?.[NODE_COUNT_ANNOTATION]);
      const nodes = Number.isInteger(annotated) && annotated > 0 ? annotated : 1;
      // A surge pod runs next to the old one on the same node until the new one is ready.
      const extra =
        spec.updateStrategy?.type === 'OnDelete'
          ? 0
          : spec.updateStrategy?.rollingUpdate?.maxSurge
            ? surge(spec.updateStrategy.rollingUpdate.maxSurge, nodes)
            : 0;
      const base = `${nodes} node${nodes === 1 ? '' : 's'}${Number.isInteger(annotated) && annotated > 0 ? '' : ' (node count unknown)'}`;
      out.push({
        obj: o,
        pods: nodes + extra,
        why: extra > 0 ? `${base} + ${extra} surge` : base,
        shape: podShape(spec.template?.spec ?? {}, containerLimits),
        claims: [],
      });
    } else if (o.kind === 'Pod') {
      out.push({ obj: o, pods: 1, why: '1 pod', shape: podShape(spec, containerLimits), claims: [] });
    }
  }
  return out;
}

/** Annotation ScheduledJob writes with `maxConcurrentRuns`: the bound of a CronJob with `concurrencyPolicy: Allow`. */
export const MAX_CONCURRENT_RUNS = 'paas.cdk8s.io/max-concurrent-runs';

/**
 * Jobs of a CronJob running at once at worst: `Forbid` one, `Replace` two (the old run's pods
 * terminate while the new run starts), `Allow` the `max-concurrent-runs` bound, else unbounded.
 */
export function concurrentRuns(cronJob: KubeManifest): { count: number; why: string } {
  const policy = specOf(cronJob).concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid') return { count: 1, why: 'concurrencyPolicy Forbid' };
  if (policy === 'Replace') return { count: 2, why: 'concurrencyPolicy Replace: old and new run overlap briefly' };
  const annotations = (cronJob.metadata?.annotations ?? {}) as Record<string, string>;
  const bound = Number(annotations[MAX_CONCURRENT_RUNS]);
  if (Number.isInteger(bound) && bound >= 1) return { count: bound, why: `concurrencyPolicy Allow, ${MAX_CONCURRENT_RUNS} ${bound}` };
  return { count: Infinity, why: 'concurrencyPolicy Allow without maxConcurrentRuns' };
}
