import * as fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { RouteTls } from '../../lib/networking/route-options';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { WebApp } from '../../lib/workloads/web-app';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { validateAll } from '../support';
import { apiServerProblems, materialize, Mode, modes, outcome, pickers, RUNS, SEED, Tally } from './harness';

/** definePlatform input over every section, per mode (see harness). */
function platformArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const ns = (good: string[]) => maybe(pick(good, ['Kube System', 'x'.repeat(64)]));
  return fc
    .record(
      {
        name: maybe(pick(['lab', 'prod-eu'], ['Lab', ''])),
        kubernetesVersion: maybe(pick(['1.28', '1.35', '1.35.1'], ['1.99', 'latest', '1'])),
        certificates: maybe(
          fc.record(
            {
              issuer: maybe(pick(['self-signed-ca', 'acme'], ['letsencrypt'])),
              acme: maybe(fc.record({ email: maybe(pick(['ops@example.com'], ['', 'ops'])) }, { requiredKeys: ['email'] })),
            },
            { requiredKeys: ['issuer'] },
          ),
        ),
        nfs: maybe(
          fc.record(
            {
              server: maybe(pick(['192.168.56.10'], ['nfs server'])),
              path: maybe(pick(['/srv/nfs/k8s'], ['srv'])),
              backend: maybe(pick(['nfs-subdir', 'csi-driver-nfs'], ['x'])),
              namespace: ns(['nfs', 'storage']),
              storageClassName: maybe(pick(['nfs-client'], ['NFS'])),
              defaultClass: maybe(fc.boolean()),
            },
            { requiredKeys: ['server', 'path'] },
          ),
        ),
        ingress: maybe(
          fc.record(
            {
              controller: maybe(pick(['ingress-nginx', 'traefik'], ['haproxy'])),
              className: maybe(pick(['nginx', 'traefik'], ['Nginx'])),
              namespace: ns(['ingress-nginx']),
              serviceType: maybe(pick(['LoadBalancer', 'NodePort'], ['ClusterIP'])),
              gatewayApi: maybe(
                fc.record(
                  {
                    gatewayName: maybe(pick(['traefik-gateway', 'edge'], ['Edge'])),
                    https: maybe(
                      fc.record(
                        { hosts: maybe(fc.array(pick(['hello.test', '*.apps.test', 'shop.example.com'], ['Bad_Host', '10.0.0.1', '']), { maxLength: 3 })) },
                        { requiredKeys: ['hosts'] },
                      ),
                    ),
                  },
                  opt,
                ),
              ),
            },
            opt,
          ),
        ),
        monitoring: maybe(
          fc.record(
            {
              namespace: ns(['monitoring']),
              grafana: maybe(fc.record({ host: maybe(pick(['grafana.example.com'], ['http://g', ''])) }, { requiredKeys: ['host'] })),
            },
            opt,
          ),
        ),
        registry: maybe(
          fc.record(
            { host: maybe(pick(['harbor.example.com'], ['harbor.example.com/path', ''])), pullSecretName: maybe(pick(['harbor-pull'], ['Pull'])) },
            { requiredKeys: ['host'] },
          ),
        ),
        metricsServer: maybe(fc.record({ enabled: maybe(fc.boolean()) }, opt)),
        nodeCount: maybe(pick([1, 3], [0, -1, 2.5])),
        typo:
          mode === 'valid'
            ? fc.constant({})
            : fc.oneof({ arbitrary: fc.constant({}), weight: 20 }, fc.constant({ kubernetesVerison: '1.35' }), fc.constant({ ingres: {} })),
      },
      { requiredKeys: ['typo'] },
    )
    .map(({ typo, ...rest }) => ({ ...rest, ...(typo as object) }))
    .map((p) => (mode === 'valid' ? coherentGateway(p) : p));
}

/** Valid sets: Gateway API on Traefik, an HTTPS listener with hosts and the lab CA, often enough to matter. */
function coherentGateway(p: Record<string, any>): Record<string, unknown> {
  const gw = p.ingress?.gatewayApi;
  if (!gw) return p;
  const out: Record<string, any> = { ...p, ingress: { ...p.ingress, controller: 'traefik', className: 'traefik' } };
  if (gw.https) {
    out.ingress.gatewayApi = { ...gw, https: { hosts: gw.https.hosts.length ? [...new Set(gw.https.hosts)] : ['hello.test'] } };
    out.certificates = { issuer: 'self-signed-ca' };
  }
  return out;
}

describe('definePlatform (property)', () => {
  test(`${RUNS} random platform inputs: a clear PaasValidationError naming a field, or a spec that tenants and storage accept`, () => {
    const tally = new Tally();
    let httpsRoutes = 0;
    for (const raw of fc.sample(modes(platformArb), { numRuns: RUNS, seed: SEED })) {
      try {
        tally.add(
          outcome(() => {
            const platform = definePlatform(materialize(raw) as never);
            // A spec that definePlatform accepts must carry constructs without a TypeError.
            const app = new App();
            const tenant = new TenantNamespace(app, 'team', { platform });
            // An HTTPS listener the spec accepted serves a TLS route for one of its hosts.
            const https = platform.ingress.gatewayApi?.https;
            if (https) {
              const host = https.hosts[0].replace(/^\*\./, 'www.');
              const web = new WebApp(tenant, 'web', {
                image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
                ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
              });
              new IngressGateway(tenant.adminChart, 'gateway', { platform }).route(web, { host, tls: RouteTls.fromPlatform() });
              httpsRoutes++;
            }
            if (platform.nfs) NfsStorage.fromPlatform(new Chart(app, 'cluster'), 'nfs', platform).claim(app.charts[0], 'data', { size: '1Gi' });
            const objects = app.charts.flatMap((c) => c.toJson());
            // The API server's own rules, and our shipped checks (schema, Pod Security, Polaris).
            const api = [...apiServerProblems(objects), ...validateAll(objects)];
            if (api.length > 0) throw new Error(`accepted, but the output is invalid:\n  - ${api.join('\n  - ')}`);
          }),
        );
      } catch (e) {
        throw new Error(`definePlatform: ${(e as Error).stack}\ninput: ${JSON.stringify(raw)}`);
      }
    }
    tally.report('definePlatform');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
    // The HTTPS listener branch is exercised, not only drawn.
    expect(httpsRoutes).toBeGreaterThan(RUNS / 100);
  });
});
