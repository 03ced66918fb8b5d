import { addNodeAgent } from '../../apps/node-agent';
import { platform } from '../../apps/platform.config';
import { warningsOf } from '../../lib/core/warnings';
import { expectValidManifests } from '../support';
import { names, objectsOf } from '../examples/app-objects';

describe('example: the seeds per-node Redis as a NodeAgent', () => {
  const { app, objects, byChart } = objectsOf((a) => addNodeAgent(a, platform));
  const ds = byChart['node-agent'].find((o) => o.kind === 'DaemonSet');

  test('passes strict schema, restricted and Polaris, without warnings', () => {
    expectValidManifests(objects);
    expect(warningsOf(app)).toEqual([]);
  });

  test('readable names in the tenant and admin files', () => {
    expect(names(byChart['node-agent'])).toEqual(['DaemonSet/redis-ds', 'NetworkPolicy/allow-dns', 'NetworkPolicy/default-deny', 'NetworkPolicy/redis-ds']);
    expect(names(byChart['node-agent-admin'])).toEqual([
      'LimitRange/node-cache-limits',
      'Namespace/node-cache',
      'ResourceQuota/node-cache-quota',
      'Role/deployer',
      'RoleBinding/deployer-sa-deployer',
      'ServiceAccount/default',
      'ServiceAccount/deployer',
    ]);
  });

  test('tolerates both control-plane taint keys, as the seeds tolerated the master one', () => {
    expect(ds.spec.template.spec.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
    ]);
  });

  test('restricted, pinned, one node at a time, counted for three nodes', () => {
    const c = ds.spec.template.spec.containers[0];
    expect(c.image).toBe('redis:7.4.2-alpine');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false });
    expect(c.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/data' }]);
    // The image's own redis user (test/examples/images.ts), writing only the /data emptyDir, on 6379.
    expect(ds.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(c.ports).toEqual([{ name: 'redis', containerPort: 6379, protocol: 'TCP' }]);
    expect(ds.spec.template.spec.volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.metadata.annotations).toEqual({ 'paas.cdk8s.io/node-count': '3' });
    expect(ds.spec.template.spec.hostNetwork).toBeUndefined();
  });

  test('only the namespace pods reach the Redis port', () => {
    const np = byChart['node-agent'].find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'redis-ds');
    expect(np.spec.ingress).toContainEqual({ from: [{ podSelector: {} }], ports: [{ port: 'redis', protocol: 'TCP' }] });
    expect(np.spec.ingress.filter((r: any) => !r.ports)).toEqual(np.spec.ingress.filter((r: any) => !r.ports && r.from[0].podSelector?.matchLabels));
  });

  test('the deployer may create the DaemonSet', () => {
    const role = byChart['node-agent-admin'].find((o) => o.kind === 'Role');
    expect(role.rules).toContainEqual({
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      verbs: expect.arrayContaining(['create']),
    });
  });
});
