import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import { PaasValidationError } from '../../lib/core/errors';
import { isLabelKey, isLabelValue } from '../../lib/core/labels';
import { validateAll } from '../support';

/**
 * Shared harness of the property tests: seeded random prop sets, each either a clear
 * PaasValidationError naming a field, or output that passes the validator and the API server's
 * own rules (names, labels, unique names inside a pod). Nothing else may escape.
 */

/** Runs per construct: 2,000 in `npm test`; `npm run test:props:long` sets PAAS_PROPS_RUNS=50000. */
export const RUNS = Number(process.env.PAAS_PROPS_RUNS ?? 2000);
/** One seed for all runs, so a failure reproduces; override with PAAS_PROPS_SEED. */
export const SEED = Number(process.env.PAAS_PROPS_SEED ?? 20261202);

/** A value built only inside the property (factories may throw, which is part of what is tested). */
export class Lazy {
  constructor(public readonly make: () => unknown) {}
}
export const lazy = (make: () => unknown): Lazy => new Lazy(make);

/** Replaces every Lazy inside `value` with what it makes. */
export function materialize(value: unknown): unknown {
  if (value instanceof Lazy) return value.make();
  if (Array.isArray(value)) return value.map(materialize);
  if (value !== null && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  }
  return value;
}

/** Values that plain JavaScript passes where a string belongs, and strings the API server refuses. */
export const wrongScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer({ min: -5, max: 70000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constant('x'.repeat(300)),
  fc.constant('Ünïcödé ☃'),
);

/** DNS-1123 labels starting with a letter, including the 62- and 63-character edge. */
export const dnsLabel: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom('web', 'shop', 'a', 'api-v2', 'x'.repeat(62), 'y'.repeat(63)), weight: 2 },
  { arbitrary: fc.stringMatching(/^[a-z]([a-z0-9-]{0,20}[a-z0-9])?$/), weight: 1 },
);
/** Names the API server refuses as labels (or as Service names). */
export const badLabels = ['9lives', 'z'.repeat(64), 'Web', 'my_app', '-a', 'a-', ''];

/**
 * How a generator draws: `valid` only good values (coherent sets, to reach synth and the
 * validator), `typed` mostly good values with some that break a rule, `chaos` also wrong types.
 */
export type Mode = 'valid' | 'typed' | 'chaos';

/** Pickers for one mode: `pick(good, bad)` and `maybe(arb)` (a wrong type instead, in chaos). */
export function pickers(mode: Mode): {
  pick: <T>(good: readonly T[], bad: readonly T[]) => fc.Arbitrary<T>;
  maybe: <T>(arb: fc.Arbitrary<T>) => fc.Arbitrary<unknown>;
} {
  return {
    pick: <T>(good: readonly T[], bad: readonly T[]): fc.Arbitrary<T> =>
      mode === 'valid' || bad.length === 0
        ? fc.constantFrom(...good)
        : fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 19 }, { arbitrary: fc.constantFrom(...bad), weight: 1 }),
    maybe: <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
      mode === 'chaos' ? fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: wrongScalar, weight: 1 }) : arb,
  };
}

/** One arbitrary over the three modes, a third each. */
export function modes<T>(make: (mode: Mode) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(make('valid'), make('typed'), make('chaos'));
}

/** Outcome of one prop set. */
export type Outcome = 'valid' | 'error';

/** Counts per outcome, for the report and for the "both kinds occur" assertions. */
export class Tally {
  public valid = 0;
  public errors = 0;
  public add(o: Outcome): void {
    if (o === 'valid') this.valid++;
    else this.errors++;
  }
  public report(name: string): void {
    if (process.env.PAAS_PROPS_REPORT) process.stdout.write(`${name}: ${this.valid} valid outputs, ${this.errors} clear errors\n`);
  }
}

/**
 * Runs `build`, and says `error` for a PaasValidationError whose every problem names a field and
 * says what is valid. Any other exception (TypeError, cdk8s internals) is rethrown: a bug.
 */
