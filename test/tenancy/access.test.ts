import { AccessRole, deployerRules, roleCanCreate, Subject } from '../../lib/tenancy/access';

describe('Subject', () => {
  test('renders users and groups with the RBAC group, ServiceAccounts with a namespace', () => {
    expect(Subject.user('alice').toJson('dev-ns')).toEqual({ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' });
    expect(Subject.group('devs').toJson('dev-ns')).toEqual({ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' });
    expect(Subject.serviceAccount('ci').toJson('dev-ns')).toEqual({ kind: 'ServiceAccount', name: 'ci', namespace: 'dev-ns' });
    expect(Subject.serviceAccount('runner', 'gitlab').toJson('dev-ns')).toEqual({ kind: 'ServiceAccount', name: 'runner', namespace: 'gitlab' });
    expect(Subject.user('Alice@Example.com').slug).toBe('user-alice-example-com');
  });

  test('fails if a name is empty or a ServiceAccount name is not a DNS subdomain', () => {
    expect(() => Subject.user('')).toThrow('Subject: user "" is invalid: must be a non-empty user name');
    expect(() => Subject.group('')).toThrow('Subject: group "" is invalid: must be a non-empty group name');
    expect(() => Subject.serviceAccount('CI_Bot')).toThrow('Subject: serviceAccount "CI_Bot" is invalid: must be a DNS-1123 subdomain');
  });
});

describe('AccessRole', () => {
  test('built-in roles refer to the aggregated ClusterRoles', () => {
    expect([AccessRole.ADMIN, AccessRole.EDIT, AccessRole.VIEW].map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ClusterRole/admin',
      'ClusterRole/edit',
      'ClusterRole/view',
    ]);
    expect(AccessRole.VIEW.rules).toBeUndefined();
  });

  test('fails if a custom role has no rules', () => {
    expect(() => AccessRole.custom('empty', [])).toThrow('AccessRole: empty.rules [] is invalid: must hold at least one rule');
  });

  test('fails if a custom role uses a wildcard', () => {
    expect(() => AccessRole.custom('all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])).toThrow(
      'AccessRole: all.rules[0] {"apiGroups":["*"],"resources":["*"],"verbs":["*"]} is invalid: must not use "*": list the resources and verbs',
    );
  });

  test('fails if a custom role grants pods/exec', () => {
    expect(() => AccessRole.custom('debug', [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['create'] }])).toThrow(
      'AccessRole: debug.rules[0] {"apiGroups":[""],"resources":["pods","pods/exec"],"verbs":["create"]} is invalid: must not grant pods/exec: use AccessRole.EDIT or ADMIN knowingly instead',
    );
  });

  test('fails if a custom rule is missing verbs', () => {
    expect(() => AccessRole.custom('x', [{ apiGroups: [''], resources: ['pods'], verbs: [] }])).toThrow(
      'AccessRole: x.rules[0] {"apiGroups":[""],"resources":["pods"],"verbs":[]} is invalid: must name apiGroups, resources and verbs',
    );
  });

  test('the deployer rules pass the custom-role rules', () => {
    expect(AccessRole.custom('deployer', deployerRules()).rules).toHaveLength(10);
  });
});

describe('roleCanCreate', () => {
  test('a custom Role allows exactly what its rules list with the create verb', () => {
    const deployer = AccessRole.custom('deployer', deployerRules());
    expect(roleCanCreate(deployer, 'apps', 'deployments')).toBe(true);
    expect(roleCanCreate(deployer, 'monitoring.coreos.com', 'servicemonitors')).toBe(true);
    expect(roleCanCreate(deployer, '', 'secrets')).toBe(false);
    expect(roleCanCreate(deployer, '', 'pods')).toBe(false); // read-only
    expect(roleCanCreate(deployer, 'rbac.authorization.k8s.io', 'rolebindings')).toBe(false);
  });

  test('the built-in roles: no quota or LimitRange writes, no RBAC for edit, nothing for view, CRDs unknown', () => {
    expect(roleCanCreate(AccessRole.EDIT, '', 'secrets')).toBe(true);
    expect(roleCanCreate(AccessRole.EDIT, '', 'resourcequotas')).toBe(false);
    expect(roleCanCreate(AccessRole.ADMIN, '', 'limitranges')).toBe(false);
    expect(roleCanCreate(AccessRole.EDIT, 'rbac.authorization.k8s.io', 'roles')).toBe(false);
    expect(roleCanCreate(AccessRole.ADMIN, 'rbac.authorization.k8s.io', 'roles')).toBe(true);
    expect(roleCanCreate(AccessRole.VIEW, '', 'configmaps')).toBe(false);
    expect(roleCanCreate(AccessRole.EDIT, 'monitoring.coreos.com', 'servicemonitors')).toBeUndefined();
  });
});
