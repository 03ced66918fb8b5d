import { find, hardenedApp, mainContainer } from './fixtures';
import { goRegexToJs } from './go-regex';
import {
  assertAllowable,
  formatFinding,
  NATIVE_POLARIS_CHECKS,
  POLARIS_ALLOWLIST,
  polarisCheckModes,
  polarisSeverity,
  runPolaris,
  SKIPPED_POLARIS_CHECKS,
} from './polaris';

/** Findings as `checkId object[/container]`, minus the project-wide allowlist. */
function failed(objects: any[]): string[] {
  const allowed = new Set(POLARIS_ALLOWLIST.map((a) => a.checkId));
  return runPolaris(objects)
    .filter((f) => !allowed.has(f.checkId))
    .map((f) => `${f.severity} ${f.checkId} ${f.object}${f.container ? ` ${f.container}` : ''}`);
}

const deployment = (objs: any[]): any => find(objs, 'Deployment');

describe('runPolaris', () => {
  test('the hardened app fails only the allowlisted checks', () => {
    expect(runPolaris(hardenedApp()).map((f) => f.checkId)).toEqual(['priorityClassNotSet']);
  });

  test('reports hostNetwork as a danger with a message that says how to fix it', () => {
    const objs = hardenedApp();
    deployment(objs).spec.template.spec.hostNetwork = true;
    const findings = runPolaris(objs).filter((f) => f.checkId === 'hostNetworkSet');
    expect(findings).toEqual([
      {
        checkId: 'hostNetworkSet',
        severity: 'danger',
        object: 'Deployment shop/web',
        message: "remove hostNetwork: the pod must not use the node's network namespace",
      },
    ]);
    expect(formatFinding(findings[0])).toBe(
      "polaris danger hostNetworkSet: Deployment shop/web: remove hostNetwork: the pod must not use the node's network namespace",
    );
  });

  test('reports a missing liveness probe as a warning on the container, not on init containers', () => {
    const objs = hardenedApp();
    delete mainContainer(objs).livenessProbe;
    deployment(objs).spec.template.spec.initContainers = [{ ...mainContainer(objs), name: 'migrate' }];
    expect(failed(objs)).toEqual(['warning livenessProbeMissing Deployment shop/web main']);
  });

  test('does not ask Jobs for probes (controllers.exclude)', () => {
    const d = deployment(hardenedApp());
    delete d.spec.template.spec.containers[0].livenessProbe;
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { ...d.metadata }, spec: { template: d.spec.template } };
    expect(failed([job]).filter((f) => f.includes('Probe'))).toEqual([]);
  });

  test('evaluates container checks with schemaTarget PodSpec per container', () => {
    const objs = hardenedApp();
    const spec = deployment(objs).spec.template.spec;
    spec.containers.push({
      ...spec.containers[0],
      name: 'sidecar',
      securityContext: { ...spec.containers[0].securityContext, allowPrivilegeEscalation: true },
    });
    expect(failed(objs)).toEqual(['danger privilegeEscalationAllowed Deployment shop/web sidecar']);
  });

  test("spells Go's (?i) as case-insensitive classes: a lower-case sys_admin is still dangerous", () => {
    expect(goRegexToJs('^(?i)SYS_ADMIN$')).toBe('^[sS][yY][sS]_[aA][dD][mM][iI][nN]$');
    expect(goRegexToJs('(?i)\\s*-BEGIN\\s+.*PRIVATE KEY-\\s*')).toBe('\\s*-[bB][eE][gG][iI][nN]\\s+.*[pP][rR][iI][vV][aA][tT][eE] [kK][eE][yY]-\\s*');
    expect(goRegexToJs('^[a-z]\\x60(?i)[a-c]$')).toBe('^[a-z]\\x60[a-cA-C]$');
    const objs = hardenedApp();
    mainContainer(objs).securityContext.capabilities.add = ['sys_admin'];
    expect(failed(objs)).toEqual(['danger dangerousCapabilities Deployment shop/web main']);
  });

  test('reports a secret-looking env var value as a danger', () => {
    const objs = hardenedApp();
    mainContainer(objs).env = [{ name: 'DB_PASSWORD', value: 'hunter2' }];
    expect(failed(objs)).toEqual(['danger sensitiveContainerEnvVar Deployment shop/web main']);
    mainContainer(objs).env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    expect(failed(objs)).toEqual([]);
  });

  test('fills {{ .metadata.name }} in metadataAndInstanceMismatched', () => {
    const objs = hardenedApp();
    deployment(objs).metadata.labels = { ...deployment(objs).metadata.labels, 'app.kubernetes.io/instance': 'other' };
    expect(failed(objs)).toEqual(['warning metadataAndInstanceMismatched Deployment shop/web']);
  });

  describe('missingNetworkPolicy', () => {
    test('fails without a NetworkPolicy selecting the pods', () => {
      const objs = hardenedApp().filter((o) => o.kind !== 'NetworkPolicy');
      expect(failed(objs)).toEqual(['warning missingNetworkPolicy Deployment shop/web']);
    });

    test('fails if the only policy selecting the pods covers Ingress but not Egress', () => {
      const objs = hardenedApp();
      const np = find(objs, 'NetworkPolicy');
      np.spec.policyTypes = ['Ingress'];
      delete np.spec.egress;
      expect(failed(objs)).toEqual(['warning missingNetworkPolicy Deployment shop/web']);
    });

    test('fails if the policy is in another namespace or selects other pods', () => {
      const objs = hardenedApp();
      find(objs, 'NetworkPolicy').metadata.namespace = 'other';
      expect(failed(objs)).toEqual(['warning missingNetworkPolicy Deployment shop/web']);
      const objs2 = hardenedApp();
      find(objs2, 'NetworkPolicy').spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': 'db' } };
      expect(failed(objs2)).toEqual(['warning missingNetworkPolicy Deployment shop/web']);
    });

    test('passes with a namespace default-deny (empty podSelector) plus an ingress policy', () => {
      const objs = hardenedApp();
      const np = find(objs, 'NetworkPolicy');
      np.spec = { podSelector: { matchLabels: np.spec.podSelector.matchLabels }, ingress: [{}] };
      objs.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      expect(failed(objs)).toEqual([]);
    });
  });

  describe('missingPodDisruptionBudget', () => {
    test('fails without a PDB selecting the Deployment pods', () => {
      const objs = hardenedApp().filter((o) => o.kind !== 'PodDisruptionBudget');
      expect(failed(objs)).toEqual(['warning missingPodDisruptionBudget Deployment shop/web']);
    });

    test('fails if the PDB selects a label value the pods do not carry', () => {
      const objs = hardenedApp();
      find(objs, 'PodDisruptionBudget').spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web-2' } };
      expect(failed(objs)).toEqual(['warning missingPodDisruptionBudget Deployment shop/web']);
    });

    test('passes with a matchExpressions selector', () => {
      const objs = hardenedApp();
      find(objs, 'PodDisruptionBudget').spec.selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['web'] }] };
      expect(failed(objs)).toEqual([]);
    });
  });

  test('pdbMinAvailableGreaterThanHPAMinReplicas: PDB minAvailable must not exceed HPA minReplicas (equal passes, as upstream)', () => {
    const objs = hardenedApp();
    const pdb = find(objs, 'PodDisruptionBudget');
    delete pdb.spec.maxUnavailable;
    pdb.spec.minAvailable = 3;
    objs.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 4 },
    });
    expect(failed(objs)).toEqual(['warning pdbMinAvailableGreaterThanHPAMinReplicas Deployment shop/web']);
    pdb.spec.minAvailable = '150%';
    expect(failed(objs)).toEqual(['warning pdbMinAvailableGreaterThanHPAMinReplicas Deployment shop/web']);
    pdb.spec.minAvailable = 2;
    expect(failed(objs)).toEqual([]);
    pdb.spec.minAvailable = '50%';
    expect(failed(objs)).toEqual([]);
  });

  test('deploymentMissingReplicas: replicas >= 2, or unset with an HPA whose minReplicas >= 2', () => {
    const objs = hardenedApp();
    delete deployment(objs).spec.replicas;
    expect(failed(objs)).toEqual(['warning deploymentMissingReplicas Deployment shop/web']);
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 },
    };
    expect(failed([...objs, hpa])).toEqual([]);
    expect(failed([...objs, { ...hpa, spec: { ...hpa.spec, minReplicas: 1 } }])).toEqual([
      'warning deploymentMissingReplicas Deployment shop/web',
      'warning hpaMinAvailability HorizontalPodAutoscaler shop/web',
    ]);
  });

  test('checks other kinds by their target: PDB, HPA, RBAC, ConfigMap', () => {
    const objs = [
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'shop' }, spec: { maxUnavailable: 0, selector: {} } },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h', namespace: 'shop' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, minReplicas: 3, maxReplicas: 3 },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'ci' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'debug', namespace: 'shop' },
        rules: [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }],
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { API_TOKEN: 'x' } },
    ];
    expect(failed(objs)).toEqual([
      'danger clusterrolebindingClusterAdmin ClusterRoleBinding ci',
      'danger clusterrolebindingPodExecAttach ClusterRoleBinding ci',
      'danger sensitiveConfigmapContent ConfigMap shop/cfg',
      'warning hpaMaxAvailability HorizontalPodAutoscaler shop/h',
      'warning pdbDisruptionsIsZero PodDisruptionBudget shop/p',
      'danger rolePodExecAttach Role shop/debug',
    ]);
  });
});

