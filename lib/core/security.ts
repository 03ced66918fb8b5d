import { checkOptOutOptions, checkRestrictedOptions } from './security-shape';
import { BASELINE_CAPABILITIES } from './pod-security-facts';

/**
 * Pod Security Standards levels, as in the `pod-security.kubernetes.io/*` namespace labels.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The Kubernetes minor version whose Pod Security rules we check against and pin in labels. */
export const POD_SECURITY_VERSION = 'v1.28';

/** Annotation carried by every object whose pods opted out of `restricted`; its value is the reason. */
export const SECURITY_OPT_OUT_ANNOTATION = 'paas.cdk8s.io/pod-security-opt-out';

const NO_HOST_ACCESS: Readonly<Required<HostAccessOptions>> = Object.freeze({ network: false, pid: false, ports: false, paths: false, privileged: false });

/** Unprivileged UID/GID used when an image does not name its own. */
export const DEFAULT_UID = 10001;
export const DEFAULT_GID = 10001;

/** The sysctl that lets a non-root process bind ports below 1024; in the PSS "safe" set. */
export const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** Options of the restricted profile. */
export interface RestrictedOptions {
  /** UID the containers run as. @default 10001 */
  readonly user?: number;
  /** GID the containers run as, also `fsGroup`. @default same as `user` when given, else 10001 */
  readonly group?: number;
  /**
   * Lets the process bind ports from this number up as non-root, through the namespaced, safe
   * sysctl `net.ipv4.ip_unprivileged_port_start` (e.g. 80 for images that listen on port 80).
   * @default - not set: the kernel default (1024) applies
   */
  readonly unprivilegedPortStart?: number;
}

/**
 * Host access for a node agent (NodeAgent); every one of these is forbidden by Pod Security
 * `baseline`, so a workload with any of them needs a namespace at `privileged`.
 */
export interface HostAccessOptions {
  /** Share the node's network namespace (`hostNetwork`). @default false */
  readonly network?: boolean;
  /** See the node's processes (`hostPID`). @default false */
  readonly pid?: boolean;
  /** Bind container ports on the node's addresses (`hostPort`). @default false */
  readonly ports?: boolean;
  /** Mount node paths (`hostPath` volumes, read-only unless a mount asks for writes). @default false */
  readonly paths?: boolean;
  /** Run the container privileged: every device and capability of the node. @default false */
  readonly privileged?: boolean;
}

/** The capabilities Pod Security `baseline` lets a container add; any other one needs `privileged`. */
export { BASELINE_CAPABILITIES };

/** Options for an explicit opt-out of the restricted profile. */
export interface OptOutOptions {
  /** Why this workload cannot run restricted; written into the opt-out annotation. */
  readonly reason: string;
  /** Run as root (UID 0). @default false */
  readonly runAsRoot?: boolean;
  /** Allow writes to the container's root filesystem. @default false */
  readonly writableRootFilesystem?: boolean;
  /** Capabilities to add back after dropping ALL (baseline allows e.g. CHOWN, SETUID, SETGID). @default [] */
  readonly addCapabilities?: string[];
  /** UID to run as when not root. @default 10001 */
  readonly user?: number;
  /** GID. @default 10001 */
  readonly group?: number;
  /**
   * Host access. NodeAgent turns each allowed kind on only where its props use it; the other
   * workloads have no host props, so there only `privileged` changes the pods.
   * @default - none
   */
  readonly hostAccess?: HostAccessOptions;
}

/**
 * How a workload's pods are secured. Restricted by default; anything else is an explicit,
 * named opt-out that stays visible in the code that asks for it and as an annotation on the object.
 */
export class WorkloadSecurity {
  /** The Pod Security Standards `restricted` profile (the default). */
  public static restricted(options: RestrictedOptions = {}): WorkloadSecurity {
    checkRestrictedOptions(options);
    const user = options.user ?? DEFAULT_UID;
    const group = options.group ?? (options.user !== undefined ? options.user : DEFAULT_GID);
    return new WorkloadSecurity('restricted', user, group, false, false, [], undefined, options.unprivilegedPortStart, NO_HOST_ACCESS);
  }

  /** Opts out of `restricted`. The reason lands in the `paas.cdk8s.io/pod-security-opt-out` annotation. */
  public static optOut(options: OptOutOptions): WorkloadSecurity {
    checkOptOutOptions(options);
    const runAsRoot = options.runAsRoot ?? false;
    const caps = [...(options.addCapabilities ?? [])].sort();
    const onlyBind = caps.every((c) => c === 'NET_BIND_SERVICE');
    const h = options.hostAccess ?? {};
    const host = { network: h.network === true, pid: h.pid === true, ports: h.ports === true, paths: h.paths === true, privileged: h.privileged === true };
    const beyondBaseline = Object.values(host).some(Boolean) || caps.some((c) => !BASELINE_CAPABILITIES.has(c));
    const level: PodSecurityLevel = beyondBaseline ? 'privileged' : runAsRoot || !onlyBind ? 'baseline' : 'restricted';
    return new WorkloadSecurity(
      level,
      runAsRoot ? 0 : (options.user ?? DEFAULT_UID),
      runAsRoot ? 0 : (options.group ?? DEFAULT_GID),
      runAsRoot,
      options.writableRootFilesystem ?? false,
      caps,
      options.reason,
      undefined,
      host,
    );
  }

  private constructor(
    /** The Pod Security level the pods meet. */
    public readonly level: PodSecurityLevel,
    public readonly user: number,
    public readonly group: number,
    public readonly runAsRoot: boolean,
    public readonly writableRootFilesystem: boolean,
    private readonly caps: string[],
    /** Reason of an opt-out; undefined for the restricted profile. */
    public readonly optOutReason: string | undefined,
    public readonly unprivilegedPortStart: number | undefined,
    private readonly host: Readonly<Required<HostAccessOptions>>,
  ) {}

  /** The host access this opt-out allows (all false for the restricted profile; a copy). */
  public get hostAccess(): Required<HostAccessOptions> {
    return { ...this.host };
  }

  /** Capabilities added back after dropping ALL. */
  public get addCapabilities(): string[] {
    return [...this.caps];
  }

  /** Whether this is an opt-out (annotation must be written). */
  public get isOptOut(): boolean {
    return this.optOutReason !== undefined;
  }

  /** Pod-level securityContext as plain Kubernetes JSON. */
  public podSecurityContext(): Record<string, unknown> {
    const ctx: Record<string, unknown> = {
      runAsNonRoot: !this.runAsRoot,
      runAsUser: this.user,
      runAsGroup: this.group,
      fsGroup: this.group,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
    if (this.unprivilegedPortStart !== undefined) {
      ctx.sysctls = [{ name: UNPRIVILEGED_PORT_SYSCTL, value: String(this.unprivilegedPortStart) }];
    }
    return ctx;
  }

  /** Container-level securityContext as plain Kubernetes JSON. */
  public containerSecurityContext(): Record<string, unknown> {
    const capabilities: Record<string, unknown> = { drop: ['ALL'] };
    if (this.caps.length > 0) capabilities.add = [...this.caps];
    return {
      // The API server refuses privileged: true together with allowPrivilegeEscalation: false.
      allowPrivilegeEscalation: this.host.privileged,
      privileged: this.host.privileged,
      readOnlyRootFilesystem: !this.writableRootFilesystem,
      runAsNonRoot: !this.runAsRoot,
      runAsUser: this.user,
      runAsGroup: this.group,
      capabilities,
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }
}
