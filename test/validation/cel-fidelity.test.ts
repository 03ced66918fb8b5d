import * as fs from 'fs';
import * as path from 'path';
import { celCounters, resetCelCounters } from '../../lib/validation/cel';
import { readUpstreamYamlDocuments, upstreamDir } from '../support';
import { schemaFamily } from '../../lib/validation/schema';
import type { CheckContext, Manifest } from '../../lib/validation/types';

// Fidelity of the CEL evaluation against the API server, with the rules of the shipped CRDs
// (Gateway API v1.5.1, cert-manager v1.21.1). Each case states what the real API server does with
// the object and where the fact comes from: most come from gateway-api's own CEL tests
// (tests/cel/*_test.go in kubernetes-sigs/gateway-api, which create the objects against a real
// API server with the CRDs installed); the objects are written anew here. A rejected case lists
// the exact message the rule carries; an accepted case must give no schema finding at all.

const ctx = (manifest: Manifest): CheckContext => ({
  objects: [{ manifest, origin: {} }],
  kubernetesVersions: ['1.28'],
  podSecurityLevel: 'restricted',
  namespaceLevels: new Map(),
  customResourceDefinitions: [],
});
const findings = (o: Manifest): string[] => schemaFamily(ctx(o)).map((f) => `${f.id} ${f.path}: ${f.message}`);
const cel = (o: Manifest): string[] =>
  schemaFamily(ctx(o))
    .filter((f) => f.id === 'schema/cel')
    .map((f) => `${f.path}: ${f.message}`);

const GW = 'gateway.networking.k8s.io/v1';
const meta = { name: 'foo', namespace: 'default' };
const gateway = (listeners: Manifest[], more: Manifest = {}): Manifest => ({
  apiVersion: GW,
  kind: 'Gateway',
  metadata: meta,
  spec: { gatewayClassName: 'foo', listeners, ...more },
});
const httpRoute = (rules: Manifest[], more: Manifest = {}): Manifest => ({ apiVersion: GW, kind: 'HTTPRoute', metadata: meta, spec: { rules, ...more } });
const grpcRoute = (rules: Manifest[]): Manifest => ({ apiVersion: GW, kind: 'GRPCRoute', metadata: meta, spec: { rules } });
const svc = { name: 'test', port: 8080 };
const withPath = (path: Manifest): Manifest => httpRoute([{ matches: [{ path }], backendRefs: [svc] }]);
const redirect = (path?: Manifest): Manifest => ({ type: 'RequestRedirect', requestRedirect: path ? { path } : { scheme: 'https', statusCode: 301 } });
const rewrite = (path: Manifest): Manifest => ({ type: 'URLRewrite', urlRewrite: { path } });

interface Case {
  readonly name: string;
  readonly object: Manifest;
  /** `path: message` of every schema/cel finding; [] for an object the API server accepts. */
  readonly want: string[];
}

