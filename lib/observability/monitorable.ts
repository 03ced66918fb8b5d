import { IConstruct } from 'constructs';
import { IWorkload } from '../workloads/types';

/**
 * What `MonitoringStack.alertOn()` and `dashboard()` need of a workload: every IWorkload has it
 * (WebApp, StatefulStore, NodeAgent, BatchJob, ScheduledJob), and a construct of your own can
 * implement it. The optional fields refine the rules of one kind.
 */
export interface IMonitorableWorkload extends IConstruct {
  /** Kind of the controller object: which kube-state-metrics series and rules apply. */
  readonly kind: IWorkload['kind'];
  /** Object name of the controller. */
  readonly name: string;
  /** Namespace; alerts and dashboards need one. @default - none: alertOn() and dashboard() then fail naming the chart */
  readonly namespace?: string;
  /** Labels that select the workload's pods; the rule and dashboard objects carry them (a copy). */
  readonly selectorLabels: Record<string, string>;
  /**
   * CronJob: the schedule; the "no successful run" window is a number of its longest periods.
   * @default - none: required for a CronJob's default rules, unused for other kinds
   */
  readonly schedule?: string;
  /** CronJob: its `timeZone`. @default - the controller's (UTC on kubeadm clusters) */
  readonly timeZone?: string;
  /**
   * Job, CronJob: `ttlSecondsAfterFinished` of the Jobs, when known. A failed Job deleted before
   * Prometheus sees it never alerts, so alertOn() refuses a TTL shorter than the alert needs.
   * @default - not checked
   */
  readonly ttlSecondsAfterFinished?: number;
}
