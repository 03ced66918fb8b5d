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
