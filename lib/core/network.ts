import { k8s } from 'cdk8s-plus-28';

/** Label the API server sets on every Namespace (1.21+): the one stable way to select a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Selects a namespace by its name. */
export function namespaceSelector(name: string): k8s.LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}

/**
 * Egress to the cluster DNS on 53, UDP and TCP: CoreDNS pods in kube-system keep the
 * `k8s-app: kube-dns` label of kube-dns (kubeadm clusters such as the seeds').
 */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: namespaceSelector('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
}
