import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { IMonitorableWorkload } from '../../lib/observability/monitorable';
import { MIN_ALERTED_JOB_TTL_SECONDS } from '../../lib/observability/alert-rules';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { podNamePattern } from '../../lib/observability/promql';
import { BatchJob } from '../../lib/workloads/batch-job';
import { ScheduledJob } from '../../lib/workloads/scheduled-job';
import { expectValidManifests, synthObjects } from '../support';
import { alerted, tenantChart } from './fixtures';

/** PromQL regex matchers are fully anchored. */
const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);
const CJ = '{namespace="shop", cronjob="report"}';
const RUNS = 'namespace="shop", job_name=~"report-[0-9]+"';

/** The least a workload of your own implements to be alerted on (here: a CronJob without a schedule, which ScheduledJob cannot be). */
class FakeCronJob extends Construct implements IMonitorableWorkload {
  public readonly kind = 'CronJob' as const;
  public readonly namespace = 'shop';
  public readonly selectorLabels = { 'app.kubernetes.io/name': 'report' };
  constructor(
    scope: Construct,
    public readonly name: string,
    public readonly schedule?: string,
  ) {
    super(scope, name);
  }
}

describe('alertOn(BatchJob)', () => {
  const { workload: job, objects, rules, dashboard } = alerted((c) => new BatchJob(c, 'migrate', { image: 'harbor.test/shop/migrate:1.4.0' }));

  test('restarts and Job failed: its Failed condition, not a retried pod', () => {
    expect(rules.map((r: any) => r.alert)).toEqual(['WorkloadPodRestarting', 'WorkloadJobFailed']);
    expect(rules[1]).toEqual({
      alert: 'WorkloadJobFailed',
      expr: 'kube_job_failed{namespace="shop", job_name="migrate", condition="true"} > 0',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Job {{ $labels.job_name }} of Job shop/migrate failed.',
        description: 'It stays firing until the Job is deleted (ttlSecondsAfterFinished): read its pod logs before then.',
      },
    });
  });

  test('pod names of a Job, Indexed or not', () => {
    expect(matches(podNamePattern(job), 'migrate-x7k2p')).toBe(true);
    expect(matches(podNamePattern(job), 'migrate-3-x7k2p')).toBe(true);
    expect(matches(podNamePattern(job), 'migrate-other-x7k2p')).toBe(false);
  });

  test('dashboard: active, succeeded and failed pods', () => {
    const panel = dashboard.panels.find((p: any) => p.title === 'Job pods');
    expect(panel.targets.map((t: any) => t.expr)).toEqual([
      'sum(kube_job_status_active{namespace="shop", job_name="migrate"})',
      'sum(kube_job_status_succeeded{namespace="shop", job_name="migrate"})',
      'sum(kube_job_status_failed{namespace="shop", job_name="migrate"})',
    ]);
  });

  test('passes strict schema and Polaris', () => expectValidManifests(objects));
});

describe('alertOn(ScheduledJob)', () => {
  const {
    workload: report,
    objects,
    rules,
    dashboard,
  } = alerted((c) => new ScheduledJob(c, 'report', { image: 'harbor.test/shop/report:2.0.1', schedule: '0 6 * * mon-fri' }));

  test('restarts, a run failed, no successful run for three periods, suspended', () => {
    expect(rules.map((r: any) => r.alert)).toEqual([
      'WorkloadPodRestarting',
      'WorkloadJobFailed',
      'WorkloadCronJobNoRecentSuccess',
      'WorkloadCronJobSuspended',
    ]);
    expect(rules[1].expr).toBe(`kube_job_failed{${RUNS}, condition="true"} > 0`);
    // Weekdays at 06:00: the longest period is Friday to Monday, 72 h; three of them are 216 h.
    expect(rules[2]).toEqual({
      alert: 'WorkloadCronJobNoRecentSuccess',
      expr: `(time() - (kube_cronjob_status_last_successful_time${CJ} or kube_cronjob_created${CJ}) > 777600) unless on (namespace, cronjob) (kube_cronjob_spec_suspend${CJ} > 0)`,
      labels: { severity: 'warning' },
      annotations: { summary: 'CronJob shop/report has not completed a run successfully for 216h (3 of its longest schedule periods).' },
    });
    expect(rules[3]).toEqual({
      alert: 'WorkloadCronJobSuspended',
      expr: `kube_cronjob_spec_suspend${CJ} > 0`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: { summary: 'CronJob shop/report has been suspended for 1h: no runs are scheduled.' },
    });
  });

  test('pod names of the Jobs a CronJob creates', () => {
    expect(matches(podNamePattern(report), 'report-29113920-x7k2p')).toBe(true);
    expect(matches(podNamePattern(report), 'report-x7k2p')).toBe(false);
    expect(matches(podNamePattern(report), 'report-other-29113920-x7k2p')).toBe(false);
  });

  test('dashboard: Job pods of its runs and the time since the last success', () => {
    const panels = dashboard.panels;
    expect(panels.find((p: any) => p.title === 'Job pods').targets[0].expr).toBe(`sum(kube_job_status_active{${RUNS}})`);
    expect(panels.find((p: any) => p.title === 'Since the last successful run').targets.map((t: any) => t.expr)).toEqual([
      `time() - kube_cronjob_status_last_successful_time${CJ}`,
      `time() - kube_cronjob_status_last_schedule_time${CJ}`,
    ]);
  });

  test('passes strict schema and Polaris', () => expectValidManifests(objects));
});

