import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import { findRouteConflicts, hostProblem, RouteClaim, urlPathProblem } from '../checks/routes';
import { fail, ProblemCollector } from '../core/errors';
import { LABEL_MANAGED_BY, LABEL_NAME, MANAGED_BY } from '../core/labels';
import { checkDnsLabel, fitName } from '../core/names';
import { PaasRegistry } from '../core/registry';
import { addWarning } from '../core/warnings';
import { CertificatesSpec, hostCoveredBy, IngressControllerKind, PlatformSpec } from '../platform-spec';
import { IWebApp, WorkloadPort } from '../workloads/types';
import { checkGatewayProps, checkRouteArgs } from './gateway-shape';
import { NetworkPeer } from './network-peer';
import { createNetworkPolicy } from './policy';
import { checkNginxSize, F5NginxRouteOptions, IngressNginxRouteOptions, RouteTls, TraefikRouteOptions } from './route-options';

/** How routes are rendered. */
export type RouteMode = 'ingress' | 'gatewayApi';

export interface IngressGatewayProps {
  /** The platform: controller kind, IngressClass, controller namespace, Gateway. */
  readonly platform: PlatformSpec;
  /**
   * `ingress` renders networking.k8s.io/v1 Ingress objects for the IngressClass; `gatewayApi`
   * renders gateway.networking.k8s.io/v1 HTTPRoutes attached to the platform's Gateway (needs a
   * controller that implements Gateway API: Traefik).
   * @default 'gatewayApi' when the platform has `ingress.gatewayApi`, else 'ingress'
   */
  readonly mode?: RouteMode;
  /**
   * Emit the IngressClass. The platform stack's controller charts (ingress-nginx, Traefik) create
   * it; F5 NGINX is installed outside the stack, so we emit it, as the seeds do.
   * @default true for 'f5-nginx', false otherwise
   */
  readonly emitIngressClass?: boolean;
  /** Mark an emitted IngressClass as the cluster default. @default - the platform's `ingress.defaultClass` */
  readonly defaultClass?: boolean;
}

/** A route from a host and path to one port of an app. */
export interface RouteProps {
  /** Host name (DNS name; a leading "*." wildcard is allowed), e.g. 'wp.test'. */
  readonly host: string;
  /** URL path. @default '/' */
  readonly path?: string;
  /** How `path` matches. `ImplementationSpecific` has no Gateway API equivalent. @default 'Prefix' */
  readonly pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /** Name of the app port to send traffic to. @default - the app's main port */
  readonly port?: string;
  /**
   * TLS certificate. In Ingress mode any RouteTls; in Gateway API mode TLS ends at the platform
   * Gateway's HTTPS listener (`ingress.gatewayApi.https`), so only `RouteTls.fromPlatform()`, for
   * a host the listener's certificate covers: the HTTPRoute attaches to that listener.
   * @default - plain HTTP
   */
  readonly tls?: RouteTls;
  /**
   * Gateway API mode with `tls`: answer plain HTTP on the Gateway's HTTP listener with a 301 to
   * https (a second HTTPRoute, `<name>-redirect`, with a RequestRedirect filter). In Ingress mode
   * the controllers' own options do this (`ingressNginx.sslRedirect`, `f5Nginx.sslRedirect`).
   * @default true
   */
  readonly httpsRedirect?: boolean;
  /** Object name of the Ingress or HTTPRoute. @default - the app name; `<app>-<n>` for its n-th route */
  readonly name?: string;
  /** ingress-nginx only. @default - none */
  readonly ingressNginx?: IngressNginxRouteOptions;
  /** F5 NGINX only. @default - none */
  readonly f5Nginx?: F5NginxRouteOptions;
  /** Traefik only. @default - none */
  readonly traefik?: TraefikRouteOptions;
}

const RETIRED: Partial<Record<IngressControllerKind, string>> = {
  'ingress-nginx':
    'ingress-nginx is retired upstream (March 2026, chart 4.15.1 final): no more fixes, security ones included. Move to Traefik (controller "traefik", which also serves Gateway API) or F5 NGINX Ingress Controller ("f5-nginx")',
};

const OPTION_OWNER: Record<'ingressNginx' | 'f5Nginx' | 'traefik', IngressControllerKind> = {
  ingressNginx: 'ingress-nginx',
  f5Nginx: 'f5-nginx',
  traefik: 'traefik',
};

