import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExamples } from '../../apps/main';
import { buildPlatformApp } from '../../apps/platform';
import { gatewayPlatform } from '../../apps/gateway';
import { platform } from '../../apps/platform.config';
import { helmFullname } from '../../lib/platform-spec';
import { CredentialsStack, PlatformStack } from '../../lib/platform';
import { synthObjects } from '../support';

// The README's "From an empty cluster" section, held to what we generate: every stack, folder,
// variable, Secret, Service and host it names is the one our output has.
const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SECTION = (() => {
  const start = README.indexOf('## From an empty cluster');
  const end = README.indexOf('\n## ', start + 1);
  // printf's backslash-n escapes read as the line breaks they print
  return README.slice(start, end).replace(/\\n/g, '\n');
})();
// The seeds' part, and the gateway-demo cluster's paragraph and commands after it.
const GATEWAY_AT = SECTION.indexOf('The `gateway-demo` cluster');
const SEEDS_PART = SECTION.slice(0, GATEWAY_AT);
const GATEWAY_PART = SECTION.slice(GATEWAY_AT);

const tfApp = buildPlatformApp(fs.mkdtempSync(path.join(os.tmpdir(), 'paas-empty-cluster-')));
const stackNamed = <T>(cls: new (...a: any[]) => T, id: string): T | undefined =>
  tfApp.node.children.find((c) => c instanceof cls && c.node.id === id) as T | undefined;
const seeds = stackNamed(PlatformStack, platform.name)!;
const credentials = stackNamed(CredentialsStack, `${platform.name}-credentials`)!;

