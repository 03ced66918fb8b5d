/**
 * Wiring checks over plain manifests: selectors that select nothing, Services whose target ports
 * no selected container has, autoscalers and budgets that point nowhere, route backends and
 * monitors that reach no Service. The API server accepts all of these; they surface as a Service
 * without endpoints or an HPA reporting "unknown". One implementation: the validator's `wiring/…`
 * family (lib/validation/wiring.ts); this is its construct-facing form.
 */
import { Problem } from '../core/errors';
import type { Manifest } from '../validation/types';
import { wiringFamily } from '../validation/wiring';
import { KubeManifest } from './manifest';

/** The value at a finding path such as `spec.ports[0].targetPort` (undefined where it is absent). */
function valueAt(m: Manifest, path: string): unknown {
  let at: unknown = m;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (!at || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/**
 * Runs the `wiring/…` checks over `objects`: every controller's selector matches its own pod
 * template labels (a Job's only with manualSelector); every Service with a selector selects some
 * pod template and each named target port exists on it; every HPA targets an object that exists;
 * every PDB selects some pod template; Ingress and HTTPRoute backends name an existing Service and
 * port; ServiceMonitor and PodMonitor selectors and ports match. `pathOf` maps an object to the
 * construct path shown in messages; each Problem's `expected` is the finding's message.
 */
export function checkWorkloadWiring(objects: readonly KubeManifest[], pathOf: (m: KubeManifest) => string): Problem[] {
  const findings = wiringFamily({
    objects: objects.map((manifest) => ({ manifest: manifest as Manifest, origin: {} })),
    kubernetesVersions: [],
    podSecurityLevel: 'restricted',
    namespaceLevels: new Map(),
    customResourceDefinitions: [],
  });
  return findings.map((f) => {
    const m = objects[f.objectIndex];
    return { path: pathOf(m), field: f.path, value: valueAt(m as Manifest, f.path), expected: f.message };
  });
}
