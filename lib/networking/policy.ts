import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MANAGED_BY, LABEL_MANAGED_BY } from '../core/labels';
import { PaasRegistry } from '../core/registry';
import { NetworkPeer, NetworkPort, policyPorts } from './network-peer';

/** What one NetworkPolicy we emit allows. Policies are additive: a pod may do what any policy selecting it allows. */
export interface PolicySpec {
  /** Object name. */
  readonly name: string;
  /** Namespace. @default - the chart's */
  readonly namespace?: string;
  /** Pods the policy applies to. @default {} (every pod of the namespace) */
  readonly podLabels?: Record<string, string>;
  /** Peers allowed in, on `ingressPorts`. An empty array with `Ingress` in policyTypes denies. @default - policy does not govern ingress */
  readonly ingressFrom?: readonly NetworkPeer[];
  /** @default - all ports */
  readonly ingressPorts?: readonly NetworkPort[];
  /** Peers allowed out to, on `egressPorts`. @default - policy does not govern egress */
  readonly egressTo?: readonly NetworkPeer[];
  /** @default - all ports */
  readonly egressPorts?: readonly NetworkPort[];
  /** Extra egress rules as L1 JSON (e.g. DNS). @default [] */
  readonly egressRules?: readonly k8s.NetworkPolicyEgressRule[];
  /** Labels. @default managed-by only */
  readonly labels?: Record<string, string>;
}

/**
 * Emits one NetworkPolicy with a readable name and registers the name for collision checks.
 * `podSelector` is written out even when empty: the API requires the field.
 */
export function createNetworkPolicy(scope: Construct, id: string, spec: PolicySpec): k8s.KubeNetworkPolicy {
  const policyTypes: string[] = [];
  let ingress: k8s.NetworkPolicyIngressRule[] | undefined;
  let egress: k8s.NetworkPolicyEgressRule[] | undefined;
  if (spec.ingressFrom) {
    policyTypes.push('Ingress');
    ingress = spec.ingressFrom.length
      ? [{ from: spec.ingressFrom.map((p) => p.toJson()), ...(spec.ingressPorts?.length ? { ports: policyPorts(spec.ingressPorts) } : {}) }]
      : [];
  }
  if (spec.egressTo || spec.egressRules) {
    policyTypes.push('Egress');
    egress = [...(spec.egressRules ?? [])];
    if (spec.egressTo?.length)
      egress.push({ to: spec.egressTo.map((p) => p.toJson()), ...(spec.egressPorts?.length ? { ports: policyPorts(spec.egressPorts) } : {}) });
  }
  const podSelector = spec.podLabels && Object.keys(spec.podLabels).length ? { matchLabels: { ...spec.podLabels } } : {};
  const policy = new k8s.KubeNetworkPolicy(scope, id, {
    metadata: { name: spec.name, namespace: spec.namespace, labels: { [LABEL_MANAGED_BY]: MANAGED_BY, ...spec.labels } },
    spec: { podSelector, policyTypes, ingress, egress },
  });
  const namespace = spec.namespace ?? policy.metadata.namespace;
  PaasRegistry.of(scope).registerObject({ path: policy.node.path, kind: 'NetworkPolicy', namespace, name: spec.name });
  return policy;
}
