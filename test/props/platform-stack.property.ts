import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { App, S3Backend, TerraformStack, Testing } from 'cdktf';
import { parse } from 'yaml';
import { gatewayPlatform } from '../../apps/gateway';
import { platform as seeds } from '../../apps/platform.config';
import { definePlatform } from '../../lib/platform-spec';
import { CredentialValue, CredentialsStack, PlatformStack } from '../../lib/platform';
import { lazy, materialize, Mode, modes, outcome, pickers, RUNS, SEED, Tally } from './harness';

/**
 * The platform's Terraform stacks (public constructs of `cdk8s-paas/platform`) under random
 * props, wrong types included: a clear PaasValidationError naming a field, or a stack that
 * synthesizes to Terraform JSON whose references resolve, with no secret in it.
 */
const SPECS = {
  seeds,
  gateway: gatewayPlatform,
  minimal: definePlatform({ name: 'minimal' }),
  public: definePlatform({
    name: 'public',
    certificates: { issuer: 'acme', acme: { email: 'ops@example.com' } },
    ingress: { controller: 'traefik', gatewayApi: { https: { hosts: ['shop.example.com'] } }, serviceType: 'NodePort' },
    registry: { host: 'registry.example.com' },
    nfs: { server: 'nfs.example.com', path: '/k8s', backend: 'csi-driver-nfs' },
    monitoring: { grafana: { host: 'grafana.example.com' } },
  }),
};
/** Stacks build providers and synthesize JSON: heavier than a chart, so a tenth of the runs. */
const STACK_RUNS = Math.max(50, Math.round(RUNS / 10));
const SECRET = 'hunter2-not-in-output';

const harborSecrets = (mode: Mode) => {
  const { pick, maybe } = pickers(mode);
  const name = maybe(pick(['harbor-admin', 'h.secret'], ['Harbor_Admin', '']));
  return fc.record(
    {
      adminPassword: name,
      secretKey: name,
      core: name,
      xsrf: name,
      jobservice: name,
      registryHttp: name,
      registryCredentials: name,
      token: name,
      typo: mode === 'valid' ? fc.constant(undefined) : fc.constantFrom(undefined, undefined, 'x'),
    },
    { requiredKeys: mode === 'chaos' ? [] : ['adminPassword', 'secretKey', 'core', 'xsrf', 'jobservice', 'registryHttp', 'registryCredentials'] },
  );
};

function platformStackArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const values = fc.oneof(
    fc.constant({ resources: { limits: { memory: '512Mi' } } }),
    fc.constant({ podAnnotations: { team: 'platform' } }),
    ...(mode === 'valid' ? [] : [fc.constant({ grafana: { adminPassword: SECRET } }), fc.constant({ database: { external: { password: SECRET } } })]),
  );
  return fc.record(
    {
      spec: pick(['seeds', 'gateway', 'minimal', 'public'] as const, ['seeds'] as const),
      props: fc.record(
        {
          statePath: maybe(pick(['../../../terraform.x.tfstate', 'state/x.tfstate'], ['/var/lib/state.tfstate'])),
          backend: maybe(pick([lazy(() => (s: TerraformStack) => new S3Backend(s, { bucket: 'b', key: 'k', region: 'eu-west-1' }))], [3 as unknown])),
          grafanaAdminSecretName: maybe(pick(['grafana-admin'], ['Grafana Admin'])),
          harborExistingSecrets: maybe(harborSecrets(mode)),
          overrides: maybe(
            fc.record(
              {
                kubePrometheusStack: maybe(values),
                harbor: maybe(values),
                ingressController: maybe(values),
                certManager: maybe(values),
                ...(mode === 'valid' ? {} : { nope: fc.constant({}) }),
              },
              opt,
            ),
          ),
          installIngressController: maybe(fc.boolean()),
          protectHarborNamespace: maybe(fc.boolean()),
          typo: mode === 'valid' ? fc.constant(undefined) : fc.constantFrom(undefined, undefined, undefined, '../x'),
        },
        opt,
      ),
    },
    { requiredKeys: ['spec', 'props'] },
  );
}

function credentialsArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const value = pick([lazy(() => CredentialValue.random(24)), lazy(() => CredentialValue.plain('app'))], [SECRET as unknown]);
  const secret = fc.record(
    {
      namespace: maybe(pick(['shop', 'cache'], ['Shop', ''])),
      name: maybe(pick(['db-credentials', 'redis-auth'], ['DB creds'])),
      data: maybe(fc.dictionary(pick(['password', 'user', 'MARIADB_PASSWORD'], ['bad key']), value, { minKeys: 1, maxKeys: 3 })),
      preventDestroy: maybe(fc.boolean()),
    },
    { requiredKeys: mode === 'chaos' ? [] : ['namespace', 'name', 'data'] },
  );
  return fc.record(
    {
      secrets: maybe(fc.array(secret, { maxLength: 3 })),
      statePath: maybe(pick(['../../../terraform.c.tfstate'], ['/abs.tfstate'])),
    },
    { requiredKeys: mode === 'chaos' ? [] : ['secrets'] },
  );
}

/** Every `depends_on` names a resource, data source or module of the same stack. */
function danglingDependencies(json: any): string[] {
  const known = new Set<string>();
  for (const [type, byName] of Object.entries<any>(json.resource ?? {})) for (const n of Object.keys(byName)) known.add(`${type}.${n}`);
  for (const [type, byName] of Object.entries<any>(json.data ?? {})) for (const n of Object.keys(byName)) known.add(`data.${type}.${n}`);
  const out: string[] = [];
  for (const byName of Object.values<any>(json.resource ?? {})) {
    for (const [n, r] of Object.entries<any>(byName)) for (const d of r.depends_on ?? []) if (!known.has(d)) out.push(`${n} -> ${d}`);
  }
  return out;
}

function checkSynth(stack: TerraformStack): void {
  const text = Testing.synth(stack);
  if (text.includes(SECRET)) throw new Error('a secret value reached the Terraform JSON');
  const json = JSON.parse(text);
  const dangling = danglingDependencies(json);
  if (dangling.length) throw new Error(`depends_on names no resource: ${dangling.join(', ')}`);
  for (const [n, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
    for (const v of r.values ?? []) if (typeof parse(v) !== 'object') throw new Error(`${n}: values are not a YAML mapping`);
  }
}

describe('platform Terraform stacks (property)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-stack-props-'));

  test(`${STACK_RUNS} random PlatformStack props: a clear PaasValidationError naming a field, or a stack that synthesizes clean`, () => {
    const tally = new Tally();
    for (const [i, raw] of fc.sample(modes(platformStackArb), { numRuns: STACK_RUNS, seed: SEED }).entries()) {
      const { spec, props } = materialize(raw) as { spec: keyof typeof SPECS; props: Record<string, unknown> };
      try {
        tally.add(
          outcome(() => checkSynth(new PlatformStack(new App({ outdir, stackTraces: false }), `s${i}`, { platform: SPECS[spec], ...(props as object) }))),
        );
      } catch (e) {
        throw new Error(`PlatformStack: ${(e as Error).stack}\ninput: ${JSON.stringify(raw)}`);
      }
    }
    tally.report('PlatformStack');
    expect(tally.valid + tally.errors).toBe(STACK_RUNS);
    expect(tally.valid).toBeGreaterThan(STACK_RUNS / 20);
    expect(tally.errors).toBeGreaterThan(STACK_RUNS / 20);
  });

  test(`${STACK_RUNS} random CredentialsStack props: a clear PaasValidationError naming a field (never a value), or a clean stack`, () => {
    const tally = new Tally();
    for (const [i, raw] of fc.sample(modes(credentialsArb), { numRuns: STACK_RUNS, seed: SEED }).entries()) {
      const props = materialize(raw) as Record<string, unknown>;
      try {
        tally.add(
          outcome(() => {
            try {
              checkSynth(new CredentialsStack(new App({ outdir, stackTraces: false }), `c${i}`, { platform: seeds, ...(props as object) } as never));
            } catch (e) {
              if ((e as Error).message.includes(SECRET)) throw new Error(`an error message shows a secret value: ${(e as Error).message}`);
              throw e;
            }
          }),
        );
      } catch (e) {
        throw new Error(`CredentialsStack: ${(e as Error).stack}\ninput: ${JSON.stringify(raw)}`);
      }
    }
    tally.report('CredentialsStack');
    expect(tally.valid + tally.errors).toBe(STACK_RUNS);
    expect(tally.valid).toBeGreaterThan(STACK_RUNS / 20);
    expect(tally.errors).toBeGreaterThan(STACK_RUNS / 20);
  });
});
