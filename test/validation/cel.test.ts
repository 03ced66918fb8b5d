import {
  CEL_FUNCTIONS,
  celCounters,
  celFunctionsOf,
  compileCel,
  escapeProperty,
  isIP,
  listCelRules,
  parseFieldPath,
  resetCelCounters,
} from '../../lib/validation/cel';
import { CRD_DATA, DEFAULT_CRD_SETS } from '../../lib/validation/data';
import { schemaFamily } from '../../lib/validation/schema';
import type { CheckContext, Manifest } from '../../lib/validation/types';
import { widgetCrd } from './fixtures';

const ctx = (objects: Manifest[], crds: Manifest[] = []): CheckContext => ({
  objects: objects.map((manifest) => ({ manifest, origin: {} })),
  kubernetesVersions: ['1.28'],
  podSecurityLevel: 'restricted',
  namespaceLevels: new Map(),
  customResourceDefinitions: crds,
});
const brief = (objects: Manifest[], crds: Manifest[] = []): string[] =>
  schemaFamily(ctx(objects, crds)).map((f) => `${f.severity} ${f.id} ${f.path}: ${f.message}`);

/** A CRD of our own with the given rules on spec (and a nested list of items with rules). */
const crd = (specRules: Manifest[], itemRules: Manifest[] = []): Manifest =>
  widgetCrd({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': specRules,
        properties: {
          name: { type: 'string' },
          replicas: { type: 'integer' },
          mode: { type: 'string', default: 'Fast' },
          items: { type: 'array', items: { type: 'object', 'x-kubernetes-validations': itemRules, properties: { port: { type: 'integer' } } } },
        },
      },
    },
  });
const widget = (spec: Manifest): Manifest => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' }, spec });