export function outcome(build: () => void): Outcome {
  try {
    build();
    return 'valid';
  } catch (e) {
    if (e instanceof PaasValidationError) {
      for (const p of e.problems) {
        if (typeof p.field !== 'string' || p.field.length === 0 || typeof p.expected !== 'string' || p.expected.length === 0) {
          throw new Error(`PaasValidationError without a field: ${e.message}`);
        }
      }
      return 'error';
    }
    throw e;
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names are DNS-1035/1123 labels (63); all others here are DNS-1123 subdomains (253). */
const LABEL_NAMED = new Set(['Service', 'Namespace']);
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The API server's and kubelet's rules our schema validator does not check: names per kind,
 * label keys and values, unique container/volume/port/env names, mounts of declared volumes,
 * unique objects. Returns every problem found.
 */
export function apiServerProblems(objects: any[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const o of objects) {
    const ref = `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    const name: unknown = o.metadata?.name;
    const max = o.kind === 'StatefulSet' ? 52 : LABEL_NAMED.has(o.kind) ? 63 : 253;
    const re = LABEL_NAMED.has(o.kind) ? DNS_LABEL : DNS_SUBDOMAIN;
    if (typeof name !== 'string' || name.length > max || !re.test(name)) out.push(`${ref}: name is not a valid ${o.kind} name`);
    if (o.kind === 'Service' && typeof name === 'string' && /^[0-9]/.test(name)) out.push(`${ref}: Service name must start with a letter`);
    if (seen.has(`${o.apiVersion} ${ref}`)) out.push(`${ref}: emitted twice`);
    seen.add(`${o.apiVersion} ${ref}`);
    labels(out, ref, 'metadata.labels', o.metadata?.labels);
    labels(out, ref, 'spec.selector.matchLabels', o.spec?.selector?.matchLabels);
    labels(out, ref, 'spec.podSelector.matchLabels', o.spec?.podSelector?.matchLabels);
    if (o.kind === 'Service') labels(out, ref, 'spec.selector', o.spec?.selector);
    for (const [k] of Object.entries(o.metadata?.annotations ?? {})) if (!isLabelKey(k)) out.push(`${ref}: annotation key ${k}`);
    const template = o.spec?.template;
    if (template?.spec) {
      labels(out, ref, 'spec.template.metadata.labels', template.metadata?.labels);
      pod(
        out,
        ref,
        template.spec,
        (o.spec.volumeClaimTemplates ?? []).map((c: any) => c.metadata?.name),
      );
    }
    if (o.kind === 'Service') {
      unique(
        out,
        ref,
        'port name',
        (o.spec?.ports ?? []).map((p: any) => p.name),
      );
      unique(
        out,
        ref,
        'port/protocol',
        (o.spec?.ports ?? []).map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`),
      );
    }
  }
  return out;
}

function labels(out: string[], ref: string, where: string, map: Record<string, unknown> | undefined): void {
  for (const [k, v] of Object.entries(map ?? {})) {
    if (!isLabelKey(k)) out.push(`${ref}: ${where} key ${JSON.stringify(k)}`);
    if (!isLabelValue(v)) out.push(`${ref}: ${where}[${k}] value ${JSON.stringify(v)}`);
  }
}

function pod(out: string[], ref: string, spec: any, claimTemplates: string[]): void {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const volumes: string[] = [...(spec.volumes ?? []).map((v: any) => v.name), ...claimTemplates];
  unique(
    out,
    ref,
    'container name',
    containers.map((c: any) => c.name),
  );
  unique(out, ref, 'volume name', volumes);
  for (const v of volumes) if (typeof v !== 'string' || v.length > 63 || !DNS_LABEL.test(v)) out.push(`${ref}: volume name ${JSON.stringify(v)}`);
  for (const c of containers) {
    if (typeof c.name !== 'string' || c.name.length > 63 || !DNS_LABEL.test(c.name)) out.push(`${ref}: container name ${JSON.stringify(c.name)}`);
    unique(
      out,
      ref,
      `env name in ${c.name}`,
      (c.env ?? []).map((e: any) => e.name),
    );
    for (const e of c.env ?? []) if (!ENV_NAME.test(e.name)) out.push(`${ref}: env name ${JSON.stringify(e.name)}`);
    unique(
      out,
      ref,
      `port name in ${c.name}`,
      (c.ports ?? []).filter((p: any) => p.name).map((p: any) => p.name),
    );
    unique(
      out,
      ref,
      `mount path in ${c.name}`,
      (c.volumeMounts ?? []).map((m: any) => m.mountPath),
    );
    for (const m of c.volumeMounts ?? []) if (!volumes.includes(m.name)) out.push(`${ref}: mount of undeclared volume ${m.name}`);
    const ctx = { ...spec.securityContext, ...c.securityContext };
    if (ctx.runAsNonRoot === true && (ctx.runAsUser === 0 || ctx.runAsGroup === 0)) out.push(`${ref}: runAsNonRoot with UID or GID 0 in ${c.name}`);
  }
}

function unique(out: string[], ref: string, what: string, values: unknown[]): void {
  const s = new Set<unknown>();
  for (const v of values) {
    if (s.has(v)) out.push(`${ref}: duplicate ${what} ${JSON.stringify(v)}`);
    s.add(v);
  }
}

/**
 * Builds prop sets in batches: each valid construct in its own Chart (own namespace) of one App
 * per batch, synthesized once; the valid outputs are validated (schema, Pod Security, Polaris)
 * and checked against {@link apiServerProblems}. A batch whose synth throws a PaasValidationError
 * is retried one construct per App, so each prop set gets its own outcome.
 */