/** A route with its props checked and defaults resolved, as the Ingress and HTTPRoute renderers take it. */
interface ResolvedRoute {
  readonly app: IWebApp;
  readonly props: RouteProps;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly urlPath: string;
  readonly pathType: string;
  readonly port: WorkloadPort;
}

const CLAIMS = new WeakMap<PaasRegistry, RouteClaim[]>();
const ROUTE_COUNT = new WeakMap<IWebApp, number>();

/**
 * The cluster's entry point for HTTP: routes apps through the platform's ingress controller, as
 * Ingress objects or as Gateway API HTTPRoutes, and opens each routed app's NetworkPolicy to the
 * controller's namespace. Place it in a cluster-level chart; routes land in each app's chart.
 */
export class IngressGateway extends Construct {
  public readonly controller: IngressControllerKind;
  /** IngressClass name routes use (Ingress mode). */
  public readonly ingressClassName: string;
  /** The IngressClass `spec.controller` value. */
  public readonly controllerName: string;
  /** Namespace of the controller's pods, where routed traffic comes from. */
  public readonly controllerNamespace: string;
  public readonly mode: RouteMode;
  /** The IngressClass, when emitted. */
  public readonly ingressClass?: ApiObject;
  /** The Gateway HTTPRoutes attach to (Gateway API mode), with its listeners. */
  public readonly gateway?: {
    readonly name: string;
    readonly namespace: string;
    /** Listener plain-HTTP routes attach to. */
    readonly httpListener: string;
    /** The HTTPS listener and the hosts its certificate covers, when the platform has one. */
    readonly https?: { readonly listener: string; readonly hosts: readonly string[] };
  };
  /** Hosts the platform stack's add-ons serve through the same controller (Grafana, Harbor), with their owner. */
  private readonly platformHosts: ReadonlyMap<string, string>;
  /** The platform's cert-manager, for `RouteTls.fromPlatform()`. */
  private readonly certificates?: CertificatesSpec;

  constructor(scope: Construct, id: string, props: IngressGatewayProps) {
    super(scope, id);
    const path = this.node.path;
    checkGatewayProps(path, props);
    const ingress = props.platform.ingress;
    this.controller = ingress.controller;
    this.ingressClassName = ingress.className;
    this.controllerName = ingress.controllerName;
    this.controllerNamespace = ingress.namespace;
    this.mode = props.mode ?? (ingress.gatewayApi ? 'gatewayApi' : 'ingress');
    if (this.mode !== 'ingress' && this.mode !== 'gatewayApi') fail(path, 'mode', this.mode, 'must be "ingress" or "gatewayApi"');
    if (this.mode === 'gatewayApi') {
      if (this.controller !== 'traefik') {
        fail(
          path,
          'mode',
          this.mode,
          `needs a controller that implements Gateway API, and "${this.controller}" does not: use controller "traefik" with ingress.gatewayApi in the platform`,
        );
      }
      if (!ingress.gatewayApi) fail(path, 'mode', this.mode, "needs the platform's ingress.gatewayApi (the Gateway that HTTPRoutes attach to)");
      const gw = ingress.gatewayApi;
      this.gateway = {
        name: gw.gatewayName,
        namespace: gw.gatewayNamespace,
        httpListener: gw.httpListener,
        https: gw.https ? { listener: gw.https.listener, hosts: gw.https.hosts } : undefined,
      };
    }
    const hosts = new Map<string, string>();
    const grafana = props.platform.monitoring.grafana;
    if (grafana) hosts.set(grafana.host.toLowerCase(), 'Grafana, which the platform stack exposes there (monitoring.grafana)');
    const registry = props.platform.registry;
    if (registry?.installHarbor) hosts.set(registry.host.toLowerCase(), 'Harbor, which the platform stack exposes there (registry.host)');
    this.platformHosts = hosts;
    this.certificates = props.platform.certificates;
    const emit = props.emitIngressClass ?? this.controller === 'f5-nginx';
    if (props.defaultClass !== undefined && !emit) {
      fail(
        path,
        'defaultClass',
        props.defaultClass,
        `only applies to an IngressClass this gateway emits; the "${this.controller}" chart creates "${this.ingressClassName}" with the default flag from the platform's ingress.defaultClass: set it there, or emitIngressClass: true`,
      );
    }
    const retired = RETIRED[this.controller];
    if (retired) addWarning(this, retired);

    if (emit) {
      const isDefault = props.defaultClass ?? ingress.defaultClass;
      const cls = new k8s.KubeIngressClass(this, 'IngressClass', {
        metadata: {
          name: this.ingressClassName,
          labels: { [LABEL_MANAGED_BY]: MANAGED_BY },
          annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined,
        },
        spec: { controller: this.controllerName },
      });
      // IngressClass is cluster-scoped: drop the namespace a namespaced chart would add.
      if (Chart.of(this).namespace) cls.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      PaasRegistry.of(this).registerObject({ path: cls.node.path, kind: 'IngressClass', name: this.ingressClassName });
      this.ingressClass = cls;
    }
  }

