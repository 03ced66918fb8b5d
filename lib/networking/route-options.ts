import { fail } from '../core/errors';
import { checkDnsSubdomain } from '../core/names';

/** Options only ingress-nginx understands (`nginx.ingress.kubernetes.io/*` annotations). */
export interface IngressNginxRouteOptions {
  /** Largest request body, nginx size syntax ("8m", "1g", "0" for unlimited). @default - controller default (1m) */
  readonly proxyBodySize?: string;
  /** Redirect HTTP to HTTPS when the route has TLS. @default - controller default (true with TLS) */
  readonly sslRedirect?: boolean;
  /** Rewrite the matched path to this target, e.g. "/" or "/$2". @default - no rewrite */
  readonly rewriteTarget?: string;
  /** Protocol to the backend. @default 'HTTP' */
  readonly backendProtocol?: 'HTTP' | 'HTTPS' | 'GRPC' | 'GRPCS';
}

/** Options only F5 NGINX Ingress Controller understands (`nginx.org/*` annotations). */
export interface F5NginxRouteOptions {
  /** Load-balancing method across the app's pods, as in the seeds (`round_robin`). @default - controller default (random two least_conn) */
  readonly lbMethod?: 'round_robin' | 'least_conn' | 'ip_hash' | 'random' | 'random two' | 'random two least_conn';
  /** Largest request body ("8m"). @default - controller default (1m) */
  readonly clientMaxBodySize?: string;
  /** Redirect HTTP to HTTPS when the route has TLS. @default - controller default (true) */
  readonly sslRedirect?: boolean;
}

/** A Traefik Middleware (traefik.io/v1alpha1) in the app's namespace. */
export interface TraefikMiddlewareRef {
  readonly name: string;
  /** @default - the app's namespace */
  readonly namespace?: string;
}

/** Options only Traefik understands. */
export interface TraefikRouteOptions {
  /** Entry points (listeners) the router binds to, e.g. ['websecure']. Ingress mode only. @default - all entry points */
  readonly entryPoints?: string[];
  /** Middlewares applied in order (`router.middlewares`; ExtensionRef filters in Gateway API mode). @default [] */
  readonly middlewares?: TraefikMiddlewareRef[];
}

/** Where a route's TLS certificate comes from. */
export class RouteTls {
  /** An existing `kubernetes.io/tls` Secret in the app's namespace (created outside our output). */
  public static fromSecret(secretName: string): RouteTls {
    checkDnsSubdomain('RouteTls', 'secretName', secretName);
    return new RouteTls(secretName, undefined, undefined);
  }

  /**
   * A certificate issued by cert-manager, which must already be installed (we do not install it):
   * an `Issuer` in the app's namespace or a `ClusterIssuer`. cert-manager writes the Secret.
   */
  public static certManager(issuer: string, options: { readonly clusterIssuer?: boolean; readonly secretName?: string } = {}): RouteTls {
    checkDnsSubdomain('RouteTls', 'issuer', issuer);
    if (options.secretName !== undefined) checkDnsSubdomain('RouteTls', 'secretName', options.secretName);
    return new RouteTls(options.secretName, issuer, options.clusterIssuer ?? true);
  }

  private constructor(
    private readonly secret: string | undefined,
    /** cert-manager issuer name, if any. */
    public readonly issuer: string | undefined,
    private readonly cluster: boolean | undefined,
  ) {}

  /** Secret name, given or derived from the route name (`<route>-tls`). */
  public secretName(routeName: string): string {
    return this.secret ?? `${routeName}-tls`;
  }

  /** Annotations asking cert-manager for the certificate, if any. */
  public annotations(): Record<string, string> {
    if (!this.issuer) return {};
    return { [this.cluster ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer']: this.issuer };
  }
}

const NGINX_SIZE = /^\d+[kKmMgG]?$/;

/** Checks an nginx size string ("8m"). */
export function checkNginxSize(path: string, field: string, value: string): string {
  if (!NGINX_SIZE.test(value))
    fail(path, field, value, 'must be an nginx size such as "8m", "512k", "1g" or "0" (unlimited): a number with an optional k, m or g');
  return value;
}
