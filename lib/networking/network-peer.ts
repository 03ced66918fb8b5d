import { k8s } from 'cdk8s-plus-28';
import { fail } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { namespaceSelector } from '../core/network';
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
    for (const [i, c] of [cidr, ...except].entries()) {
      if (!isCidr(c)) fail('NetworkPeer', i === 0 ? 'cidr' : `except[${i - 1}]`, c, 'must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8"');
    }
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

function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return !!v6 && v6[1].includes(':') && Number(v6[2]) <= 128;
}

/** NetworkPolicy ports as L1 JSON. */
export function policyPorts(ports: readonly NetworkPort[]): k8s.NetworkPolicyPort[] {
  return ports.map((p) => ({
    port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port),
    protocol: p.protocol ?? 'TCP',
  }));
}
