import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { MAX_LABEL_NAME } from '../core/names';
import type { IMonitorableWorkload } from '../observability/monitorable';
import { BatchJobProps } from './batch-job-props';
import { batchJobPropsShape, checkPropsShape } from './batch-job-shape';
import { resolveJobSpec } from './job-spec';
import { PodTemplate } from './pod-template';
import { PodWorkload } from './pod-workload';
import { IStoreClient } from './types';

/**
 * A run-to-completion task as a batch/v1 Job: restricted security, resources set, a small retry
 * budget (`backoffLimit` 3), finished Jobs deleted after 24 hours, its own NetworkPolicy (no
 * ingress, DNS egress; stores open theirs with `connect()`), and checks for what the API server
 * refuses or drops at the cluster's Kubernetes version.
 *
 * A Job's pod template is immutable: applying a changed BatchJob over an existing Job fails
 * ("field is immutable"). Delete the finished Job first, or let its TTL do it.
 */
export class BatchJob extends PodWorkload implements IStoreClient, IMonitorableWorkload {
  public readonly kind = 'Job' as const;
  /** Pods that run at once at most (parallelism, capped by completions). */
  public readonly maxPods: number;
  /** Kubernetes version the fields were checked against. */
  public readonly kubernetesVersion: string;
  /** Seconds a finished Job is kept (MonitoringStack.alertOn() checks its "Job failed" alert fits in it). */
  public readonly ttlSecondsAfterFinished: number;
  /** The Job object (escape hatch). */
  public readonly job: ApiObject;
  /** The Job's own NetworkPolicy, unless `network.enabled` is false. */
  public readonly networkPolicy?: ApiObject;
  protected readonly pod: PodTemplate;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    // Plain JavaScript reaches here with anything: every type problem at once, before building.
    checkPropsShape(this, props, batchJobPropsShape);
    const problems = new ProblemCollector(ProblemCollector.pathOf(this));
    this.pod = new PodTemplate(this, props, { problems, defaultComponent: 'job', maxNameLength: MAX_LABEL_NAME });
    const job = resolveJobSpec(this, problems, props, this.pod.name);
    problems.throwIfAny();
    this.maxPods = job.parallelism;
    this.kubernetesVersion = job.kubernetesVersion;
    this.ttlSecondsAfterFinished = job.ttlSecondsAfterFinished;
    this.job = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: this.pod.objectMetadata(),
      spec: Lazy.any({ produce: () => ({ ...job.spec, template: this.pod.render({ pod: { restartPolicy: job.restartPolicy } }) }) }),
    });
    this.pod.bindController(this.job);
    this.networkPolicy = this.pod.createNetworkPolicy();
    this.pod.register('Job');
  }

  /** Pods run at once: with parallelism > 1 a claim that is not ReadWriteMany must be read-only. */
  protected claimPodsAtOnce(): number {
    return this.maxPods;
  }
}
