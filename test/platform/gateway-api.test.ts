import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { Testing } from 'cdktf';
import { GATEWAY_API_INSTALL_MANIFESTS } from '../../imports/gateway-api-install';
import { buildPlatformApp } from '../../apps/platform';
import { BUILT_IN_MANIFEST_KINDS, GatewayApiCrds, PlatformStack } from '../../lib/platform';
import { CRD_GROUPS, GATEWAY_API_INSTALL, generateInstallData } from '../../scripts/import-crds';
import { upstreamDir } from '../support';
import { ALTERNATIVE, EXISTING_SECRETS, platformStack, SEEDS, synthStack } from './fixtures';

const importsDir = path.resolve(__dirname, '../../imports');

describe('Gateway API install data (imports/gateway-api-install.ts)', () => {
  test('regenerating from the pinned v1.5.1 install reproduces the committed module byte for byte', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-gwapi-'));
    try {
      const file = generateInstallData(out, upstreamDir());
      expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(importsDir, GATEWAY_API_INSTALL.module), 'utf8'));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('the nine upstream files: eight standard-channel CRDs of v1.5.1, the safe-upgrades policy and its binding', () => {
    expect(GATEWAY_API_INSTALL_MANIFESTS.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'CustomResourceDefinition/backendtlspolicies.gateway.networking.k8s.io',
      'CustomResourceDefinition/gatewayclasses.gateway.networking.k8s.io',
      'CustomResourceDefinition/gateways.gateway.networking.k8s.io',
      'CustomResourceDefinition/grpcroutes.gateway.networking.k8s.io',
      'CustomResourceDefinition/httproutes.gateway.networking.k8s.io',
      'CustomResourceDefinition/listenersets.gateway.networking.k8s.io',
      'CustomResourceDefinition/referencegrants.gateway.networking.k8s.io',
      'CustomResourceDefinition/tlsroutes.gateway.networking.k8s.io',
      'ValidatingAdmissionPolicy/safe-upgrades.gateway.networking.k8s.io',
      'ValidatingAdmissionPolicyBinding/safe-upgrades.gateway.networking.k8s.io',
    ]);
    const upstreamFiles = fs.readdirSync(path.join(upstreamDir(), GATEWAY_API_INSTALL.dir)).filter((f) => f.endsWith('.yaml'));
    expect(upstreamFiles).toHaveLength(9);
    for (const crd of GATEWAY_API_INSTALL_MANIFESTS.filter((m) => m.kind === 'CustomResourceDefinition')) {
      expect(crd.metadata.annotations).toMatchObject({ 'gateway.networking.k8s.io/bundle-version': 'v1.5.1', 'gateway.networking.k8s.io/channel': 'standard' });
    }
  });

  test('no status (kubernetes_manifest refuses it), no description prose, the policy messages in our words', () => {
    const text = JSON.stringify(GATEWAY_API_INSTALL_MANIFESTS);
    for (const m of GATEWAY_API_INSTALL_MANIFESTS) expect(m.status).toBeUndefined();
    expect(text).not.toMatch(/"description":"/);
    const policy = GATEWAY_API_INSTALL_MANIFESTS.find((m) => m.kind === 'ValidatingAdmissionPolicy')!;
    for (const v of policy.spec.validations) expect(v.message).toMatch(/^refused: .* while the safe-upgrades policy is installed$/);
    const file = path.join(upstreamDir(), GATEWAY_API_INSTALL.dir, 'gateway.networking.k8s.io_vap_safeupgrades.yaml');
    const upstream = parseAllDocuments(fs.readFileSync(file, 'utf8'))[0].toJS();
    expect(policy.spec.validations.map((v: any) => v.expression)).toEqual(upstream.spec.validations.map((v: any) => v.expression));
  });

  test('our typed imports and route validation come from the same release the stack installs', () => {
    const gateway = CRD_GROUPS.find((g) => g.group === 'gateway.networking.k8s.io')!;
    expect(gateway.dir).toBe(GATEWAY_API_INSTALL.dir);
    expect(GatewayApiCrds.VERSION).toBe(GATEWAY_API_INSTALL.version);
  });
});

describe('Gateway API CRDs in the platform stack', () => {
  const stack = platformStack(ALTERNATIVE, EXISTING_SECRETS, 'gw');
  const json = synthStack(stack);
  const manifests = json.resource.kubernetes_manifest;

  test('one kubernetes_manifest per object, each CRD waited for until Established, applied server-side', () => {
    // (Terraform JSON lists resources by name)
    expect(Object.keys(manifests)).toEqual([
      'gateway_api_backendtlspolicies',
      'gateway_api_gatewayclasses',
      'gateway_api_gateways',
      'gateway_api_grpcroutes',
      'gateway_api_httproutes',
      'gateway_api_listenersets',
      'gateway_api_policy',
      'gateway_api_policy_binding',
      'gateway_api_referencegrants',
      'gateway_api_tlsroutes',
    ]);
    for (const [id, m] of Object.entries<any>(manifests)) {
      expect(m.field_manager).toEqual({ name: 'cdk8s-paas', force_conflicts: true });
      if (m.manifest.kind === 'CustomResourceDefinition') expect([id, m.wait]).toEqual([id, { condition: [{ type: 'Established', status: 'True' }] }]);
    }
    expect(manifests.gateway_api_policy_binding.depends_on).toEqual(['kubernetes_manifest.gateway_api_policy']);
  });

  test('Traefik (whose chart creates the GatewayClass and Gateway) waits for every object of the install', () => {
    const deps = json.resource.helm_release.ingress_controller.depends_on;
    for (const id of Object.keys(manifests)) expect(deps).toContain(`kubernetes_manifest.${id}`);
    expect(stack.ingressController!.values).toMatchObject({ gateway: { enabled: true }, gatewayClass: { enabled: true } });
  });

  test('no Gateway API in the spec: no CRDs', () => {
    expect(platformStack(SEEDS, {}, 'nogw').gatewayApiCrds).toBeUndefined();
    expect(synthStack(platformStack(SEEDS, {}, 'nogw2')).resource.kubernetes_manifest).toBeUndefined();
  });
});

