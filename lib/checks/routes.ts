/**
 * Route checks as pure functions: host names, and one owner per host and path across the whole
 * app. Two Ingresses (or HTTPRoutes) claiming the same host and path are accepted by the API
 * server; which one wins then depends on the controller (ingress-nginx takes the oldest), so a
 * typo silently steals traffic. Here it is a synth error.
 */
import { Problem } from '../core/errors';

/** One host and path a route claims. */
export interface RouteClaim {
  /** Construct path of the route (for messages). */
  readonly path: string;
  /** `Ingress` or `HTTPRoute`. */
  readonly kind: string;
  readonly namespace?: string;
  /** Object name of the Ingress or HTTPRoute. */
  readonly name: string;
  readonly host: string;
  /** URL path, e.g. `/`. */
  readonly urlPath: string;
  /** How the path matches. @default 'Prefix' */
  readonly pathType?: string;
}

/**
 * What a claim matches, as a key: Prefix paths match element-wise, so `/shop` and `/shop/` claim the
 * same requests; Exact and Prefix on one path are not a clash (an exact match takes precedence).
 */
function claimKey(c: RouteClaim): string {
  const type = c.pathType ?? 'Prefix';
  const urlPath = type === 'Prefix' ? c.urlPath.replace(/\/+$/, '') || '/' : c.urlPath;
  return `${c.host.toLowerCase()} ${type} ${urlPath}`;
}

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why a host is not a valid route host, or undefined when it is: a DNS-1123 subdomain of at most
 * 253 characters with labels of at most 63, optionally starting with a `*.` wildcard label, and
 * not an IP address (Ingress and HTTPRoute hosts must be names).
 */
export function hostProblem(host: string): string | undefined {
  if (typeof host !== 'string' || host.length === 0) return 'must be a DNS name such as "wp.example.com"';
  if (host.length > 253) return 'must be at most 253 characters';
  if (/^[0-9.]+$/.test(host) || host.includes(':')) return 'must be a DNS name, not an IP address: Ingress and HTTPRoute match on host names';
  const labels = host.startsWith('*.') ? host.slice(2).split('.') : host.split('.');
  if (host.startsWith('*.') && labels.length < 2) return 'a wildcard must cover a domain with at least two labels, e.g. "*.example.com"';
  for (const l of labels) {
    if (l.length > 63 || !HOST_LABEL.test(l)) {
      return `must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', labels of 1-63 characters starting and ending with a letter or digit; an optional leading "*." wildcard): label ${JSON.stringify(l)} is not`;
    }
  }
  return undefined;
}

const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/**
 * Why a URL path is not valid for a route, or undefined. Prefix and Exact paths follow the rules
 * the API server applies to Ingress paths and the HTTPRoute CRD's validation rules (CEL, which
 * schema validation alone does not run); ImplementationSpecific paths may be controller regexes.
 */
export function urlPathProblem(urlPath: string, pathType = 'Prefix'): string | undefined {
  if (typeof urlPath !== 'string' || !urlPath.startsWith('/')) return 'must be an absolute URL path starting with "/"';
  if (/[\s?#]/.test(urlPath)) return 'must not contain spaces, "?" or "#": routes match the path only';
  if (pathType !== 'Prefix' && pathType !== 'Exact') return undefined;
  const bad = BAD_SEQUENCES.find((b) => urlPath.includes(b)) ?? BAD_SUFFIXES.find((b) => urlPath.endsWith(b));
  if (bad)
    return `must not contain "//", "/./", "/../", "%2f" or "%2F", nor end with "/.." or "/." (it has ${JSON.stringify(bad)}): the API server rejects such ${pathType} paths`;
  if (!PATH_CHARS.test(urlPath)) return `must only contain URL path characters (letters, digits, "-._~!$&'()*+,;=:@/" and %-escapes) in a ${pathType} path`;
  return undefined;
}

/** The same host and path (and path type) claimed by two routes anywhere in the app: one problem per later claim, naming the first. */
export function findRouteConflicts(claims: readonly RouteClaim[]): Problem[] {
  const first = new Map<string, RouteClaim>();
  const problems: Problem[] = [];
  for (const c of claims) {
    const key = claimKey(c);
    const owner = first.get(key);
    if (!owner) {
      first.set(key, c);
      continue;
    }
    problems.push({
      path: c.path,
      field: 'host',
      value: `${c.host}${c.urlPath}`,
      expected: `is already routed by ${owner.kind} "${owner.name}"${owner.namespace ? ` in namespace "${owner.namespace}"` : ''} (${owner.path}); each host and path must have one owner: change the host or path, or remove one route`,
    });
  }
  return problems;
}
