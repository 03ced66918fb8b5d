import { App } from 'cdk8s';
import { IngressGateway } from '../lib/networking/ingress-gateway';
import { RouteTls } from '../lib/networking/route-options';
import { definePlatform, PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { createNginx } from './nginx';

/**
 * A second cluster whose ingress is Traefik with its Kubernetes Gateway provider. Its platform
 * stack (`cdktf.out/stacks/gateway-demo/`) installs cert-manager (the lab CA, as on the seeds'
 * cluster) and the Gateway API v1.5.1 CRDs first, then Traefik with the GatewayClass and a
 * Gateway `traefik-gateway` in namespace `traefik`: an HTTP listener `web` and an HTTPS listener
 * `websecure` whose certificate for `hello.test` cert-manager issues from the lab CA (a
 * Certificate in the Traefik release); both admit routes from every namespace. Its files are in
 * `dist/gateway-demo/`.
 *
 * The Service is a NodePort, as on the seeds' kubeadm cluster: without a load-balancer
 * implementation a LoadBalancer Service never gets an address and Helm's `wait` times out.
 */
export const gatewayPlatform = definePlatform({
  name: 'gateway-demo',
  kubernetesVersion: '1.35.0',
  certificates: { issuer: 'self-signed-ca' },
  ingress: {
    controller: 'traefik',
    gatewayApi: { gatewayName: 'traefik-gateway', https: { hosts: ['hello.test'] } },
    serviceType: 'NodePort',
  },
});

/**
 * One app routed through Gateway API: nginx in tenant `hello`, served at https://hello.test by an
 * HTTPRoute on the platform Gateway's HTTPS listener (TLS ends there, with the listener's
 * certificate), and plain http://hello.test answered with a 301 to https by a second HTTPRoute.
 */
export function addGatewayExample(app: App, platform: PlatformSpec = gatewayPlatform): TenantNamespace {
  const tenant = new TenantNamespace(app, 'hello', {
    platform,
    quota: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' }, pods: 10, services: 5, objectCounts: { 'deployments.apps': 1 } },
  });
  const web = createNginx(tenant, 'hello');
  const gateway = new IngressGateway(tenant.adminChart, 'gateway', { platform });
  gateway.route(web, { host: 'hello.test', tls: RouteTls.fromPlatform() });
  return tenant;
}
