import { Duration } from 'cdk8s';
import { cronLongestIntervalSeconds } from '../core/cron';
import { ProblemCollector } from '../core/errors';
import { claimNamePattern, cronJobJobPattern, isLabelName, Matcher, objectSelector, podMatchers, prometheusDuration, selector, WorkloadTarget } from './promql';

/** Alert severities, as the `severity` label Alertmanager routes on. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** One alerting rule of your own. */
export interface AlertRule {
  /** Alert name, e.g. `RandomIntegerHigh`: a letter, then letters, digits and '_'. */
  readonly alert: string;
  /** PromQL expression; the alert fires for every series it returns. */
  readonly expr: string;
  /**
   * How long `expr` must keep returning a series before the alert fires.
   * @default - fires at the first evaluation that returns a series
   */
  readonly for?: Duration;
  /** The `severity` label. @default 'warning' */
  readonly severity?: AlertSeverity;
  /** One-line `summary` annotation; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /** Longer `description` annotation. @default - none */
  readonly description?: string;
  /** Extra labels on the alert (not `severity`: use the field). @default - none */
  readonly labels?: Record<string, string>;
}

/** What `MonitoringStack.alertOn()` puts into a workload's PrometheusRule. */
export interface AlertOptions {
  /**
   * Add the default rules for the workload's kind: restarts, unavailable replicas, autoscaler at
   * its maximum (WebApp with an autoscaler), volume almost full (StatefulSet).
   * @default true
   */
  readonly defaultRules?: boolean;
  /** Container restarts within `restartWindow` that fire `WorkloadPodRestarting`. @default 3 */
  readonly restartThreshold?: number;
  /** Window for counting restarts. @default Duration.minutes(15) */
  readonly restartWindow?: Duration;
  /** How long replicas may stay unavailable before `WorkloadReplicasUnavailable` fires. @default Duration.minutes(10) */
  readonly unavailableFor?: Duration;
  /** How long the autoscaler may run at its maximum before `WorkloadAutoscalerAtMax` fires. @default Duration.minutes(15) */
  readonly autoscalerMaxFor?: Duration;
  /**
   * Used share of a StatefulSet's volume, in percent, that fires `WorkloadVolumeAlmostFull`.
   * On NFS-backed classes the kubelet reports the whole export, not the claim: see docs/monitoring.md.
   * @default 85
   */
  readonly volumeUsedPercent?: number;
  /** How long the volume may stay above `volumeUsedPercent` before the alert fires. @default Duration.minutes(10) */
  readonly volumeFullFor?: Duration;
  /**
   * CronJob: schedule periods (its longest interval between two runs) without a successful run
   * that fire `WorkloadCronJobNoRecentSuccess`.
   * @default 3
   */
  readonly missedRuns?: number;
  /** CronJob: how long it may stay suspended before `WorkloadCronJobSuspended` fires. @default Duration.hours(1) */
  readonly suspendedFor?: Duration;
  /** DaemonSet: how long pods may run on nodes they should not before `WorkloadDaemonSetMisscheduled` fires. @default Duration.minutes(15) */
  readonly misscheduledFor?: Duration;
  /**
   * Labels on every default rule, for Alertmanager to route the app's alerts to its owners
   * (e.g. `{ team: 'payments' }`); not `severity`.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /** Severity of the default rules. @default 'warning' */
  readonly severity?: AlertSeverity;
  /** Your own rules, after the defaults. @default [] */
  readonly rules?: AlertRule[];
}

/** A rendered rule, in the PrometheusRule `spec.groups[].rules[]` shape. */
export interface RenderedRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** The facts the default rules need about a workload. */
export type AlertTarget = WorkloadTarget;

/** Names of the default alerts, exported so tests and docs do not retype them. */
export const DEFAULT_ALERTS = {
  restarts: 'WorkloadPodRestarting',
  unavailable: 'WorkloadReplicasUnavailable',
  autoscalerAtMax: 'WorkloadAutoscalerAtMax',
  volumeAlmostFull: 'WorkloadVolumeAlmostFull',
  jobFailed: 'WorkloadJobFailed',
  cronJobNoRecentSuccess: 'WorkloadCronJobNoRecentSuccess',
  cronJobSuspended: 'WorkloadCronJobSuspended',
  daemonSetMisscheduled: 'WorkloadDaemonSetMisscheduled',
} as const;

/**
 * Shortest `ttlSecondsAfterFinished` alertOn() accepts for a Job: kube-state-metrics forgets a
 * deleted Job, so the Job must outlive a scrape (30 s), a rule evaluation (30 s) and Alertmanager's
 * group wait (30 s) with room to spare, and stay long enough for someone to read its logs.
 */
