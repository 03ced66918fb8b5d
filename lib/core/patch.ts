import { ApiObject, JsonPatch } from 'cdk8s';

/**
 * The single place where we set fields that cdk8s-plus-28 cannot express
 * (`topologySpreadConstraints`, `revisionHistoryLimit`, seccomp on the pod, …).
 * Each entry is a JSON-pointer path (`/spec/template/spec/x`) and a value, applied as an `add`
 * JSON patch after cdk8s-plus renders the object: `add` replaces an existing member.
 *
 * Patches apply before the L1 class (`KubeDeployment`, …) serializes its props, and that
 * serializer reads quantities and int-or-string fields from `k8s.Quantity` / `k8s.IntOrString`:
 * pass those types at such positions (resources, probe and Service ports).
 */
export function patchFields(target: ApiObject, fields: Record<string, unknown>): void {
  const keys = Object.keys(fields).sort();
  for (const path of keys) {
    const value = fields[path];
    if (value === undefined) continue;
    target.addJsonPatch(JsonPatch.add(path, sortKeysDeep(value)));
  }
}

/** Removes fields (e.g. defaults cdk8s-plus writes that we do not want). Missing paths are an error in JSON patch, so only remove what is known to be there. */
export function removeFields(target: ApiObject, paths: string[]): void {
  for (const path of paths) target.addJsonPatch(JsonPatch.remove(path));
}

/** Escapes a key for use in a JSON pointer (`/` and `~`). */
export function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON with object keys sorted at every level, for hashing and stable output. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** Copy of `value` with object keys sorted at every level. */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as unknown as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sortKeysDeep((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
