import { PodWorkloadProps } from './pod-template';
import { Probe } from './probes';

/** The taint kubeadm puts on control-plane nodes since Kubernetes 1.25 (1.24 set both keys). */
export const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';
/** The taint key of older clusters (kubeadm before 1.24, and the seeds' cluster). */
export const LEGACY_MASTER_TAINT = 'node-role.kubernetes.io/master';

/** A container port of a node agent. */
export interface NodeAgentPortProps {
  /** IANA service name (`metrics`, `redis`); probes and NetworkPolicy rules refer to it. */
  readonly name: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /**
   * Also bind this port on the node's addresses (`hostPort`). Needs the opt-out
   * `WorkloadSecurity.optOut({ reason, hostAccess: { ports: true } })`; with `hostNetwork` it must
   * equal `containerPort`.
   * @default - not bound on the node
   */
  readonly hostPort?: number;
}

/** A toleration of a node taint. */
export interface NodeAgentToleration {
  /** Taint key; empty with operator `Exists` tolerates every taint. @default - every key (operator must be 'Exists') */
  readonly key?: string;
  /** @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** Taint value (operator `Equal` only). @default '' */
  readonly value?: string;
  /** Taint effect tolerated. @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** How long a `NoExecute` taint is tolerated before the pod is evicted. @default - for ever */
  readonly tolerationSeconds?: number;
}

/** A node directory or file mounted into the agent (`hostPath`). */
export interface HostPathMount {
  /** Path on the node. */
  readonly path: string;
  /** Where the container sees it. */
  readonly mountPath: string;
  /** What must exist at `path` (Kubernetes checks it before starting the pod). @default 'Directory' */
  readonly type?: 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate' | 'Socket' | 'CharDevice' | 'BlockDevice';
  /** Mount it writable. Read-only by default: an agent that only reads logs must not be able to change the node. @default false */
  readonly writable?: boolean;
}

/** Rolling update of a DaemonSet: nodes replaced at a time. Numbers or percentages of the matching nodes ("10%"). */
export interface NodeAgentRollingUpdate {
  /** Nodes whose agent may be down at once during an update. @default 1 */
  readonly maxUnavailable?: number | string;
  /**
   * Nodes that may run the new pod next to the old one (GA since Kubernetes 1.25). Not possible
   * with host ports or host network: the second pod could not bind. @default 0
   */
  readonly maxSurge?: number | string;
}

/** Probes of the agent's container. `false` turns a default probe off. */
export interface NodeAgentProbes {
  /** @default - none */
  readonly startup?: Probe;
  /** @default - TCP on the first port, none without ports */
  readonly liveness?: Probe | false;
  /** @default - TCP on the first port, none without ports */
  readonly readiness?: Probe | false;
}

export interface NodeAgentProps extends PodWorkloadProps {
  /** Container ports; the first is the main port. @default [] */
  readonly ports?: NodeAgentPortProps[];
  /** @default - see NodeAgentProbes */
  readonly probes?: NodeAgentProbes;
  /** Only nodes with these labels get a pod. @default - every schedulable node */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Also run on control-plane nodes: tolerates the `node-role.kubernetes.io/control-plane` taint
   * (kubeadm since 1.25) and the legacy `node-role.kubernetes.io/master` one (older clusters),
   * both `NoSchedule`.
   * @default false
   */
  readonly tolerateControlPlane?: boolean;
  /** Further tolerations, spelled out. @default [] */
  readonly tolerations?: NodeAgentToleration[];
  /** @default - see NodeAgentRollingUpdate */
  readonly rollingUpdate?: NodeAgentRollingUpdate;
  /** Seconds a new pod must be ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
  /** Old ControllerRevisions kept for rollback. @default 5 */
  readonly revisionHistoryLimit?: number;
  /**
   * PriorityClass of the pods, e.g. `system-node-critical` for an agent that must not be evicted
   * when the node runs short (the class must exist; the two `system-` classes always do).
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * How many nodes the selector matches at most, for the tenant's quota fit (one pod per node).
   * @default - the platform spec's `nodeCount`; without it one node is assumed, with a warning
   */
  readonly nodeCount?: number;
  /** Share the node's network namespace; needs `hostAccess: { network: true }`. @default false */
  readonly hostNetwork?: boolean;
  /** See the node's processes; needs `hostAccess: { pid: true }`. @default false */
  readonly hostPID?: boolean;
  /** Node paths to mount (read-only by default); needs `hostAccess: { paths: true }`. @default [] */
  readonly hostPaths?: HostPathMount[];
}

/**
 * Every prop of NodeAgentProps, so that a misspelt one (`tolerateControlplane`) from plain
 * JavaScript is an error naming the nearest, not a silently ignored key. The assertion below fails
 * `tsc` when a prop is added to the interface but not here.
 */
export const NODE_AGENT_PROP_NAMES = [
  'image',
  'name',
  'appName',
  'component',
  'partOf',
  'command',
  'args',
  'env',
  'envFrom',
  'configFiles',
  'resources',
  'security',
  'writablePaths',
  'imagePullSecrets',
  'imagePullPolicy',
  'serviceAccountName',
  'network',
  'ports',
  'probes',
  'nodeSelector',
  'tolerateControlPlane',
  'tolerations',
  'rollingUpdate',
  'minReadySeconds',
  'revisionHistoryLimit',
  'priorityClassName',
  'nodeCount',
  'hostNetwork',
  'hostPID',
  'hostPaths',
] as const satisfies ReadonlyArray<keyof NodeAgentProps>;
const everyProp: Exclude<keyof NodeAgentProps, (typeof NODE_AGENT_PROP_NAMES)[number]> extends never ? true : false = true;
void everyProp;
