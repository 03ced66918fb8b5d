import { parse } from 'yaml';
import { definePlatform, hostCoveredBy, PlatformSpecInput } from '../../lib/platform-spec';
import { TRAEFIK_WEB_PORT, TRAEFIK_WEBSECURE_PORT } from '../../lib/platform/values/ingress';
import { expectValidManifests, readUpstreamText, readUpstreamYaml } from '../support';
import { ALTERNATIVE, EXISTING_SECRETS, platformStack, synthStack } from './fixtures';

/** The Traefik Gateway's HTTPS listener: spec, values, the listener's Certificate, order in the stack. */
const LAB: PlatformSpecInput = {
  name: 'lab',
  certificates: { issuer: 'self-signed-ca' },
  ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['hello.test', '*.apps.test'] } }, serviceType: 'NodePort' },
};

describe('definePlatform: ingress.gatewayApi.https', () => {
  test('resolves the listener, its Certificate and Secret names, hosts sorted', () => {
    const spec = definePlatform({ ...LAB, ingress: { ...LAB.ingress, gatewayApi: { https: { hosts: ['hello.test', '*.apps.test'] } } } });
    expect(spec.ingress.gatewayApi).toEqual({
      gatewayName: 'traefik-gateway',
      gatewayNamespace: 'traefik',
      httpListener: 'web',
      https: {
        listener: 'websecure',
        hosts: ['*.apps.test', 'hello.test'],
        certificateName: 'traefik-gateway-websecure',
        secretName: 'traefik-gateway-websecure-tls',
      },
    });
  });

  test('fails without cert-manager, naming what to add', () => {
    expect(() => definePlatform({ ...LAB, certificates: undefined })).toThrow(
      'platform: ingress.gatewayApi.https {"hosts":["*.apps.test","hello.test"]} is invalid: needs the platform\'s cert-manager to issue the listener\'s certificate: add certificates: { issuer: \'self-signed-ca\' } (lab hosts) or { issuer: \'acme\', acme: { email } } (public hosts)',
    );
  });

  test('every bad host is reported together', () => {
    expect(() =>
      definePlatform({ ...LAB, ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['ok.test', 'Bad_Host', 'ok.test', '10.0.0.1'] } } } }),
    ).toThrow(['3 problems:', '  - platform: ingress.gatewayApi.https.hosts[1] "Bad_Host" is invalid: must be a DNS-1123 subdomain'].join('\n'));
    const message = (() => {
      try {
        definePlatform({ ...LAB, ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['ok.test', 'Bad_Host', 'ok.test', '10.0.0.1'] } } } });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('ingress.gatewayApi.https.hosts[2] "ok.test" is invalid: is listed twice: list each host once');
    expect(message).toContain('ingress.gatewayApi.https.hosts[3] "10.0.0.1" is invalid: must be a DNS name, not an IP address');
    expect(() => definePlatform({ ...LAB, ingress: { controller: 'traefik', gatewayApi: { https: { hosts: [] } } } })).toThrow(
      'ingress.gatewayApi.https.hosts [] is invalid: must list at least one host the listener serves',
    );
  });

  test('plain JavaScript: wrong types end in a clear error, not a TypeError', () => {
    const bad = (https: unknown) => () => definePlatform({ ...LAB, ingress: { controller: 'traefik', gatewayApi: { https } } } as unknown as PlatformSpecInput);
    expect(bad({ hosts: 'hello.test' })).toThrow('platform: ingress.gatewayApi.https.hosts "hello.test" is invalid: must be an array');
    expect(bad({ hosts: [1] })).toThrow('ingress.gatewayApi.https.hosts[0] 1 is invalid: must be a string');
    expect(bad({ host: ['a.test'] })).toThrow('GatewayApiInput.https');
    expect(bad(null)).toThrow('ingress.gatewayApi.https null is invalid');
  });

  test('ACME: wildcards and private names are refused (HTTP-01 proves neither)', () => {
    const acme = (hosts: string[]) => () =>
      definePlatform({
        certificates: { issuer: 'acme', acme: { email: 'ops@example.com' } },
        ingress: { controller: 'traefik', gatewayApi: { https: { hosts } } },
      });
    expect(acme(['shop.example.com', 'www.example.com'])).not.toThrow();
    expect(acme(['*.example.com'])).toThrow(
      'ingress.gatewayApi.https.hosts[0] "*.example.com" is invalid: is a wildcard, which ACME\'s HTTP-01 challenge cannot prove',
    );
    expect(acme(['shop.example.com', 'hello.test'])).toThrow(
      'ingress.gatewayApi.https.hosts[1] "hello.test" is invalid: is a private name (.test) that an ACME server cannot validate',
    );
  });

  test('hostCoveredBy matches as TLS clients do: exact, or a wildcard one label deep', () => {
    const hosts = ['*.apps.test', 'hello.test'];
    expect(['hello.test', 'HELLO.test', 'a.apps.test'].map((h) => hostCoveredBy(h, hosts))).toEqual([true, true, true]);
    expect(['apps.test', 'a.b.apps.test', 'other.test', '*.other.test'].map((h) => hostCoveredBy(h, hosts))).toEqual([false, false, false, false]);
    // A wildcard route is covered only by the same wildcard, not by a single host under it.
    expect([hostCoveredBy('*.apps.test', ['*.apps.test']), hostCoveredBy('*.apps.test', ['a.apps.test'])]).toEqual([true, false]);
  });
});

