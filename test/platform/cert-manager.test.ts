import Ajv from 'ajv';
import { parse } from 'yaml';
import { CLUSTER_ISSUER_ANNOTATION, deepMerge, ISSUER_HOOK_ANNOTATIONS, issuerManifests } from '../../lib/platform';
import { definePlatform } from '../../lib/platform-spec';
import { podViolations } from '../../lib/validation/pod-security';
import { expectValidManifests } from '../support';
import { readUpstreamJson, readUpstreamYaml } from '../support/upstream';
import { platformStack, SEEDS, synthStack } from './fixtures';

/** The seeds' cluster with public hosts and certificates from Let's Encrypt. */
const ACME = {
  ...SEEDS,
  monitoring: { grafana: { host: 'grafana.example.com', tlsSecretName: 'grafana-tls' } },
  registry: { host: 'registry.example.com', tlsSecretName: 'harbor-tls' },
  certificates: { issuer: 'acme' as const, acme: { email: 'ops@example.com' } },
};

describe('cert-manager add-on: the release', () => {
  const stack = platformStack(SEEDS);
  const json = synthStack(stack);
  const rel = json.resource.helm_release.cert_manager;

  test('the jetstack chart at the published version (with its v), in its own restricted namespace', () => {
    expect([rel.repository, rel.chart, rel.version, rel.namespace, rel.name]).toEqual([
      'https://charts.jetstack.io',
      'cert-manager',
      'v1.21.1',
      'cert-manager',
      'cert-manager',
    ]);
    const ns = json.resource.kubernetes_namespace_v1.cert_manager_namespace.metadata;
    expect(ns.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.28');
  });

  test('CRDs come with the release and stay when it is uninstalled', () => {
    expect(stack.certManager!.values.crds).toEqual({ enabled: true, keep: true });
  });

  test('our values pass the chart values.schema.json (draft-07, unknown keys refused)', () => {
    const schema = readUpstreamJson<Record<string, unknown>>('charts/cert-manager/values.schema.json');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    for (const values of [stack.certManager!.values, platformStack(ACME, {}, 'acme').certManager!.values]) {
      expect(validate(values) ? [] : validate.errors).toEqual([]);
    }
    // the check can fail: a misspelt key is refused
    expect(validate({ ...stack.certManager!.values, crd: { enabled: true } })).toBe(false);
  });

  test("every component's pod is admitted under restricted with the chart defaults and our values", () => {
    const chart = readUpstreamYaml<Record<string, any>>('charts/cert-manager/values.yaml');
    const merged = deepMerge(chart, stack.certManager!.values) as Record<string, any>;
    for (const [name, component] of [
      ['controller', merged],
      ['webhook', merged.webhook],
      ['cainjector', merged.cainjector],
      ['startupapicheck', merged.startupapicheck],
    ] as const) {
      const pod = {
        metadata: { name },
        spec: {
          securityContext: component.securityContext,
          containers: [{ name, image: 'quay.io/jetstack/x:v1.21.1', securityContext: component.containerSecurityContext, resources: component.resources }],
        },
      };
      expect([name, podViolations(pod)]).toEqual([name, []]);
      expect(component.resources.limits).toBeDefined();
    }
    // the check can fail: the same pod without the chart's contexts is refused
    expect(podViolations({ metadata: { name: 'bare' }, spec: { containers: [{ name: 'x', image: 'x:1' }] } }).map((v) => v.control)).toContain('runAsNonRoot');
  });

  test('leader election in its own namespace, not kube-system', () => {
    expect((stack.certManager!.values.global as any).leaderElection).toEqual({ namespace: 'cert-manager' });
  });

  test('installed first: Harbor and kube-prometheus-stack (Grafana exposed) wait for it, it waits for nothing else', () => {
    expect(rel.depends_on).toEqual(['kubernetes_namespace_v1.cert_manager_namespace']);
    expect(json.resource.helm_release.harbor.depends_on).toContain('helm_release.cert_manager');
    expect(json.resource.helm_release.kube_prometheus_stack.depends_on).toContain('helm_release.cert_manager');
  });

  test('no certificates in the spec: no cert-manager, no namespace, TLS Secrets stay as named', () => {
    const { certificates: _none, ...noCerts } = SEEDS;
    const s = platformStack(noCerts, {}, 'nocerts');
    expect(s.certManager).toBeUndefined();
    expect(s.namespaces.map((n) => n.name)).not.toContain('cert-manager');
    expect((s.harbor!.values as any).expose.ingress.annotations).toBeUndefined();
    expect((s.monitoring.values as any).grafana.ingress.annotations).toBeUndefined();
  });
});

describe('cert-manager add-on: the issuers', () => {
  const docs = (values: Record<string, unknown>) => (values.extraObjects as string[]).map((y) => parse(y));

  test('self-signed CA: bootstrap SelfSigned ClusterIssuer, CA Certificate in cert-manager, CA ClusterIssuer', () => {
    const objects = docs(platformStack(SEEDS).certManager!.values);
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'ClusterIssuer//platform-ca-bootstrap',
      'Certificate/cert-manager/platform-ca-root',
      'ClusterIssuer//platform-ca',
    ]);
    expect(objects[0].spec).toEqual({ selfSigned: {} });
    expect(objects[1].spec).toEqual({
      isCA: true,
      commonName: 'platform-ca root CA',
      secretName: 'platform-ca-root',
      duration: '87600h',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Never' },
      issuerRef: { name: 'platform-ca-bootstrap', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    expect(objects[2].spec).toEqual({ ca: { secretName: 'platform-ca-root' } });
  });

  test('ACME: one ClusterIssuer, Let’s Encrypt by default, HTTP-01 through the platform IngressClass', () => {
    const objects = docs(platformStack(ACME, {}, 'acme').certManager!.values);
    expect(objects).toHaveLength(1);
    expect(objects[0].metadata.name).toBe('acme');
    expect(objects[0].spec).toEqual({
      acme: {
        email: 'ops@example.com',
        server: 'https://acme-v02.api.letsencrypt.org/directory',
        privateKeySecretRef: { name: 'acme-account-key' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
      },
    });
  });

  test('every issuer object is a post-install/post-upgrade hook after startupapicheck (weight 1)', () => {
    for (const o of docs(platformStack(SEEDS).certManager!.values)) {
      expect(o.metadata.annotations).toEqual({ 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-weight': '10' });
    }
    const chart = readUpstreamYaml<Record<string, any>>('charts/cert-manager/values.yaml');
    expect(Number(ISSUER_HOOK_ANNOTATIONS['helm.sh/hook-weight'])).toBeGreaterThan(Number(chart.startupapicheck.jobAnnotations['helm.sh/hook-weight']));
  });

  test('the issuer objects pass the strict schema of the cert-manager CRDs', () => {
    const objects = [...docs(platformStack(SEEDS).certManager!.values), ...docs(platformStack(ACME, {}, 'acme').certManager!.values)];
    expectValidManifests(objects);
  });

  test('the entries hold no template braces (the chart passes each through tpl)', () => {
    for (const y of platformStack(ACME, {}, 'acme').certManager!.values.extraObjects as string[]) expect(y).not.toContain('{{');
  });

  test('a named ClusterIssuer and namespace carry through to the objects and the ingress-shim annotation', () => {
    const spec = definePlatform({ ...SEEDS, certificates: { issuer: 'self-signed-ca', clusterIssuerName: 'lab-ca', namespace: 'certs' } });
    const objects = issuerManifests(spec.certificates!, spec.ingress) as any[];
    expect(objects.map((o) => o.metadata.name)).toEqual(['lab-ca-bootstrap', 'lab-ca-root', 'lab-ca']);
    expect(objects[1].metadata.namespace).toBe('certs');
    const s = platformStack({ ...SEEDS, certificates: { issuer: 'self-signed-ca', clusterIssuerName: 'lab-ca' } }, {}, 'named');
    expect((s.harbor!.values as any).expose.ingress.annotations).toEqual({ [CLUSTER_ISSUER_ANNOTATION]: 'lab-ca' });
  });
});

describe('definePlatform: certificates', () => {
  test('fails if the issuer is unknown', () => {
    expect(() => definePlatform({ certificates: { issuer: 'vault' as never } })).toThrow(
      'platform: certificates.issuer "vault" is invalid: must be "self-signed-ca" (lab cluster, private hosts) or "acme" (public hosts)',
    );
  });

  test('fails if ACME has no account email', () => {
    expect(() => definePlatform({ certificates: { issuer: 'acme' } })).toThrow(
      'platform: certificates.acme.email undefined is invalid: must be the ACME account email (e.g. "ops@example.com"): the "acme" issuer needs one',
    );
    expect(() => definePlatform({ certificates: { issuer: 'acme', acme: { email: 'not-an-email' } } })).toThrow(
      'platform: certificates.acme.email "not-an-email" is invalid: must be the ACME account email (e.g. "ops@example.com"): the "acme" issuer needs one',
    );
  });

  test('fails if the ACME server is not https', () => {
    expect(() => definePlatform({ certificates: { issuer: 'acme', acme: { email: 'a@b.io', server: 'http://acme.local/dir' } } })).toThrow(
      'platform: certificates.acme.server "http://acme.local/dir" is invalid: must be the https:// URL of an ACME directory',
    );
  });

  test('fails if ACME settings come with the self-signed CA', () => {
    expect(() => definePlatform({ certificates: { issuer: 'self-signed-ca', acme: { email: 'a@b.io' } } })).toThrow(
      'platform: certificates.acme {"email":"a@b.io"} is invalid: only applies to issuer "acme"',
    );
  });
});

describe('definePlatform: ACME and private hosts', () => {
  test('fails if ACME is asked to certify lab hosts such as the seeds’ *.test', () => {
    expect(() => definePlatform({ ...SEEDS, certificates: { issuer: 'acme', acme: { email: 'ops@example.com' } } })).toThrow(
      [
        '2 problems:',
        '  - platform: monitoring.grafana.host "grafana.test" is invalid: is a private name (.test) that an ACME server cannot validate: use certificates: { issuer: \'self-signed-ca\' } for a lab cluster, or a public host',
        '  - platform: registry.host "harbor.test" is invalid: is a private name (.test) that an ACME server cannot validate: use certificates: { issuer: \'self-signed-ca\' } for a lab cluster, or a public host',
      ].join('\n'),
    );
  });

  test('public hosts pass', () => {
    expect(definePlatform(ACME).certificates!.clusterIssuerName).toBe('acme');
  });
});