const cases: Case[] = [
  // --- Gateway: tests/cel/gateway_test.go, TestValidateGateway ---
  {
    name: 'tls config present with http protocol (rejected)',
    object: gateway([{ name: 'http', protocol: 'HTTP', port: 8080, tls: { certificateRefs: [{ name: 'foo' }] } }]),
    want: ["spec.listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"],
  },
  {
    name: 'tls config present with tcp protocol (rejected)',
    object: gateway([{ name: 'tcp', protocol: 'TCP', port: 8080, tls: { certificateRefs: [{ name: 'foo' }] } }]),
    want: ["spec.listeners: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']"],
  },
  {
    name: 'https protocol with Passthrough tls mode (rejected)',
    object: gateway([{ name: 'https', protocol: 'HTTPS', port: 8080, tls: { mode: 'Passthrough' } }]),
    want: ['spec.listeners: tls mode must be Terminate for protocol HTTPS'],
  },
  {
    name: 'tls mode not set with https protocol and certificateRefs (accepted: mode defaults to Terminate)',
    object: gateway([{ name: 'https', protocol: 'HTTPS', port: 8080, tls: { certificateRefs: [{ name: 'foo' }] } }]),
    want: [],
  },
  {
    name: 'tls config not set with tls protocol (rejected)',
    object: gateway([{ name: 'tls', protocol: 'TLS', port: 8443 }]),
    want: ['spec.listeners: tls mode must be set for protocol TLS'],
  },
  {
    name: 'tls config not set with udp protocol (accepted)',
    object: gateway([{ name: 'udp', protocol: 'UDP', port: 8080 }]),
    want: [],
  },
  {
    name: 'hostname present with tcp protocol (rejected)',
    object: gateway([{ name: 'tcp', protocol: 'TCP', port: 8080, hostname: 'foo' }]),
    want: ["spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']"],
  },
  {
    name: 'hostname present with udp protocol (rejected)',
    object: gateway([{ name: 'udp', protocol: 'UDP', port: 8080, hostname: 'foo' }]),
    want: ["spec.listeners: hostname must not be specified for protocols ['TCP', 'UDP']"],
  },
  {
    name: 'options set with https protocol and Terminate mode (accepted)',
    object: gateway([{ name: 'https', protocol: 'HTTPS', port: 8443, tls: { mode: 'Terminate', options: { 'networking.example.com/tls-version': '1.2' } } }]),
    want: [],
  },
  {
    name: 'listener names are not unique (rejected)',
    object: gateway([
      { name: 'http', protocol: 'HTTP', port: 80 },
      { name: 'http', protocol: 'HTTP', port: 8000 },
    ]),
    want: ['spec.listeners: Listener name must be unique within the Gateway'],
  },
  {
    name: 'listener names are unique (accepted)',
    object: gateway([
      { name: 'http-1', protocol: 'HTTP', port: 80 },
      { name: 'http-2', protocol: 'HTTP', port: 8000 },
    ]),
    want: [],
  },
  {
    name: 'port, protocol and hostname not unique (rejected)',
    object: gateway([
      { name: 'foo', protocol: 'HTTP', port: 80, hostname: 'foo.com' },
      { name: 'bar', protocol: 'HTTP', port: 80, hostname: 'foo.com' },
    ]),
    want: ['spec.listeners: Combination of port, protocol and hostname must be unique for each listener'],
  },
  {
    name: 'port and protocol not unique, hostnames not set (rejected)',
    object: gateway([
      { name: 'foo', protocol: 'HTTP', port: 80 },
      { name: 'bar', protocol: 'HTTP', port: 80 },
    ]),
    want: ['spec.listeners: Combination of port, protocol and hostname must be unique for each listener'],
  },
  {
    name: 'one omitted hostname, same protocol and port (accepted)',
    object: gateway([
      { name: 'foo', protocol: 'HTTP', port: 80, hostname: 'foo.com' },
      { name: 'bar', protocol: 'HTTP', port: 80 },
    ]),
    want: [],
  },
  {
    name: 'duplicate ip address and hostname (rejected)',
    object: gateway([{ name: 'http', protocol: 'HTTP', port: 80 }], {
      addresses: [
        { type: 'IPAddress', value: '1.2.3.4' },
        { type: 'IPAddress', value: '1.2.3.4' },
        { type: 'Hostname', value: 'foo.bar' },
        { type: 'Hostname', value: 'foo.bar' },
      ],
    }),
    want: ['spec.addresses: IPAddress values must be unique', 'spec.addresses: Hostname values must be unique'],
  },
  {
    name: 'addresses without values (accepted)',
    object: gateway([{ name: 'http', protocol: 'HTTP', port: 80 }], { addresses: [{ type: 'IPAddress' }, { type: 'Hostname' }] }),
    want: [],
  },

  // --- HTTPRoute: tests/cel/httproute_test.go, TestHTTPPathMatch ---
  {
    name: "path does not start with '/' (rejected)",
    object: withPath({ type: 'PathPrefix', value: 'foo' }),
    want: ["spec.rules[0].matches[0].path: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"],
  },
  {
    name: "prefix ending in '/.' (rejected)",
    object: withPath({ type: 'PathPrefix', value: '/.' }),
    want: ["spec.rules[0].matches[0].path: must not end with '/.' when type one of ['Exact', 'PathPrefix']"],
  },
  {
    name: "exact path containing '/./' (rejected)",
    object: withPath({ type: 'Exact', value: '/foo/./bar' }),
    want: ["spec.rules[0].matches[0].path: must not contain '/./' when type one of ['Exact', 'PathPrefix']"],
  },
  {
    name: 'RegularExpression path that would be invalid for Exact (accepted)',
    object: withPath({ type: 'RegularExpression', value: '/foo/./bar' }),
    want: [],
  },
  {
    name: 'exact path with special characters (accepted)',
    object: withPath({ type: 'Exact', value: "/abc/123'/a-b-c/d@gmail/%0A" }),
    want: [],
  },
  {
    name: 'prefix path with brackets (rejected)',
    object: withPath({ type: 'PathPrefix', value: '/[]' }),
    want: [
      "spec.rules[0].matches[0].path: must only contain valid characters (matching ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$) for types ['Exact', 'PathPrefix']",
    ],
  },
  // --- HTTPRoute: tests/cel/httproute_test.go, TestBackendObjectReference ---
  {
    name: 'default group and kind with no port (rejected: group and kind default to core Service)',
    object: httpRoute([{ backendRefs: [{ name: 'backend' }] }]),
    want: ['spec.rules[0].backendRefs[0]: Must have port for Service reference'],
  },
  {
    name: 'explicit non-Service ref with no port (accepted)',
    object: httpRoute([{ backendRefs: [{ group: 'foo.example.com', kind: 'Foo', name: 'backend' }] }]),
    want: [],
  },
  // --- HTTPRoute: tests/cel/httproute_test.go, TestHTTPRouteFilter ---
  {
    name: 'RequestHeaderModifier type carrying a requestMirror (rejected twice)',
    object: httpRoute([{ filters: [{ type: 'RequestHeaderModifier', requestMirror: { backendRef: svc } }], backendRefs: [svc] }]),
    want: [
      'spec.rules[0].filters[0]: filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
      'spec.rules[0].filters[0]: filter.requestMirror must be nil if the filter.type is not RequestMirror',
    ],
  },
  // --- HTTPRoute: tests/cel/httproute_test.go, TestHTTPRouteRule ---
  {
    name: 'backendRefs with a RequestRedirect filter (rejected)',
    object: httpRoute([{ filters: [redirect()], backendRefs: [{ name: 'test', port: 80 }] }]),
    want: ['spec.rules[0]: RequestRedirect filter must not be used together with backendRefs'],
  },
  {
    name: 'RequestRedirect without backendRefs (accepted)',
    object: httpRoute([{ filters: [redirect()] }]),
    want: [],
  },
  {
    name: 'valid URLRewrite with one PathPrefix match (accepted)',
    object: httpRoute([
      { matches: [{ path: { type: 'PathPrefix', value: '/foo' } }], filters: [rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: 'foo' })] },
    ]),
    want: [],
  },
  {
    name: 'URLRewrite replacePrefixMatch with two path matches (rejected)',
    object: httpRoute([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/foo' } }, { path: { type: 'PathPrefix', value: '/bar' } }],
        filters: [rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: 'foo' })],
      },
    ]),
    want: ['spec.rules[0]: When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  },
  {
    name: 'RequestRedirect replacePrefixMatch with a RegularExpression match (rejected)',
    object: httpRoute([
      { matches: [{ path: { type: 'RegularExpression', value: '/foo' } }], filters: [redirect({ type: 'ReplacePrefixMatch', replacePrefixMatch: 'foo' })] },
    ]),
    want: ['spec.rules[0]: When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified'],
  },
  {
    name: 'rewrite and redirect filters combined (rejected)',
    object: httpRoute([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/foo' } }],
        filters: [redirect({ type: 'ReplacePrefixMatch', replacePrefixMatch: 'foo' }), rewrite({ type: 'ReplacePrefixMatch', replacePrefixMatch: 'foo' })],
      },
    ]),
    want: ['spec.rules[0].filters: May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both'],
  },
  {
    name: 'repeated URLRewrite filter (rejected)',
    object: httpRoute([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/foo' } }],
        filters: [rewrite({ type: 'ReplaceFullPath', replaceFullPath: '/a' }), rewrite({ type: 'ReplaceFullPath', replaceFullPath: '/b' })],
      },
    ]),
    want: ['spec.rules[0].filters: URLRewrite filter cannot be repeated'],
  },
  {
    name: 'too many matches across rules: 16 rules of 9 (rejected)',
    object: httpRoute(
      Array.from({ length: 16 }, () => ({ matches: Array.from({ length: 9 }, (_, i) => ({ path: { type: 'PathPrefix', value: `/p${i}` } })) })),
    ),
    want: ['spec.rules: While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128'],
  },
  {
    name: 'many matches and few rules: 2 rules of 64 (accepted)',
    object: httpRoute(
      Array.from({ length: 2 }, () => ({ matches: Array.from({ length: 64 }, (_, i) => ({ path: { type: 'PathPrefix', value: `/p${i}` } })) })),
    ),
    want: [],
  },
  // --- HTTPRoute: tests/cel/httproute_test.go, TestHTTPPathModifier ---
  {
    name: 'ReplaceFullPath type without replaceFullPath (rejected)',
    object: httpRoute([{ filters: [redirect({ type: 'ReplaceFullPath' })] }]),
    want: ["spec.rules[0].filters[0].requestRedirect.path: replaceFullPath must be specified when type is set to 'ReplaceFullPath'"],
  },
  {
    name: 'replacePrefixMatch with type ReplaceFullPath (rejected)',
    object: httpRoute([{ filters: [redirect({ type: 'ReplaceFullPath', replacePrefixMatch: '/foo' })] }]),
    want: [
      "spec.rules[0].filters[0].requestRedirect.path: replaceFullPath must be specified when type is set to 'ReplaceFullPath'",
      "spec.rules[0].filters[0].requestRedirect.path: type must be 'ReplacePrefixMatch' when replacePrefixMatch is set",
    ],
  },
  // --- HTTPRoute: tests/cel/httproute_standard_test.go, TestHTTPRouteParentRefStandard ---
  {
    name: 'duplicate parentRefs without sectionName (rejected)',
    object: httpRoute([{ backendRefs: [svc] }], { parentRefs: [{ name: 'example' }, { name: 'example' }] }),
    want: ['spec.parentRefs: sectionName must be unique when parentRefs includes 2 or more references to the same parent'],
  },
  {
    name: 'first parentRef has a namespace, the second not (accepted)',
    object: httpRoute([{ backendRefs: [svc] }], { parentRefs: [{ name: 'example', namespace: 'test' }, { name: 'example' }] }),
    want: [],
  },
  {
    name: 'two parentRefs to the same Gateway, one without sectionName (rejected)',
    object: httpRoute([{ backendRefs: [svc] }], { parentRefs: [{ name: 'example' }, { name: 'example', sectionName: 'foo' }] }),
    want: ['spec.parentRefs: sectionName must be specified when parentRefs includes 2 or more references to the same parent'],
  },
  {
    // Not an upstream case: the same fact with two namespaces (`namespace` is read as __namespace__).
    name: 'same Gateway name in two namespaces, no sectionName (accepted)',
    object: httpRoute([{ backendRefs: [svc] }], {
      parentRefs: [
        { name: 'example', namespace: 'a' },
        { name: 'example', namespace: 'b' },
      ],
    }),
    want: [],
  },

  // --- GRPCRoute: tests/cel/grpcroute_test.go ---
  {
    name: 'GRPC RequestHeaderModifier type carrying a requestMirror (rejected twice)',
    object: grpcRoute([{ filters: [{ type: 'RequestHeaderModifier', requestMirror: { backendRef: svc } }] }]),
    want: [
      'spec.rules[0].filters[0]: filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
      'spec.rules[0].filters[0]: filter.requestMirror must be nil if the filter.type is not RequestMirror',
    ],
  },
  {
    name: 'GRPC method match without service or method (rejected: type defaults to Exact)',
    object: grpcRoute([{ matches: [{ method: {} }] }]),
    want: ["spec.rules[0].matches[0].method: One or both of 'service' or 'method' must be specified"],
  },
  {
    name: 'GRPC regex service and method with the default match type (rejected; the (?i) RE2 flag is honoured)',
    object: grpcRoute([{ matches: [{ method: { service: '.*', method: '.*' } }] }]),
    want: [
      'spec.rules[0].matches[0].method: service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
      'spec.rules[0].matches[0].method: method must only contain valid characters (matching ^[A-Za-z_][A-Za-z_0-9]*$)',
    ],
  },
  {
    name: 'GRPC service in mixed case (accepted: (?i))',
    object: grpcRoute([{ matches: [{ method: { service: 'foo.Test.Example' } }] }]),
    want: [],
  },
  {
    name: 'GRPC repeated header modifiers (rejected)',
    object: grpcRoute([
      {
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'a', value: '1' }] } },
          { type: 'RequestHeaderModifier', requestHeaderModifier: { add: [{ name: 'b', value: '2' }] } },
        ],
      },
    ]),
    want: ['spec.rules[0].filters: RequestHeaderModifier filter cannot be repeated'],
  },

  // --- cert-manager ClusterIssuer: the rule on VenafiIssuer (cert-manager v1.21 CRDs); no upstream
  // CEL test was found for it, the cases follow from the rule's own text ---
  {
    name: 'ClusterIssuer venafi with both tpp and cloud (rejected)',
    object: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'venafi' },
      spec: {
        venafi: { zone: 'z', tpp: { url: 'https://tpp.example', credentialsRef: { name: 'c' } }, cloud: { apiTokenSecretRef: { name: 't', key: 'k' } } },
      },
    },
    want: ['spec.venafi: exactly one of tpp, cloud, or ngts must be configured'],
  },
  {
    name: 'ClusterIssuer venafi with tpp only (accepted)',
    object: {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'venafi' },
      spec: { venafi: { zone: 'z', tpp: { url: 'https://tpp.example', credentialsRef: { name: 'c' } } } },
    },
    want: [],
  },
];

