import fc from 'fast-check';
import { podSecurityFamily } from '../../lib/validation/pod-security';
import { polarisFamily } from '../../lib/validation/polaris';
import { schemaFamily } from '../../lib/validation/schema';
import type { CheckContext, Manifest } from '../../lib/validation/types';

// Bad input is a finding or nothing, never a crash: the three core families over arbitrary JSON
// placed where manifests, pod specs and containers go.

const kinds = [
  ['apps/v1', 'Deployment'],
  ['v1', 'Pod'],
  ['batch/v1', 'CronJob'],
  ['v1', 'ConfigMap'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
] as const;

const json = fc.jsonValue({ maxDepth: 4 });
const container = fc.oneof(
  json,
  fc.record({ name: fc.oneof(fc.string(), json), image: json, securityContext: json, env: json, ports: json }, { requiredKeys: [] }),
);
const podSpec = fc.oneof(
  json,
  fc.record(
    { containers: fc.oneof(json, fc.array(container, { maxLength: 3 })), volumes: json, securityContext: json, hostNetwork: json },
    { requiredKeys: [] },
  ),
);
const manifest = fc.oneof(
  json,
  fc
    .record({
      kind: fc.constantFrom(...kinds),
      metadata: fc.oneof(json, fc.record({ name: json, namespace: json, labels: json, annotations: json }, { requiredKeys: [] })),
      spec: fc.oneof(
        json,
        fc.record(
          { template: fc.oneof(json, fc.record({ metadata: json, spec: podSpec }, { requiredKeys: [] })), jobTemplate: json, selector: json },
          { requiredKeys: [] },
        ),
      ),
      roleRef: json,
      data: json,
    })
    .map(({ kind, ...rest }) => ({ apiVersion: kind[0], kind: kind[1], ...rest })),
);

const ctx = (objects: unknown[]): CheckContext => ({
  objects: objects.map((manifest) => ({ manifest: manifest as Manifest, origin: {} })),
  kubernetesVersions: ['1.28', '1.35'],
  podSecurityLevel: 'restricted',
  namespaceLevels: new Map(),
  customResourceDefinitions: [],
});

describe('the core families on arbitrary input', () => {
  test.each([
    ['schema', schemaFamily],
    ['pod-security', podSecurityFamily],
    ['polaris', polarisFamily],
  ] as const)('%s never throws and reports only findings of its family', (family, run) => {
    fc.assert(
      fc.property(fc.array(manifest, { maxLength: 4 }), (objects) => {
        for (const f of run(ctx(objects))) {
          expect(f.id.startsWith(`${family}/`)).toBe(true);
          expect(f.objectIndex).toBeGreaterThanOrEqual(0);
          expect(f.objectIndex).toBeLessThan(objects.length);
          expect(typeof f.message).toBe('string');
        }
      }),
      { numRuns: 150, seed: 8 },
    );
  });
});