describe('alertOn options and checks for Jobs and CronJobs', () => {
  const rulesFor = (workload: (c: Construct) => IMonitorableWorkload, options: Parameters<MonitoringStack['alertOn']>[1] = {}) =>
    alerted(workload, options, false).rules;

  const image = 'harbor.test/shop/report:2.0.1';

  test('missedRuns, suspendedFor and owner labels', () => {
    const rules = rulesFor((c) => new ScheduledJob(c, 'report', { image, schedule: '*/15 * * * *' }), {
      missedRuns: 4,
      suspendedFor: Duration.hours(6),
      labels: { team: 'finance' },
    });
    expect(rules[2].expr).toContain('> 3600)');
    expect(rules[2].annotations.summary).toBe('CronJob shop/report has not completed a run successfully for 1h (4 of its longest schedule periods).');
    expect(rules[3].for).toBe('6h');
    expect(rules.every((r: any) => r.labels.team === 'finance')).toBe(true);
  });

  test('a time zone outside UTC adds the hour a daylight-saving change can add to one period', () => {
    const berlin = rulesFor((c) => {
      const job = new ScheduledJob(c, 'report', { image, schedule: '@daily', timeZone: 'Europe/Berlin' });
      expect([job.kind, job.schedule, job.timeZone, job.ttlSecondsAfterFinished]).toEqual(['CronJob', '@daily', 'Europe/Berlin', 86400]);
      return job;
    });
    expect(berlin[2].expr).toContain(`> ${3 * 86400 + 3600})`);
    expect(berlin[2].annotations.summary).toContain('for 73h ');
    const utc = rulesFor((c) => new ScheduledJob(c, 'report', { image, schedule: '@daily', timeZone: 'Etc/UTC' }));
    expect(utc[2].expr).toContain(`> ${3 * 86400})`);
    const none = rulesFor((c) => new ScheduledJob(c, 'report', { image, schedule: '@daily' }));
    expect(none[2].expr).toContain(`> ${3 * 86400})`);
  });

  test('fails if a CronJob has no schedule that runs, or missedRuns is not a whole number', () => {
    expect(() => rulesFor((c) => new FakeCronJob(c, 'report'))).toThrow(
      'tenant/monitoring: workload.schedule undefined is invalid: must be a valid schedule that runs: the CronJob rules count its periods (ScheduledJob exposes it)',
    );
    expect(() => rulesFor((c) => new FakeCronJob(c, 'report', '0 0 30 2 *'))).toThrow(
      'tenant/monitoring: workload.schedule "0 0 30 2 *" is invalid: must be a valid schedule that runs: the CronJob rules count its periods (ScheduledJob exposes it)',
    );
    expect(() => rulesFor((c) => new FakeCronJob(c, 'report', '@daily'), { missedRuns: 0 })).toThrow(
      'tenant/monitoring: missedRuns 0 is invalid: must be a whole number of schedule periods, at least 1',
    );
    // Without default rules nothing counts periods.
    expect(() =>
      rulesFor((c) => new FakeCronJob(c, 'report'), { defaultRules: false, rules: [{ alert: 'Mine', expr: 'up == 0', summary: 'down' }] }),
    ).not.toThrow();
  });

  test(`fails if the Jobs are deleted sooner than the Job-failed alert needs (${MIN_ALERTED_JOB_TTL_SECONDS} s)`, () => {
    const tooShort = (ttl: number) =>
      'tenant/monitoring: workload.ttlSecondsAfterFinished ' +
      `${ttl} is invalid: must be at least 600 s for WorkloadJobFailed: a failed Job deleted sooner may vanish before Prometheus and Alertmanager see it`;
    expect(() => rulesFor((c) => new ScheduledJob(c, 'report', { image, schedule: '@daily', ttlSecondsAfterFinished: 60 }))).toThrow(tooShort(60));
    expect(() => rulesFor((c) => new BatchJob(c, 'migrate', { image, ttlSecondsAfterFinished: 599 }))).toThrow(tooShort(599));
    expect(() => rulesFor((c) => new BatchJob(c, 'migrate', { image, ttlSecondsAfterFinished: 600 }))).not.toThrow();
    expect(() => rulesFor((c) => new ScheduledJob(c, 'report', { image, schedule: '@daily', ttlSecondsAfterFinished: 600 }))).not.toThrow();
    // Your own workload without a TTL is not checked.
    expect(() => rulesFor((c) => new FakeCronJob(c, 'report', '@daily'))).not.toThrow();
  });

  test('the batch default TTL outlives the alert', () => {
    // BatchJob and ScheduledJob keep finished Jobs 24 h by default (lib/workloads/job-spec.ts).
    const chart = tenantChart();
    const job = synthObjects((new BatchJob(chart, 'migrate', { image: 'harbor.test/shop/migrate:1.4.0' }), chart)).find((o) => o.kind === 'Job');
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThanOrEqual(MIN_ALERTED_JOB_TTL_SECONDS);
  });
});
