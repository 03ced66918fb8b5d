import { JobSpecProps } from './job-spec';
import { PodWorkloadProps } from './pod-template';

/** What a run does when the previous one is still running. */
export type ConcurrencyPolicy = 'Forbid' | 'Replace' | 'Allow';

/**
 * A task on a schedule (batch/v1 CronJob): the pod props every workload takes, every Job field
 * for its job template, and the CronJob's own.
 */
export interface ScheduledJobProps extends PodWorkloadProps, JobSpecProps {
  /**
   * Five-field cron schedule (minute hour day-of-month month day-of-week) or a descriptor
   * (`@hourly`, `@daily`, `@every 90m`…), as the API server parses it (robfig/cron v3).
   * A `TZ=` prefix is refused: use `timeZone`.
   */
  readonly schedule: string;
  /** IANA time zone the schedule is read in (e.g. "Europe/Berlin"). @default - the kube-controller-manager's zone (usually UTC) */
  readonly timeZone?: string;
  /** `Forbid` skips a run while the previous one runs; `Replace` stops it; `Allow` runs both. @default 'Forbid' */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * With `Allow`: the most runs you expect at once, for the quota fit (written as the
   * `paas.cdk8s.io/max-concurrent-runs` annotation). Without it, `Allow` in a tenant with a pod quota is a synth error.
   * @default - unbounded
   */
  readonly maxConcurrentRuns?: number;
  /**
   * Seconds after its scheduled time a run may still start; a later one is skipped, not started
   * late. At least 10: the controller checks every 10 seconds.
   * @default 60
   */
  readonly startingDeadlineSeconds?: number;
  /** Successful Jobs kept (they count against `count/jobs.batch`). @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept, with their pods' logs. @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Create the CronJob without running it. @default false */
  readonly suspend?: boolean;
}