export const MIN_ALERTED_JOB_TTL_SECONDS = 600;

function checkSeverity(problems: ProblemCollector, field: string, value: AlertSeverity): void {
  if (!SEVERITIES.includes(value)) problems.add(field, value, `must be one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}`);
}

/**
 * Validates the options and renders the rules (defaults first, then the user's). All problems are
 * collected and thrown together.
 */
export function renderAlertRules(path: string, target: AlertTarget, options: AlertOptions): RenderedRule[] {
  const problems = new ProblemCollector(path);
  const capture = (field: string, d: Duration): string => problems.capture(() => prometheusDuration(path, field, d)) ?? '';
  const severity = options.severity ?? 'warning';
  checkSeverity(problems, 'severity', severity);
  const threshold = options.restartThreshold ?? 3;
  if (!Number.isInteger(threshold) || threshold < 1) problems.add('restartThreshold', threshold, 'must be a whole number of restarts, at least 1');
  const percent = options.volumeUsedPercent ?? 85;
  if (typeof percent !== 'number' || !(percent > 0 && percent < 100))
    problems.add('volumeUsedPercent', percent, 'must be a percentage between 0 and 100 (exclusive)');
  const window = capture('restartWindow', options.restartWindow ?? Duration.minutes(15));
  const unavailableFor = capture('unavailableFor', options.unavailableFor ?? Duration.minutes(10));
  const autoscalerMaxFor = capture('autoscalerMaxFor', options.autoscalerMaxFor ?? Duration.minutes(15));
  const volumeFullFor = capture('volumeFullFor', options.volumeFullFor ?? Duration.minutes(10));
  const suspendedFor = capture('suspendedFor', options.suspendedFor ?? Duration.hours(1));
  const misscheduledFor = capture('misscheduledFor', options.misscheduledFor ?? Duration.minutes(15));
  const missedRuns = options.missedRuns ?? 3;
  if (!Number.isInteger(missedRuns) || missedRuns < 1) problems.add('missedRuns', missedRuns, 'must be a whole number of schedule periods, at least 1');
  const ownerLabels: Record<string, string> = {};
  for (const key of Object.keys(options.labels ?? {}).sort()) {
    if (key === 'severity') problems.add('labels.severity', options.labels![key], 'is set by the severity option; remove it from labels');
    else if (!isLabelName(key)) problems.add('labels', key, "must be Prometheus label names: letters, digits and '_', not starting with a digit or '__'");
    else ownerLabels[key] = options.labels![key];
  }
  let noSuccessWindow = '';
  let noSuccessSeconds = 0;
  if (target.kind === 'CronJob' && (options.defaultRules ?? true)) {
    const longest = typeof target.schedule === 'string' ? cronLongestIntervalSeconds(target.schedule) : undefined;
    if (longest === undefined) {
      problems.add('workload.schedule', target.schedule, 'must be a valid schedule that runs: the CronJob rules count its periods (ScheduledJob exposes it)');
    } else {
      // A daylight-saving change can stretch one period by an hour on the CronJob's wall clock.
      const dst = target.timeZone !== undefined && !/^(Etc\/)?(UTC|UCT|GMT|Zulu|Universal|Greenwich)$/.test(target.timeZone) ? 3600 : 0;
      noSuccessSeconds = longest * missedRuns + dst;
      noSuccessWindow = capture('missedRuns', Duration.seconds(noSuccessSeconds));
    }
  }
  if (
    (target.kind === 'Job' || target.kind === 'CronJob') &&
    target.ttlSecondsAfterFinished !== undefined &&
    target.ttlSecondsAfterFinished < MIN_ALERTED_JOB_TTL_SECONDS
  ) {
    problems.add(
      'workload.ttlSecondsAfterFinished',
      target.ttlSecondsAfterFinished,
      `must be at least ${MIN_ALERTED_JOB_TTL_SECONDS} s for ${DEFAULT_ALERTS.jobFailed}: a failed Job deleted sooner may vanish before Prometheus and Alertmanager see it`,
    );
  }

  const rules: RenderedRule[] = [];
  if (options.defaultRules ?? true) {
    const resolved = {
      severity,
      threshold,
      percent,
      window,
      unavailableFor,
      autoscalerMaxFor,
      volumeFullFor,
      suspendedFor,
      misscheduledFor,
      noSuccessWindow,
      noSuccessSeconds,
      missedRuns,
    };
    rules.push(...defaultRules(target, resolved).map((r) => ({ ...r, labels: { ...ownerLabels, ...r.labels } })));
  }
  const names = new Set(rules.map((r) => r.alert));
  (options.rules ?? []).forEach((rule, i) => {
    const f = `rules[${i}]`;
    if (typeof rule.alert !== 'string' || !ALERT_NAME.test(rule.alert)) {
      problems.add(`${f}.alert`, rule.alert, "must be an alert name: a letter, then letters, digits and '_'");
    } else if (names.has(rule.alert)) {
      problems.add(`${f}.alert`, rule.alert, 'is already an alert of this workload; alert names must be unique per workload');
    }
    names.add(rule.alert);
    if (typeof rule.expr !== 'string' || rule.expr.trim() === '') problems.add(`${f}.expr`, rule.expr, 'must be a non-empty PromQL expression');
    if (typeof rule.summary !== 'string' || rule.summary.trim() === '') problems.add(`${f}.summary`, rule.summary, 'must be a non-empty one-line summary');
    const ruleSeverity = rule.severity ?? 'warning';
    checkSeverity(problems, `${f}.severity`, ruleSeverity);
    const labels: Record<string, string> = {};
    for (const key of Object.keys(rule.labels ?? {}).sort()) {
      if (key === 'severity') problems.add(`${f}.labels.severity`, rule.labels![key], 'is set by the severity field; remove it from labels');
      else if (!isLabelName(key))
        problems.add(`${f}.labels`, key, "must be Prometheus label names: letters, digits and '_', not starting with a digit or '__'");
      else labels[key] = rule.labels![key];
    }
    labels.severity = ruleSeverity;
    const annotations: Record<string, string> = { summary: rule.summary };
    if (rule.description !== undefined) annotations.description = rule.description;
    rules.push({
      alert: rule.alert,
      expr: rule.expr,
      for: rule.for !== undefined ? capture(`${f}.for`, rule.for) : undefined,
      labels,
      annotations,
    });
  });
  if (rules.length === 0) problems.add('rules', options.rules ?? [], 'must not be empty when defaultRules is false: give at least one rule');
  problems.throwIfAny();
  return rules;
}

