import { CreatedOutside, CreatedOutsideOptions, createdOutsideOptions } from '../core/created-outside';
import { checkDnsSubdomain, checkEnvName } from '../core/names';
import { ResourcesProps } from '../core/resources';
import { assertArgs, S } from '../core/shape';
import { WorkloadSecurity } from '../core/security';
import { EnvValue } from './env';
import { Probe } from './probes';

/** The object name and the prefix (itself the start of an environment variable name) of an EnvFrom. */
function checkEnvFrom(path: string, name: unknown, prefix: unknown, options: unknown): void {
  assertArgs(path, [
    ['name', name, S.string().refine(checkDnsSubdomain)],
    ['prefix', prefix, S.optional(S.string().refine(checkEnvName))],
    ['options', options, createdOutsideOptions],
  ]);
}

function outside(kind: string, name: string, options: CreatedOutsideOptions | undefined): CreatedOutside | undefined {
  const reason = options?.createdOutside;
  return reason !== undefined ? { kind, name, reason } : undefined;
}

/** A port of the app's container and the Service port in front of it. */
export interface WebAppPortProps {
  /** IANA service name (`http`, `metrics`); probes, routes and monitors refer to it. */
  readonly name: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Service port. @default same as containerPort */
  readonly servicePort?: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** NodePort for this port when `serviceType` is NodePort (30000-32767). @default - allocated by the cluster */
  readonly nodePort?: number;
}

/** Service types we offer: LoadBalancer is left to the ingress controller. */
export type WebAppServiceType = 'ClusterIP' | 'NodePort';

/** A whole ConfigMap or Secret as environment variables (`envFrom`). */
export class EnvFrom {
  /**
   * Every key of a ConfigMap, each name prefixed (the seeds use `WORDPRESS_DB_`).
   * `{ createdOutside: 'who creates it' }` declares the ConfigMap a prerequisite (see `EnvValue.fromSecret`).
   */
  public static configMap(name: string, prefix?: string, options?: CreatedOutsideOptions): EnvFrom {
    checkEnvFrom('EnvFrom.configMap', name, prefix, options);
    return new EnvFrom('configMapRef', name, prefix, outside('ConfigMap', name, options));
  }
  /** Every key of an existing Secret, each name prefixed; options as for `configMap`. */
  public static secret(name: string, prefix?: string, options?: CreatedOutsideOptions): EnvFrom {
    checkEnvFrom('EnvFrom.secret', name, prefix, options);
    return new EnvFrom('secretRef', name, prefix, outside('Secret', name, options));
  }
  private constructor(
    public readonly source: 'configMapRef' | 'secretRef',
    public readonly name: string,
    public readonly prefix?: string,
    /** Set by `{ createdOutside }`: the referenced object is created outside the output. */
    public readonly createdOutside?: CreatedOutside,
  ) {}
  /** Kubernetes `EnvFromSource` JSON. */
  public toJson(): Record<string, unknown> {
    return { ...(this.prefix ? { prefix: this.prefix } : {}), [this.source]: { name: this.name } };
  }
}

/** Configuration files the app creates as a ConfigMap and mounts. */
export interface ConfigFilesProps {
  /** Suffix of the ConfigMap name (`<app>-<id>`) and volume name. */
  readonly id: string;
  /** File name -> content. */
  readonly files: Record<string, string>;
  /** Directory to mount at. */
  readonly mountPath: string;
  /**
   * Mount each file on its own (`subPath`) into an existing directory instead of replacing it.
   * Such mounts never see ConfigMap updates: the checksum annotation rolls the pods instead.
   * @default false
   */
  readonly asSingleFiles?: boolean;
}

/** Probes of the main container. `false` turns a default probe off. */
export interface WebAppProbes {
  /** @default - none */
  readonly startup?: Probe;
  /** @default - TCP on the main port */
  readonly liveness?: Probe | false;
  /** @default - TCP on the main port */
  readonly readiness?: Probe | false;
}

/** HorizontalPodAutoscaler (autoscaling/v2). Replicas are then left to it. */
export interface AutoscalingProps {
  /** @default 2 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization in percent of the request (1-100). @default 70 when memory is not given */
  readonly cpuUtilization?: number;
  /** Target average memory utilization in percent of the request (1-100). @default - not used */
  readonly memoryUtilization?: number;
}

