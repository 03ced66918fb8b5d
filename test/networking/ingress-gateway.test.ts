import { App, Chart, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { warningsOf } from '../../lib/core/warnings';
import { IngressGateway, IngressGatewayProps } from '../../lib/networking/ingress-gateway';
import { RouteTls } from '../../lib/networking/route-options';
import { definePlatform, PlatformSpec } from '../../lib/platform-spec';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { WebApp } from '../../lib/workloads/web-app';
import { expectValidManifests, synthObjects, validateAll } from '../support';

const f5 = definePlatform({ ingress: { controller: 'f5-nginx', className: 'ngx-ink' } });
const traefik = definePlatform({ ingress: { controller: 'traefik' } });
const traefikGateway = definePlatform({ ingress: { controller: 'traefik', gatewayApi: {} } });

function setup(spec: PlatformSpec = platform, props: Partial<IngressGatewayProps> = {}) {
  const app = Testing.app();
  const cluster = new Chart(app, 'cluster', { disableResourceNameHashes: true });
  const gateway = new IngressGateway(cluster, 'gateway', { platform: spec, ...props });
  const tenant = new TenantNamespace(app, 'dev-ns', { platform: spec });
  const web = new WebApp(tenant, 'wordpress', {
    image: 'wordpress:6.6.2-php8.2-apache',
    ports: [
      { name: 'http', containerPort: 8080, servicePort: 80 },
      { name: 'admin', containerPort: 9000 },
    ],
  });
  return { app, cluster, gateway, tenant, web };
}

const find = (objects: any[], kind: string, name?: string) => objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('Ingress mode', () => {
  test('routes a host to the app Service and opens the policy from the controller namespace', () => {
    const { app, gateway, web } = setup();
    const ingress = gateway.route(web, { host: 'wp.test', tls: RouteTls.fromSecret('wp-tls') });
    const objects = synthObjects(app);
    expect(ingress.kind).toBe('Ingress');
    expect(find(objects, 'Ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'wordpress', namespace: 'dev-ns', labels: { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/managed-by': 'cdk8s-paas' } },
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'wp.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'wordpress', port: { number: 80 } } } }] } }],
        tls: [{ hosts: ['wp.test'], secretName: 'wp-tls' }],
      },
    });
    expect(find(objects, 'NetworkPolicy', 'wordpress-from-ingress-nginx').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/instance': 'wordpress' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
    });
    expect(find(objects, 'IngressClass')).toBeUndefined();
    expectValidManifests(objects);
  });

  test('warns at synth time that ingress-nginx is retired, naming the alternatives', () => {
    const { app } = setup();
    expect(warningsOf(app)).toEqual([
      'cluster/gateway: ingress-nginx is retired upstream (March 2026, chart 4.15.1 final): no more fixes, security ones included. Move to Traefik (controller "traefik", which also serves Gateway API) or F5 NGINX Ingress Controller ("f5-nginx")',
    ]);
    expect(warningsOf(setup(traefik).app)).toEqual([]);
  });

  test('a route without TLS is reported by Polaris tlsSettingsMissing', () => {
    const { app, gateway, web } = setup();
    gateway.route(web, { host: 'wp.test' });
    expect(validateAll(synthObjects(app)).join('\n')).toContain('tlsSettingsMissing');
  });

  test('asks cert-manager for the certificate through an issuer annotation', () => {
    const { gateway, web } = setup();
    const cluster = gateway.route(web, { host: 'wp.test', tls: RouteTls.certManager('letsencrypt') }).toJson();
    expect(cluster.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(cluster.spec.tls).toEqual([{ hosts: ['wp.test'], secretName: 'wordpress-tls' }]);
    const ns = gateway.route(web, { host: 'blog.test', tls: RouteTls.certManager('local-ca', { clusterIssuer: false, secretName: 'blog-cert' }) }).toJson();
    expect(ns.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'local-ca' });
    expect(ns.spec.tls).toEqual([{ hosts: ['blog.test'], secretName: 'blog-cert' }]);
  });

  test('typed ingress-nginx options become its annotations', () => {
    const { gateway, web } = setup();
    const ingress = gateway.route(web, {
      host: 'wp.test',
      path: '/blog',
      pathType: 'Exact',
      ingressNginx: { proxyBodySize: '16m', sslRedirect: false, rewriteTarget: '/', backendProtocol: 'HTTP' },
    });
    expect(ingress.toJson().metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/proxy-body-size': '16m',
      'nginx.ingress.kubernetes.io/ssl-redirect': 'false',
      'nginx.ingress.kubernetes.io/rewrite-target': '/',
      'nginx.ingress.kubernetes.io/backend-protocol': 'HTTP',
    });
    expect(ingress.toJson().spec.rules[0].http.paths[0]).toMatchObject({ path: '/blog', pathType: 'Exact' });
  });

  test('fails if an nginx size is malformed', () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'wp.test', ingressNginx: { proxyBodySize: '16MB' } })).toThrow(
      'cluster/gateway.route(dev-ns/wordpress): ingressNginx.proxyBodySize "16MB" is invalid: must be an nginx size such as "8m", "512k", "1g" or "0" (unlimited): a number with an optional k, m or g',
    );
  });

  test('fails if a rewrite target is not a path', () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'wp.test', ingressNginx: { rewriteTarget: '$2' } })).toThrow(
      'cluster/gateway.route(dev-ns/wordpress): ingressNginx.rewriteTarget "$2" is invalid: must be a path starting with "/", e.g. "/" or "/$2"',
    );
  });

  test("F5 NGINX: the IngressClass is emitted (cluster-scoped) and the seeds' lb-method is typed", () => {
    const app = Testing.app();
    const tenant = new TenantNamespace(app, 'dev-ns', { platform: f5 });
    const gateway = new IngressGateway(tenant.adminChart, 'gateway', { platform: f5 });
    const web = new WebApp(tenant, 'ngx', { image: 'nginx:1.27.3' });
    gateway.route(web, {
      host: 'ngx.test',
      pathType: 'Exact',
      tls: RouteTls.fromSecret('ngx-tls'),
      f5Nginx: { lbMethod: 'round_robin', clientMaxBodySize: '8m', sslRedirect: true },
    });
    const objects = synthObjects(app);
    expect(find(objects, 'IngressClass')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        name: 'ngx-ink',
        labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' },
        annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
      },
      spec: { controller: 'nginx.org/ingress-controller' },
    });
    expect(find(objects, 'Ingress').metadata.annotations).toEqual({
      'nginx.org/lb-method': 'round_robin',
      'nginx.org/client-max-body-size': '8m',
      'nginx.org/ssl-redirect': 'true',
    });
    expect(find(objects, 'Ingress').spec.ingressClassName).toBe('ngx-ink');
    expect(find(objects, 'NetworkPolicy', 'ngx-from-nginx-ingress')).toBeDefined();
    expectValidManifests(objects);
  });

  test('an emitted IngressClass in a namespaced chart carries no namespace and can be non-default', () => {
    const app = Testing.app();
    const gateway = new IngressGateway(new Chart(app, 'c', { namespace: 'x' }), 'gw', { platform, emitIngressClass: true, defaultClass: false });
    expect(gateway.ingressClass!.toJson().metadata).toEqual({ name: 'nginx', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' } });
    expect(gateway.ingressClass!.toJson().spec).toEqual({ controller: 'k8s.io/ingress-nginx' });
  });

  test('Traefik options become router annotations', () => {
    const { gateway, web } = setup(traefik);
    const ingress = gateway.route(web, {
      host: 'wp.test',
      traefik: { entryPoints: ['websecure'], middlewares: [{ name: 'strip' }, { name: 'auth', namespace: 'shared' }] },
    });
    expect(ingress.toJson().metadata.annotations).toEqual({
      'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
      'traefik.ingress.kubernetes.io/router.middlewares': 'dev-ns-strip@kubernetescrd,shared-auth@kubernetescrd',
    });
  });

  test("fails if options of another controller are given, naming the gateway's controller", () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'wp.test', f5Nginx: { lbMethod: 'round_robin' }, traefik: { entryPoints: ['web'] } })).toThrow(
      [
        '2 problems:',
        '  - cluster/gateway.route(dev-ns/wordpress): f5Nginx {"lbMethod":"round_robin"} is invalid: are options of controller "f5-nginx", but this gateway\'s controller is "ingress-nginx"',
        '  - cluster/gateway.route(dev-ns/wordpress): traefik {"entryPoints":["web"]} is invalid: are options of controller "traefik", but this gateway\'s controller is "ingress-nginx"',
      ].join('\n'),
    );
  });

  test('fails if the host is not a DNS name, the path is relative or the pathType unknown', () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'WP_test', path: 'blog', pathType: 'Regex' as any })).toThrow(
      [
        '3 problems:',
        `  - cluster/gateway.route(dev-ns/wordpress): host "WP_test" is invalid: must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', labels of 1-63 characters starting and ending with a letter or digit; an optional leading "*." wildcard): label "WP_test" is not`,
        '  - cluster/gateway.route(dev-ns/wordpress): path "blog" is invalid: must be an absolute URL path starting with "/"',
        '  - cluster/gateway.route(dev-ns/wordpress): pathType "Regex" is invalid: must be "Prefix", "Exact" or "ImplementationSpecific"',
      ].join('\n'),
    );
  });

  test('routes to a named port, with one policy per port', () => {
    const { app, gateway, web } = setup();
    gateway.route(web, { host: 'wp.test', tls: RouteTls.fromSecret('wp-tls') });
    const admin = gateway.route(web, { host: 'wp-admin.test', port: 'admin', tls: RouteTls.fromSecret('wp-tls') });
    gateway.route(web, { host: 'www.wp.test', tls: RouteTls.fromSecret('wp-tls') });
    expect(admin.name).toBe('wordpress-2');
    expect(admin.toJson().spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'wordpress', port: { name: 'admin' } } });
    const objects = synthObjects(app);
    expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name)).toEqual(['wordpress', 'wordpress-2', 'wordpress-3']);
    expect(
      objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.includes('from-ingress')).map((o) => [o.metadata.name, o.spec.ingress[0].ports]),
    ).toEqual([
      ['wordpress-from-ingress-nginx', [{ port: 8080, protocol: 'TCP' }]],
      ['wordpress-admin-from-ingress-nginx', [{ port: 9000, protocol: 'TCP' }]],
    ]);
    expectValidManifests(objects);
  });

  test('fails if the named port does not exist on the app', () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'wp.test', port: 'metrics' })).toThrow(
      'dev-ns/wordpress: port "metrics" is invalid: must be one of the app\'s port names: "http", "admin"',
    );
  });

  test('fails if the same host and path are claimed twice anywhere in the app', () => {
    const { app, gateway, web } = setup();
    const other = new TenantNamespace(app, 'other', { platform });
    const web2 = new WebApp(other, 'blog', { image: 'nginx:1.27.3' });
    gateway.route(web, { host: 'wp.test' });
    gateway.route(web, { host: 'wp.test', path: '/wp-admin' });
    gateway.route(web2, { host: 'wp.test' });
    expect(() => synthObjects(app)).toThrow(
      'other/blog/Route-blog: host "wp.test/" is invalid: is already routed by Ingress "wordpress" in namespace "dev-ns" (dev-ns/wordpress/Route-wordpress); each host and path must have one owner: change the host or path, or remove one route',
    );
  });
});