describe('RBAC bindings', () => {
  const rbac = 'rbac.authorization.k8s.io';
  const role = (kind: string, name: string, rules: any[], namespace?: string): any => ({
    apiVersion: `${rbac}/v1`,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    rules,
  });
  const binding = (kind: string, name: string, roleKind: string, roleName: string, namespace?: string): any => ({
    apiVersion: `${rbac}/v1`,
    kind,
    metadata: namespace ? { name, namespace } : { name },
    roleRef: { apiGroup: rbac, kind: roleKind, name: roleName },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }],
  });
  const logs = [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }];
  const exec = [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }];
  const everything = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

  test('a binding to a harmless synthesized Role or to a built-in ClusterRole passes', () => {
    expect(failed([role('Role', 'logs', logs, 'shop'), binding('RoleBinding', 'ci', 'Role', 'logs', 'shop')])).toEqual([]);
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'view', 'shop')])).toEqual([]);
  });

  test('fails if a RoleBinding references a synthesized Role that allows exec', () => {
    expect(failed([role('Role', 'debug', exec, 'shop'), binding('RoleBinding', 'ci', 'Role', 'debug', 'shop')])).toEqual([
      'danger rolePodExecAttach Role shop/debug',
      'danger rolebindingRolePodExecAttach RoleBinding shop/ci',
    ]);
  });

  test('fails if a binding references a synthesized ClusterRole granting everything', () => {
    const objs = [
      role('ClusterRole', 'root', everything),
      binding('ClusterRoleBinding', 'ci-root', 'ClusterRole', 'root'),
      binding('RoleBinding', 'ci', 'ClusterRole', 'root', 'shop'),
    ];
    expect(failed(objs)).toEqual([
      'danger clusterrolePodExecAttach ClusterRole root',
      'danger clusterrolebindingClusterAdmin ClusterRoleBinding ci-root',
      'danger clusterrolebindingPodExecAttach ClusterRoleBinding ci-root',
      'danger rolebindingClusterAdminClusterRole RoleBinding shop/ci',
      'danger rolebindingClusterRolePodExecAttach RoleBinding shop/ci',
    ]);
  });

  test('fails if a RoleBinding names cluster-admin (judged with the built-in rules)', () => {
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'cluster-admin', 'shop')])).toEqual([
      'danger rolebindingClusterAdminClusterRole RoleBinding shop/ci',
      'danger rolebindingClusterRolePodExecAttach RoleBinding shop/ci',
    ]);
  });

  test('judges bindings to the built-in edit and admin roles (they allow pods/exec), not to view', () => {
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'edit', 'shop')])).toEqual(['danger rolebindingClusterRolePodExecAttach RoleBinding shop/ci']);
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'admin', 'shop')])).toEqual(['danger rolebindingClusterRolePodExecAttach RoleBinding shop/ci']);
    expect(failed([binding('ClusterRoleBinding', 'ci', 'ClusterRole', 'edit')])).toEqual(['danger clusterrolebindingPodExecAttach ClusterRoleBinding ci']);
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'view', 'shop'), binding('ClusterRoleBinding', 'ci', 'ClusterRole', 'view')])).toEqual([]);
  });

  test('a role defined in the input replaces the built-in of the same name', () => {
    expect(failed([role('ClusterRole', 'edit', logs), binding('RoleBinding', 'ci', 'ClusterRole', 'edit', 'shop')])).toEqual([]);
  });

  test('fails if the referenced role exists nowhere (as upstream)', () => {
    expect(failed([binding('RoleBinding', 'ci', 'ClusterRole', 'missing', 'shop')])).toEqual([
      'danger rolebindingClusterAdminClusterRole RoleBinding shop/ci',
      'danger rolebindingClusterRolePodExecAttach RoleBinding shop/ci',
    ]);
  });

  test('treats null as absent (securityContext: null, add: null)', () => {
    const objs = hardenedApp();
    mainContainer(objs).securityContext.capabilities.add = null;
    expect(failed(objs)).toEqual([]);
    mainContainer(objs).securityContext = null;
    // The pod-level runAsNonRoot still covers the container, as in Polaris.
    expect(failed(objs)).toEqual([
      'warning insecureCapabilities Deployment shop/web main',
      'warning notReadOnlyRootFilesystem Deployment shop/web main',
      'danger privilegeEscalationAllowed Deployment shop/web main',
    ]);
  });
});