interface Resolved {
  readonly severity: AlertSeverity;
  readonly threshold: number;
  readonly percent: number;
  readonly window: string;
  readonly unavailableFor: string;
  readonly autoscalerMaxFor: string;
  readonly volumeFullFor: string;
  readonly suspendedFor: string;
  readonly misscheduledFor: string;
  /** CronJob: `missedRuns` longest periods, in Prometheus syntax and in seconds (compared with `time()`). */
  readonly noSuccessWindow: string;
  readonly noSuccessSeconds: number;
  readonly missedRuns: number;
}

/** Expressions on kube-state-metrics and kubelet metrics, which kube-prometheus-stack scrapes. */
function defaultRules(t: AlertTarget, r: Resolved): RenderedRule[] {
  const ns = t.namespace;
  const id = `${t.kind} ${ns}/${t.name}`;
  const labels = { severity: r.severity };
  const pods = selector(podMatchers(t));
  const rules: RenderedRule[] = [
    {
      alert: DEFAULT_ALERTS.restarts,
      expr: `increase(kube_pod_container_status_restarts_total${pods}[${r.window}]) >= ${r.threshold}`,
      labels,
      annotations: {
        summary: `Container {{ $labels.container }} of pod {{ $labels.pod }} (${id}) restarted {{ $value | humanize }} times in ${r.window}.`,
      },
    },
  ];
  if (t.kind === 'Job' || t.kind === 'CronJob' || t.kind === 'DaemonSet') {
    rules.push(...batchAndNodeRules(t, r, id));
  } else if (t.kind === 'Deployment') {
    const deployment = objectSelector(ns, 'deployment', t.name);
    rules.push({
      alert: DEFAULT_ALERTS.unavailable,
      expr: `kube_deployment_status_replicas_unavailable${deployment} > 0`,
      for: r.unavailableFor,
      labels,
      annotations: { summary: `${id} has {{ $value }} unavailable replicas for ${r.unavailableFor}.` },
    });
  } else {
    const sts = objectSelector(ns, 'statefulset', t.name);
    rules.push({
      alert: DEFAULT_ALERTS.unavailable,
      expr: `kube_statefulset_replicas${sts} - kube_statefulset_status_replicas_ready${sts} > 0`,
      for: r.unavailableFor,
      labels,
      annotations: { summary: `${id} has {{ $value }} replicas not ready for ${r.unavailableFor}.` },
    });
  }
  if (t.autoscalerName) {
    const hpa = objectSelector(ns, 'horizontalpodautoscaler', t.autoscalerName);
    rules.push({
      alert: DEFAULT_ALERTS.autoscalerAtMax,
      // an autoscaler whose minimum equals its maximum is always "at max": not worth an alert
      expr:
        `kube_horizontalpodautoscaler_status_current_replicas${hpa} >= kube_horizontalpodautoscaler_spec_max_replicas${hpa}` +
        ` and kube_horizontalpodautoscaler_spec_min_replicas${hpa} < kube_horizontalpodautoscaler_spec_max_replicas${hpa}`,
      for: r.autoscalerMaxFor,
      labels,
      annotations: {
        summary: `HorizontalPodAutoscaler ${ns}/${t.autoscalerName} of ${id} has run at its maximum replicas for ${r.autoscalerMaxFor}: raise the maximum or the resources.`,
      },
    });
  }
  if (t.kind === 'StatefulSet') {
    const claims = selector([
      ['namespace', '=', ns],
      ['persistentvolumeclaim', '=~', claimNamePattern(t.name)],
    ]);
    const free = 100 - r.percent;
    rules.push({
      alert: DEFAULT_ALERTS.volumeAlmostFull,
      expr: `kubelet_volume_stats_available_bytes${claims} / kubelet_volume_stats_capacity_bytes${claims} * 100 < ${free}`,
      for: r.volumeFullFor,
      labels,
      annotations: {
        summary: `Volume {{ $labels.persistentvolumeclaim }} of ${id} is more than ${r.percent}% full.`,
        description: 'On NFS-backed storage classes the kubelet reports the free space of the whole export, shared by every claim on it, not of this claim.',
      },
    });
  }
  return rules;
}

