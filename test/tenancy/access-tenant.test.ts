import { Testing } from 'cdk8s';
import { warningsOf } from '../../lib/core/warnings';
import { AccessRole, Subject } from '../../lib/tenancy/access';
import { tenant } from './helpers';

describe('TenantNamespace.grant: RBAC as written', () => {
  test('an opt-out is visible on the Role as annotation paas.cdk8s.io/rbac-opt-out', () => {
    const { t } = tenant({ deployer: false });
    const role = AccessRole.custom('debugger', [{ apiGroups: [''], resources: ['pods', 'pods/exec'], verbs: ['get', 'create'] }], {
      optOut: { allow: ['pods/exec'], reason: 'on-call debugging' },
    });
    t.grant(Subject.group('oncall'), role);
    const roleJson = Testing.synth(t.adminChart).find((o) => o.kind === 'Role');
    expect(roleJson.metadata).toEqual({
      name: 'debugger',
      namespace: 'dev-ns',
      labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' },
      annotations: { 'paas.cdk8s.io/rbac-opt-out': '{"allow":["pods/exec"],"reason":"on-call debugging"}' },
    });
  });

  test('binding the built-in edit or admin is reported at synth with what it grants; view is not', () => {
    const { app, t } = tenant({ deployer: false });
    t.grant(Subject.group('dev-team'), AccessRole.EDIT);
    t.grant(Subject.user('alice'), AccessRole.VIEW);
    expect(warningsOf(app)).toEqual([
      'dev-ns: binding Group "dev-team" to ClusterRole "edit" also grants pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, read and write of every Secret, and impersonation of the namespace\'s ServiceAccounts',
    ]);
  });

  test('fails if two custom roles of one name with other rules are granted (the second would get the first one’s rules)', () => {
    const { t } = tenant({ deployer: false });
    t.grant(Subject.group('a'), AccessRole.custom('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
    t.grant(Subject.group('b'), AccessRole.custom('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]));
    expect(() => t.grant(Subject.group('c'), AccessRole.custom('reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]))).toThrow(
      'dev-ns: grant.role "reader" is invalid: is already a Role of this tenant with other rules: give the second custom role another name',
    );
  });
});