describe("README 'From an empty cluster' matches our output", () => {
  test('it exists, with the prerequisites and the five steps in apply order', () => {
    expect(SECTION).not.toBe('');
    const steps = [...SECTION.matchAll(/^# (\d)\. /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    const order = [
      'npm run synth',
      `stacks/${platform.name} apply`,
      '-admin.k8s.yaml | xargs',
      `stacks/${platform.name}-credentials apply`,
      "grep -v -- '-admin",
    ];
    const at = order.map((o) => SECTION.indexOf(o));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  test('every terraform -chdir names a stack of cdktf.out, and both seeds stacks are applied', () => {
    const dirs = [...new Set([...SEEDS_PART.matchAll(/-chdir=cdktf\.out\/stacks\/([a-z0-9-]+)/g)].map((m) => m[1]))];
    expect(dirs.sort()).toEqual([platform.name, `${platform.name}-credentials`].sort());
    for (const d of dirs) expect(tfApp.node.tryFindChild(d)).toBeDefined();
  });

  test("the platform secrets written to the tfvars file are exactly the stack's ephemeral variables", () => {
    const written = new Set<string>();
    for (const m of SEEDS_PART.matchAll(/for v in ([a-z_ ]+); do/g)) for (const v of m[1].trim().split(/\s+/)) written.add(v);
    for (const m of SEEDS_PART.matchAll(/echo "([a-z_]+) = /g)) written.add(m[1]);
    for (const m of SEEDS_PART.matchAll(/\b([a-z_]+) = <<EOT/g)) written.add(m[1]);
    expect([...written].sort()).toEqual(seeds.secretVariableNames);
  });

  test("the credentials tfvars hold exactly the credentials stack's variables", () => {
    const line = /printf '(registry_pull_[^']+)'/.exec(SECTION)![1];
    expect([...line.matchAll(/([a-z_]+) = /g)].map((m) => m[1]).sort()).toEqual(credentials.secretVariableNames);
  });

  test('the dist folder is the seeds cluster, with admin and tenant files', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-empty-cluster-dist-'));
    for (const app of buildExamples(dist)) app.synth();
    expect(SECTION).toContain(`ls dist/${platform.name}/*-admin.k8s.yaml`);
    expect(SECTION).toContain(`ls dist/${platform.name}/*.k8s.yaml`);
    const files = fs.readdirSync(path.join(dist, platform.name));
    expect(files.some((f) => f.endsWith('-admin.k8s.yaml'))).toBe(true);
    expect(files.some((f) => f.endsWith('.k8s.yaml') && !f.endsWith('-admin.k8s.yaml'))).toBe(true);
  });

  test("the lab CA is read from cert-manager's root CA Secret", () => {
    const ca = platform.certificates!.ca!;
    expect(SECTION).toContain(`kubectl -n ${platform.certificates!.namespace} get secret ${ca.secretName} -o jsonpath='{.data.tls\\.crt}'`);
  });

  test("the node ports are read from the ingress controller's Service", () => {
    expect(platform.ingress.controller).toBe('ingress-nginx');
    expect(platform.ingress.serviceType).toBe('NodePort');
    const service = `${helmFullname(platform.ingress.releaseName, 'ingress-nginx')}-controller`;
    expect(SECTION).toContain(`kubectl -n ${platform.ingress.namespace} get svc ${service} `);
  });

  test('the hosts line names every host our output serves: registry, Grafana and every route', () => {
    const line = /echo "\$NODE_IP ([^"]+)"/.exec(SEEDS_PART)![1].split(' ').sort();
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-empty-cluster-hosts-'));
    const seedsApp = buildExamples(dist).find((a) => a.outdir.endsWith(platform.name))!;
    const routes = synthObjects(seedsApp)
      .filter((o) => o.kind === 'Ingress')
      .flatMap((o) => (o.spec.rules ?? []).map((r: any) => r.host as string));
    expect(line).toEqual([...new Set([platform.registry!.host, platform.monitoring.grafana!.host, ...routes])].sort());
  });

  test("the robot account is created on the platform's registry, and metrics-server's prerequisite is the spec's choice", () => {
    expect(SECTION).toContain(`https://${platform.registry!.host}/api/v2.0/robots`);
    expect(platform.metricsServer.kubeletTls.mode).toBe('serverTlsBootstrap');
    expect(SECTION).toContain("metricsServer.kubeletTls: 'serverTlsBootstrap'");
    expect(SECTION).toContain('serverTLSBootstrap: true');
  });

  describe('the gateway-demo cluster', () => {
    const spec = gatewayPlatform;
    const stack = stackNamed(PlatformStack, spec.name)!;
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-empty-cluster-gw-'));
    const gwApp = buildExamples(dist).find((a) => a.outdir.endsWith(spec.name))!;
    gwApp.synth();
    const objects = synthObjects(gwApp);

    test('its terraform commands name its stack, its tfvars hold exactly its ephemeral variables', () => {
      const dirs = [...new Set([...GATEWAY_PART.matchAll(/-chdir=cdktf\.out\/stacks\/([a-z0-9-]+)/g)].map((m) => m[1]))];
      expect(dirs).toEqual([spec.name]);
      expect(stackNamed(CredentialsStack, `${spec.name}-credentials`)).toBeUndefined();
      const written = [...GATEWAY_PART.matchAll(/echo "([a-z_]+) = /g)].map((m) => m[1]).sort();
      expect(written).toEqual(stack.secretVariableNames);
    });

    test('it applies every file of dist/gateway-demo, the admin file (the namespace) first', () => {
      const applied = [...GATEWAY_PART.matchAll(/kubectl apply -f dist\/([a-z0-9-]+)\/([a-z0-9.-]+)/g)].map((m) => `${m[1]}/${m[2]}`);
      expect(applied).toEqual(
        fs
          .readdirSync(path.join(dist, spec.name))
          .sort()
          .map((f) => `${spec.name}/${f}`),
      );
      expect(applied[0]).toMatch(/-admin\.k8s\.yaml$/);
    });

    test('its Service, hosts and lab CA are the ones its output has', () => {
      expect(GATEWAY_PART).toContain(`kubectl -n ${spec.ingress.namespace} get svc ${helmFullname(spec.ingress.releaseName, 'traefik')} `);
      const hosts = /echo "\$NODE_IP ([^"]+)"/.exec(GATEWAY_PART)![1].split(' ').sort();
      const routed = [...new Set(objects.filter((o) => o.kind === 'HTTPRoute').flatMap((o) => o.spec.hostnames as string[]))].sort();
      expect(hosts).toEqual(routed);
      expect(spec.ingress.gatewayApi!.https!.hosts).toEqual(routed);
      const ca = spec.certificates!.ca!;
      expect(GATEWAY_PART).toContain(`kubectl -n ${spec.certificates!.namespace} get secret ${ca.secretName} -o jsonpath='{.data.tls\\.crt}'`);
      for (const h of routed) expect(GATEWAY_PART).toContain(`https://${h}/ready`);
    });
  });
});
