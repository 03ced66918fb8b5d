import { Chart, Testing } from 'cdk8s';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { RouteTls } from '../../lib/networking/route-options';
import { definePlatform, PlatformSpec } from '../../lib/platform-spec';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { WebApp } from '../../lib/workloads/web-app';
import { expectValidManifests, synthObjects } from '../support';

const withCa = definePlatform({ certificates: { issuer: 'self-signed-ca' } });
const withAcme = definePlatform({ certificates: { issuer: 'acme', acme: { email: 'ops@example.com' } } });
const without = definePlatform();

function route(spec: PlatformSpec, tls: RouteTls) {
  const app = Testing.app();
  const cluster = new Chart(app, 'cluster', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(cluster, 'gateway', { platform: spec });
  const tenant = new TenantNamespace(app, 'shop', { platform: spec });
  const web = new WebApp(tenant, 'web', {
    image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
    ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
  });
  gateway.route(web, { host: 'shop.example.com', tls });
  return synthObjects(app);
}

describe('RouteTls.fromPlatform: certificates from the platform cert-manager (ingress-shim)', () => {
  test("the Ingress names the platform's ClusterIssuer and the Secret cert-manager writes", () => {
    const objects = route(withCa, RouteTls.fromPlatform({ secretName: 'shop-tls' }));
    const ingress = objects.find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'platform-ca' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'shop-tls' }]);
    // no Secret in our output: cert-manager creates it
    expect(objects.filter((o) => o.kind === 'Secret' || o.kind === 'Certificate')).toEqual([]);
    expectValidManifests(objects);
  });

  test('the Secret name defaults to <route>-tls; the ACME issuer is named acme', () => {
    const ingress = route(withAcme, RouteTls.fromPlatform()).find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'acme' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
  });

  test('fails if the platform has no cert-manager', () => {
    expect(() => route(without, RouteTls.fromPlatform())).toThrow(
      `cluster/gateway.route(shop/web): tls "RouteTls.fromPlatform()" is invalid: comes from the platform's cert-manager, and the platform spec has no certificates: add certificates: { issuer: 'self-signed-ca' } (or 'acme') to definePlatform, or use RouteTls.fromSecret`,
    );
  });

  test('fails if the Secret name is not a DNS subdomain', () => {
    expect(() => RouteTls.fromPlatform({ secretName: 'Shop_TLS' })).toThrow('RouteTls: secretName "Shop_TLS" is invalid');
  });

  test('plain JavaScript: null options are no options, not a TypeError', () => {
    const ingress = route(withCa, RouteTls.fromPlatform(null as never)).find((o) => o.kind === 'Ingress');
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'web-tls' }]);
    expect(() => RouteTls.certManager('other', null as never)).not.toThrow();
  });

  test('an explicit issuer keeps working next to it', () => {
    const ingress = route(withCa, RouteTls.certManager('other', { clusterIssuer: false })).find((o) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'other' });
  });
});
