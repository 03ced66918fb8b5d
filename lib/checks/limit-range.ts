/**
 * LimitRange fit, as a pure function over plain manifest objects. The API server applies a
 * LimitRange at admission time, pod by pod and claim by claim: a container or claim outside it
 * fails half-way through a rollout. Here every container, pod and claim is checked up front,
 * after the defaulting Kubernetes would apply.
 */
import { Problem } from '../core/errors';
import { COMPUTE, containerItemOf, footprints, format, label, parse } from './footprint';
import { specOf } from './manifest';
import { LimitRangeItem, TenantFitInput } from './tenant-fit';

const RESOURCE_WORDS: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral storage' };

/** LimitRange fit: containers, pods and claims against the Container, Pod and PersistentVolumeClaim items. */
export function checkLimitRangeFit(input: TenantFitInput): Problem[] {
  const problems: Problem[] = [];
  const limits = input.limits ?? [];
  if (limits.length === 0) return problems;
  const containerItem = containerItemOf(limits);
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
    const bytes = parse('storage', specOf(o).resources?.requests?.storage) ?? 0;
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

/** Defaults per compute resource, e.g. `{ cpu: { request: '100m', limit: '500m' } }`. */
export type ContainerDefaults = Readonly<Record<string, { readonly request?: string; readonly limit?: string } | undefined>>;

/** Compute resources a quota makes every container declare (`requests.cpu`, `limits.memory`, `cpu`...). */
export function quotaComputeResources(hard: Readonly<Record<string, string | number>> | undefined): string[] {
  const keys = Object.keys(hard ?? {});
  return COMPUTE.filter((r) => keys.includes(`requests.${r}`) || keys.includes(`limits.${r}`) || keys.includes(r));
}

/**
 * A quota on CPU or memory makes the API server refuse every pod whose containers do not set that
 * resource, so a tenant with a quota gets a Container item with `defaultRequest` and `default`
 * for each quota'd resource: the user's values where given, else `defaults` (the tenant's
 * WorkloadDefaults at synth) brought within the user's `min` and `max` (ours are derived, the
 * user's bounds are not) in the API server's order min <= defaultRequest <= default <= max.
 * Resources without a default (ephemeral storage unless WorkloadDefaults sets it) are left as the
 * user wrote them.
 */
export function withContainerDefaults(
  items: readonly LimitRangeItem[],
  hard: Readonly<Record<string, string | number>> | undefined,
  defaults: ContainerDefaults,
): LimitRangeItem[] {
  const resources = quotaComputeResources(hard).filter((r) => defaults[r]?.request !== undefined || defaults[r]?.limit !== undefined);
  if (resources.length === 0) return [...items];
  const given = items.find((i) => i.type === 'Container') ?? { type: 'Container' };
  const def: Record<string, string | number> = { ...given.default };
  const req: Record<string, string | number> = { ...given.defaultRequest };
  const n = (r: string, v: unknown) => parse(r, v);
  for (const r of resources) {
    const d = defaults[r]!;
    const min = given.min?.[r];
    const max = given.max?.[r];
    // Bring a derived value within [low, high]; given bounds win over our derived value.
    const within = (v: string | number | undefined, low: unknown, high: unknown): string | number | undefined => {
      if (v === undefined) return undefined;
      if (high !== undefined && n(r, v)! > n(r, high)!) return high as string | number;
      if (low !== undefined && n(r, v)! < n(r, low)!) return low as string | number;
      return v;
    };
    if (def[r] === undefined) def[r] = within(d.limit ?? d.request, min, max) ?? max!;
    if (req[r] === undefined) req[r] = within(d.request ?? d.limit, min, def[r])!;
  }
  const container: LimitRangeItem = {
    ...given,
    default: Object.keys(def).length ? def : undefined,
    defaultRequest: Object.keys(req).length ? req : undefined,
  };
  const strip = Object.fromEntries(Object.entries(container).filter(([, v]) => v !== undefined)) as unknown as LimitRangeItem;
  return [strip, ...items.filter((i) => i.type !== 'Container')];
}

/** One LimitRange item as Kubernetes JSON: quantities as strings, keys in the API's order. */
export function limitRangeItemJson(item: LimitRangeItem): Record<string, unknown> {
  const q = (m?: Readonly<Record<string, string | number>>) => (m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)])) : undefined);
  const out: Record<string, unknown> = {
    default: q(item.default),
    defaultRequest: q(item.defaultRequest),
    max: q(item.max),
    maxLimitRequestRatio: q(item.maxLimitRequestRatio),
    min: q(item.min),
    type: item.type,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
