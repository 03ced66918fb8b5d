import { App } from 'cdk8s';
import { IngressGateway } from '../lib/networking/ingress-gateway';
import { definePlatform, PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { createNginx } from './nginx';

/**
 * A cluster whose ingress is Traefik with its Kubernetes Gateway provider: the platform stack
 * installs the GatewayClass and a Gateway `traefik-gateway` in namespace `traefik`, whose HTTP
 * listener admits routes from every namespace.
 */
export const gatewayPlatform = definePlatform({
  name: 'gateway-demo',
  kubernetesVersion: '1.28.0',
  ingress: { controller: 'traefik', gatewayApi: { gatewayName: 'traefik-gateway' } },
});

/**
 * One app routed through Gateway API: nginx in tenant `hello`, served at `hello.test` by an
 * HTTPRoute attached to the platform's Gateway (TLS, if any, ends at the Gateway's listener).
 * The shared platform passed in uses ingress-nginx, which has no Gateway API: this example uses
 * its own Traefik platform above; the parameter keeps the example signature uniform.
 */
export function addGatewayExample(app: App, _platform: PlatformSpec): TenantNamespace {
  const platform = gatewayPlatform;
  const tenant = new TenantNamespace(app, 'hello', {
    platform,
    quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, pods: 10, services: 5, objectCounts: { 'deployments.apps': 1 } },
  });
  const web = createNginx(tenant, 'hello');
  const gateway = new IngressGateway(tenant.adminChart, 'gateway', { platform });
  gateway.route(web, { host: 'hello.test' });
  return tenant;
}
