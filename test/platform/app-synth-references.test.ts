import { CLUSTERS, buildClusterApp } from '../../apps/main';
import { platformProvides } from '../../lib/platform';
import { validate } from '../../lib/validation';

/**
 * dist/ of each example cluster refers to objects by name that its platform stack creates (the
 * chart's StorageClass and IngressClass, Traefik's Gateway, cert-manager's ClusterIssuer, the
 * add-on namespaces). platformProvides() declares them per add-on; with it, the references check
 * finds nothing missing but the tenants' Secrets (the credentials stack, tested in
 * credentials.test.ts).
 */
describe.each(CLUSTERS.map((c) => [c.platform.name, c] as const))('%s: what dist/ refers to is created by dist/ or the platform stack', (_name, cluster) => {
  const app = buildClusterApp(cluster);
  const provided = platformProvides(cluster.platform);
  const refs = (createdOutside: typeof provided) =>
    validate(app, { config: { createdOutside } })
      .findings.filter((f) => f.id.startsWith('references/') && !f.exemption)
      .map((f) => f.message.split(' is referenced')[0]);

  test('nothing but Secrets is missing with the platform stack declared', () => {
    // (static-nfs's PersistentVolume and its pre-bound claim share the class name "nfs": bound by
    // that string, no StorageClass object needed, and the references check knows it.)
    expect(refs(provided).filter((m) => !m.startsWith('Secret '))).toEqual([]);
  });

  test('without the declaration, the platform objects dist/ uses are reported (the check can fail)', () => {
    const missing = refs([]).filter((m) => !m.startsWith('Secret '));
    const expected =
      cluster.platform.name === 'seeds' ? ['ClusterIssuer "platform-ca"', 'IngressClass "nginx"', 'StorageClass "nfs-client"'] : ['Gateway "traefik-gateway"'];
    for (const e of expected) expect(missing.some((m) => m.startsWith(e))).toBe(true);
  });
});

test('declared per add-on: what the seeds platform stack provides', () => {
  const seeds = CLUSTERS[0].platform;
  expect(platformProvides(seeds).map((p) => `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`)).toEqual([
    'Namespace ingress-nginx',
    'IngressClass nginx',
    'Namespace cert-manager',
    'ClusterIssuer platform-ca',
    'Namespace monitoring',
    'Namespace monitoring-node',
    'Namespace metrics-server',
    'Namespace nfs-provisioner',
    'StorageClass nfs-client',
    'Namespace harbor',
  ]);
});