/**
 * Jobs, CronJobs and DaemonSets, on kube-state-metrics. kube-prometheus-stack's own rules
 * (KubeJobFailed, KubeDaemonSetNotScheduled, KubeDaemonSetMisScheduled, ...) cover every object of
 * the cluster with the platform's labels; these are scoped to one app, carry its labels and
 * severity, and add what the stack has no rule for: a CronJob that stopped succeeding.
 */
function batchAndNodeRules(t: AlertTarget, r: Resolved, id: string): RenderedRule[] {
  const ns = t.namespace;
  const labels = { severity: r.severity };
  if (t.kind === 'DaemonSet') {
    const ds = objectSelector(ns, 'daemonset', t.name);
    return [
      {
        alert: DEFAULT_ALERTS.unavailable,
        // Counts pods that cannot be scheduled as well as those not ready.
        expr: `kube_daemonset_status_number_unavailable${ds} > 0`,
        for: r.unavailableFor,
        labels,
        annotations: { summary: `${id} has {{ $value }} nodes without an available pod for ${r.unavailableFor}.` },
      },
      {
        alert: DEFAULT_ALERTS.daemonSetMisscheduled,
        expr: `kube_daemonset_status_number_misscheduled${ds} > 0`,
        for: r.misscheduledFor,
        labels,
        annotations: {
          summary: `${id} runs {{ $value }} pods on nodes it should not (node labels or taints changed) for ${r.misscheduledFor}.`,
        },
      },
    ];
  }
  // A Job failed (its Failed condition), not merely a failed pod it retried: kube_job_status_failed
  // counts pods and is non-zero while a Job is still within its backoffLimit.
  const job: Matcher = t.kind === 'Job' ? ['job_name', '=', t.name] : ['job_name', '=~', cronJobJobPattern(t.name)];
  const failed: RenderedRule = {
    alert: DEFAULT_ALERTS.jobFailed,
    expr: `kube_job_failed${selector([['namespace', '=', ns], job, ['condition', '=', 'true']])} > 0`,
    labels,
    annotations: {
      summary: `Job {{ $labels.job_name }} of ${id} failed.`,
      description: 'It stays firing until the Job is deleted (ttlSecondsAfterFinished): read its pod logs before then.',
    },
  };
  if (t.kind === 'Job') return [failed];
  const cj = objectSelector(ns, 'cronjob', t.name);
  return [
    failed,
    {
      alert: DEFAULT_ALERTS.cronJobNoRecentSuccess,
      // Never succeeded: counted from the CronJob's creation. A suspended CronJob has its own rule.
      expr: `(time() - (kube_cronjob_status_last_successful_time${cj} or kube_cronjob_created${cj}) > ${r.noSuccessSeconds}) unless on (namespace, cronjob) (kube_cronjob_spec_suspend${cj} > 0)`,
      labels,
      annotations: {
        summary: `${id} has not completed a run successfully for ${r.noSuccessWindow} (${r.missedRuns} of its longest schedule periods).`,
      },
    },
    {
      alert: DEFAULT_ALERTS.cronJobSuspended,
      expr: `kube_cronjob_spec_suspend${cj} > 0`,
      for: r.suspendedFor,
      labels,
      annotations: { summary: `${id} has been suspended for ${r.suspendedFor}: no runs are scheduled.` },
    },
  ];
}