/**
 * The shipped data carries no upstream prose, so a rule is reported as the API server reports a
 * rule without a message: `failed rule: <rule>`. The cases keep the message the API server gives
 * (what the upstream tests assert); the rule it belongs to is looked up in the pinned upstream CRDs.
 */
const RULES_BY_MESSAGE = (() => {
  const byKind = new Map<string, Map<string, Set<string>>>();
  const files = [
    ...fs.readdirSync(path.join(upstreamDir(), 'install/gateway-api-v1.5.1')).map((f) => `install/gateway-api-v1.5.1/${f}`),
    ...fs.readdirSync(path.join(upstreamDir(), 'crds/cert-manager.io')).map((f) => `crds/cert-manager.io/${f}`),
  ];
  const walk = (kind: string, v: unknown): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(kind, x));
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'x-kubernetes-validations') {
        for (const r of x as Array<{ rule: string; message?: string }>) {
          if (!r.message) continue;
          const m = byKind.get(kind) ?? new Map<string, Set<string>>();
          byKind.set(kind, m.set(r.message, (m.get(r.message) ?? new Set()).add(r.rule)));
        }
      } else walk(kind, x);
    }
  };
  for (const f of files.filter((f) => f.endsWith('.yaml'))) {
    for (const doc of readUpstreamYamlDocuments(f) as Manifest[]) if (doc?.kind === 'CustomResourceDefinition') walk(doc.spec.names.kind, doc.spec.versions);
  }
  return byKind;
})();