/** Rolling update settings (absolute numbers or percentages such as "25%"). */
export interface RollingUpdateProps {
  /** @default '25%' */
  readonly maxSurge?: number | string;
  /** @default '25%' */
  readonly maxUnavailable?: number | string;
}

/** PodDisruptionBudget settings. */
export interface DisruptionBudgetProps {
  /** @default 1 */
  readonly maxUnavailable?: number;
}

/** Network policy of the app's own pods. */
export interface WebAppNetworkProps {
  /** Emit the app's NetworkPolicy. @default true */
  readonly enabled?: boolean;
  /**
   * Allow ingress to the app's ports from pods in the same namespace.
   * @default true, or what `WorkloadDefaults` says below the scope (a TenantNamespace without `allowSameNamespace` says false)
   */
  readonly allowFromSameNamespace?: boolean;
  /** Allow all egress (otherwise DNS only, plus what `connect()` and tenants add). @default false */
  readonly allowAllEgress?: boolean;
}

export interface WebAppProps {
  /** Image with a tag or digest (`:latest` and untagged are rejected). */
  readonly image: string;
  /** Object name of the Deployment, Service and friends. @default - the construct id, lower-cased */
  readonly name?: string;
  /** `app.kubernetes.io/name`. @default - the object name */
  readonly appName?: string;
  /** `app.kubernetes.io/component`. @default 'web' */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - not set */
  readonly partOf?: string;
  /** Replicas (ignored when `autoscaling` is set). @default 2 */
  readonly replicas?: number;
  /** Entrypoint override. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Named container ports; the first is the main port. @default [{ name: 'http', containerPort: 8080, servicePort: 80 }] */
  readonly ports?: WebAppPortProps[];
  /** @default 'ClusterIP' */
  readonly serviceType?: WebAppServiceType;
  /** Environment variables. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Whole ConfigMaps / Secrets as environment. @default [] */
  readonly envFrom?: EnvFrom[];
  /** Config files created as ConfigMaps and mounted. @default [] */
  readonly configFiles?: ConfigFilesProps[];
  /** Container resources; requests and limits are always set. @default - see WorkloadDefaults */
  readonly resources?: ResourcesProps;
  /** @default - liveness and readiness TCP on the main port */
  readonly probes?: WebAppProbes;
  /** @default - see RollingUpdateProps */
  readonly rollingUpdate?: RollingUpdateProps;
  /** Seconds a new pod must be ready before it counts as available. @default 0 */
  readonly minReadySeconds?: number;
  /** Old ReplicaSets kept for rollback. @default 5 */
  readonly revisionHistoryLimit?: number;
  /** `kubernetes.io/change-cause` annotation shown by `kubectl rollout history`. @default - not set */
  readonly changeCause?: string;
  /** @default - fixed replicas, no autoscaler */
  readonly autoscaling?: AutoscalingProps;
  /** Emitted whenever replicas (or autoscaling min) >= 2. @default { maxUnavailable: 1 } */
  readonly disruptionBudget?: DisruptionBudgetProps;
  /** Spread pods over nodes when replicas >= 2 (ScheduleAnyway). @default true */
  readonly spreadOverNodes?: boolean;
  /** @default WorkloadSecurity.restricted() */
  readonly security?: WorkloadSecurity;
  /** Writable emptyDir paths for a read-only root filesystem (`/tmp`, caches). @default ['/tmp'] */
  readonly writablePaths?: string[];
  /** Secrets to pull the image with (e.g. Harbor's). @default [] */
  readonly imagePullSecrets?: string[];
  /**
   * The `imagePullSecrets` are created outside this output: who creates them (e.g. "copied into
   * every namespace by the registry operator"). The validator then lists them as prerequisites.
   * @default - not declared: each must be created by the output or is a references/secret error
   */
  readonly imagePullSecretsCreatedOutside?: string;
  /** ServiceAccount the pods run as. @default - the namespace's default */
  readonly serviceAccountName?: string;
  /** @default - see WebAppNetworkProps */
  readonly network?: WebAppNetworkProps;
}