describe('platform stack: the HTTPS listener and its certificate', () => {
  const stack = platformStack(LAB, EXISTING_SECRETS, 'lab');
  const json = synthStack(stack);
  const release = json.resource.helm_release.ingress_controller;
  const values = parse(release.values[0]);

  test('the Gateway gets an HTTPS listener naming the Secret the Certificate writes', () => {
    expect(values.gateway.listeners).toEqual({
      web: { port: 8000, protocol: 'HTTP', namespacePolicy: { from: 'All' } },
      websecure: {
        port: 8443,
        protocol: 'HTTPS',
        mode: 'Terminate',
        namespacePolicy: { from: 'All' },
        certificateRefs: [{ group: '', kind: 'Secret', name: 'traefik-gateway-websecure-tls' }],
      },
    });
    expect(values.extraObjects).toEqual([
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'traefik-gateway-websecure', namespace: 'traefik', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' } },
        spec: {
          secretName: 'traefik-gateway-websecure-tls',
          dnsNames: ['*.apps.test', 'hello.test'],
          issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'platform-ca' },
          privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        },
      },
    ]);
    // Valid against the cert-manager CRD schema our validator carries.
    expectValidManifests(values.extraObjects);
  });

  test('Traefik waits for cert-manager: Helm builds the Certificate against discovery, and the webhook admits it', () => {
    expect(release.depends_on).toContain('helm_release.cert_manager');
    // ...and cert-manager does not wait for Traefik (no cycle; its issuers are hooks of its own release).
    expect(json.resource.helm_release.cert_manager.depends_on ?? []).not.toContain('helm_release.ingress_controller');
  });

  test("the listener ports are the chart's entry points (the chart's template fails on any other port)", () => {
    const defaults = readUpstreamYaml<{ ports: Record<string, { port: number }> }>('charts/traefik/values.yaml');
    expect([defaults.ports.web.port, defaults.ports.websecure.port]).toEqual([TRAEFIK_WEB_PORT, TRAEFIK_WEBSECURE_PORT]);
  });

  test('no HTTPS in the spec: only the HTTP listener, no Certificate, no cert-manager dependency', () => {
    const plain = platformStack({ ...ALTERNATIVE, certificates: { issuer: 'self-signed-ca' } }, EXISTING_SECRETS, 'plain');
    const r = synthStack(plain).resource.helm_release.ingress_controller;
    const v = parse(r.values[0]);
    expect(Object.keys(v.gateway.listeners)).toEqual(['web']);
    expect(v.extraObjects).toBeUndefined();
    expect(r.depends_on).not.toContain('helm_release.cert_manager');
  });
});

describe('ACME on a Gateway with an HTTPS listener: challenges through the Gateway', () => {
  const PUBLIC: PlatformSpecInput = {
    name: 'public',
    certificates: { issuer: 'acme', acme: { email: 'ops@example.com' } },
    ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['shop.example.com'] } } },
    monitoring: { grafana: { host: 'grafana.example.com' } },
  };
  const stack = platformStack(PUBLIC, EXISTING_SECRETS, 'public');
  const json = synthStack(stack);
  const cm = json.resource.helm_release.cert_manager;
  const cmValues = parse(cm.values[0]);

  test("the listener's hosts are proved by a gatewayHTTPRoute solver on the HTTP listener, the rest by the Ingress solver", () => {
    const issuer = parse(cmValues.extraObjects[0]);
    expect(issuer.kind).toBe('ClusterIssuer');
    expect(issuer.spec.acme.solvers).toEqual([
      {
        selector: { dnsNames: ['shop.example.com'] },
        http01: {
          gatewayHTTPRoute: {
            parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik', sectionName: 'web' }],
          },
        },
      },
      { http01: { ingress: { ingressClassName: 'traefik' } } },
    ]);
    expectValidManifests([issuer]);
  });

  test('cert-manager runs with Gateway API support, after the Gateway API CRDs (its controller exits at start without them)', () => {
    expect(cmValues.config).toEqual({ gatewayAPI: { enabled: true } });
    // The key as the pinned chart documents it (values.yaml's commented `config` example; the
    // controller's ControllerConfiguration field `gatewayAPI.enabled`, which replaced `enableGatewayAPI`).
    expect(readUpstreamText('charts/cert-manager/values.yaml')).toMatch(/^#\s+gatewayAPI:\n#\s+enabled: true$/m);
    const crds = Object.keys(json.resource.kubernetes_manifest).map((k) => `kubernetes_manifest.${k}`);
    expect(crds).toHaveLength(10);
    for (const c of crds) expect(cm.depends_on).toContain(c);
    // ...and Traefik after cert-manager: no cycle.
    expect(json.resource.helm_release.ingress_controller.depends_on).toContain('helm_release.cert_manager');
  });

  test('the lab CA needs none of it: no Gateway API config, no dependency on the CRDs', () => {
    const lab = synthStack(platformStack(LAB, EXISTING_SECRETS, 'lab2')).resource.helm_release.cert_manager;
    expect(parse(lab.values[0]).config).toBeUndefined();
    expect((lab.depends_on ?? []).filter((d: string) => d.startsWith('kubernetes_manifest.'))).toEqual([]);
  });
});
