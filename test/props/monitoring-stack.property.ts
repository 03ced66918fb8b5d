import * as fc from 'fast-check';
import { Duration } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { WebApp } from '../../lib/workloads/web-app';
import { lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

const platform = definePlatform({ monitoring: { releaseName: 'kps', namespace: 'observe' } });

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
          },
          opt,
        ),
      ),
      dashboard: maybe(fc.record({ title: maybe(pick(['Shop web', 'Web ☃'], ['', 'x'.repeat(300)])) }, opt)),
      typo: mode === 'valid' ? fc.constant(false) : fc.oneof({ arbitrary: fc.constant(false), weight: 20 }, fc.constant(true)),
    },
    { requiredKeys: ['typo'] },
  );
}

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
      });
      const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
      if (p.scrape !== undefined) monitoring.scrape(app, p.typo ? { ...p.scrape, intervall: '30s' } : p.scrape);
      if (p.alertOn !== undefined) monitoring.alertOn(app, p.alertOn);
      if (p.dashboard !== undefined) monitoring.dashboard(app, p.dashboard);
    });
    tally.report('MonitoringStack');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
