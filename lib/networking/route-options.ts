import { createdOutsideAnnotations, CreatedOutsideOptions, createdOutsideOptions } from '../core/created-outside';
import { fail } from '../core/errors';
import { checkDnsSubdomain } from '../core/names';
import { assertArgs } from '../core/shape';
import type { CertificatesSpec } from '../platform-spec';

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
  /**
   * An existing `kubernetes.io/tls` Secret in the app's namespace (created outside our output).
   * With `{ createdOutside: 'who creates it' }` the Ingress carries the declaration
   * (`paas.cdk8s.io/created-outside`) and the validator lists the Secret as a prerequisite
   * instead of reporting a missing Secret.
   */
  public static fromSecret(secretName: string, options?: CreatedOutsideOptions): RouteTls {
    checkDnsSubdomain('RouteTls', 'secretName', secretName);
    assertArgs('RouteTls.fromSecret', [['options', options, createdOutsideOptions]]);
    return new RouteTls(secretName, undefined, undefined, false, options?.createdOutside);
  }

  /**
   * A certificate from the platform's own cert-manager (the spec's `certificates`): the
   * Ingress carries `cert-manager.io/cluster-issuer` with the platform's ClusterIssuer, and
   * cert-manager's ingress-shim creates the Certificate next to the Ingress and writes the
   * Secret. The way every example route gets TLS; no Secret to make by hand.
   * @param options.secretName the Secret cert-manager writes @default `<route>-tls`
   */
  public static fromPlatform(options: { readonly secretName?: string } = {}): RouteTls {
    // `?.`: plain JavaScript may pass null
    const secretName = options?.secretName;
    if (secretName !== undefined) checkDnsSubdomain('RouteTls', 'secretName', secretName);
    return new RouteTls(secretName, undefined, true, true);
  }

  /**
   * A certificate from a cert-manager issuer the platform does not define (an `Issuer` in the
   * app's namespace, or another `ClusterIssuer`). cert-manager writes the Secret.
   */
  public static certManager(issuer: string, options: { readonly clusterIssuer?: boolean; readonly secretName?: string } = {}): RouteTls {
    checkDnsSubdomain('RouteTls', 'issuer', issuer);
    const secretName = options?.secretName;
    if (secretName !== undefined) checkDnsSubdomain('RouteTls', 'secretName', secretName);
    return new RouteTls(secretName, issuer, options?.clusterIssuer ?? true, false);
  }

  private constructor(
    private readonly secret: string | undefined,
    /** cert-manager issuer name, if named explicitly (`certManager`). */
    public readonly issuer: string | undefined,
    private readonly cluster: boolean | undefined,
    /** Issued by the platform's ClusterIssuer (`fromPlatform`). */
    public readonly fromPlatformIssuer: boolean,
    /** Who creates the Secret (`fromSecret` with `createdOutside`). */
    private readonly outside?: string,
  ) {}

  /** The created-outside annotation for the route's object, or `{}` (see `fromSecret`). */
  public createdOutsideAnnotations(routeName: string): Record<string, string> {
    return createdOutsideAnnotations(this.outside !== undefined ? [{ kind: 'Secret', name: this.secretName(routeName), reason: this.outside }] : []);
  }

  /** The Secret name given to the factory, if any. */
  public get explicitSecretName(): string | undefined {
    return this.secret;
  }

  /** Secret name, given or derived from the route name (`<route>-tls`). */
  public secretName(routeName: string): string {
    return this.secret ?? `${routeName}-tls`;
  }

  /**
   * Why this TLS cannot be served on a platform, if it cannot: `fromPlatform` needs the spec's
   * `certificates`.
   */
  public problem(certificates: CertificatesSpec | undefined): string | undefined {
    if (this.fromPlatformIssuer && !certificates) {
      return "comes from the platform's cert-manager, and the platform spec has no certificates: add certificates: { issuer: 'self-signed-ca' } (or 'acme') to definePlatform, or use RouteTls.fromSecret";
    }
    return undefined;
  }

  /** Annotations asking cert-manager for the certificate, if any. */
  public annotations(certificates?: CertificatesSpec): Record<string, string> {
    const issuer = this.fromPlatformIssuer ? certificates?.clusterIssuerName : this.issuer;
    if (!issuer) return {};
    return { [this.cluster ? 'cert-manager.io/cluster-issuer' : 'cert-manager.io/issuer']: issuer };
  }
}

const NGINX_SIZE = /^\d+[kKmMgG]?$/;

/** Checks an nginx size string ("8m"). */
export function checkNginxSize(path: string, field: string, value: string): string {
  if (!NGINX_SIZE.test(value))
    fail(path, field, value, 'must be an nginx size such as "8m", "512k", "1g" or "0" (unlimited): a number with an optional k, m or g');
  return value;
}
