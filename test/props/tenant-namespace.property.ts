import * as fc from 'fast-check';
import { App } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { NetworkPeer } from '../../lib/networking/network-peer';
import { AccessRole, Subject } from '../../lib/tenancy/access';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { validateAll } from '../support';
import { apiServerProblems, dnsLabel, lazy, materialize, Mode, modes, outcome, pickers, RUNS, SEED, Tally } from './harness';

/** Tenant props plus a few grant() and allowIngress() calls, per mode (see harness). */
function tenantArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const subject = pick<unknown>(
    [lazy(() => Subject.user('alice')), lazy(() => Subject.group('devs')), lazy(() => Subject.serviceAccount('ci'))],
    ['alice', lazy(() => Subject.user(''))],
  );
  // edit and admin include exec (a Polaris danger, reported at synth by design): not among the valid sets.
  const role = pick<unknown>(
    [lazy(() => AccessRole.VIEW), lazy(() => AccessRole.custom('config-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]))],
    ['view'],
  );
  return fc
    .record(
      {
        props: fc.record(
          {
            namespace: maybe(mode === 'valid' ? dnsLabel : fc.oneof(dnsLabel, fc.constantFrom('Dev', 'kube-system', 'z'.repeat(64)))),
            podSecurity: maybe(pick(['restricted', 'baseline'], ['strict'])),
            quota: maybe(
              fc.record(
                {
                  requests: fc.record({ cpu: maybe(pick(['2', '500m'], ['two'])), memory: maybe(pick(['4Gi'], ['4GB'])) }, opt),
                  pods: maybe(pick([10, 20], [-1])),
                },
                opt,
              ),
            ),
            network: maybe(fc.record({ defaultDeny: maybe(fc.boolean()), allowDns: maybe(fc.boolean()), allowSameNamespace: maybe(fc.boolean()) }, opt)),
            grants: maybe(fc.array(fc.record({ subject, role }), { maxLength: 2 })),
            deployer: maybe(fc.oneof(fc.constant(false), fc.record({ name: maybe(pick(['deployer', 'ci-bot'], ['CI'])) }, opt))),
            manageDefaultServiceAccount: maybe(fc.boolean()),
          },
          opt,
        ),
        grants: fc.array(fc.record({ subject, role, name: maybe(pick([undefined, 'extra'], ['Extra'])) }), { maxLength: 2 }),
        ingress: fc.array(
          fc.record({ name: maybe(pick(['from-ops', 'from-lb'], ['From Ops'])), peer: pick<unknown>([lazy(() => NetworkPeer.namespace('ops'))], ['ops']) }),
          { maxLength: 2 },
        ),
        typo: mode === 'valid' ? fc.constant(false) : fc.boolean(),
      },
      { requiredKeys: ['props', 'grants', 'ingress', 'typo'] },
    )
    .map((p) => (mode === 'valid' ? coherent(p) : p));
}

/** Valid sets: a subject and role granted once, one name per policy. */
function coherent(p: Record<string, any>): Record<string, unknown> {
  const seen = new Set<string>();
  const grants = [...(p.props.grants ?? []), ...p.grants].filter((g: any) => {
    const key = `${g.subject.make}${g.role.make}${g.name ?? ''}`;
    return !seen.has(key) && seen.add(key);
  });
  const names = new Set<string>();
  return { ...p, props: { ...p.props, grants: [] }, grants, ingress: p.ingress.filter((i: any) => !names.has(i.name) && names.add(i.name)) };
}

/** Error findings of the validator (schema, Pod Security, Polaris dangers) over a batch of tenants. */
function findings(built: unknown[], objects: any[]): void {
  const errors = validateAll(objects).filter((f) => !f.startsWith('polaris warning'));
  if (errors.length > 0)
    throw new Error(`TenantNamespace: accepted, but the output is invalid:\n  - ${errors.slice(0, 10).join('\n  - ')}\n${JSON.stringify(built.slice(0, 3))}`);
}

describe('TenantNamespace (property)', () => {
  test(`${RUNS} random tenants, grants and policies: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = new Tally();
    let objects: any[] = [];
    let built: unknown[] = [];
    for (const raw of fc.sample(modes(tenantArb), { numRuns: RUNS, seed: SEED })) {
      const app = new App();
      let o;
      try {
        o = outcome(() => {
          const p = materialize(raw) as Record<string, any>;
          const t = new TenantNamespace(app, 't', { platform, ...p.props, ...(p.typo ? { podSecurty: 'restricted' } : {}) });
          for (const g of p.grants) t.grant(g.subject, g.role, g.name === undefined ? undefined : { name: g.name });
          for (const i of p.ingress) t.allowIngress(i.name, i.peer);
          const errors = app.node.findAll().flatMap((c) => c.node.validate());
          if (errors.length > 0) throw new Error(errors.join('\n'));
          const own = app.charts.flatMap((c) => c.toJson());
          // Names are unique per App: the API-server rules per tenant, the validator over a batch.
          const api = apiServerProblems(own);
          if (api.length > 0) throw new Error(`accepted, but the output is invalid:\n  - ${api.join('\n  - ')}`);
          objects.push(...own);
        });
      } catch (e) {
        throw new Error(`TenantNamespace: ${(e as Error).stack}\nprops: ${JSON.stringify(raw, (_k, v) => (v?.make ? String(v.make) : v))}`);
      }
      tally.add(o);
      if (o === 'valid') built.push(raw);
      if (built.length >= 50) {
        findings(built, objects);
        objects = [];
        built = [];
      }
    }
    if (built.length > 0) findings(built, objects);
    tally.report('TenantNamespace');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
