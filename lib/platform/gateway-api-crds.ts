import { ITerraformDependable } from 'cdktf';
import { assertArgs } from '../core/shape';
import { gatewayApiCrdsPropsShape } from './stack-shapes';
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { GATEWAY_API_INSTALL_MANIFESTS, GATEWAY_API_INSTALL_VERSION } from '../../imports/gateway-api-install';

/**
 * Kinds the cluster serves before anything of ours is applied. `kubernetes_manifest` needs the
 * schema of its kind at PLAN time: a CustomResourceDefinition or a ValidatingAdmissionPolicy
 * plans on an empty cluster, a GatewayClass or ClusterIssuer does not ("no matches for kind")
 * until its CRD exists, so objects of kinds this stack installs never go through it.
 */
export const BUILT_IN_MANIFEST_KINDS: readonly string[] = Object.freeze([
  'apiextensions.k8s.io/v1/CustomResourceDefinition',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding',
]);

export interface GatewayApiCrdsProps {
  /** The kubernetes provider that applies them (server-side apply). */
  readonly provider: KubernetesProvider;
}

/**
 * The Gateway API standard-channel install (v1.5.1, what Traefik chart 41.3.0 documents): its
 * eight CRDs and the ValidatingAdmissionPolicy (with its binding) that refuses older or
 * experimental CRDs over them, one `kubernetes_manifest` each, from generated data
 * (imports/gateway-api-install.ts: descriptions stripped, `status` dropped).
 *
 * Why `kubernetes_manifest` and not a Helm release: these are built-in kinds, so the first plan
 * works on an empty cluster; each CRD is applied server-side and Terraform waits for its
 * `Established` condition, so the controller's release (which depends on `all`) starts only
 * when the kinds are served. Helm would install CRDs from a chart's `crds/` once and never
 * upgrade them, and no chart we pin ships exactly this release. Upgrading Gateway API is a
 * regenerate (`npm run import`) and an apply, seen in the plan as a diff per CRD.
 */
export class GatewayApiCrds extends Construct {
  /** The Gateway API release installed. */
  public static readonly VERSION = GATEWAY_API_INSTALL_VERSION;

  /** One resource per object, in the upstream order (CRDs by file name, then policy and binding). */
  public readonly manifests: readonly Manifest[];

  constructor(scope: Construct, id: string, props: GatewayApiCrdsProps) {
    super(scope, id);
    assertArgs(this.node.path, [['props', props, gatewayApiCrdsPropsShape]]);
    const made: Manifest[] = [];
    let policy: Manifest | undefined;
    for (const object of GATEWAY_API_INSTALL_MANIFESTS) {
      const kind = String(object.kind);
      const isCrd = kind === 'CustomResourceDefinition';
      const name = String(object.metadata.name);
      const short = isCrd ? name.split('.')[0] : `${kind === 'ValidatingAdmissionPolicy' ? 'policy' : 'policy_binding'}`;
      const m = new Manifest(this, short, {
        provider: props.provider,
        manifest: structuredClone(object) as Record<string, unknown>,
        // A CRD is usable once the API server has accepted its names; wait for that.
        wait: isCrd ? { condition: [{ type: 'Established', status: 'True' }] } : undefined,
        // Server-side apply owns these fields; take them over from a hand install of the same release.
        fieldManager: { name: 'cdk8s-paas', forceConflicts: true },
        dependsOn: kind === 'ValidatingAdmissionPolicyBinding' && policy ? [policy] : undefined,
      });
      m.overrideLogicalId(`gateway_api_${short}`);
      if (kind === 'ValidatingAdmissionPolicy') policy = m;
      made.push(m);
    }
    this.manifests = made;
  }

  /** What a release that uses the kinds depends on: every object of the install. */
  public get all(): ITerraformDependable[] {
    return [...this.manifests];
  }
}
