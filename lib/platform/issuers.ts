import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, ClusterIssuer } from '../../imports/cert-manager.io';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../core/labels';
import type { CertificatesSpec, IngressSpec } from '../platform-spec';

/** Annotation cert-manager's ingress-shim reads on an Ingress: the ClusterIssuer that signs its TLS hosts. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/**
 * Helm hook annotations on the issuer objects. They ride in the cert-manager release
 * (`extraObjects`) as post-install/post-upgrade hooks because of two ordering rules:
 * - Helm builds every object of a release against the API server's discovery before creating
 *   any of them, so a ClusterIssuer in the same release as the CRDs fails with "no matches for
 *   kind" on a first install; hooks are built only when they run, after the CRDs exist.
 * - cert-manager's webhook validates every ClusterIssuer and Certificate; a hook runs after Helm's
 *   wait (the webhook Deployment ready) and, at weight 10, after the chart's startupapicheck
 *   Job (weight 1), which passes only once the webhook answers.
 * No `hook-delete-policy` beyond the default `before-hook-creation`: the objects stay after the
 * hook, are replaced on upgrade with the same spec, and are not deleted by `helm uninstall`
 * (the CA key, a Secret cert-manager writes, survives both).
 */
export const ISSUER_HOOK_ANNOTATIONS: Readonly<Record<string, string>> = Object.freeze({
  'helm.sh/hook': 'post-install,post-upgrade',
  'helm.sh/hook-weight': '10',
});

const LABELS = { [LABEL_MANAGED_BY]: MANAGED_BY };

/**
 * The ClusterIssuer chain the spec asks for, as plain manifests typed by the generated
 * cert-manager classes:
 * - `self-signed-ca`: a SelfSigned ClusterIssuer (bootstrap only), the CA Certificate it signs
 *   (in cert-manager's namespace, where a ClusterIssuer reads its CA Secret), and the CA
 *   ClusterIssuer that signs every host.
 * - `acme`: one ACME ClusterIssuer with an HTTP-01 solver through the platform's IngressClass
 *   and, for the hosts of a Gateway HTTPS listener, one through the Gateway's HTTP listener
 *   (`gatewayHTTPRoute`, selected by DNS name). Those hosts' plain HTTP is redirected to https by
 *   HTTPRoutes that Traefik ranks above any Ingress (it gives HTTPRoute matches priorities of 10000
 *   and more, Ingress rules their length), so an Ingress solver would never see the challenge;
 *   the solver's HTTPRoute matches the token's exact path, which outranks the redirect's prefix.
 */
/**
 * Whether ACME challenges for the Gateway HTTPS listener's hosts are answered through the Gateway
 * (`gatewayHTTPRoute` solver): then cert-manager needs its Gateway API support on (values/cert-manager.ts).
 */
export function acmeThroughGateway(certs: CertificatesSpec, ingress: IngressSpec): boolean {
  return certs.acme !== undefined && ingress.gatewayApi?.https !== undefined;
}

export function issuerManifests(certs: CertificatesSpec, ingress: IngressSpec): Record<string, unknown>[] {
  const meta = (name: string, namespace?: string) => ({ name, namespace, labels: { ...LABELS }, annotations: { ...ISSUER_HOOK_ANNOTATIONS } });
  if (certs.acme) {
    const gateway = acmeThroughGateway(certs, ingress) ? ingress.gatewayApi : undefined;
    return [
      ClusterIssuer.manifest({
        metadata: meta(certs.clusterIssuerName),
        spec: {
          acme: {
            email: certs.acme.email,
            server: certs.acme.server,
            privateKeySecretRef: { name: certs.acme.accountKeySecretName },
            solvers: [
              ...(gateway?.https
                ? [
                    {
                      selector: { dnsNames: [...gateway.https.hosts] },
                      http01: {
                        gatewayHttpRoute: {
                          parentRefs: [
                            {
                              group: 'gateway.networking.k8s.io',
                              kind: 'Gateway',
                              name: gateway.gatewayName,
                              namespace: gateway.gatewayNamespace,
                              sectionName: gateway.httpListener,
                            },
                          ],
                        },
                      },
                    },
                  ]
                : []),
              { http01: { ingress: { ingressClassName: ingress.className } } },
            ],
          },
        },
      }),
    ];
  }
  const ca = certs.ca!;
  return [
    ClusterIssuer.manifest({ metadata: meta(ca.selfSignedIssuerName), spec: { selfSigned: {} } }),
    Certificate.manifest({
      metadata: meta(ca.secretName, certs.namespace),
      spec: {
        isCa: true,
        commonName: ca.commonName,
        secretName: ca.secretName,
        // Ten years, one key: the CA is what nodes and browsers are told to trust, so it outlives
        // every host certificate (90 days, renewed at 2/3) and keeps its key when renewed.
        duration: '87600h',
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.NEVER },
        issuerRef: { name: ca.selfSignedIssuerName, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    }),
    ClusterIssuer.manifest({ metadata: meta(certs.clusterIssuerName), spec: { ca: { secretName: ca.secretName } } }),
  ];
}
