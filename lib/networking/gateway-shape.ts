import { S, ShapeMatches, assertArgs } from '../core/shape';
import type { PlatformSpec } from '../platform-spec';
import type { IWebApp } from '../workloads/types';
import type { IngressGatewayProps, RouteProps } from './ingress-gateway';
import { F5NginxRouteOptions, IngressNginxRouteOptions, RouteTls, TraefikMiddlewareRef, TraefikRouteOptions } from './route-options';

/** What definePlatform() returns, recognised by the parts gateways read (interfaces leave no runtime trace). */
export const platformSpecShape = S.handle<PlatformSpec>('a platform from definePlatform()', { ingress: 'object', monitoring: 'object' });

/** An app routes, monitors and stores take: a WebApp (duck typed on what they read). */
export const webAppHandleShape = S.handle<IWebApp>('a WebApp', {
  node: 'object',
  name: 'string',
  serviceName: 'string',
  mainPort: 'object',
  port: 'function',
  selectorLabels: 'object',
});

export const ingressGatewayPropsShape = S.object('IngressGatewayProps', {
  platform: platformSpecShape,
  mode: S.optional(S.oneOf('ingress', 'gatewayApi')),
  emitIngressClass: S.optional(S.boolean()),
  defaultClass: S.optional(S.boolean()),
});

export const ingressNginxOptionsShape = S.object('IngressNginxRouteOptions', {
  proxyBodySize: S.optional(S.string()),
  sslRedirect: S.optional(S.boolean()),
  rewriteTarget: S.optional(S.string()),
  backendProtocol: S.optional(S.oneOf('HTTP', 'HTTPS', 'GRPC', 'GRPCS')),
});
export const f5NginxOptionsShape = S.object('F5NginxRouteOptions', {
  lbMethod: S.optional(S.oneOf('round_robin', 'least_conn', 'ip_hash', 'random', 'random two', 'random two least_conn')),
  clientMaxBodySize: S.optional(S.string()),
  sslRedirect: S.optional(S.boolean()),
});
export const traefikMiddlewareShape = S.object('TraefikMiddlewareRef', { name: S.string(), namespace: S.optional(S.string()) });
export const traefikOptionsShape = S.object('TraefikRouteOptions', {
  entryPoints: S.optional(S.array(S.string({ minLength: 1 }))),
  middlewares: S.optional(S.array(traefikMiddlewareShape)),
});

export const routePropsShape = S.object('RouteProps', {
  host: S.string(),
  path: S.optional(S.string()),
  // Its allowed values are route()'s own rule, collected with the host and path rules.
  pathType: S.optional(S.custom<'Prefix' | 'Exact' | 'ImplementationSpecific'>('a string', (v) => typeof v === 'string')),
  port: S.optional(S.string()),
  tls: S.optional(S.instance(RouteTls, 'a RouteTls: RouteTls.fromPlatform(), .fromSecret() or .certManager()')),
  httpsRedirect: S.optional(S.boolean()),
  name: S.optional(S.string()),
  ingressNginx: S.optional(ingressNginxOptionsShape),
  f5Nginx: S.optional(f5NginxOptionsShape),
  traefik: S.optional(traefikOptionsShape),
});

const matches: [
  ShapeMatches<typeof ingressGatewayPropsShape, IngressGatewayProps>,
  ShapeMatches<typeof routePropsShape, RouteProps>,
  ShapeMatches<typeof ingressNginxOptionsShape, IngressNginxRouteOptions>,
  ShapeMatches<typeof f5NginxOptionsShape, F5NginxRouteOptions>,
  ShapeMatches<typeof traefikMiddlewareShape, TraefikMiddlewareRef>,
  ShapeMatches<typeof traefikOptionsShape, TraefikRouteOptions>,
] = [true, true, true, true, true, true];
void matches;

/** @internal */
export function checkGatewayProps(path: string, props: unknown): void {
  assertArgs(path, [['props', props, ingressGatewayPropsShape]]);
}

/** @internal Checks `route(app, props)` arguments (field `app` for the handle, the props' own fields). */
export function checkRouteArgs(path: string, app: unknown, props: unknown): void {
  assertArgs(path, [
    ['app', app, webAppHandleShape],
    ['props', props, routePropsShape],
  ]);
}
