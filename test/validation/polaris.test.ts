import { polarisDefaultSeverities, polarisFamily, runPolarisChecks } from '../../lib/validation/polaris';
import { BUILTIN_CLUSTER_ROLE_NAMES, builtinClusterRoles } from '../../lib/validation/rbac-builtin';
import type { CheckContext, Manifest, RawFinding } from '../../lib/validation/types';

const ctx = (objects: Manifest[]): CheckContext => ({
  objects: objects.map((manifest) => ({ manifest, origin: {} })),
  kubernetesVersions: ['1.28'],
  podSecurityLevel: 'restricted',
  namespaceLevels: new Map(),
  customResourceDefinitions: [],
});
const brief = (fs: RawFinding[]): string[] => fs.map((f) => `${f.objectIndex} ${f.severity} ${f.id} ${f.path}${f.container ? ` [${f.container}]` : ''}`);

const deployment = (env: Manifest[]): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27.3', env }] } } },
});

describe('polarisFamily', () => {
  test('a literal DB_PASSWORD env value is a sensitiveContainerEnvVar error at its path; a secretKeyRef is not', () => {
    const only = { only: ['sensitiveContainerEnvVar'] };
    expect(brief(runPolarisChecks(ctx([deployment([{ name: 'DB_PASSWORD', value: 'hunter2' }])]), only))).toEqual([
      '0 error polaris/sensitiveContainerEnvVar spec.template.spec.containers[0].env [main]',
    ]);
    const fromSecret = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    expect(runPolarisChecks(ctx([deployment(fromSecret)]), only)).toEqual([]);
  });

  test('maps danger to error and warning to warning, with every check of default.yaml', () => {
    const severities = polarisDefaultSeverities();
    expect(Object.keys(severities)).toHaveLength(44);
    expect(severities.hostNetworkSet).toBe('danger');
    expect(severities.livenessProbeMissing).toBe('warning');
    const ids = brief(polarisFamily(ctx([deployment([])])));
    expect(ids).toContain('0 warning polaris/livenessProbeMissing spec.template.spec.containers[0].livenessProbe [main]');
    expect(ids).toContain('0 error polaris/runAsRootAllowed spec.template.spec.containers[0].securityContext.runAsNonRoot [main]');
  });

  test('a check set to ignore is not reported; a forced severity replaces the default', () => {
    const objs = [deployment([])];
    expect(runPolarisChecks(ctx(objs), { only: ['livenessProbeMissing'], severities: { livenessProbeMissing: 'ignore' } })).toEqual([]);
    expect(brief(runPolarisChecks(ctx(objs), { only: ['livenessProbeMissing'], severities: { livenessProbeMissing: 'danger' } }))).toEqual([
      '0 error polaris/livenessProbeMissing spec.template.spec.containers[0].livenessProbe [main]',
    ]);
  });

  test('reports exempt-annotated objects too (the front end turns the annotation into an exemption)', () => {
    const d = deployment([{ name: 'API_TOKEN', value: 'x' }]);
    d.metadata.annotations = { 'polaris.fairwinds.com/sensitiveContainerEnvVar-exempt': 'true' };
    expect(runPolarisChecks(ctx([d]), { only: ['sensitiveContainerEnvVar'] })).toHaveLength(1);
  });

  test('fills {{ .metadata.name }} from the object (metadataAndInstanceMismatched)', () => {
    const d = deployment([]);
    d.metadata.labels = { 'app.kubernetes.io/instance': 'web' };
    expect(runPolarisChecks(ctx([d]), { only: ['metadataAndInstanceMismatched'] })).toEqual([]);
    d.metadata.labels = { 'app.kubernetes.io/instance': 'other' };
    expect(brief(runPolarisChecks(ctx([d]), { only: ['metadataAndInstanceMismatched'] }))).toEqual([
      '0 warning polaris/metadataAndInstanceMismatched metadata.labels',
    ]);
  });

  test('bad shapes never crash a check', () => {
    const odd: Manifest[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: { name: 'main' } } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: 'not a map' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'x' }, roleRef: 'edit' },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: null },
      null as unknown as Manifest,
    ];
    expect(() => polarisFamily(ctx(odd))).not.toThrow();
  });
});

describe('built-in ClusterRoles (rbac-builtin.ts)', () => {
  const roles = new Map(builtinClusterRoles().map((r) => [r.metadata.name, r]));
  const allows = (name: string, group: string, resource: string, verb: string): boolean =>
    roles
      .get(name)!
      .rules.some(
        (r: Manifest) =>
          (r.apiGroups ?? []).some((g: string) => g === group || g === '*') &&
          (r.resources ?? []).some((x: string) => x === resource || x === '*') &&
          r.verbs.some((v: string) => v === verb || v === '*'),
      );

  test('models admin, cluster-admin, edit and view, and the bootstrap system:auth-delegator', () => {
    expect(BUILTIN_CLUSTER_ROLE_NAMES).toEqual(['admin', 'cluster-admin', 'edit', 'view']);
    expect([...roles.keys()]).toEqual(['admin', 'cluster-admin', 'edit', 'view', 'system:auth-delegator']);
    expect(allows('system:auth-delegator', 'authentication.k8s.io', 'tokenreviews', 'create')).toBe(true);
    expect(allows('system:auth-delegator', '', 'pods/exec', 'create')).toBe(false);
  });

  test('view reads but never execs or reads Secrets; edit and admin exec; only admin manages RBAC; cluster-admin does everything', () => {
    expect(allows('view', '', 'pods', 'get')).toBe(true);
    expect(allows('view', '', 'pods/exec', 'create')).toBe(false);
    expect(allows('view', '', 'secrets', 'get')).toBe(false);
    expect(allows('edit', '', 'pods/exec', 'create')).toBe(true);
    expect(allows('edit', '', 'secrets', 'get')).toBe(true);
    expect(allows('edit', 'rbac.authorization.k8s.io', 'roles', 'create')).toBe(false);
    expect(allows('admin', 'rbac.authorization.k8s.io', 'roles', 'create')).toBe(true);
    expect(allows('admin', 'apps', 'deployments', 'get')).toBe(true);
    expect(allows('cluster-admin', 'anything.example.com', 'widgets', 'delete')).toBe(true);
  });
});
