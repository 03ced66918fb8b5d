import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { MAX_CONCURRENT_RUNS } from '../checks/footprint';
import { ProblemCollector } from '../core/errors';
import { cronScheduleProblems, cronShortestIntervalSeconds } from '../core/cron';
import { timeZoneProblem } from '../core/time-zones';
import { addWarning } from '../core/warnings';
import type { IMonitorableWorkload } from '../observability/monitorable';
import { checkPropsShape, scheduledJobPropsShape } from './batch-job-shape';
import { resolveJobSpec } from './job-spec';
import { PodTemplate } from './pod-template';
import { PodWorkload } from './pod-workload';
import { ConcurrencyPolicy, ScheduledJobProps } from './scheduled-job-props';
import { IStoreClient } from './types';

/**
 * CronJob names are limited to 52 characters: the controller names each Job `<name>-<minutes
 * since epoch>` (11 more), and Job names become label values (63 at most).
 */
export const MAX_CRONJOB_NAME = 52;

/** Annotation with the `maxConcurrentRuns` bound the quota fit reads for `concurrencyPolicy: Allow`. */
export const MAX_CONCURRENT_RUNS_ANNOTATION = MAX_CONCURRENT_RUNS;

/** What the CronJob controller does with a run that is due while the previous one still runs. */
const OVERLAP: Record<ConcurrencyPolicy, string> = {
  Forbid: 'skips that run',
  Replace: 'stops the late run',
  Allow: 'runs both at once',
};

/**
 * A task on a schedule as a batch/v1 CronJob. Defaults: `concurrencyPolicy: Forbid` (a slow run
 * must not pile up), `startingDeadlineSeconds: 60` (a run that could not start in time is
 * skipped, not started late), 3 successful and 3 failed Jobs kept, and everything BatchJob does
 * for the job template (restricted, resources, backoffLimit 3, TTL 24 h, own NetworkPolicy).
 */