describe('prop validation', () => {
  test("fails if a route claims a host the platform's add-ons serve (Grafana, Harbor)", () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'Grafana.test', path: '/wp' })).toThrow(
      [
        '2 problems:',
        `  - cluster/gateway.route(dev-ns/wordpress): host "Grafana.test" is invalid: must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', labels of 1-63 characters starting and ending with a letter or digit; an optional leading "*." wildcard): label "Grafana" is not`,
        `  - cluster/gateway.route(dev-ns/wordpress): host "Grafana.test" is invalid: is served by Grafana, which the platform stack exposes there (monitoring.grafana): a route on the same host would mix into that app's paths; use another host`,
      ].join('\n'),
    );
    expect(() => gateway.route(web, { host: 'harbor.test' })).toThrow(
      `cluster/gateway.route(dev-ns/wordpress): host "harbor.test" is invalid: is served by Harbor, which the platform stack exposes there (registry.host): a route on the same host would mix into that app's paths; use another host`,
    );
    // A registry the platform does not install owns no host here.
    const external = definePlatform({ registry: { host: 'harbor.test', installHarbor: false } });
    const ext = setup(external);
    expect(ext.gateway.route(ext.web, { host: 'harbor.test' }).kind).toBe('Ingress');
  });

  test('fails if defaultClass is given for an IngressClass the controller chart creates', () => {
    expect(() => new IngressGateway(new Chart(Testing.app(), 'c'), 'gw', { platform, defaultClass: false })).toThrow(
      `c/gw: defaultClass false is invalid: only applies to an IngressClass this gateway emits; the "ingress-nginx" chart creates "nginx" with the default flag from the platform's ingress.defaultClass: set it there, or emitIngressClass: true`,
    );
  });

  test('fails if the mode is unknown', () => {
    expect(() => new IngressGateway(new Chart(Testing.app(), 'c'), 'gw', { platform, mode: 'nodePort' as any })).toThrow(
      'c/gw: mode "nodePort" is invalid: must be "ingress" or "gatewayApi"',
    );
  });

  test('fails if the route name is not a DNS label', () => {
    const { gateway, web } = setup();
    expect(() => gateway.route(web, { host: 'wp.test', name: 'WP' })).toThrow(
      'cluster/gateway.route(dev-ns/wordpress): name "WP" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit',
    );
  });

  test('fails if a TLS secret or issuer name is invalid', () => {
    expect(() => RouteTls.fromSecret('WP_TLS')).toThrow('RouteTls: secretName "WP_TLS" is invalid: must be a DNS-1123 subdomain');
    expect(() => RouteTls.certManager('')).toThrow('RouteTls: issuer "" is invalid: must be a DNS-1123 subdomain');
    expect(() => RouteTls.certManager('ca', { secretName: 'Bad' })).toThrow('RouteTls: secretName "Bad" is invalid: must be a DNS-1123 subdomain');
  });
});