  /**
   * Routes `host` + `path` to a port of `app`: an Ingress (or an HTTPRoute in Gateway API mode) in
   * the app's namespace, plus the NetworkPolicy that lets the controller's pods reach that port.
   * @returns the Ingress or HTTPRoute
   */
  public route(app: IWebApp, props: RouteProps): ApiObject {
    checkRouteArgs(`${this.node.path}.route(${(app as { node?: { path?: string } } | undefined)?.node?.path ?? ''})`, app, props);
    const path = `${this.node.path}.route(${app.node.path})`;
    const problems = new ProblemCollector(path);
    const hostWhy = hostProblem(props.host);
    if (hostWhy) problems.add('host', props.host, hostWhy);
    const owner = typeof props.host === 'string' ? this.platformHosts.get(props.host.toLowerCase()) : undefined;
    if (owner) problems.add('host', props.host, `is served by ${owner}: a route on the same host would mix into that app's paths; use another host`);
    const urlPath = props.path ?? '/';
    const pathType = props.pathType ?? 'Prefix';
    const pathWhy = urlPathProblem(urlPath, pathType);
    if (pathWhy) problems.add('path', urlPath, pathWhy);
    if (!['Prefix', 'Exact', 'ImplementationSpecific'].includes(pathType))
      problems.add('pathType', pathType, 'must be "Prefix", "Exact" or "ImplementationSpecific"');
    const port: WorkloadPort | undefined = props.port === undefined ? app.mainPort : problems.capture(() => app.port(props.port!));
    for (const key of ['ingressNginx', 'f5Nginx', 'traefik'] as const) {
      if (props[key] !== undefined && OPTION_OWNER[key] !== this.controller) {
        problems.add(key, props[key], `are options of controller "${OPTION_OWNER[key]}", but this gateway's controller is "${this.controller}"`);
      }
    }
    if (this.mode === 'gatewayApi') {
      const noEquivalent = (field: string, value: unknown, why: string) =>
        problems.add(field, value, `has no HTTPRoute equivalent in Gateway API mode: ${why}`);
      if (pathType === 'ImplementationSpecific') noEquivalent('pathType', pathType, 'use "Prefix" or "Exact"');
      if (props.tls) this.gatewayTlsProblems(problems, props);
      if (props.traefik?.entryPoints) noEquivalent('traefik.entryPoints', props.traefik.entryPoints, "the Gateway's listeners decide where routes are served");
      for (const [i, m] of (props.traefik?.middlewares ?? []).entries()) {
        if (m.namespace !== undefined && m.namespace !== app.namespace) {
          noEquivalent(`traefik.middlewares[${i}].namespace`, m.namespace, "ExtensionRef filters only reach Middlewares in the route's own namespace");
        }
      }
    }
    if (props.httpsRedirect !== undefined && (this.mode !== 'gatewayApi' || !props.tls)) {
      problems.add(
        'httpsRedirect',
        props.httpsRedirect,
        this.mode === 'gatewayApi'
          ? 'only applies to a route with tls (it redirects plain HTTP to the HTTPS listener)'
          : "applies to Gateway API mode; in Ingress mode use the controller's option (ingressNginx.sslRedirect, f5Nginx.sslRedirect)",
      );
    }
    const tlsWhy = this.mode === 'ingress' ? props.tls?.problem(this.certificates) : undefined;
    if (tlsWhy) problems.add('tls', 'RouteTls.fromPlatform()', tlsWhy);
    const count = (ROUTE_COUNT.get(app) ?? 0) + 1;
    const name = problems.capture(() => checkDnsLabel(path, 'name', props.name ?? (count === 1 ? app.name : `${app.name}-${count}`))) ?? app.name;
    if (app.node.tryFindChild(`Route-${name}`)) problems.add('name', name, 'is already the name of a route of this app: give each route its own name');
    const redirect = this.mode === 'gatewayApi' && props.tls !== undefined && props.httpsRedirect !== false;
    const redirectName = fitName(`${name}-redirect`);
    if (redirect && app.node.tryFindChild(`Route-${redirectName}`)) {
      problems.add(
        'name',
        name,
        `needs "${redirectName}" for its HTTP-to-HTTPS redirect route, which another route of this app already uses: choose another name`,
      );
    }
    problems.throwIfAny();
    ROUTE_COUNT.set(app, count);

    const labels = { [LABEL_NAME]: app.selectorLabels[LABEL_NAME] ?? app.name, [LABEL_MANAGED_BY]: MANAGED_BY };
    const resolved: ResolvedRoute = { app, props, name, labels, urlPath, pathType, port: port! };
    const route = this.mode === 'gatewayApi' ? this.httpRoute(resolved) : this.ingress(resolved, path);
    const registry = PaasRegistry.of(this);
    registry.registerObject({ path: route.node.path, kind: route.kind, namespace: app.namespace, name });
    if (redirect) {
      const r = this.redirectRoute({ ...resolved, name: redirectName });
      registry.registerObject({ path: r.node.path, kind: r.kind, namespace: app.namespace, name: redirectName });
    }
    let claims = CLAIMS.get(registry);
    if (!claims) {
      const list: RouteClaim[] = [];
      CLAIMS.set(registry, list);
      registry.addCheck('routes: one owner per host and path', () => findRouteConflicts(list));
      claims = list;
    }
    claims.push({ path: route.node.path, kind: route.kind, namespace: app.namespace, name, host: props.host, urlPath, pathType });
    this.openPolicy(app, port!);
    return route;
  }

