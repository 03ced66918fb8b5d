import { KubernetesDefinitions, kubernetesDefinitions } from './schema';
import type { SchemaNode } from './schema-eval';
import type { Manifest } from './types';

// Polaris decodes the pod spec into Kubernetes' Go types (corev1.PodSpec) before its PodSpec and
// Container checks run, so a field the type does not have never reaches the check: a
// `privileged: true` written on the pod's securityContext (where no such field exists) is
// dropped, not judged. This reproduces that decoding with the Kubernetes 1.28 definitions.

const PREFIX = '#/definitions/';
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';

const refs = new Map<string, SchemaNode | undefined>();

function resolved(ref: string, defs: KubernetesDefinitions): SchemaNode | undefined {
  if (!refs.has(ref)) refs.set(ref, ref.startsWith(PREFIX) ? defs.definition(ref.slice(PREFIX.length)) : undefined);
  return refs.get(ref);
}

/** The value with the fields its schema does not know removed; unchanged parts are not copied. */
function prune(value: unknown, schema: SchemaNode | undefined, defs: KubernetesDefinitions, depth: number): unknown {
  if (!schema || depth > 64 || value === null || typeof value !== 'object') return value;
  if (typeof schema.$ref === 'string') return prune(value, resolved(schema.$ref, defs), defs, depth + 1);
  if (Array.isArray(value)) {
    if (!schema.items) return value;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = prune(value[i], schema.items, defs, depth + 1);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return out ?? value;
  }
  const props: Record<string, SchemaNode> | undefined = schema.properties;
  const addl = schema.additionalProperties;
  if (!props && (addl === undefined || typeof addl === 'boolean')) return value;
  const src = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    const sub = props && props[k] ? props[k] : addl && typeof addl === 'object' ? addl : undefined;
    if (!sub) {
      out ??= { ...src };
      delete out[k];
      continue;
    }
    const v = prune(src[k], sub, defs, depth + 1);
    if (v !== src[k]) (out ??= { ...src })[k] = v;
  }
  return out ?? value;
}

/** A pod spec as Polaris sees it after decoding into corev1.PodSpec (unknown fields gone). */
export function asTypedPodSpec(spec: Manifest): Manifest {
  const defs = kubernetesDefinitions('1.28');
  return prune(spec, defs.definition(POD_SPEC), defs, 0) as Manifest;
}