export class ScheduledJob extends PodWorkload implements IStoreClient, IMonitorableWorkload {
  public readonly kind = 'CronJob' as const;
  public readonly schedule: string;
  public readonly concurrencyPolicy: ConcurrencyPolicy;
  /** Pods of one run at once at most (parallelism, capped by completions). */
  public readonly podsPerRun: number;
  public readonly kubernetesVersion: string;
  /** IANA time zone of the schedule, if given (MonitoringStack.alertOn() reads it with the schedule). */
  public readonly timeZone?: string;
  /** Seconds each finished Job is kept (MonitoringStack.alertOn() checks its "Job failed" alert fits in it). */
  public readonly ttlSecondsAfterFinished: number;
  /** The CronJob object (escape hatch). */
  public readonly cronJob: ApiObject;
  public readonly networkPolicy?: ApiObject;
  protected readonly pod: PodTemplate;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    const path = ProblemCollector.pathOf(this);
    const problems = new ProblemCollector(path);
    // Plain JavaScript reaches here with anything: every type problem at once, before building.
    checkPropsShape(this, props, scheduledJobPropsShape);
    this.pod = new PodTemplate(this, props, { problems, defaultComponent: 'job', maxNameLength: MAX_CRONJOB_NAME });
    const job = resolveJobSpec(this, problems, props, this.pod.name);
    for (const message of cronScheduleProblems(props.schedule)) problems.add('schedule', props.schedule, message);
    if (props.timeZone !== undefined) {
      const why = timeZoneProblem(props.timeZone);
      if (why) problems.add('timeZone', props.timeZone, why);
    }
    const policy = props.concurrencyPolicy ?? 'Forbid';
    if (!['Forbid', 'Replace', 'Allow'].includes(policy)) problems.add('concurrencyPolicy', policy, 'must be "Forbid", "Replace" or "Allow"');
    const int = (field: keyof ScheduledJobProps, value: unknown, min: number, why = ''): number | undefined => {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
        problems.add(field, value, `must be an integer >= ${min}${why}`);
        return undefined;
      }
      return value;
    };
    const deadline = int(
      'startingDeadlineSeconds',
      props.startingDeadlineSeconds ?? 60,
      10,
      ': the CronJob controller checks schedules every 10 seconds, so a shorter deadline can skip runs that were on time',
    );
    const successful = int('successfulJobsHistoryLimit', props.successfulJobsHistoryLimit ?? 3, 0);
    const failed = int('failedJobsHistoryLimit', props.failedJobsHistoryLimit ?? 3, 0);
    if (props.suspend !== undefined && typeof props.suspend !== 'boolean') problems.add('suspend', props.suspend, 'must be true or false');
    let bound: number | undefined;
    if (props.maxConcurrentRuns !== undefined) {
      if (policy !== 'Allow') problems.add('maxConcurrentRuns', props.maxConcurrentRuns, `is only used with concurrencyPolicy "Allow" (this is "${policy}")`);
      else bound = int('maxConcurrentRuns', props.maxConcurrentRuns, 1);
    }
    problems.throwIfAny();
    const shortest = cronShortestIntervalSeconds(props.schedule);
    if (deadline !== undefined && shortest !== undefined && deadline > shortest) {
      addWarning(
        this,
        `startingDeadlineSeconds ${deadline} is longer than the shortest interval between runs of "${props.schedule}" (${shortest} s): ` +
          `a run started late may still be running when the next is due (concurrencyPolicy "${policy}" then ${OVERLAP[policy]}); give at most ${shortest}`,
      );
    }
    if (shortest !== undefined) {
      // The TTL controller deletes a finished Job after ttlSecondsAfterFinished whatever the history limits say.
      const alive = Math.floor(job.ttlSecondsAfterFinished / shortest) + 1;
      for (const field of ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const) {
        const limit = props[field];
        if (limit === undefined || typeof limit !== 'number' || limit <= alive) continue;
        addWarning(
          this,
          `${field} ${limit} has no effect beyond ${alive}: finished Jobs are deleted ${job.ttlSecondsAfterFinished} s after they finish (ttlSecondsAfterFinished) ` +
            `and runs of "${props.schedule}" are at least ${shortest} s apart, so at most ${alive} finished Job${alive === 1 ? ' exists' : 's exist'} at once; ` +
            `raise ttlSecondsAfterFinished to ${(limit - 1) * shortest} or more, or lower the limit`,
        );
      }
    }
    this.schedule = props.schedule;
    this.concurrencyPolicy = policy;
    this.podsPerRun = job.parallelism;
    this.kubernetesVersion = job.kubernetesVersion;
    this.timeZone = props.timeZone;
    this.ttlSecondsAfterFinished = job.ttlSecondsAfterFinished;
    this.cronJob = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: this.pod.objectMetadata(bound !== undefined ? { [MAX_CONCURRENT_RUNS_ANNOTATION]: String(bound) } : {}),
      spec: Lazy.any({
        produce: () => ({
          schedule: props.schedule,
          ...(props.timeZone !== undefined ? { timeZone: props.timeZone } : {}),
          concurrencyPolicy: policy,
          startingDeadlineSeconds: deadline,
          successfulJobsHistoryLimit: successful,
          failedJobsHistoryLimit: failed,
          suspend: props.suspend ?? false,
          jobTemplate: {
            metadata: { labels: this.pod.labels },
            spec: { ...job.spec, template: this.pod.render({ pod: { restartPolicy: job.restartPolicy } }) },
          },
        }),
      }),
    });
    this.pod.bindController(this.cronJob);
    this.networkPolicy = this.pod.createNetworkPolicy();
    this.pod.register('CronJob');
  }

  /**
   * Pods of two runs may overlap (`Replace` briefly, `Allow` freely) or one run may have several
   * pods: then a claim that is not ReadWriteMany must be read-only.
   */
  protected claimPodsAtOnce(): number {
    return this.podsPerRun * (this.concurrencyPolicy === 'Forbid' ? 1 : 2);
  }
}
