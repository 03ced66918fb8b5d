import { IConstruct } from 'constructs';
import type { CreatedOutsideOptions } from '../core/created-outside';
import { WorkloadSecurity } from '../core/security';
import { EnvValue } from './env';

/** A named port of a workload and the Service port that exposes it. */
export interface WorkloadPort {
  /** IANA service name, e.g. `http`, `metrics`. */
  readonly name: string;
  /** Port the container listens on. */
  readonly containerPort: number;
  /** Port of the Service. */
  readonly servicePort: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** Anything that runs pods we created: WebApp, StatefulStore, BatchJob, ScheduledJob, NodeAgent. */
export interface IWorkload extends IConstruct {
  /** Object name of the Deployment/StatefulSet. */
  readonly name: string;
  /** Namespace (the chart's), or undefined when the chart has none. */
  readonly namespace?: string;
  /** Kind of the controller object. */
  readonly kind: 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob' | 'DaemonSet';
  /** Labels that select this workload's pods (a copy). */
  readonly selectorLabels: Record<string, string>;
  /** Security profile of its pods. */
  readonly security: WorkloadSecurity;
}

/** A claim that a workload can mount. Implemented by NfsStorage claims and imported claims. */
export interface IVolumeClaim {
  /** PersistentVolumeClaim name. */
  readonly claimName: string;
  /** Whether several pods on several nodes can mount it read-write (ReadWriteMany). */
  readonly readWriteMany: boolean;
}

/** Options for mounting a claim. */
export interface MountOptions {
  /** Mount read-only. @default false */
  readonly readOnly?: boolean;
  /** Sub-directory of the volume to mount. @default - the volume root */
  readonly subPath?: string;
}

/** A workload a store can be connected to (`StatefulStore.connect()`): it takes environment and Secret mounts. */
export interface IStoreClient extends IWorkload {
  /** Adds an environment variable to the main container. */
  addEnv(name: string, value: EnvValue): void;
  /**
   * Mounts an existing Secret read-only into the main container; the same Secret at the same path
   * again does nothing. `{ createdOutside }` declares the Secret a prerequisite for the validator.
   */
  mountSecret(secretName: string, mountPath: string, options?: CreatedOutsideOptions): void;
}

/** A stateless app with a Service: what routes, monitors and stores take. */
export interface IWebApp extends IStoreClient {
  /** Service name (also the in-cluster DNS name). */
  readonly serviceName: string;
  /** Labels on the Service (for ServiceMonitor selectors; a copy). */
  readonly serviceLabels: Record<string, string>;
  /** All ports; the first one is the main port. */
  readonly ports: readonly WorkloadPort[];
  /** The main port. */
  readonly mainPort: WorkloadPort;
  /** Replicas when no autoscaler, else the autoscaler's minimum. */
  readonly minReplicas: number;
  /** Replicas when no autoscaler, else the autoscaler's maximum. */
  readonly maxReplicas: number;
  /** Name of the HorizontalPodAutoscaler, if any. */
  readonly autoscalerName?: string;
  /** Looks a port up by name; throws a PaasValidationError naming the valid ones. */
  port(name: string): WorkloadPort;
  /** Adds an environment variable to the main container. */
  addEnv(name: string, value: EnvValue): void;
  /** Mounts a claim into the main container. */
  mountClaim(claim: IVolumeClaim, mountPath: string, options?: MountOptions): void;
  /**
   * Mounts an existing Secret read-only into the main container, one file per key (mode 0440,
   * group-readable by the pod's fsGroup). Mounting the same Secret at the same path again does nothing.
   */
  mountSecret(secretName: string, mountPath: string): void;
}
