/**
 * Declarations that an object we reference by name (a Secret, a ConfigMap) is created outside the
 * synthesized output. They land in annotation `paas.cdk8s.io/created-outside` of the referencing
 * object, a JSON map `Kind/name` to reason, which the validator's `references/…` family reads
 * (lib/validation/policy.ts): the report then lists the object as a prerequisite instead of an
 * error. A reason is required because "someone else creates it" is exactly what an operator needs
 * to know before the first deploy.
 */
import { fail } from './errors';
import { S } from './shape';

/** Annotation carrying the declarations (also read by lib/validation/policy.ts). */
export const CREATED_OUTSIDE_ANNOTATION = 'paas.cdk8s.io/created-outside';

/** An option of the factories and methods that reference an object by name. */
export interface CreatedOutsideOptions {
  /**
   * The referenced object is created outside this output: who creates it (e.g. "synced by
   * external-secrets from Vault path shop/db"). Must not be empty.
   * @default - not declared: the validator reports the reference as an error unless the output creates it
   */
  readonly createdOutside?: string;
}

const EXPECTED = 'must say who creates it outside this output, e.g. "synced by external-secrets from Vault" (a non-empty reason)';

/** Throws when a created-outside reason is given but empty. */
export function checkCreatedOutside(path: string, field: string, value: unknown): void {
  if (typeof value === 'string' && value.trim() === '') fail(path, field, value, EXPECTED);
}

/** Shape of the `createdOutside` reason (a string, not blank). */
export const createdOutsideReason = S.string().refine(checkCreatedOutside);

/** Shape of `{ createdOutside? }` options. */
export const createdOutsideOptions = S.optional(S.object('CreatedOutsideOptions', { createdOutside: S.optional(createdOutsideReason) }));

/** One declaration: `kind/name` is created outside, because `reason`. */
export interface CreatedOutside {
  readonly kind: string;
  readonly name: string;
  readonly reason: string;
}

/** The annotation for a list of declarations (sorted, deterministic), or `{}` when there are none. */
export function createdOutsideAnnotations(declarations: readonly (CreatedOutside | undefined)[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const d of declarations) if (d) map[`${d.kind}/${d.name}`] = d.reason;
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return {};
  return { [CREATED_OUTSIDE_ANNOTATION]: JSON.stringify(Object.fromEntries(keys.map((k) => [k, map[k]]))) };
}
