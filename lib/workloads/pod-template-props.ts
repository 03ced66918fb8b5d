/** The props every workload built on PodTemplate takes (BatchJob, ScheduledJob, NodeAgent). */
import { ResourcesProps } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { NetworkPeer, NetworkPort } from '../networking/network-peer';
import { EnvValue } from './env';
import { ConfigFilesProps, EnvFrom } from './web-app-props';

/** Peers let in to some of the pod's ports. */
export interface PodIngressRule {
  /** Who may connect. */
  readonly from: NetworkPeer;
  /** Ports (numbers or container port names). @default - all ports */
  readonly ports?: NetworkPort[];
}

/** Peers the pods may reach. */
export interface PodEgressRule {
  /** Where to. */
  readonly to: NetworkPeer;
  /** Ports on the other side. @default - all ports */
  readonly ports?: NetworkPort[];
}

/** The workload's own NetworkPolicy. */
export interface PodNetworkProps {
  /** Emit the workload's NetworkPolicy. @default true */
  readonly enabled?: boolean;
  /** Ingress allowed on top of the workload's own pods. A batch or agent pod usually serves nobody. @default [] (own pods only) */
  readonly allowFrom?: PodIngressRule[];
  /** Egress allowed on top of DNS (also `allowEgress()`; stores open theirs with `connect()`). @default [] */
  readonly allowEgress?: PodEgressRule[];
  /** Allow all egress. @default false */
  readonly allowAllEgress?: boolean;
}

/** What every pod-running workload built on PodTemplate takes. */
export interface PodWorkloadProps {
  /** Image with a tag or digest (`:latest` and untagged are rejected). */
  readonly image: string;
  /** Object name. @default - the construct id, lower-cased */
  readonly name?: string;
  /** `app.kubernetes.io/name`. @default - the object name */
  readonly appName?: string;
  /** `app.kubernetes.io/component`. @default - the construct's ('job', 'agent') */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - not set */
  readonly partOf?: string;
  /** Entrypoint override. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Environment variables. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** Whole ConfigMaps / Secrets as environment. @default [] */
  readonly envFrom?: EnvFrom[];
  /** Config files created as ConfigMaps `<name>-<id>` and mounted read-only. @default [] */
  readonly configFiles?: ConfigFilesProps[];
  /** Container resources; requests and limits are always set. @default - see WorkloadDefaults */
  readonly resources?: ResourcesProps;
  /** @default WorkloadSecurity.restricted() */
  readonly security?: WorkloadSecurity;
  /** Writable emptyDir paths for a read-only root filesystem. @default ['/tmp'] */
  readonly writablePaths?: string[];
  /** Secrets to pull the image with. @default [] */
  readonly imagePullSecrets?: string[];
  /** @default 'Always' (a moved tag is noticed; with a digest it costs one registry round trip) */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /** ServiceAccount the pods run as (its token is never mounted). @default - the namespace's default */
  readonly serviceAccountName?: string;
  /** @default - see PodNetworkProps */
  readonly network?: PodNetworkProps;
}

/** A container port of a PodTemplate's container. */
export interface PodPort {
  readonly name: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Host port (NodeAgent only, behind its opt-out). @default - none */
  readonly hostPort?: number;
}
