import { App } from 'cdk8s';
import { IngressGateway } from '../lib/networking/ingress-gateway';
import { definePlatform, PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { createNginx } from './nginx';

/**
 * A second cluster whose ingress is Traefik with its Kubernetes Gateway provider. Its platform
 * stack (`cdktf.out/stacks/gateway-demo/`) installs the Gateway API v1.5.1 CRDs first, then
 * Traefik with the GatewayClass and a Gateway `traefik-gateway` in namespace `traefik`, whose
 * HTTP listener admits routes from every namespace; its files are in `dist/gateway-demo/`.
 *
 * The Service is a NodePort, as on the seeds' kubeadm cluster: without a load-balancer
 * implementation a LoadBalancer Service never gets an address and Helm's `wait` times out.
 */
export const gatewayPlatform = definePlatform({
  name: 'gateway-demo',
  kubernetesVersion: '1.35.0',
  ingress: { controller: 'traefik', gatewayApi: { gatewayName: 'traefik-gateway' }, serviceType: 'NodePort' },
});

/**
 * One app routed through Gateway API: nginx in tenant `hello`, served at `hello.test` by an
 * HTTPRoute attached to the platform's Gateway (TLS, if any, ends at the Gateway's listener).
 */
export function addGatewayExample(app: App, platform: PlatformSpec = gatewayPlatform): TenantNamespace {
  const tenant = new TenantNamespace(app, 'hello', {
    platform,
    quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, pods: 10, services: 5, objectCounts: { 'deployments.apps': 1 } },
  });
  const web = createNginx(tenant, 'hello');
  const gateway = new IngressGateway(tenant.adminChart, 'gateway', { platform });
  gateway.route(web, { host: 'hello.test' });
  return tenant;
}