  private ingress({ app, props, name, labels, urlPath, pathType, port }: ResolvedRoute, path: string): ApiObject {
    const annotations: Record<string, string> = { ...props.tls?.annotations(this.certificates), ...props.tls?.createdOutsideAnnotations(name) };
    const n = props.ingressNginx;
    if (n) {
      const p = 'nginx.ingress.kubernetes.io';
      if (n.proxyBodySize !== undefined) annotations[`${p}/proxy-body-size`] = checkNginxSize(path, 'ingressNginx.proxyBodySize', n.proxyBodySize);
      if (n.sslRedirect !== undefined) annotations[`${p}/ssl-redirect`] = String(n.sslRedirect);
      if (n.rewriteTarget !== undefined) {
        if (!n.rewriteTarget.startsWith('/')) fail(path, 'ingressNginx.rewriteTarget', n.rewriteTarget, 'must be a path starting with "/", e.g. "/" or "/$2"');
        annotations[`${p}/rewrite-target`] = n.rewriteTarget;
      }
      if (n.backendProtocol !== undefined) annotations[`${p}/backend-protocol`] = n.backendProtocol;
    }
    const f = props.f5Nginx;
    if (f) {
      if (f.lbMethod !== undefined) annotations['nginx.org/lb-method'] = f.lbMethod;
      if (f.clientMaxBodySize !== undefined)
        annotations['nginx.org/client-max-body-size'] = checkNginxSize(path, 'f5Nginx.clientMaxBodySize', f.clientMaxBodySize);
      if (f.sslRedirect !== undefined) annotations['nginx.org/ssl-redirect'] = String(f.sslRedirect);
    }
    const t = props.traefik;
    if (t) {
      if (t.entryPoints?.length) annotations['traefik.ingress.kubernetes.io/router.entrypoints'] = t.entryPoints.join(',');
      if (t.middlewares?.length) {
        annotations['traefik.ingress.kubernetes.io/router.middlewares'] = t.middlewares
          .map((m) => `${m.namespace ?? app.namespace ?? 'default'}-${m.name}@kubernetescrd`)
          .join(',');
      }
    }
    const backendPort = props.port === undefined ? { number: port.servicePort } : { name: port.name };
    return new k8s.KubeIngress(app, `Route-${name}`, {
      metadata: { name, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
      spec: {
        ingressClassName: this.ingressClassName,
        rules: [{ host: props.host, http: { paths: [{ path: urlPath, pathType, backend: { service: { name: app.serviceName, port: backendPort } } }] } }],
        tls: props.tls ? [{ hosts: [props.host], secretName: props.tls.secretName(name) }] : undefined,
      },
    });
  }

  /**
   * Gateway API mode: only the platform's certificate, on the HTTPS listener, for a host its
   * certificate covers (a route cannot bring its own: the Gateway's listener holds it).
   */
  private gatewayTlsProblems(problems: ProblemCollector, props: RouteProps): void {
    const tls = props.tls!;
    const https = this.gateway!.https;
    if (!tls.fromPlatformIssuer) {
      problems.add(
        'tls',
        tls.issuer ?? tls.secretName('<route>'),
        "names its own certificate, but in Gateway API mode TLS ends at the platform Gateway's HTTPS listener, which holds the certificate: use RouteTls.fromPlatform(), or Ingress mode for a certificate of the route's own",
      );
    } else if (tls.explicitSecretName !== undefined) {
      problems.add(
        'tls.secretName',
        tls.explicitSecretName,
        "is a Secret for RouteTls.fromPlatform(), but in Gateway API mode the certificate is the Gateway listener's (the platform stack's Certificate): drop secretName",
      );
    } else if (!https) {
      problems.add(
        'tls',
        'RouteTls.fromPlatform()',
        `needs an HTTPS listener on the platform's Gateway "${this.gateway!.namespace}/${this.gateway!.name}", which serves HTTP only: add ingress.gatewayApi.https: { hosts: [${JSON.stringify(props.host)}] } to definePlatform (with certificates)`,
      );
    } else if (typeof props.host === 'string' && !hostCoveredBy(props.host, https.hosts)) {
      problems.add(
        'host',
        props.host,
        `is not covered by the certificate of the Gateway's HTTPS listener (ingress.gatewayApi.https.hosts: ${https.hosts.map((h) => JSON.stringify(h)).join(', ')}): add the host there, or route it without tls`,
      );
    }
  }

  private parentRef(sectionName: string) {
    const gw = this.gateway!;
    return { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gw.name, namespace: gw.namespace, sectionName };
  }

  private pathMatch(urlPath: string, pathType: string) {
    return [
      {
        path: { type: pathType === 'Exact' ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: urlPath },
      },
    ];
  }

  /** The HTTPRoute: on the HTTPS listener with `tls`, else on the HTTP listener. */
  private httpRoute({ app, props, name, labels, urlPath, pathType, port }: ResolvedRoute): ApiObject {
    const filters: HttpRouteSpecRulesFilters[] = (props.traefik?.middlewares ?? []).map((m) => ({
      type: HttpRouteSpecRulesFiltersType.EXTENSION_REF,
      extensionRef: { group: 'traefik.io', kind: 'Middleware', name: m.name },
    }));
    const listener = props.tls ? this.gateway!.https!.listener : this.gateway!.httpListener;
    return new HttpRoute(app, `Route-${name}`, {
      metadata: { name, labels },
      spec: {
        parentRefs: [this.parentRef(listener)],
        hostnames: [props.host],
        rules: [
          {
            matches: this.pathMatch(urlPath, pathType),
            filters: filters.length ? filters : undefined,
            backendRefs: [{ group: '', kind: 'Service', name: app.serviceName, port: port.servicePort }],
          },
        ],
      },
    });
  }

  /** Plain HTTP for a TLS route's host and path, answered with a 301 to the same URL on https. */
  private redirectRoute({ app, props, name, labels, urlPath, pathType }: ResolvedRoute): ApiObject {
    return new HttpRoute(app, `Route-${name}`, {
      metadata: { name, labels },
      spec: {
        parentRefs: [this.parentRef(this.gateway!.httpListener)],
        hostnames: [props.host],
        rules: [
          {
            matches: this.pathMatch(urlPath, pathType),
            filters: [
              {
                type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                requestRedirect: {
                  scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                  statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
                },
              },
            ],
          },
        ],
      },
    });
  }

  /** One policy per app and port: the controller's pods may reach the container port. */
  private openPolicy(app: IWebApp, port: WorkloadPort): void {
    const suffix = port.name === app.mainPort.name ? '' : `-${port.name}`;
    const id = `AllowFrom-${this.controllerNamespace}${suffix}`;
    if (app.node.tryFindChild(id)) return;
    // The naming scheme (core/names fitName): never cut back to the app's own NetworkPolicy name.
    const name = fitName(`${app.name}${suffix}-from-${this.controllerNamespace}`);
    createNetworkPolicy(app, id, {
      name,
      podLabels: app.selectorLabels,
      ingressFrom: [NetworkPeer.namespace(this.controllerNamespace)],
      ingressPorts: [{ port: port.containerPort, protocol: port.protocol }],
      labels: { [LABEL_NAME]: app.selectorLabels[LABEL_NAME] ?? app.name },
    });
  }
}
