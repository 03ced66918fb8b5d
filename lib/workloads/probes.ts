import { k8s } from 'cdk8s-plus-28';
import { fail } from '../core/errors';
import { checkPortNumber } from '../core/names';
import { checkInteger } from '../core/quantities';
import { checkExecProbe, checkHttpProbe, checkTcpProbe } from './probe-shape';

/** Timing fields shared by every probe. All in seconds. */
export interface ProbeTiming {
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
  /** Must be 1 for liveness and startup probes. @default 1 */
  readonly successThreshold?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
}

export interface HttpProbeOptions extends ProbeTiming {
  /** Port name or number. @default - the main port */
  readonly port?: string | number;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

export interface TcpProbeOptions extends ProbeTiming {
  /** Port name or number. @default - the main port */
  readonly port?: string | number;
}

/**
 * A startup, liveness or readiness check.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class Probe {
  /** HTTP GET on a path; success is a 2xx/3xx status. */
  public static http(path: string, options: HttpProbeOptions = {}): Probe {
    checkHttpProbe(path, options);
    return new Probe('http', options, path, options.port, options.scheme);
  }
  /** A TCP connection to a port. */
  public static tcp(options: TcpProbeOptions = {}): Probe {
    checkTcpProbe(options);
    return new Probe('tcp', options, undefined, options.port);
  }
  /** A command run in the container; exit code 0 is success. */
  public static exec(command: string[], options: ProbeTiming = {}): Probe {
    checkExecProbe(command, options);
    return new Probe('exec', options, undefined, undefined, undefined, command);
  }

  private constructor(
    public readonly action: 'http' | 'tcp' | 'exec',
    private readonly timing: ProbeTiming,
    private readonly path?: string,
    private readonly port?: string | number,
    private readonly scheme?: string,
    private readonly command?: string[],
  ) {}

  /** The port this probe uses, resolved against the main port. */
  public portOr(mainPort: string | number): string | number {
    return this.port ?? mainPort;
  }

  /**
   * Kubernetes JSON for this probe. `kind` decides the rules: liveness and startup probes must
   * have successThreshold 1.
   */
  public render(
    path: string,
    field: string,
    kind: 'startup' | 'liveness' | 'readiness',
    mainPort: string | number,
    knownPorts: string[],
  ): Record<string, unknown> {
    const t = this.timing;
    for (const key of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'successThreshold', 'failureThreshold'] as const) {
      const v = t[key];
      if (v !== undefined) checkInteger(path, `${field}.${key}`, v, key === 'initialDelaySeconds' ? 0 : 1);
    }
    if (kind !== 'readiness' && t.successThreshold !== undefined && t.successThreshold !== 1) {
      fail(path, `${field}.successThreshold`, t.successThreshold, `must be 1 for ${kind} probes (Kubernetes rejects other values)`);
    }
    const out: Record<string, unknown> = {};
    if (this.action === 'http' || this.action === 'tcp') {
      const port = this.portOr(mainPort);
      if (typeof port === 'string' && !knownPorts.includes(port)) {
        fail(path, `${field}.port`, port, `must be one of the container's port names (${knownPorts.map((p) => `"${p}"`).join(', ')}) or a number`);
      }
      if (typeof port === 'number') checkPortNumber(path, `${field}.port`, port);
      // L1 objects serialize ports from `k8s.IntOrString`.
      const portValue = typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
      if (this.action === 'http') {
        if (!this.path || !this.path.startsWith('/')) fail(path, `${field}.path`, this.path, 'must be an absolute HTTP path such as "/ready"');
        out.httpGet = { path: this.path, port: portValue, ...(this.scheme && this.scheme !== 'HTTP' ? { scheme: this.scheme } : {}) };
      } else {
        out.tcpSocket = { port: portValue };
      }
    } else {
      if (!this.command || this.command.length === 0) fail(path, `${field}.command`, this.command, 'must be a non-empty command array');
      out.exec = { command: [...this.command] };
    }
    if (t.initialDelaySeconds !== undefined) out.initialDelaySeconds = t.initialDelaySeconds;
    out.periodSeconds = t.periodSeconds ?? 10;
    out.timeoutSeconds = t.timeoutSeconds ?? 1;
    out.successThreshold = t.successThreshold ?? 1;
    out.failureThreshold = t.failureThreshold ?? 3;
    return out;
  }
}
