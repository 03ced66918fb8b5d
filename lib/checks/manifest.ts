/** A plain Kubernetes object as synthesized (JSON). */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** @internal Untyped manifest JSON, for the checks' walks; never in the public API. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** @internal The object's `spec`, or `{}` when it has none. */
export function specOf(obj: KubeManifest): Json {
  return ((obj as Json).spec ?? {}) as Json;
}
