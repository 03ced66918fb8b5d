import { AccessRole, AccessRule, deployerRules, roleCanCreate, Subject } from '../../lib/tenancy/access';
import { RBAC_OPT_OUT_ANNOTATION } from '../../lib/tenancy/rbac-rules';

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

const OPT = (token: string) => `list exactly what is needed, or allow it knowingly with optOut: { allow: ["${token}"], reason: "..." }`;
/** The one problem `AccessRole.custom` reports for a rule. */
function refused(rule: object, options = {}): string {
  try {
    AccessRole.custom('r', [rule as AccessRule], options);
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

describe('AccessRole', () => {
  test('built-in roles refer to the aggregated ClusterRoles', () => {
    expect([AccessRole.ADMIN, AccessRole.EDIT, AccessRole.VIEW].map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ClusterRole/admin',
      'ClusterRole/edit',
      'ClusterRole/view',
    ]);
  });

  test('fails if a custom role has no rules', () => {
    expect(() => AccessRole.custom('empty', [])).toThrow('AccessRole: empty.rules [] is invalid: must hold at least one rule');
  });

  test('fails if a custom role uses "*" in apiGroups, resources or verbs (each reported)', () => {
    expect(() => AccessRole.custom('all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])).toThrow(
      [
        '3 problems:',
        `  - AccessRole: all.rules[0].apiGroups "*" is invalid: matches every API group, including ones added later: ${OPT('*')}`,
        `  - AccessRole: all.rules[0].resources "*" is invalid: every resource, including Secrets and pods/exec: ${OPT('*')}`,
        `  - AccessRole: all.rules[0].verbs "*" is invalid: every verb, including escalate, bind and impersonate: ${OPT('*')}`,
      ].join('\n'),
    );
  });

  // RBAC's ResourceMatches: "*" and "*/<subresource>" are the only wildcards.
  test.each([
    ['*/exec', 'runs commands in every pod'],
    ['*/attach', 'attaches to every running container'],
    ['*/portforward', 'opens tunnels into every pod'],
    ['pods/exec', 'runs commands in the pods (and reads their Secrets and tokens)'],
    ['pods/attach', 'attaches to running containers'],
    ['pods/portforward', 'opens tunnels into the pods, past NetworkPolicies'],
    ['pods/ephemeralcontainers', 'adds debug containers to running pods (code execution)'],
    ['pods/proxy', 'proxies HTTP into the pods, past NetworkPolicies'],
    ['services/proxy', 'proxies HTTP into the Services, past NetworkPolicies'],
    ['nodes/proxy', 'reaches the kubelet API (exec in any pod on the node)'],
    ['serviceaccounts/token', 'mints tokens of the ServiceAccounts (acts as them)'],
  ])('fails if a custom role grants %s', (resource, why) => {
    expect(refused({ apiGroups: [''], resources: ['pods', resource], verbs: ['create'] })).toBe(
      `AccessRole: r.rules[0].resources ${JSON.stringify(resource)} is invalid: ${why}: ${OPT(resource)}`,
    );
  });

  test.each([
    ['escalate', 'lets the holder write Roles with rights it does not have'],
    ['bind', 'lets the holder bind Roles with rights it does not have'],
    ['impersonate', 'lets the holder act as another user, group or ServiceAccount'],
  ])('fails if a custom role has the verb %s', (verb, why) => {
    expect(refused({ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['get', verb] })).toBe(
      `AccessRole: r.rules[0].verbs ${JSON.stringify(verb)} is invalid: ${why}: ${OPT(verb)}`,
    );
  });

  test('fails if a custom role reads Secrets; writing them (create only) is allowed', () => {
    expect(refused({ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'create'] })).toBe(
      `AccessRole: r.rules[0].verbs "get,list" is invalid: get, list on secrets reads every Secret value in the namespace: ${OPT('secrets')}`,
    );
    expect(refused({ apiGroups: [''], resources: ['secrets'], verbs: ['create', 'delete'] })).toBe('accepted');
    // Secrets are core-group only: a rule on another group grants no Secret reads.
    expect(refused({ apiGroups: ['apps'], resources: ['secrets'], verbs: ['get'] })).toBe('accepted');
  });

  test('fails if a resource is one RBAC does not understand: it would grant nothing', () => {
    expect(refused({ apiGroups: [''], resources: ['pods/*'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].resources "pods/*" is invalid: is not a wildcard: RBAC treats "*" only as the whole string or as "*/<subresource>", so "pods/*" grants nothing; list the subresources (e.g. "pods/log", "pods/status")',
    );
    expect(refused({ apiGroups: ['apps'], resources: ['Deployments'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].resources "Deployments" is invalid: is not a resource name: RBAC compares lower-case plural names ("deployments", "pods/log"), so it grants nothing',
    );
    expect(refused({ apiGroups: [''], resources: ['pods/log/x'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].resources "pods/log/x" is invalid: has more than one "/": RBAC matches "<resource>" or "<resource>/<subresource>" only, so it grants nothing',
    );
    expect(refused({ apiGroups: [''], resources: ['pods/Log'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].resources "pods/Log" is invalid: has a subresource that is not a lower-case name ("log", "status", "scale"), so it grants nothing',
    );
  });

  test('fails if a verb or API group is one the API server never checks', () => {
    expect(refused({ apiGroups: [''], resources: ['pods'], verbs: ['read'] })).toBe(
      'AccessRole: r.rules[0].verbs "read" is invalid: is not a verb the API server checks, so it grants nothing: use get, list, watch, create, update, patch, delete, deletecollection',
    );
    expect(refused({ apiGroups: ['v1'], resources: ['pods'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].apiGroups "v1" is invalid: is not an API group: the core group (pods, services, secrets) is ""',
    );
    expect(refused({ apiGroups: ['Apps'], resources: ['deployments'], verbs: ['get'] })).toBe(
      'AccessRole: r.rules[0].apiGroups "Apps" is invalid: must be "" (core) or a group such as "apps" or "networking.k8s.io"',
    );
  });

  test('fails if a rule is not made of string arrays (plain JavaScript)', () => {
    expect(() => AccessRole.custom('x', [{ apiGroups: [''], resources: 'pods', verbs: [] } as unknown as AccessRule])).toThrow(
      [
        '2 problems:',
        '  - AccessRole: x.rules[0].resources "pods" is invalid: must be a non-empty array of strings',
        '  - AccessRole: x.rules[0].verbs [] is invalid: must be a non-empty array of strings',
      ].join('\n'),
    );
    expect(() => AccessRole.custom('x', null as unknown as AccessRule[])).toThrow('AccessRole: x.rules null is invalid: must hold at least one rule');
    expect(() => AccessRole.custom('x', [{ apiGroups: [''], resources: ['pods', 3], verbs: ['get'] } as unknown as AccessRule])).toThrow(
      'AccessRole: x.rules[0].resources ["pods",3] is invalid: must hold only non-empty strings (got 3)',
    );
  });

  test('an opt-out allows exactly the grants it names, with a reason written onto the Role', () => {
    const role = AccessRole.custom('debugger', [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] }], {
      optOut: { allow: ['pods/exec'], reason: 'on-call debugging of the shop' },
    });
    expect(role.annotations).toEqual({ [RBAC_OPT_OUT_ANNOTATION]: '{"allow":["pods/exec"],"reason":"on-call debugging of the shop"}' });
    expect(RBAC_OPT_OUT_ANNOTATION).toBe('paas.cdk8s.io/rbac-opt-out');
    expect(AccessRole.custom('plain', deployerRules()).annotations).toBeUndefined();
  });

  test('fails if an opt-out has no reason, or allows what the rules do not grant', () => {
    expect(() =>
      AccessRole.custom('debugger', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], {
        optOut: { allow: ['pods/exec', 'pods/attach'], reason: ' ' },
      }),
    ).toThrow(
      [
        '2 problems:',
        '  - AccessRole: debugger.optOut.reason " " is invalid: must say why the risky grants are needed (written onto the Role)',
        '  - AccessRole: debugger.optOut.allow "pods/attach" is invalid: matches no risky grant in the rules: remove it, so the opt-out says exactly what is allowed',
      ].join('\n'),
    );
  });

  test('fails on keys a Role rule or the options do not have (a misspelt resourceNames would widen the grant)', () => {
    expect(() =>
      AccessRole.custom('x', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceName: ['app-config'] } as unknown as AccessRule], {
        optout: { allow: [], reason: 'x' },
      } as never),
    ).toThrow(
      [
        '2 problems:',
        '  - AccessRole: x.options.optout {"allow":[],"reason":"x"} is invalid: is not an option: the one option is optOut',
        '  - AccessRole: x.rules[0].resourceName ["app-config"] is invalid: is not a field of a Role rule: use apiGroups, resources, verbs, resourceNames',
      ].join('\n'),
    );
    expect(() =>
      AccessRole.custom('x', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }], {
        optOut: { allow: ['pods/exec'], reason: 'r', why: 'x' } as never,
      }),
    ).toThrow('AccessRole: x.optOut.why "x" is invalid: is not a field of optOut: use allow, reason');
  });

  test('accepts the deployer rules', () => {
    expect(AccessRole.custom('deployer', deployerRules()).rules).toHaveLength(10);
  });

  test('edit and admin say what they grant beyond their names; view and custom roles nothing', () => {
    expect(AccessRole.EDIT.riskyGrants).toBe(
      "pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, read and write of every Secret, and impersonation of the namespace's ServiceAccounts",
    );
    expect(AccessRole.ADMIN.riskyGrants).toContain('Roles and RoleBindings (it can grant all of this to others)');
    expect(AccessRole.VIEW.riskyGrants).toBeUndefined();
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
