import { ITerraformDependable } from 'cdktf';
import { assertArgs } from '../core/shape';
import { addonNamespacePropsShape } from './stack-shapes';
import { Construct } from 'constructs';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { checkDnsLabel } from '../core/names';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../core/labels';
import type { PodSecurityLevel } from '../core/security';
import { fail } from '../core/errors';

/** Annotation on add-on namespaces saying why their Pod Security level is what it is. */
export const POD_SECURITY_REASON_ANNOTATION = 'paas.cdk8s.io/pod-security-reason';

/** A namespace an add-on release installs into. */
export interface IAddonNamespace {
  /** Namespace name. */
  readonly name: string;
  /** The Terraform resource that creates it, for `depends_on`. @default - not created by this stack */
  readonly resource?: ITerraformDependable;
}

export interface AddonNamespaceProps {
  /** Namespace name (DNS label). */
  readonly name: string;
  /** The kubernetes provider that creates it. */
  readonly provider: KubernetesProvider;
  /**
   * Pod Security level enforced on the namespace (`pod-security.kubernetes.io/enforce`).
   * `warn` and `audit` are always `restricted`, so anything below it shows up in warnings and audit logs.
   */
  readonly podSecurity: PodSecurityLevel;
  /** Why the add-on needs this level, in words; kept as an annotation next to the label. */
  readonly reason: string;
  /**
   * Kubernetes minor version the level's rules are pinned to (`enforce-version`), e.g. `v1.28`.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * Refuse `terraform destroy` of the namespace (`lifecycle.prevent_destroy`): deleting a namespace
   * deletes the claims in it.
   * @default false
   */
  readonly preventDestroy?: boolean;
  /** Terraform address of the resource (`kubernetes_namespace_v1.<logicalId>`). @default the id with '-' as '_' */
  readonly logicalId?: string;
}

/**
 * A namespace for one add-on, created with the kubernetes provider and labelled with the Pod
 * Security Standards level that add-on needs.
 */
export class AddonNamespace extends Construct implements IAddonNamespace {
  /** A namespace this stack does not create (e.g. `kube-system`). */
  public static fromName(scope: Construct, id: string, name: string): IAddonNamespace {
    const checked = checkDnsLabel(scope.node.path || '<root>', id, name);
    return { name: checked };
  }

  public readonly name: string;
  public readonly podSecurity: PodSecurityLevel;
  public readonly resource: NamespaceV1;

  constructor(scope: Construct, id: string, props: AddonNamespaceProps) {
    super(scope, id);
    assertArgs(this.node.path, [['props', props, addonNamespacePropsShape]]);
    this.name = checkDnsLabel(this.node.path, 'name', props.name);
    if (!['restricted', 'baseline', 'privileged'].includes(props.podSecurity)) {
      fail(this.node.path, 'podSecurity', props.podSecurity, 'must be "restricted", "baseline" or "privileged"');
    }
    this.podSecurity = props.podSecurity;
    const version = props.podSecurityVersion ?? 'latest';
    this.resource = new NamespaceV1(this, 'resource', {
      provider: props.provider,
      metadata: {
        name: this.name,
        labels: {
          [LABEL_MANAGED_BY]: MANAGED_BY,
          'pod-security.kubernetes.io/enforce': props.podSecurity,
          'pod-security.kubernetes.io/enforce-version': version,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': version,
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': version,
        },
        annotations: { [POD_SECURITY_REASON_ANNOTATION]: props.reason },
      },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.resource.overrideLogicalId(props.logicalId ?? id.replace(/-/g, '_'));
  }
}
