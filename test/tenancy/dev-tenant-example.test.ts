import { ApiObject, Chart, Testing } from 'cdk8s';
import { addDevTenant } from '../../apps/dev-tenant';
import { platform } from '../../apps/platform.config';
import { tenantUsage } from '../../lib/checks/quota';
import { warningsOf } from '../../lib/core/warnings';
import { expectValidManifests, synthObjects } from '../support';

describe('example: the seeds’ dev-ns tenant', () => {
  const app = Testing.app();
  const tenant = addDevTenant(app, platform);
  const objects = synthObjects(app);

  test('passes the strict schema, restricted and Polaris checks', () => {
    // Polaris judges the binding to the built-in edit role by its rules (edit allows pods/exec):
    // the seeds bind their dev team to edit on purpose, as paas-checks.yaml says for `npm run synth`.
    expectValidManifests(objects, {
      polarisExempt: [
        {
          checkId: 'rolebindingClusterRolePodExecAttach',
          object: 'RoleBinding dev-ns/edit-group-dev-team',
          reason: "the dev tenant's team is bound to the built-in edit role on purpose (AccessRole.EDIT includes pods/exec for debugging)",
        },
      ],
    });
  });

  test('splits cluster-admin objects from what the deployer applies', () => {
    const admin = tenant.adminChart.toJson().map((o: any) => o.kind);
    expect([...new Set(admin)].sort()).toEqual(['LimitRange', 'Namespace', 'ResourceQuota', 'Role', 'RoleBinding', 'ServiceAccount']);
    const deployer = new Set(tenant.toJson().map((o: any) => o.kind));
    for (const k of ['Namespace', 'ResourceQuota', 'LimitRange', 'Role', 'RoleBinding', 'ServiceAccount']) expect(deployer.has(k)).toBe(false);
  });

  test('routes WordPress at wp.test and nginx at ngx.test with TLS', () => {
    const ingresses = objects.filter((o) => o.kind === 'Ingress');
    expect(ingresses.map((o) => [o.metadata.name, o.spec.rules[0].host, o.spec.tls[0].secretName])).toEqual([
      ['wordpress', 'wp.test', 'wp-tls'],
      ['ngx', 'ngx.test', 'ngx-tls'],
    ]);
    // The retired controller, and the seeds' dev team bound to the built-in edit (exec, Secret reads).
    expect(warningsOf(app)).toHaveLength(2);
    expect(warningsOf(app)[0]).toBe(
      `dev-ns: binding Group "dev-team" to ClusterRole "edit" also grants pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, read and write of every Secret, and impersonation of the namespace's ServiceAccounts`,
    );
  });

  test('its quota holds the worst case, sized for what the tenant holds', () => {
    const hard = objects.find((o) => o.kind === 'ResourceQuota').spec.hard;
    const objs = tenant.node
      .findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === tenant)
      .map((o) => o.toJson());
    const usage = tenantUsage({ objects: objs, existing: ['Secret/harbor-pull'] });
    const total = (field: string) => usage.get(field)!.reduce((s, p) => s + p.amount, 0);
    // 5 WordPress pods (HPA max 4 + 1 surge), 3 nginx (2 + 1 surge), 1 MariaDB.
    expect(total('pods')).toBe(9);
    expect(total('pods') / hard.pods).toBeGreaterThan(0.5);
    expect(total('count/deployments.apps')).toBe(hard['count/deployments.apps']);
    expect(total('requests.cpu')).toBe(1400);
    expect(total('limits.cpu')).toBe(6600);
    expect(total('secrets')).toBe(4);
  });
});