describe('Gateway API mode', () => {
  test('routes render as HTTPRoutes attached to the platform Gateway', () => {
    const { app, gateway, web } = setup(traefikGateway);
    expect(gateway.mode).toBe('gatewayApi');
    const route = gateway.route(web, { host: 'wp.test', path: '/shop', pathType: 'Exact', traefik: { middlewares: [{ name: 'strip' }] } });
    expect(route.toJson()).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'wordpress', namespace: 'dev-ns', labels: { 'app.kubernetes.io/name': 'wordpress', 'app.kubernetes.io/managed-by': 'cdk8s-paas' } },
      spec: {
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik', sectionName: 'web' }],
        hostnames: ['wp.test'],
        rules: [
          {
            matches: [{ path: { type: 'Exact', value: '/shop' } }],
            filters: [{ type: 'ExtensionRef', extensionRef: { group: 'traefik.io', kind: 'Middleware', name: 'strip' } }],
            backendRefs: [{ group: '', kind: 'Service', name: 'wordpress', port: 80 }],
          },
        ],
      },
    });
    const objects = synthObjects(app);
    expect(find(objects, 'NetworkPolicy', 'wordpress-from-traefik')).toBeDefined();
    expectValidManifests(objects);
  });

  test('Prefix becomes PathPrefix', () => {
    const { gateway, web } = setup(traefikGateway);
    expect(gateway.route(web, { host: 'wp.test' }).toJson().spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
  });

  test('fails if an option has no HTTPRoute equivalent', () => {
    const { gateway, web } = setup(traefikGateway);
    expect(() =>
      gateway.route(web, {
        host: 'wp.test',
        pathType: 'ImplementationSpecific',
        tls: RouteTls.fromSecret('wp-tls'),
        traefik: { entryPoints: ['websecure'], middlewares: [{ name: 'auth', namespace: 'shared' }] },
      }),
    ).toThrow(
      [
        '4 problems:',
        '  - cluster/gateway.route(dev-ns/wordpress): pathType "ImplementationSpecific" is invalid: has no HTTPRoute equivalent in Gateway API mode: use "Prefix" or "Exact"',
        `  - cluster/gateway.route(dev-ns/wordpress): tls "wp-tls" is invalid: names its own certificate, but in Gateway API mode TLS ends at the platform Gateway's HTTPS listener, which holds the certificate: use RouteTls.fromPlatform(), or Ingress mode for a certificate of the route's own`,
        `  - cluster/gateway.route(dev-ns/wordpress): traefik.entryPoints ["websecure"] is invalid: has no HTTPRoute equivalent in Gateway API mode: the Gateway's listeners decide where routes are served`,
        `  - cluster/gateway.route(dev-ns/wordpress): traefik.middlewares[0].namespace "shared" is invalid: has no HTTPRoute equivalent in Gateway API mode: ExtensionRef filters only reach Middlewares in the route's own namespace`,
      ].join('\n'),
    );
  });

  test('fails if Gateway API is chosen with a controller that does not implement it', () => {
    const app = Testing.app();
    expect(() => new IngressGateway(new Chart(app, 'c'), 'gw', { platform, mode: 'gatewayApi' })).toThrow(
      'c/gw: mode "gatewayApi" is invalid: needs a controller that implements Gateway API, and "ingress-nginx" does not: use controller "traefik" with ingress.gatewayApi in the platform',
    );
    // A hand-built spec that skipped definePlatform's own check is caught the same way.
    const forged: PlatformSpec = { ...f5, ingress: { ...f5.ingress, gatewayApi: { gatewayName: 'gw', gatewayNamespace: 'gw', httpListener: 'web' } } };
    expect(() => new IngressGateway(new Chart(app, 'd'), 'gw', { platform: forged })).toThrow(
      'd/gw: mode "gatewayApi" is invalid: needs a controller that implements Gateway API, and "f5-nginx" does not',
    );
  });

  test('fails if Gateway API mode is asked of a Traefik platform without a Gateway', () => {
    expect(() => new IngressGateway(new Chart(Testing.app(), 'c'), 'gw', { platform: traefik, mode: 'gatewayApi' })).toThrow(
      'c/gw: mode "gatewayApi" is invalid: needs the platform\'s ingress.gatewayApi (the Gateway that HTTPRoutes attach to)',
    );
  });

  describe('HTTPS listener (ingress.gatewayApi.https)', () => {
    const secure = definePlatform({
      certificates: { issuer: 'self-signed-ca' },
      ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['wp.test', '*.apps.test'] } } },
    });

    test('a TLS route attaches to the HTTPS listener and plain HTTP is redirected to it', () => {
      const { app, gateway, web } = setup(secure);
      const route = gateway.route(web, { host: 'wp.test', tls: RouteTls.fromPlatform() }).toJson();
      expect(route.spec.parentRefs).toEqual([
        { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik', sectionName: 'websecure' },
      ]);
      expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'wordpress', port: 80 }]);
      const objects = synthObjects(app);
      const redirect = find(objects, 'HTTPRoute', 'wordpress-redirect');
      expect(redirect.spec).toEqual({
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik', sectionName: 'web' }],
        hostnames: ['wp.test'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
          },
        ],
      });
      // No Certificate or Secret on the tenant side: the listener's certificate is the platform stack's.
      expect(objects.filter((o) => o.kind === 'Certificate' || o.kind === 'Secret')).toEqual([]);
      // Gateway API mode needs no Ingress annotation: the route carries none.
      expect(route.metadata.annotations).toBeUndefined();
      expectValidManifests(objects);
    });

    test('a wildcard host of the listener covers one label', () => {
      const { gateway, web } = setup(secure);
      expect(gateway.route(web, { host: 'shop.apps.test', tls: RouteTls.fromPlatform() }).toJson().spec.parentRefs[0].sectionName).toBe('websecure');
      expect(() => gateway.route(web, { host: 'a.shop.apps.test', tls: RouteTls.fromPlatform(), name: 'deep' })).toThrow(
        'host "a.shop.apps.test" is invalid: is not covered by the certificate of the Gateway\'s HTTPS listener (ingress.gatewayApi.https.hosts: "*.apps.test", "wp.test"): add the host there, or route it without tls',
      );
    });

    test('httpsRedirect: false leaves plain HTTP unanswered; non-TLS routes stay on the HTTP listener', () => {
      const { app, gateway, web } = setup(secure);
      gateway.route(web, { host: 'wp.test', tls: RouteTls.fromPlatform(), httpsRedirect: false });
      const plain = gateway.route(web, { host: 'plain.test', name: 'plain' }).toJson();
      expect(plain.spec.parentRefs[0].sectionName).toBe('web');
      expect(
        synthObjects(app)
          .filter((o) => o.kind === 'HTTPRoute')
          .map((o) => o.metadata.name),
      ).toEqual(['wordpress', 'plain']);
    });

    test("TLS problems of a Gateway route name the fix, with the route's other problems", () => {
      const { gateway, web } = setup(secure);
      expect(() => gateway.route(web, { host: 'other.test', path: 'x', tls: RouteTls.fromPlatform({ secretName: 'mine' }), httpsRedirect: true })).toThrow(
        [
          '2 problems:',
          '  - cluster/gateway.route(dev-ns/wordpress): path "x" is invalid: must be an absolute URL path starting with "/"',
          `  - cluster/gateway.route(dev-ns/wordpress): tls.secretName "mine" is invalid: is a Secret for RouteTls.fromPlatform(), but in Gateway API mode the certificate is the Gateway listener's (the platform stack's Certificate): drop secretName`,
        ].join('\n'),
      );
      expect(() => gateway.route(web, { host: 'other.test', httpsRedirect: true })).toThrow(
        'httpsRedirect true is invalid: only applies to a route with tls (it redirects plain HTTP to the HTTPS listener)',
      );
      expect(() => gateway.route(web, { host: 'other.test', tls: RouteTls.certManager('mine') })).toThrow('tls "mine" is invalid: names its own certificate');
    });

    test('a TLS route on a Gateway without an HTTPS listener says how to add one', () => {
      const { gateway, web } = setup(traefikGateway);
      expect(() => gateway.route(web, { host: 'wp.test', tls: RouteTls.fromPlatform() })).toThrow(
        'tls "RouteTls.fromPlatform()" is invalid: needs an HTTPS listener on the platform\'s Gateway "traefik/traefik-gateway", which serves HTTP only: add ingress.gatewayApi.https: { hosts: ["wp.test"] } to definePlatform (with certificates)',
      );
    });

    test('the redirect route name must be free', () => {
      const { gateway, web } = setup(secure);
      gateway.route(web, { host: 'plain.test', name: 'wordpress-redirect' });
      expect(() => gateway.route(web, { host: 'wp.test', tls: RouteTls.fromPlatform(), name: 'wordpress' })).toThrow(
        'name "wordpress" is invalid: needs "wordpress-redirect" for its HTTP-to-HTTPS redirect route, which another route of this app already uses: choose another name',
      );
    });

    test('httpsRedirect is refused in Ingress mode, pointing at the controller options', () => {
      const { gateway, web } = setup(secure, { mode: 'ingress' });
      expect(() => gateway.route(web, { host: 'wp.test', tls: RouteTls.fromPlatform(), httpsRedirect: true })).toThrow(
        "httpsRedirect true is invalid: applies to Gateway API mode; in Ingress mode use the controller's option (ingressNginx.sslRedirect, f5Nginx.sslRedirect)",
      );
    });
  });

  test('a Traefik Gateway platform can still render Ingresses on request', () => {
    const { gateway, web } = setup(traefikGateway, { mode: 'ingress' });
    expect(gateway.route(web, { host: 'wp.test' }).kind).toBe('Ingress');
  });

  test('definePlatform itself rejects Gateway API for other controllers', () => {
    expect(() => definePlatform({ ingress: { controller: 'ingress-nginx', gatewayApi: {} } })).toThrow('is not implemented by controller "ingress-nginx"');
  });
});

test('apps in a plain Chart can be routed too', () => {
  const app = new App();
  const chart = new Chart(app, 'web', { namespace: 'web', disableResourceNameHashes: true });
  const web = new WebApp(chart, 'site', { image: 'nginx:1.27.3' });
  new IngressGateway(chart, 'gw', { platform: traefik }).route(web, { host: 'site.test', tls: RouteTls.fromSecret('site-tls') });
  expect(synthObjects(app).map((o) => `${o.kind}/${o.metadata.name}`)).toContain('Ingress/site');
});
