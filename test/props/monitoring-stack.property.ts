import * as fc from 'fast-check';
import { App, Chart, Duration } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { IMonitorableWorkload } from '../../lib/observability/monitorable';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { ScheduledJob } from '../../lib/workloads/scheduled-job';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

const platform = definePlatform({ monitoring: { releaseName: 'kps', namespace: 'observe' } });
const withNfs = definePlatform({ nfs: { server: '10.0.0.1', path: '/srv/nfs' } });

/** scrape, alertOn and dashboard options for one WebApp with an http and a metrics port, per mode. */
function monitoringArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const seconds = (good: number[], bad: number[]) =>
    maybe(pick<unknown>([...good.map((s) => lazy(() => Duration.seconds(s)))], [...bad.map((s) => lazy(() => Duration.seconds(s))), '30s']));
  return fc.record(
    {
      scrape: maybe(
        fc.record(
          {
            port: maybe(pick(['metrics', 'http'], ['nope', ''])),
            path: maybe(pick(['/metrics', '/internal/metrics'], ['metrics', ''])),
            interval: seconds([15, 30, 60], [0]),
            scrapeTimeout: seconds([5, 10], [0, 120]),
            scheme: maybe(pick(['http', 'https'], ['ftp'])),
            podMonitor: maybe(fc.boolean()),
          },
          opt,
        ),
      ),
      alertOn: maybe(
        fc.record(
          {
            defaultRules: maybe(fc.boolean()),
            restartThreshold: maybe(pick([1, 3, 5], [0, -1, 1.5])),
            restartWindow: seconds([600, 3600], [0]),
            unavailableFor: seconds([300, 900], [0]),
            autoscalerMaxFor: seconds([900], [0]),
            volumeUsedPercent: maybe(pick([80, 90], [0, 101, 'high'])),
            volumeFullFor: seconds([600], [0]),
            missedRuns: maybe(pick([1, 3], [0, 2.5])),
            suspendedFor: seconds([3600], [0]),
            misscheduledFor: seconds([900], [0]),
            labels: maybe(pick<unknown>([{ team: 'payments' }], [{ severity: 'critical' }, { 'bad label': 'x' }])),
            severity: maybe(pick(['warning', 'critical', 'info'], ['urgent'])),
            rules: maybe(
              fc.array(
                fc.record(
                  {
                    alert: pick(['QueueDeep', 'ErrorsHigh'], ['queue deep', '9lives']),
                    expr: pick(['sum(rate(errors_total[5m])) > 1', 'queue_depth > 100'], ['']),
                    for: seconds([300], [0]),
                    severity: maybe(pick(['critical', 'info'], ['page'])),
                    summary: pick(['Errors on {{ $labels.pod }}', 'Queue is deep'], ['']),
                    description: maybe(pick(['Check the worker logs.'], [''])),
                    labels: maybe(pick<unknown>([{ team: 'shop' }], [{ severity: 'x' }])),
                  },
                  { requiredKeys: mode === 'chaos' ? [] : ['alert', 'expr', 'summary'] },
                ),
                { maxLength: 2 },
              ),
            ),
          },
          opt,
        ),
      ),
      dashboard: maybe(
        fc.record(
          {
            title: maybe(pick(['Shop web', 'Web ☃'], ['', 'x'.repeat(300)])),
            httpMetrics: maybe(
              fc.record(
                {
                  requestsTotal: maybe(pick(['http_requests_total'], ['http requests', '1x'])),
                  statusLabel: maybe(pick(['code', 'status'], ['Code!'])),
                  durationHistogram: maybe(pick(['http_request_duration_seconds'], ['http_request_duration_seconds_bucket x'])),
                },
                opt,
              ),
            ),
            panels: maybe(
              fc.array(
                fc.record(
                  {
                    title: pick(['Queue depth', 'Jobs ☃'], ['']),
                    unit: maybe(pick(['short', 'bytes', 's'], [''])),
                    queries: maybe(
                      fc.array(
                        fc.record(
                          { expr: pick(['queue_depth', 'sum(rate(jobs_total[5m]))'], ['']), legend: maybe(pick(['{{pod}}'], [''])) },
                          {
                            requiredKeys: ['expr'],
                          },
                        ),
                        { maxLength: 2 },
                      ),
                    ),
                  },
                  { requiredKeys: mode === 'chaos' ? [] : ['title', 'queries'] },
                ),
                { maxLength: 2 },
              ),
            ),
          },
          opt,
        ),
      ),
      // What is monitored: a WebApp with or without an autoscaler, a StatefulStore, a ScheduledJob, a NodeAgent.
      workload: pick(['web', 'autoscaled', 'store', 'cron', 'agent'] as const, ['web'] as const),
      typo: mode === 'valid' ? fc.constant(false) : fc.oneof({ arbitrary: fc.constant(false), weight: 20 }, fc.constant(true)),
    },
    { requiredKeys: ['typo'] },
  );
}

/** The monitored workload of one run (alertOn and dashboard take every monitorable kind). */
function workloadFor(chart: Chart, kind: string, app: WebApp): IMonitorableWorkload {
  if (kind === 'store') return new StatefulStore(chart, 'db', { engine: StoreEngine.postgres(), storage: nfs().storageClass });
  if (kind === 'cron') return new ScheduledJob(chart, 'report', { image: 'harbor.test/shop/report:1.0.0', schedule: '0 3 * * *' });
  if (kind === 'agent') return new NodeAgent(chart, 'agent', { image: 'harbor.test/ops/agent:1.0.0' });
  return app;
}
let storage: NfsStorage | undefined;
const nfs = (): NfsStorage => (storage ??= NfsStorage.fromPlatform(new Chart(new App(), 'storage'), 'nfs', withNfs));

describe('MonitoringStack (property)', () => {
  test(`${RUNS} random scrape, alertOn and dashboard options: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('MonitoringStack', modes(monitoringArb), (chart, raw, index) => {
      const p = materialize(raw) as Record<string, any>;
      const app = new WebApp(chart, 'web', {
        image: 'harbor.test/shop/web:1.2.3',
        name: `web-${index}`,
        ports: [
          { name: 'http', containerPort: 8080, servicePort: 80 },
          { name: 'metrics', containerPort: 9100 },
        ],
        ...(p.workload === 'autoscaled' ? { autoscaling: { minReplicas: 2, maxReplicas: 5 } } : {}),
      });
      const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
      const target = workloadFor(chart, p.workload, app);
      if (p.scrape !== undefined) monitoring.scrape(app, p.typo ? { ...p.scrape, intervall: '30s' } : p.scrape);
      if (p.alertOn !== undefined) monitoring.alertOn(target, p.alertOn);
      if (p.dashboard !== undefined) monitoring.dashboard(target, p.dashboard);
    });
    tally.report('MonitoringStack');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
