import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy } from '../../../imports/cert-manager.io';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../../core/labels';
import type { CertificatesSpec, GatewayApiSpec, IngressSpec } from '../../platform-spec';

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

/** One listener of the chart's Gateway (`gateway.listeners.<name>`). */
export interface TraefikGatewayListener {
  /** A port of the chart's `ports` (the template refuses others): 8000 is `web`, 8443 `websecure`. */
  readonly port: number;
  readonly protocol: 'HTTP' | 'HTTPS';
  /** Routes from every namespace may attach (tenants live in their own namespaces). */
  readonly namespacePolicy: { readonly from: 'All' };
  readonly mode?: 'Terminate';
  readonly certificateRefs?: ReadonlyArray<{ readonly group: ''; readonly kind: 'Secret'; readonly name: string }>;
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
    readonly listeners: Readonly<Record<string, TraefikGatewayListener>>;
  };
  readonly gatewayClass?: { readonly enabled: boolean };
  /** The HTTPS listener's cert-manager Certificate (a plain object of this release, see traefikValues). */
  readonly extraObjects?: readonly Record<string, unknown>[];
}

/** Traefik chart ports of the two entry points the Gateway's listeners use (values.yaml `ports.web.port`, `ports.websecure.port`). */
export const TRAEFIK_WEB_PORT = 8000;
export const TRAEFIK_WEBSECURE_PORT = 8443;

/**
 * Traefik values: the IngressClass from the spec and, when the spec asks for Gateway API, the
 * Gateway provider plus the chart's Gateway (named and placed as the spec says) and GatewayClass.
 *
 * With `gatewayApi.https`, the Gateway gets the HTTPS listener and the release carries the
 * cert-manager Certificate that writes its Secret, signed by the platform's ClusterIssuer. A plain
 * object of this release, not cert-manager's Gateway shim: the shim needs cert-manager started
 * with Gateway API support after the Gateway API CRDs, and one listener per host (it reads the
 * listener's `hostname`); an explicit Certificate is typed by our imports, checked at synth and
 * covers several hosts on one listener. The release therefore depends on cert-manager (CRDs
 * served and webhook ready before Helm builds the object).
 */
export function traefikValues(ingress: IngressSpec, certificates?: CertificatesSpec): TraefikValues {
  const gw = ingress.gatewayApi;
  const https = gw?.https;
  if (https && !certificates) throw new Error('traefikValues: gatewayApi.https needs the platform certificates (definePlatform refuses the spec otherwise)');
  const listeners: Record<string, TraefikGatewayListener> = {};
  if (gw) {
    listeners[gw.httpListener] = { port: TRAEFIK_WEB_PORT, protocol: 'HTTP', namespacePolicy: { from: 'All' } };
    if (https) {
      listeners[https.listener] = {
        port: TRAEFIK_WEBSECURE_PORT,
        protocol: 'HTTPS',
        namespacePolicy: { from: 'All' },
        mode: 'Terminate',
        certificateRefs: [{ group: '', kind: 'Secret', name: https.secretName }],
      };
    }
  }
  return {
    ingressClass: { enabled: true, isDefaultClass: ingress.defaultClass, name: ingress.className },
    service: { spec: { type: ingress.serviceType } },
    providers: gw ? { kubernetesGateway: { enabled: true } } : undefined,
    gateway: gw ? { enabled: true, name: gw.gatewayName, namespace: gw.gatewayNamespace, listeners } : undefined,
    gatewayClass: gw ? { enabled: true } : undefined,
    ...(https && gw ? { extraObjects: [listenerCertificate(gw.gatewayNamespace, https, certificates!)] } : {}),
  };
}

/** The HTTPS listener's Certificate: the spec's hosts, the platform ClusterIssuer, in the Gateway's namespace. */
function listenerCertificate(namespace: string, https: NonNullable<GatewayApiSpec['https']>, certificates: CertificatesSpec): Record<string, unknown> {
  return Certificate.manifest({
    metadata: { name: https.certificateName, namespace, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
    spec: {
      secretName: https.secretName,
      dnsNames: [...https.hosts],
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: certificates.clusterIssuerName },
      privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
    },
  }) as Record<string, unknown>;
}
