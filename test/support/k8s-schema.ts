import { expandLists, knownSchemaKinds, schemaFamily } from '../../lib/validation/schema';
import type { InputObject } from '../../lib/validation/types';
import { objectRef } from './objects';

// Test glue over the shipped engine (lib/validation/schema.ts): strict schema validation as
// `kubeconform -strict`, with null treated as absent, against Kubernetes 1.28 and 1.35 and the
// shipped CRD schemas.

export { closeSchema } from '../../lib/validation/schema-compact';

/** Kubernetes minors the test glue validates against (cdk8s-plus-28 speaks 1.28; the platform default is 1.35). */
export const TEST_KUBERNETES_VERSIONS: readonly string[] = ['1.28', '1.35'];

export interface SchemaOptions {
  /** @default TEST_KUBERNETES_VERSIONS */
  readonly kubernetesVersions?: readonly string[];
  /** CustomResourceDefinitions whose schemas apply on top of the shipped ones. @default [] */
  readonly customResourceDefinitions?: readonly any[];
}

/**
 * Validates every object (a `kind: List` is expanded) and returns one message per problem, e.g.
 * `Deployment shop/web: spec.template.spec.containers[0].foo: unknown field "foo" under ...`.
 */
export function validateSchema(objects: any[], opts: SchemaOptions = {}): string[] {
  const expanded = expandLists(objects);
  const inputs: InputObject[] = expanded.map((manifest) => ({ manifest, origin: {} }));
  const findings = schemaFamily({
    objects: inputs,
    kubernetesVersions: opts.kubernetesVersions ?? TEST_KUBERNETES_VERSIONS,
    podSecurityLevel: 'restricted',
    namespaceLevels: new Map(),
    customResourceDefinitions: opts.customResourceDefinitions ?? [],
  });
  return findings.map((f) => `${objectRef(expanded[f.objectIndex])}: ${f.path === '' ? '' : `${f.path}: `}${f.message}`);
}

/** The group/version/Kind keys the validator knows (Kubernetes 1.28 and the default CRD sets). */
export function knownKinds(): { builtin: string[]; crds: string[] } {
  return knownSchemaKinds(['1.28']);
}
