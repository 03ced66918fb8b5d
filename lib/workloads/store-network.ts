import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { recommendedLabels } from '../core/labels';

/** Namespace label every namespace carries (Kubernetes >= 1.22), used to reach peers in another namespace. */
import { dnsEgressRule, NAMESPACE_NAME_LABEL } from '../core/network';

/** A set of pods a policy talks to: their labels and, when not the policy's own, their namespace. */
export interface PolicyPeer {
  readonly labels: Record<string, string>;
  /** Namespace of the peer when it differs from the policy's. @default - the policy's namespace */
  readonly namespace?: string;
}

function peer(p: PolicyPeer): k8s.NetworkPolicyPeer {
  return {
    podSelector: { matchLabels: { ...p.labels } },
    ...(p.namespace ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } } } : {}),
  };
}

function tcp(port: number): k8s.NetworkPolicyPort {
  return { port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' };
}

function metadata(name: string, appName: string): k8s.ObjectMeta {
  return { name, labels: recommendedLabels({ name: appName, instance: name, component: 'network-policy' }) };
}

export interface StorePolicyInput {
  readonly name: string;
  readonly appName: string;
  readonly selector: Record<string, string>;
  readonly port: number;
}

/**
 * The store's own policy, additive to a tenant's default-deny: members reach each other on the
 * store's port (replication) and resolve names; nothing else. Apps are let in by `connect()`.
 */
export function storePolicy(scope: Construct, id: string, s: StorePolicyInput): k8s.KubeNetworkPolicy {
  const self: PolicyPeer = { labels: s.selector };
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: metadata(s.name, s.appName),
    spec: {
      podSelector: { matchLabels: { ...s.selector } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [peer(self)], ports: [tcp(s.port)] }],
      egress: [dnsEgressRule(), { to: [peer(self)], ports: [tcp(s.port)] }],
    },
  });
}

export interface ConnectPolicyInput {
  /** Object name of the policy. */
  readonly name: string;
  readonly appName: string;
  /** Pods the policy applies to. */
  readonly subject: Record<string, string>;
  /** Pods on the other end. */
  readonly other: PolicyPeer;
  readonly port: number;
}

/** Lets `other` pods in to the subject's port (the store's side of a connection). */
export function ingressFrom(scope: Construct, id: string, c: ConnectPolicyInput): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: metadata(c.name, c.appName),
    spec: {
      podSelector: { matchLabels: { ...c.subject } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer(c.other)], ports: [tcp(c.port)] }],
    },
  });
}

/** Lets the subject's pods out to `other` pods' port (the app's side of a connection). */
export function egressTo(scope: Construct, id: string, c: ConnectPolicyInput): k8s.KubeNetworkPolicy {
  return new k8s.KubeNetworkPolicy(scope, id, {
    metadata: metadata(c.name, c.appName),
    spec: {
      podSelector: { matchLabels: { ...c.subject } },
      policyTypes: ['Egress'],
      egress: [{ to: [peer(c.other)], ports: [tcp(c.port)] }],
    },
  });
}