/**
 * The first-apply trap: `kubernetes_manifest` reads its kind's schema from the cluster at PLAN
 * time, so on an empty cluster any object of a kind that this same stack installs (GatewayClass,
 * ClusterIssuer, ...) fails the first `terraform plan`. Helm resolves kinds at install time, but
 * refuses a release whose kinds are unknown then ("no matches for kind"): such a release must wait
 * for the CRDs (depends_on) or create those objects as hooks, after its own CRDs.
 */
describe('first apply on an empty cluster: every stack of the examples', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-first-apply-'));
  const app = buildPlatformApp(dir);
  const stacks = app.node.children.filter((c): c is PlatformStack => c instanceof PlatformStack);

  test('the examples have a stack per cluster, Gateway API on the Traefik one', () => {
    expect(stacks.map((s) => s.node.id)).toEqual(['seeds', 'gateway-demo']);
    expect(stacks.map((s) => s.gatewayApiCrds !== undefined)).toEqual([false, true]);
  });

  test.each(['seeds', 'gateway-demo'])('%s: kubernetes_manifest only for kinds the API server serves before anything is applied', (id) => {
    const stack = stacks.find((s) => s.node.id === id)!;
    const json = JSON.parse(Testing.synth(stack));
    for (const [name, m] of Object.entries<any>(json.resource.kubernetes_manifest ?? {})) {
      expect([name, BUILT_IN_MANIFEST_KINDS.includes(`${m.manifest.apiVersion}/${m.manifest.kind}`)]).toEqual([name, true]);
    }
  });

  test.each(['seeds', 'gateway-demo'])('%s: a release that renders objects of a CRD another resource installs depends on that resource', (id) => {
    const stack = stacks.find((s) => s.node.id === id)!;
    const json = JSON.parse(Testing.synth(stack));
    const crdIds = Object.entries<any>(json.resource.kubernetes_manifest ?? {})
      .filter(([, m]) => m.manifest.kind === 'CustomResourceDefinition')
      .map(([k]) => `kubernetes_manifest.${k}`);
    for (const [name, r] of Object.entries<any>(json.resource.helm_release)) {
      const values = parse(r.values[0]) ?? {};
      if (values.gateway?.enabled) expect([name, crdIds.every((c) => r.depends_on.includes(c)), crdIds.length]).toEqual([name, true, 8]);
    }
    // cert-manager's kinds come from the cert-manager release (crds.enabled): any other release
    // carrying a cert-manager.io object waits for it; its own issuers are hooks (next test).
    const certManagerKinds = (r: any) => (parse(r.values[0])?.extraObjects ?? []).map((o: unknown) => (typeof o === 'string' ? parse(o) : o));
    for (const [name, r] of Object.entries<any>(json.resource.helm_release)) {
      if (name === 'cert_manager') continue;
      if (certManagerKinds(r).some((o: any) => String(o?.apiVersion).startsWith('cert-manager.io/'))) {
        expect([name, r.depends_on]).toEqual([name, expect.arrayContaining(['helm_release.cert_manager'])]);
      }
    }
  });

  test('seeds: cert-manager custom resources only as hooks of the release that installs their CRDs', () => {
    const stack = stacks.find((s) => s.node.id === 'seeds')!;
    const values = stack.certManager!.values as { crds: unknown; extraObjects: string[] };
    expect(values.crds).toEqual({ enabled: true, keep: true });
    for (const doc of values.extraObjects.map((y) => parse(y))) {
      expect(doc.apiVersion).toBe('cert-manager.io/v1');
      expect(doc.metadata.annotations['helm.sh/hook']).toBe('post-install,post-upgrade');
    }
  });

  test('gateway-demo: an HTTPS listener whose certificate the Traefik release asks cert-manager for', () => {
    const stack = stacks.find((s) => s.node.id === 'gateway-demo')!;
    const values = stack.ingressController!.values as any;
    expect(Object.keys(values.gateway.listeners)).toEqual(['web', 'websecure']);
    expect(values.extraObjects.map((o: any) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'Certificate/traefik/traefik-gateway-websecure',
    ]);
    expect(stack.certManager).toBeDefined();
  });

  test('gateway-demo: the controller Service is a NodePort, as the spec says (no load balancer on kubeadm)', () => {
    const stack = stacks.find((s) => s.node.id === 'gateway-demo')!;
    expect(stack.ingressController!.values).toMatchObject({ service: { spec: { type: 'NodePort' } } });
  });
});
