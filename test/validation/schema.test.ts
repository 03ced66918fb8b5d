import {
  expandLists,
  knownSchemaKinds,
  nearestField,
  schemaFamily,
  selectCrdSets,
  shippedCrdSets,
  supportedKubernetesVersions,
} from '../../lib/validation/schema';
import type { CheckContext, Manifest, RawFinding } from '../../lib/validation/types';
import { widgetCrd } from './fixtures';

const ctx = (objects: Manifest[], more: Partial<CheckContext> = {}): CheckContext => ({
  objects: objects.map((manifest) => ({ manifest, origin: {} })),
  kubernetesVersions: ['1.28', '1.35'],
  podSecurityLevel: 'restricted',
  namespaceLevels: new Map(),
  customResourceDefinitions: [],
  ...more,
});
const brief = (fs: RawFinding[]): string[] => fs.map((f) => `${f.objectIndex} ${f.id} ${f.path}: ${f.message}`);

const deployment = (): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', creationTimestamp: null },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [{ name: 'main', image: 'nginx:1.27.3', args: null, securityContext: null, resources: { limits: { cpu: '500m', memory: '128Mi' } } }],
      },
    },
  },
});

describe('schemaFamily', () => {
  test('null in a known field is absent, as the API server decodes it', () => {
    expect(schemaFamily(ctx([deployment()]))).toEqual([]);
  });

  test('null does not satisfy a required field, and an unknown field is reported even when null', () => {
    const d = deployment();
    d.spec.template.spec.containers = null;
    d.spec.template.spec.sidecars = null;
    expect(brief(schemaFamily(ctx([d])))).toEqual([
      '0 schema/required spec.template.spec.containers: required field "containers" is missing',
      '0 schema/unknown-field spec.template.spec.sidecars: unknown field "sidecars": the schema has no such field here; remove it (known fields: activeDeadlineSeconds, affinity, automountServiceAccountToken, containers, dnsConfig, dnsPolicy, enableServiceLinks, ephemeralContainers, hostAliases, hostIPC, hostNetwork, hostPID, ...)',
    ]);
  });

  test('suggests the nearest known field for a typo', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicies = 'Always';
    expect(brief(schemaFamily(ctx([d])))).toEqual([
      '0 schema/unknown-field spec.template.spec.containers[0].imagePullPolicies: unknown field "imagePullPolicies"; did you mean "imagePullPolicy"? Rename or remove it',
    ]);
    expect(nearestField('lables', ['labels', 'annotations'])).toBe('labels');
    expect(nearestField('zzz', ['labels', 'annotations'])).toBeUndefined();
  });

  test('checks quantities as the API server parses them', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits = { cpu: '1.5 cores', memory: '512Mo' };
    expect(brief(schemaFamily(ctx([d])))).toEqual([
      '0 schema/format spec.template.spec.containers[0].resources.limits.cpu: "1.5 cores" is not a valid quantity (a Kubernetes quantity such as 500m, 128Mi or 2)',
      '0 schema/format spec.template.spec.containers[0].resources.limits.memory: "512Mo" is not a valid quantity (a Kubernetes quantity such as 500m, 128Mi or 2)',
    ]);
  });

  test('judges against every requested minor and says which one a problem belongs to', () => {
    // flowcontrol.apiserver.k8s.io/v1beta2 was served by 1.28 and removed in 1.29.
    const fs = {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind: 'FlowSchema',
      metadata: { name: 'x' },
      spec: { priorityLevelConfiguration: { name: 'global-default' } },
    };
    expect(brief(schemaFamily(ctx([fs])))).toEqual([
      '0 schema/unknown-kind kind: FlowSchema is not served as flowcontrol.apiserver.k8s.io/v1beta2 by Kubernetes 1.35 nor by a known CRD; use apiVersion flowcontrol.apiserver.k8s.io/v1 or flowcontrol.apiserver.k8s.io/v1beta2 or flowcontrol.apiserver.k8s.io/v1beta3',
    ]);
    expect(schemaFamily(ctx([fs], { kubernetesVersions: ['1.28'] }))).toEqual([]);
  });

  test('a field only one minor knows is reported with that minor', () => {
    const d = deployment();
    // Pod-level resources (spec.resources) arrived after 1.28.
    d.spec.template.spec.resources = { limits: { cpu: '1' } };
    expect(brief(schemaFamily(ctx([d])))).toEqual([
      '0 schema/unknown-field spec.template.spec.resources: unknown field "resources": the schema has no such field here; remove it (known fields: activeDeadlineSeconds, affinity, automountServiceAccountToken, containers, dnsConfig, dnsPolicy, enableServiceLinks, ephemeralContainers, hostAliases, hostIPC, hostNetwork, hostPID, ...) (Kubernetes 1.28)',
    ]);
  });

  test('objects without apiVersion or kind, and values that are not objects, are findings, not crashes', () => {
    expect(brief(schemaFamily(ctx([{ kind: 'Service' }, { apiVersion: 'v1' }, [] as unknown as Manifest, 'text' as unknown as Manifest])))).toEqual([
      '0 schema/missing-apiversion apiVersion: apiVersion is missing or not a string; set it, e.g. "apps/v1"',
      '1 schema/missing-kind kind: kind is missing or not a string; set it, e.g. "Deployment"',
      '2 schema/not-an-object : a manifest must be an object with apiVersion and kind, not a list',
      '3 schema/not-an-object : a manifest must be an object with apiVersion and kind, not "text"',
    ]);
  });

  test('containers as an object is a type error', () => {
    const d = deployment();
    d.spec.template.spec.containers = { name: 'main', image: 'nginx' };
    expect(brief(schemaFamily(ctx([d])))).toEqual(['0 schema/type spec.template.spec.containers: must be array, not object']);
  });

  test('validates custom resources against CRDs passed in the context, compiled at run time', () => {
    const crd = widgetCrd({
      type: 'object',
      description: 'prose that is dropped',
      properties: {
        spec: {
          type: 'object',
          required: ['size'],
          properties: { size: { type: 'integer', minimum: 1 }, color: { type: 'string', enum: ['red', 'blue'] } },
        },
      },
    });
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'shop' },
      spec: { size: 0, color: 'green', shape: 'round' },
    };
    expect(brief(schemaFamily(ctx([widget])))[0]).toContain('schema/unknown-kind');
    expect(brief(schemaFamily(ctx([widget], { customResourceDefinitions: [crd] })))).toEqual([
      '0 schema/range spec.size: must be at least 1',
      '0 schema/enum spec.color: "green" is not allowed; use one of "red", "blue"',
      '0 schema/unknown-field spec.shape: unknown field "shape": the schema has no such field here; remove it (known fields: size, color)',
    ]);
  });

  test('ships Gateway API v1.5.1 by default (what the platform installs) and v1.6.1 by name', () => {
    expect(shippedCrdSets()).toEqual([
      { id: 'prometheus-operator@v0.93.0', isDefault: true },
      { id: 'cert-manager@v1.21.1', isDefault: true },
      { id: 'gateway-api@v1.5.1', isDefault: true },
      { id: 'gateway-api@v1.6.1', isDefault: false },
    ]);
    expect(selectCrdSets(['gateway-api@v1.6.1'])).toEqual(['prometheus-operator@v0.93.0', 'cert-manager@v1.21.1', 'gateway-api@v1.6.1']);
    const kinds = knownSchemaKinds(['1.28']).crds;
    expect(kinds).toEqual(
      expect.arrayContaining(['gateway.networking.k8s.io/v1/HTTPRoute', 'cert-manager.io/v1/Certificate', 'monitoring.coreos.com/v1/ServiceMonitor']),
    );
    expect(supportedKubernetesVersions()).toEqual(['1.28', '1.35']);
  });

  test('an unknown Kubernetes minor is a clear error', () => {
    expect(() => schemaFamily(ctx([deployment()], { kubernetesVersions: ['1.19'] }))).toThrow(
      'No Kubernetes 1.19 definitions ship with the validation engine; available: 1.28, 1.35',
    );
  });

  test('expandLists unpacks kind: List documents', () => {
    expect(expandLists([{ apiVersion: 'v1', kind: 'List', items: [deployment(), { apiVersion: 'v1', kind: 'List', items: [] }] }])).toHaveLength(1);
  });
});