describe('allowlist and skipped checks', () => {
  test('the allowlist holds only warning-level checks, each with a reason', () => {
    expect(POLARIS_ALLOWLIST.length).toBeGreaterThan(0);
    for (const a of POLARIS_ALLOWLIST) {
      expect(polarisSeverity(a.checkId)).toBe('warning');
      expect(a.reason.length).toBeGreaterThan(40);
    }
    expect(() => assertAllowable(POLARIS_ALLOWLIST.map((a) => a.checkId))).not.toThrow();
  });

  test('fails if a danger-level check is allowed', () => {
    expect(() => assertAllowable(['hostNetworkSet'])).toThrow('Polaris allowlist: "hostNetworkSet" is a danger-level check; only warnings can be allowed');
    expect(() => assertAllowable(['noSuchCheck'])).toThrow('Polaris allowlist: unknown check "noSuchCheck"');
  });

  test('every upstream check is evaluated by schema data or natively, none in part, as docs/validation.md lists', () => {
    const modes = polarisCheckModes();
    const count = (m: string): number => Object.values(modes).filter((v) => v === m).length;
    expect(Object.keys(modes)).toHaveLength(44);
    expect([count('schema'), count('native'), count('partial')]).toEqual([37, 7, 0]);
    expect(SKIPPED_POLARIS_CHECKS).toEqual([]);
  });

  test('skipped and native checks are real upstream checks', () => {
    for (const id of [...SKIPPED_POLARIS_CHECKS.map((s) => s.id), ...NATIVE_POLARIS_CHECKS]) {
      expect(polarisSeverity(id)).toBeDefined();
    }
  });
});