export function runBatches<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  build: (chart: Chart, props: T, index: number) => void,
  options: { readonly batch?: number; readonly polarisAllow?: readonly string[]; readonly allowOptOut?: boolean } = {},
): Tally {
  const tally = new Tally();
  const size = options.batch ?? 50;
  const samples = fc.sample(arb, { numRuns: RUNS, seed: SEED });
  for (let start = 0; start < samples.length; start += size) {
    const chunk = samples.slice(start, start + size);
    const app = new App();
    const built: T[] = [];
    chunk.forEach((props, i) => {
      const chart = new Chart(app, `c${i}`, { namespace: `ns-${i}` });
      const o = outcomeOf(name, props, () => build(chart, props, start + i));
      if (o === 'valid') built.push(props);
      else {
        tally.add(o);
        app.node.tryRemoveChild(chart.node.id);
      }
    });
    if (built.length === 0) continue;
    // What App.synth does, minus writing and re-reading YAML: the construct validations (registry
    // checks), then every chart's objects.
    const errors = app.node.findAll().flatMap((c) => c.node.validate());
    const objects: any[] | undefined = errors.length === 0 ? app.charts.flatMap((c) => c.toJson()) : undefined;
    if (objects) {
      check(name, built, objects, options);
      for (let i = 0; i < built.length; i++) tally.add('valid');
      continue;
    }
    for (const props of built) {
      const one = new App();
      const chart = new Chart(one, 'c', { namespace: 'ns' });
      let single: any[] = [];
      const o = outcomeOf(name, props, () => {
        build(chart, props, 0);
        // Synth-time checks (node.addValidation) report in our format: a clear error too.
        const messages = one.node.findAll().flatMap((c) => c.node.validate());
        if (messages.length > 0) {
          const bad = messages.filter((m) => !/^\S+: \S.* is invalid: \S/.test(m));
          if (bad.length > 0) throw new Error(`synth-time message not in the PaasValidationError format: ${bad.join('; ')}`);
          throw new PaasValidationError(messages.map((m) => ({ path: m.split(':')[0], field: 'synth', value: undefined, expected: m })));
        }
        single = one.charts.flatMap((c) => c.toJson());
      });
      if (o === 'valid') check(name, [props], single, options);
      tally.add(o);
    }
  }
  return tally;
}

function outcomeOf<T>(name: string, props: T, fn: () => void): Outcome {
  try {
    return outcome(fn);
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).stack}\nprops: ${show(props)}`);
  }
}

function check(name: string, built: unknown[], objects: any[], options: { polarisAllow?: readonly string[]; allowOptOut?: boolean }): void {
  // Error findings only: Polaris warnings follow from choices a user may make on purpose
  // (one replica, no liveness probe, network policy disabled), and synth prints them.
  const declared = options.allowOptOut ? declaredHostAccess(objects) : new Map<string, Set<string>>();
  const findings = validateAll(objects, { polarisAllow: options.polarisAllow, allowOptOut: options.allowOptOut }).filter(
    (f) => !f.startsWith('polaris warning') && !declaredDanger(f, declared),
  );
  const problems = [...apiServerProblems(objects), ...findings];
  if (problems.length > 0) {
    throw new Error(
      `${name}: accepted, but the output is invalid:\n  - ${problems.slice(0, 10).join('\n  - ')}\nprops of the batch (first 5):\n${built.slice(0, 5).map(show).join('\n')}`,
    );
  }
}

/** The Polaris checks each kind of declared host access necessarily fails (as lib/validation/policy.ts). */
const HOST_ACCESS_CHECKS: Readonly<Record<string, readonly string[]>> = {
  hostNetwork: ['hostNetworkSet'],
  hostPID: ['hostPIDSet'],
  hostPort: ['hostPortSet'],
  hostPath: ['hostPathSet'],
  privileged: ['runAsPrivileged', 'privilegeEscalationAllowed'],
};

/**
 * Per object, the Polaris checks its declared host access implies: NodeAgent writes the access
 * (`paas.cdk8s.io/host-access`) beside a named opt-out reason, and the validator in lib/validation
 * accepts exactly those dangers for it; test/support's Polaris does not read the annotation.
 */
function declaredHostAccess(objects: any[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const o of objects) {
    const ann = o.metadata?.annotations ?? {};
    const access = ann['paas.cdk8s.io/host-access'];
    if (typeof access !== 'string' || typeof ann['paas.cdk8s.io/pod-security-opt-out'] !== 'string') continue;
    const checks = access.split(',').flatMap((k) => HOST_ACCESS_CHECKS[k.trim().split(' ')[0]] ?? []);
    out.set(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`, new Set(checks));
  }
  return out;
}

function declaredDanger(finding: string, declared: Map<string, Set<string>>): boolean {
  const m = /^polaris danger (\S+): (\S+ \S+?)(:| container)/.exec(finding);
  return m !== null && (declared.get(m[2])?.has(m[1]) ?? false);
}

function show(v: unknown): string {
  try {
    return (
      JSON.stringify(v, (_k, x) => (x instanceof Lazy ? `lazy(${x.make.toString().slice(0, 120)})` : x === undefined ? '<undefined>' : x))?.slice(0, 2000) ??
      String(v)
    );
  } catch {
    return String(v);
  }
}
