import { Construct } from 'constructs';
import { CreatedOutsideOptions } from '../core/created-outside';
import { WorkloadSecurity } from '../core/security';
import { NetworkPeer, NetworkPort } from '../networking/network-peer';
import { EnvValue } from './env';
import { PodTemplate } from './pod-template';
import { IVolumeClaim, MountOptions } from './types';

/**
 * What BatchJob, ScheduledJob and NodeAgent hand to their PodTemplate unchanged: labels, env,
 * Secret and claim mounts, egress. Only how many pods may mount a claim at once differs per kind.
 */
export abstract class PodWorkload extends Construct {
  protected abstract readonly pod: PodTemplate;

  /** Object name of the controller (and of its NetworkPolicy). */
  public get name(): string {
    return this.pod.name;
  }

  /** Namespace of the chart the workload is in, if it has one. */
  public get namespace(): string | undefined {
    return this.pod.namespace;
  }

  /** The security profile the pods run with (restricted unless opted out). */
  public get security(): WorkloadSecurity {
    return this.pod.security;
  }

  /** Labels on the controller object and its pods (a copy). */
  public get labels(): Record<string, string> {
    return this.pod.labels;
  }

  /** Labels that select the workload's pods (a copy); Job controllers add their own on top. */
  public get selectorLabels(): Record<string, string> {
    return this.pod.selectorLabels;
  }

  /** Adds an environment variable to the main container; each name once. */
  public addEnv(name: string, value: EnvValue): void {
    this.pod.addEnv(name, value);
  }

  /**
   * Mounts an existing Secret read-only, one file per key (0440). `{ createdOutside: 'who creates
   * it' }` declares the Secret a prerequisite for the validator (`paas.cdk8s.io/created-outside`).
   */
  public mountSecret(secretName: string, mountPath: string, options?: CreatedOutsideOptions): void {
    this.pod.mountSecret(secretName, mountPath, options);
  }

  /**
   * Mounts a claim. When more than one pod may run at once (see `claimPodsAtOnce`), pods may land
   * on different nodes, so a claim that is not ReadWriteMany must be mounted read-only.
   */
  public mountClaim(claim: IVolumeClaim, mountPath: string, options: MountOptions = {}): void {
    this.pod.mountClaim(claim, mountPath, options, this.claimPodsAtOnce());
  }

  /** Lets the pods out to `to` on `ports` (added to the workload's own NetworkPolicy). */
  public allowEgress(to: NetworkPeer, ports?: NetworkPort[]): void {
    this.pod.allowEgress(to, ports);
  }

  /** Pods that may mount one claim at the same time. */
  protected abstract claimPodsAtOnce(): number;
}
