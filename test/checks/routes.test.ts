import { findRouteConflicts, hostProblem, RouteClaim, urlPathProblem } from '../../lib/checks/routes';

describe('hostProblem', () => {
  test.each(['wp.test', 'ngx.test', 'a.b-c.example.com', '*.example.com', 'localhost'])('accepts %s', (host) => {
    expect(hostProblem(host)).toBeUndefined();
  });

  test('fails if the host is empty', () => {
    expect(hostProblem('')).toBe('must be a DNS name such as "wp.example.com"');
  });

  test('fails if the host is an IP address', () => {
    expect(hostProblem('192.168.56.4')).toBe('must be a DNS name, not an IP address: Ingress and HTTPRoute match on host names');
  });

  test('fails if a label has upper-case letters, underscores or is too long', () => {
    const expected = (label: string) =>
      `must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', labels of 1-63 characters starting and ending with a letter or digit; an optional leading "*." wildcard): label ${JSON.stringify(label)} is not`;
    expect(hostProblem('WP.test')).toBe(expected('WP'));
    expect(hostProblem('my_site.test')).toBe(expected('my_site'));
    expect(hostProblem(`${'a'.repeat(64)}.test`)).toBe(expected('a'.repeat(64)));
    expect(hostProblem('wp..test')).toBe(expected(''));
  });

  test('fails if the wildcard covers a single label', () => {
    expect(hostProblem('*.test')).toBe('a wildcard must cover a domain with at least two labels, e.g. "*.example.com"');
  });

  test('fails if the host is longer than 253 characters', () => {
    expect(hostProblem(`${'a.'.repeat(127)}test`)).toBe('must be at most 253 characters');
  });
});

describe('urlPathProblem', () => {
  test('accepts absolute paths', () => {
    expect(urlPathProblem('/')).toBeUndefined();
    expect(urlPathProblem('/api/v1')).toBeUndefined();
  });
  test('fails if the path is relative', () => {
    expect(urlPathProblem('api')).toBe('must be an absolute URL path starting with "/"');
  });
  test('fails if the path carries a query', () => {
    expect(urlPathProblem('/search?q=1')).toBe('must not contain spaces, "?" or "#": routes match the path only');
  });
  test('fails if a Prefix or Exact path has a sequence the API server and the HTTPRoute rules reject', () => {
    expect(urlPathProblem('/a//b')).toBe(
      'must not contain "//", "/./", "/../", "%2f" or "%2F", nor end with "/.." or "/." (it has "//"): the API server rejects such Prefix paths',
    );
    expect(urlPathProblem('/a/..', 'Exact')).toBe(
      'must not contain "//", "/./", "/../", "%2f" or "%2F", nor end with "/.." or "/." (it has "/.."): the API server rejects such Exact paths',
    );
    expect(urlPathProblem('/a%2Fb')).toContain('(it has "%2F")');
    expect(urlPathProblem('/caf\u00e9')).toBe(`must only contain URL path characters (letters, digits, "-._~!$&'()*+,;=:@/" and %-escapes) in a Prefix path`);
    expect(urlPathProblem('/caf%C3%A9')).toBeUndefined();
  });
  test('ImplementationSpecific paths may be controller regexes', () => {
    expect(urlPathProblem('/api(/|$)(.*)', 'ImplementationSpecific')).toBeUndefined();
    expect(urlPathProblem('/api(/|$)(.*)', 'Prefix')).toBe(
      `must only contain URL path characters (letters, digits, "-._~!$&'()*+,;=:@/" and %-escapes) in a Prefix path`,
    );
  });
});

describe('findRouteConflicts', () => {
  const claim = (name: string, host: string, urlPath: string, namespace = 'dev-ns', kind = 'Ingress'): RouteClaim => ({
    path: `app/${name}`,
    kind,
    namespace,
    name,
    host,
    urlPath,
  });

  test('different hosts or paths do not conflict', () => {
    expect(findRouteConflicts([claim('wp', 'wp.test', '/'), claim('ngx', 'ngx.test', '/'), claim('api', 'wp.test', '/api')])).toEqual([]);
  });

  test('fails if the same host and path are claimed twice, even from other namespaces and kinds', () => {
    expect(findRouteConflicts([claim('wp', 'wp.test', '/'), claim('wp2', 'WP.test', '/', 'other', 'HTTPRoute')])).toEqual([
      {
        path: 'app/wp2',
        field: 'host',
        value: 'WP.test/',
        expected:
          'is already routed by Ingress "wp" in namespace "dev-ns" (app/wp); each host and path must have one owner: change the host or path, or remove one route',
      },
    ]);
  });

  test('fails if two Prefix paths differ only by a trailing slash; Exact and Prefix on one path do not clash', () => {
    const prefix = claim('shop', 'wp.test', '/shop');
    const slash = { ...claim('shop2', 'wp.test', '/shop/'), pathType: 'Prefix' };
    expect(findRouteConflicts([prefix, slash]).map((p) => `${p.path} ${p.value}`)).toEqual(['app/shop2 wp.test/shop/']);
    const exact = { ...claim('exact', 'wp.test', '/shop'), pathType: 'Exact' };
    const exactSlash = { ...claim('exact2', 'wp.test', '/shop/'), pathType: 'Exact' };
    expect(findRouteConflicts([prefix, exact, exactSlash])).toEqual([]);
    expect(findRouteConflicts([claim('root', 'wp.test', '/'), claim('root2', 'wp.test', '//')]).map((p) => p.path)).toEqual(['app/root2']);
  });
});
