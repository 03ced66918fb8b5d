import { stringify } from 'yaml';

/** Helm values: a YAML mapping. */
export type HelmValues = { readonly [key: string]: unknown };

/** True for plain objects (not arrays, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `override` over `base` the way Helm merges a user's values over a chart's: maps
 * merge key by key, everything else (scalars, lists) replaces. A `null` stays `null`, which Helm
 * reads as "remove this key from the chart's defaults". Neither input is modified.
 */
export function deepMerge(base: HelmValues, override: HelmValues | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base)) out[k] = clone(v);
  if (!override) return out;
  for (const [k, v] of Object.entries(override)) {
    const current = out[k];
    out[k] = isPlainObject(current) && isPlainObject(v) ? deepMerge(current, v) : clone(v);
  }
  return out;
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clone(v);
    return out;
  }
  return value;
}

/** Drops keys whose value is `undefined`, at every level (typed builders leave unset options undefined). */
export function pruneUndefined<T>(value: T): T {
  return clone(value) as T;
}

/**
 * Renders values as YAML with keys sorted at every level and no line folding, so the same values
 * always give the same bytes (and a readable diff in `terraform plan`).
 */
export function toValuesYaml(values: HelmValues): string {
  return stringify(pruneUndefined(values), { sortMapEntries: true, lineWidth: 0, minContentWidth: 0 });
}

/** Every leaf key path of `values` (lists and empty maps are leaves), e.g. `prometheus.prometheusSpec.ruleSelector`. */
export function leafPaths(values: HelmValues, prefix: readonly string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(values)) {
    const p = [...prefix, k];
    if (isPlainObject(v) && Object.keys(v).length > 0) out.push(...leafPaths(v, p));
    else out.push(p);
  }
  return out;
}

/** The value at a dotted path (`a.b.c`), or undefined. */
export function valueAt(values: HelmValues, dotted: string): unknown {
  let cur: unknown = values;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}