/** `path: message` of a case, as our finding says it: `path: failed rule: <the rule with that message>`. */
function asReported(kind: string, want: string): string[] {
  const at = want.indexOf(': ');
  const [where, message] = [want.slice(0, at), want.slice(at + 2)];
  const rules = [...(RULES_BY_MESSAGE.get(kind)?.get(message) ?? [])];
  if (rules.length === 0) throw new Error(`no ${kind} rule with the message ${JSON.stringify(message)} in the pinned CRDs`);
  return rules.map((r) => `${where}: failed rule: ${r}`);
}

describe('CEL rules of the shipped CRDs, as the API server judges them', () => {
  test('at least 25 cases, accepting and rejecting', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.want.length === 0).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => c.want.length > 0).length).toBeGreaterThanOrEqual(15);
  });

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    resetCelCounters();
    const got = cel(c.object);
    expect(got.length).toBe(c.want.length);
    // Each expected finding is the rule upstream gives that message (a message may belong to more than one rule text).
    for (const w of c.want) expect(asReported(String(c.object.kind), w).some((r) => got.includes(r))).toBe(true);
    // Accepted objects are valid for the whole schema check; rejected ones fail only on CEL.
    expect(findings(c.object).filter((f) => !f.startsWith('schema/cel'))).toEqual([]);
    // The rules were really evaluated (not skipped into a pass).
    expect(celCounters().evaluated).toBeGreaterThan(0);
  });

  test('a Terminate listener without certificateRefs or options: rejected, as the API server does, because the rule cannot be evaluated', () => {
    // tests/cel/gateway_test.go "certificateRefs not set with HTTPS protocol and TLS terminate
    // mode": the rule reads self.certificateRefs and self.options, both absent, so its evaluation
    // fails ("no such key") and the API server rejects the object for that rule.
    const [rule] = [...(RULES_BY_MESSAGE.get('Gateway')?.get('certificateRefs or options must be specified when mode is Terminate') ?? [])];
    expect(cel(gateway([{ name: 'https', protocol: 'HTTPS', port: 8443, tls: { mode: 'Terminate' } }]))).toEqual([
      `spec.listeners[0].tls: failed rule: ${rule} (the rule cannot be evaluated: no such key: options)`,
    ]);
  });
});
