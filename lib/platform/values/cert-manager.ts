import { stringify } from 'yaml';
import type { CertificatesSpec, IngressSpec } from '../../platform-spec';
import { acmeThroughGateway, issuerManifests } from '../issuers';

interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Values we set on the jetstack cert-manager chart (checked against its values.schema.json in a test). */
export interface CertManagerValues {
  readonly [key: string]: unknown;
  /**
   * CRDs as templates of this release, kept on uninstall (`helm.sh/resource-policy: keep`):
   * upgraded together with the controller that serves them, and never deleted with the release
   * (deleting a CRD deletes every Certificate and Issuer in the cluster).
   */
  readonly crds: { readonly enabled: true; readonly keep: true };
  /** Leader election Lease in cert-manager's own namespace instead of the chart's `kube-system`. */
  readonly global: { readonly leaderElection: { readonly namespace: string } };
  readonly resources: Resources;
  readonly webhook: { readonly resources: Resources };
  readonly cainjector: { readonly resources: Resources };
  readonly startupapicheck: { readonly resources: Resources };
  /**
   * Controller configuration (the chart renders it as the controller's config file). Gateway API
   * support, when ACME certificates are proved through the platform Gateway (`gatewayHTTPRoute`
   * solver, see issuers.ts): the controller then needs the Gateway API CRDs at start.
   */
  readonly config?: { readonly gatewayAPI: { readonly enabled: true } };
  /** The issuer chain, one YAML document per entry, as post-install/post-upgrade hooks (see issuers.ts). */
  readonly extraObjects: readonly string[];
}

const small = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Resources => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/**
 * cert-manager values: CRDs installed and kept by the release, every component sized (the chart
 * sets no resources), and the spec's ClusterIssuers. The chart's pod and container security
 * contexts already meet `restricted` (non-root, RuntimeDefault seccomp, no capabilities, no
 * privilege escalation, read-only root); a test checks them against the chart's values.yaml.
 */
export function certManagerValues(certs: CertificatesSpec, ingress: IngressSpec): CertManagerValues {
  return {
    crds: { enabled: true, keep: true },
    global: { leaderElection: { namespace: certs.namespace } },
    resources: small('10m', '64Mi', '200m', '256Mi'),
    webhook: { resources: small('10m', '32Mi', '100m', '128Mi') },
    cainjector: { resources: small('10m', '64Mi', '200m', '256Mi') },
    startupapicheck: { resources: small('10m', '32Mi', '100m', '128Mi') },
    ...(acmeThroughGateway(certs, ingress) ? { config: { gatewayAPI: { enabled: true } } } : {}),
    // `tpl` renders each entry: our documents hold no `{{`, so they pass through as written.
    extraObjects: issuerManifests(certs, ingress).map((m) => stringify(m, { lineWidth: 0 })),
  };
}
