import { k8s } from 'cdk8s-plus-28';
import { fail, ProblemCollector } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { ipBlockProblems, namespaceSelector } from '../core/network';
import { IWorkload } from '../workloads/types';

export { NAMESPACE_NAME_LABEL, dnsEgressRule } from '../core/network';

/** A port (number or container port name) and protocol in a NetworkPolicy rule. */
export interface NetworkPort {
  /** Port number, or the name of a container port. */
  readonly port: number | string;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** The other side of a NetworkPolicy rule. Build with the static factories. */
export class NetworkPeer {
  /** Every pod of a namespace, optionally only those with `podLabels`. */
  public static namespace(name: string, podLabels?: Record<string, string>): NetworkPeer {
    checkDnsLabel('NetworkPeer', 'namespace', name);
    const peer: Record<string, unknown> = { namespaceSelector: namespaceSelector(name) };
    if (podLabels) peer.podSelector = { matchLabels: { ...podLabels } };
    return new NetworkPeer(peer, podLabels ? `pods ${JSON.stringify(podLabels)} in namespace "${name}"` : `namespace "${name}"`, name);
  }

  /** The pods of a workload we created (it must live in a chart with a namespace). */
  public static workload(workload: IWorkload): NetworkPeer {
    if (!workload.namespace) {
      fail(
        workload.node.path,
        'namespace',
        workload.namespace,
        'must be set to reach the workload across namespaces: create it in a TenantNamespace or a Chart with a namespace',
      );
    }
    return new NetworkPeer(
      {
        namespaceSelector: namespaceSelector(workload.namespace),
        podSelector: { matchLabels: workload.selectorLabels },
      },
      `${workload.kind} "${workload.name}" in namespace "${workload.namespace}"`,
      workload.namespace,
      workload,
    );
  }

  /** Pods of the same namespace with these labels (all pods when `podLabels` is empty). */
  public static pods(podLabels: Record<string, string> = {}): NetworkPeer {
    return new NetworkPeer({ podSelector: Object.keys(podLabels).length ? { matchLabels: { ...podLabels } } : {} }, `pods ${JSON.stringify(podLabels)}`);
  }

  /** An IP range outside the cluster, e.g. a database at `10.0.5.0/24`, minus `except`. */
  public static cidr(cidr: string, except: string[] = []): NetworkPeer {
    if (!Array.isArray(except)) fail('NetworkPeer', 'except', except, 'must be an array of CIDRs');
    const problems = new ProblemCollector('NetworkPeer');
    for (const p of ipBlockProblems(cidr, except)) problems.add(p.field, p.value, p.expected);
    problems.throwIfAny();
    const ipBlock: Record<string, unknown> = { cidr };
    if (except.length) ipBlock.except = [...except];
    return new NetworkPeer({ ipBlock }, `CIDR ${cidr}`);
  }

  private constructor(
    private readonly peer: Record<string, unknown>,
    /** Human description, for messages and docs. */
    public readonly description: string,
    /** Namespace the peer lives in, when it is one. */
    public readonly namespaceName?: string,
    /** The workload, for peers made with `NetworkPeer.workload()`: lets a tenant open the other side. */
    public readonly workload?: IWorkload,
  ) {}

  /** The NetworkPolicyPeer JSON (a copy). */
  public toJson(): k8s.NetworkPolicyPeer {
    return JSON.parse(JSON.stringify(this.peer));
  }
}

/** NetworkPolicy ports as L1 JSON. */
export function policyPorts(ports: readonly NetworkPort[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({
    port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    protocol: p.protocol ?? 'TCP',
  }));
}
