import type { IngressSpec } from '../../platform-spec';

/** Values we set on ingress-nginx. */
export interface IngressNginxValues {
  readonly [key: string]: unknown;
  readonly controller: {
    /** The IngressClass the chart creates: name, default flag and controller value from the spec. */
    readonly ingressClassResource: { readonly name: string; readonly enabled: boolean; readonly default: boolean; readonly controllerValue: string };
    /** Legacy class name the controller also answers to; kept equal to the IngressClass name. */
    readonly ingressClass: string;
    readonly service: { readonly type: 'LoadBalancer' | 'NodePort' };
    /** Snippet annotations let tenants inject NGINX configuration: off (the chart's default), stated. */
    readonly allowSnippetAnnotations: boolean;
  };
}

/** ingress-nginx values: the IngressClass named and flagged as the spec says. */
export function ingressNginxValues(ingress: IngressSpec): IngressNginxValues {
  return {
    controller: {
      ingressClassResource: { name: ingress.className, enabled: true, default: ingress.defaultClass, controllerValue: ingress.controllerName },
      ingressClass: ingress.className,
      service: { type: ingress.serviceType },
      allowSnippetAnnotations: false,
    },
  };
}

/** Values we set on Traefik. */
export interface TraefikValues {
  readonly [key: string]: unknown;
  readonly ingressClass: { readonly enabled: boolean; readonly isDefaultClass: boolean; readonly name: string };
  readonly service: { readonly spec: { readonly type: 'LoadBalancer' | 'NodePort' } };
  readonly providers?: { readonly kubernetesGateway: { readonly enabled: boolean } };
  readonly gateway?: {
    readonly enabled: boolean;
    readonly name: string;
    readonly namespace: string;
    /** Routes from every namespace may attach to the HTTP listener (tenants live in their own namespaces). */
    readonly listeners: { readonly web: { readonly namespacePolicy: { readonly from: 'All' } } };
  };
  readonly gatewayClass?: { readonly enabled: boolean };
}

/**
 * Traefik values: the IngressClass from the spec and, when the spec asks for Gateway API, the
 * Gateway provider plus the chart's Gateway (named and placed as the spec says) and GatewayClass.
 */
export function traefikValues(ingress: IngressSpec): TraefikValues {
  const gw = ingress.gatewayApi;
  return {
    ingressClass: { enabled: true, isDefaultClass: ingress.defaultClass, name: ingress.className },
    service: { spec: { type: ingress.serviceType } },
    providers: gw ? { kubernetesGateway: { enabled: true } } : undefined,
    gateway: gw ? { enabled: true, name: gw.gatewayName, namespace: gw.gatewayNamespace, listeners: { web: { namespacePolicy: { from: 'All' } } } } : undefined,
    gatewayClass: gw ? { enabled: true } : undefined,
  };
}