describe('CEL rules in the schema check (schema/cel)', () => {
  beforeEach(() => resetCelCounters());

  test('mutation: an HTTPRoute rule with two RequestRedirect filters fails with schema/cel', () => {
    // Our constructs never emit this; the CRD's rule is what catches it.
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'default' },
      spec: {
        rules: [
          {
            filters: [
              { type: 'RequestRedirect', requestRedirect: { scheme: 'https' } },
              { type: 'RequestRedirect', requestRedirect: { statusCode: 301 } },
            ],
          },
        ],
      },
    };
    // The shipped data keeps the rule, not upstream's message: reported as the API server reports a rule without one.
    expect(brief([route])).toEqual(["error schema/cel spec.rules[0].filters: failed rule: self.filter(f, f.type == 'RequestRedirect').size() <= 1"]);
  });

  test('mutation: a Gateway listener with a hostname on TCP fails with schema/cel', () => {
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'g', namespace: 'default' },
      spec: { gatewayClassName: 'traefik', listeners: [{ name: 'tcp', protocol: 'TCP', port: 5432, hostname: 'db.example.com' }] },
    };
    expect(brief([gw])).toEqual([
      "error schema/cel spec.listeners: failed rule: self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true)",
    ]);
  });

  test('a rule calling an unsupported function, or a transition rule, is skipped and counted, never reported', () => {
    const c = crd([
      { rule: "self.name.replace('a', 'b') == 'never'", message: 'unsupported function' },
      { rule: 'self == oldSelf', message: 'immutable' },
      { rule: "self.name != 'bad'", message: 'name must not be bad' },
    ]);
    expect(brief([widget({ name: 'ok' })], [c])).toEqual([]);
    expect(brief([widget({ name: 'bad' })], [c])).toEqual(['error schema/cel spec: name must not be bad']);
    const n = celCounters();
    expect(n.skipped.unsupported).toBe(2);
    expect(n.skipped.transition).toBe(2);
    expect(n.evaluated).toBe(2);
    expect(n.failed).toBe(1);
    expect(compileCel("self.replace('a', 'b')")).toMatchObject({ ok: false, reason: 'unsupported' });
    expect(compileCel('self.x == oldSelf.x')).toMatchObject({ ok: false, reason: 'transition' });
  });

  test('a rule reading an absent field fails as on the API server ("no such key"); other evaluation errors are skipped and counted', () => {
    const c = crd([{ rule: 'self.replicas > 2', message: 'more than two' }]);
    expect(brief([widget({ name: 'x' })], [c])).toEqual(['error schema/cel spec: more than two (the rule cannot be evaluated: no such key: replicas)']);
    resetCelCounters();
    // A comparison of a string with an int is a type error in CEL: not reported (it may be ours).
    const typed = crd([{ rule: 'self.name > 2', message: 'never shown' }]);
    expect(brief([widget({ name: 'x' })], [typed])).toEqual([]);
    expect(celCounters().skipped.error).toBe(1);
  });

  test('messageExpression, message, the default message, fieldPath and defaults', () => {
    const c = crd(
      [
        { rule: 'self.replicas <= 3', messageExpression: "'replicas is ' + string(self.replicas) + ', at most 3'", message: 'too many' },
        { rule: 'self.replicas != 4', messageExpression: 'self.nope', message: 'not four' },
        { rule: 'self.replicas != 4' },
        { rule: "self.mode == 'Fast'", message: 'mode is defaulted before the rules run', fieldPath: '.mode' },
      ],
      [{ rule: 'self.port > 0', message: 'port must be positive', fieldPath: '.port', reason: 'FieldValueForbidden' }],
    );
    expect(brief([widget({ replicas: 4, items: [{ port: 1 }, { port: 0 }] })], [c])).toEqual([
      'error schema/cel spec: replicas is 4, at most 3',
      'error schema/cel spec: not four',
      'error schema/cel spec: failed rule: self.replicas != 4',
      'error schema/cel spec.items[1].port: port must be positive',
    ]);
    expect(brief([widget({ replicas: 1, mode: 'Slow' })], [c])).toEqual(['error schema/cel spec.mode: mode is defaulted before the rules run']);
  });

  test('no rule runs on an object with a blocking schema error (type, required, enum...), as the API server does', () => {
    const c = crd([{ rule: "self.name != 'bad'", message: 'name must not be bad' }]);
    expect(brief([widget({ name: 'bad', replicas: 'three' })], [c])).toEqual(['error schema/type spec.replicas: must be integer, not string']);
    expect(celCounters().blockedObjects).toBe(1);
    expect(celCounters().evaluated).toBe(0);
  });

  test('each rule is compiled once per process (cached by its text)', () => {
    const a = compileCel("self.type == 'A'");
    expect(compileCel("self.type == 'A'")).toBe(a);
  });

  test('helpers: escaping, fieldPath, isIP', () => {
    expect(escapeProperty('namespace')).toBe('__namespace__');
    expect(escapeProperty('a-b.c/d__e')).toBe('a__dash__b__dot__c__slash__d__underscores__e');
    expect(parseFieldPath(".spec['a.b'].c")).toEqual(['spec', 'a.b', 'c']);
    expect(parseFieldPath('spec')).toBeUndefined();
    for (const ok of ['1.2.3.4', '::1', '1111:2222:3333:4444::', 'fe80::1', '2001:db8::1.2.3.4']) expect(isIP(ok)).toBe(true);
    for (const bad of ['01.2.3.4', '1.2.3.4:80', 'fe80::1%eth0', '::ffff:1.2.3.4', 'foo.com', '1:2:3:4:5:6:7:8:9', '']) expect(isIP(bad)).toBe(false);
  });

  test('the shipped CRD data: every rule but the transition ones is evaluable, every function used is supported', () => {
    const summary: Record<string, { total: number; transition: number; unsupported: number }> = {};
    const used = new Set<string>();
    for (const id of Object.keys(CRD_DATA)) {
      const kinds = JSON.parse(CRD_DATA[id]).kinds as Record<string, Manifest>;
      const s = { total: 0, transition: 0, unsupported: 0 };
      for (const schema of Object.values(kinds)) {
        for (const { rule } of listCelRules(schema)) {
          s.total++;
          const c = compileCel(rule.rule);
          if (!c.ok && c.reason === 'transition') s.transition++;
          else if (!c.ok) s.unsupported++;
          for (const f of celFunctionsOf(rule.rule) ?? []) used.add(f);
        }
      }
      summary[id] = s;
    }
    expect(summary).toEqual({
      'prometheus-operator@v0.93.0': { total: 0, transition: 0, unsupported: 0 },
      'cert-manager@v1.21.1': { total: 2, transition: 0, unsupported: 0 },
      'gateway-api@v1.5.1': { total: 266, transition: 2, unsupported: 0 },
      'gateway-api@v1.6.1': { total: 212, transition: 2, unsupported: 0 },
    });
    expect([...used].sort()).toEqual([
      'all',
      'contains',
      'duration',
      'endsWith',
      'exists',
      'exists_one',
      'filter',
      'has',
      'isIP',
      'matches',
      'size',
      'split',
      'startsWith',
      'substring',
    ]);
    for (const f of used) expect(CEL_FUNCTIONS).toContain(f);
    expect(DEFAULT_CRD_SETS).toContain('gateway-api@v1.5.1');
  });

  test('cert-manager v1.21.1 Certificate carries no CEL rule (its checks are all OpenAPI)', () => {
    const kinds = JSON.parse(CRD_DATA['cert-manager@v1.21.1']).kinds as Record<string, Manifest>;
    expect(listCelRules(kinds['cert-manager.io/v1/Certificate'])).toEqual([]);
    expect(listCelRules(kinds['cert-manager.io/v1/ClusterIssuer']).map((r) => r.path)).toEqual(['.spec.venafi']);
  });
});
