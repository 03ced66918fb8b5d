import { Chart } from 'cdk8s';
import { IngressGateway } from '../lib/networking/ingress-gateway';
import { definePlatform } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { WebApp } from '../lib/workloads/web-app';

const platform = definePlatform({ nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'] } });

/**
 * Builds `n` tenants beside `chart` (TenantNamespace must sit directly in the App): each with a
 * quota and a LimitRange, two WebApps and a route to each through one cluster IngressGateway.
 * The quota fit check runs per tenant; this case shows whether synth time grows linearly with the
 * number of tenants. Run as the bench case `tenants.bench-case#buildTenants`.
 */
export function buildTenants(chart: Chart, n: number): void {
  const app = chart.node.scope!;
  const gateway = new IngressGateway(chart, 'gateway', { platform });
  for (let i = 0; i < n; i++) {
    const tenant = new TenantNamespace(app, `t${i}`, {
      platform,
      quota: { requests: { cpu: '8', memory: '16Gi' }, limits: { cpu: '16', memory: '32Gi' }, pods: 40 },
      limits: { container: { max: { cpu: '2', memory: '4Gi' } } },
    });
    for (const name of ['web', 'api']) {
      const web = new WebApp(tenant, name, { image: 'nginx:1.27.3' });
      gateway.route(web, { host: `${name}.t${i}.test` });
    }
  }
}
