/**
 * Inputs of the tenant fit checks (quota.ts, limit-range.ts): what a tenant applies, and the
 * ResourceQuota and LimitRange of its namespace as plain JSON.
 */
import { KubeManifest } from './manifest';

/** Inputs of `checkTenantFit`, `checkQuotaFit` and `checkLimitRangeFit`. */
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
