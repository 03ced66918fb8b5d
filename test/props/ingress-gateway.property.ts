import * as fc from 'fast-check';
import { platform } from '../../apps/platform.config';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { RouteTls } from '../../lib/networking/route-options';
import { definePlatform } from '../../lib/platform-spec';
import { WebApp } from '../../lib/workloads/web-app';
import { dnsLabel, lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

const traefik = definePlatform({ ingress: { controller: 'traefik' } });
const traefikGateway = definePlatform({ ingress: { controller: 'traefik', gatewayApi: {} } });
const traefikGatewayHttps = definePlatform({
  certificates: { issuer: 'self-signed-ca' },
  ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['*.shop.test', '*.a.b.example.com', '*.apps.test', 'shop.test'] } } },
});
const PLATFORMS = { nginx: platform, traefik, gateway: traefikGateway, gatewayHttps: traefikGatewayHttps };

/** A gateway (its props random too), an app, and one to three route() calls. */
function routesArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const route = fc.record(
    {
      host: maybe(pick(['shop.test', 'a.b.example.com', '*.apps.test'], ['WP_test', 'grafana.test', '', 'x'.repeat(300)])),
      path: maybe(pick(['/', '/api', '/blog/'], ['blog', '/a b'])),
      pathType: maybe(pick(['Prefix', 'Exact'], ['ImplementationSpecific', 'Regex'])),
      port: maybe(pick(['http', 'metrics'], ['nope'])),
      tls: maybe(
        pick([lazy(() => RouteTls.fromPlatform()), lazy(() => RouteTls.fromSecret('shop-tls'))], [lazy(() => RouteTls.fromSecret('Shop TLS')), 'shop-tls']),
      ),
      httpsRedirect: maybe(pick<unknown>([true, false], ['yes', 1])),
      name: maybe(pick(['shop', 'api'], ['Shop', 'x'.repeat(64)])),
      ingressNginx: maybe(
        fc.record(
          { proxyBodySize: maybe(pick(['8m', '0'], ['8 MB'])), sslRedirect: maybe(fc.boolean()), backendProtocol: maybe(pick(['HTTP', 'GRPC'], ['TCP'])) },
          opt,
        ),
      ),
      traefik: maybe(
        fc.record(
          {
            entryPoints: maybe(fc.array(pick(['websecure'], ['']), { maxLength: 1 })),
            middlewares: maybe(fc.array(fc.record({ name: pick(['auth'], ['Auth']) }), { maxLength: 1 })),
          },
          opt,
        ),
      ),
    },
    { requiredKeys: mode === 'chaos' ? [] : ['host'] },
  );
  return fc
    .record({
      platform: pick(['nginx', 'traefik', 'gateway', 'gatewayHttps'] as const, ['nginx'] as const),
      gateway: maybe(fc.record({ mode: maybe(pick(['ingress'], ['gatewayApi', 'other'])), defaultClass: maybe(pick([undefined], [true])) }, opt)),
      appName: mode === 'valid' ? dnsLabel : fc.oneof(dnsLabel, fc.constantFrom('z'.repeat(64), 'Web')),
      metrics: fc.boolean(),
      routes: maybe(fc.array(route, { minLength: 1, maxLength: 3 })),
    })
    .map((p) => (mode === 'valid' ? coherent(p) : p));
}

/** Valid sets: options that belong to the platform's controller and mode, distinct hosts and names. */
function coherent(p: Record<string, any>): Record<string, unknown> {
  const routes = (p.routes as Array<Record<string, any>>).map((r, i) => {
    const out: Record<string, any> = { ...r, host: `h${i}.${r.host.replace(/^\*\./, '')}` };
    if (p.platform !== 'nginx') delete out.ingressNginx;
    if (p.platform === 'nginx') delete out.traefik;
    if (p.platform === 'gateway') delete out.tls;
    // The HTTPS listener takes only the platform's certificate (its hosts cover every h<i>.<host>).
    if (p.platform === 'gatewayHttps' && out.tls) out.tls = lazy(() => RouteTls.fromPlatform());
    if (p.platform === 'gateway' || p.platform === 'gatewayHttps') {
      if (out.traefik) delete out.traefik.entryPoints;
    }
    if (p.platform !== 'gatewayHttps' || !out.tls) delete out.httpsRedirect;
    if (!p.metrics && out.port === 'metrics') delete out.port;
    if (out.name) out.name = `${out.name}-${i}`;
    return out;
  });
  return { ...p, gateway: {}, routes };
}

describe('IngressGateway routes (property)', () => {
  test(`${RUNS} random gateways and routes: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('IngressGateway', modes(routesArb), (chart, raw, i) => {
      const p = materialize(raw) as Record<string, any>;
      const spec = PLATFORMS[p.platform as keyof typeof PLATFORMS];
      // In the app's chart: a nested Chart would become a chart dependency (slow, see STYLE.md).
      const gateway = new IngressGateway(chart, `gw${i}`, { platform: spec, ...(p.gateway ?? {}) });
      const ports = [{ name: 'http', containerPort: 8080, servicePort: 80 }, ...(p.metrics ? [{ name: 'metrics', containerPort: 9090 }] : [])];
      const app = new WebApp(chart, 'web', { image: 'nginx:1.27.3', name: p.appName, ports });
      for (const r of Array.isArray(p.routes) ? p.routes : [p.routes]) gateway.route(app, r);
    });
    tally.report('IngressGateway routes');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
