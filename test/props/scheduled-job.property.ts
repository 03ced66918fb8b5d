import * as fc from 'fast-check';
import { ScheduledJob } from '../../lib/workloads/scheduled-job';
import { materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';
import { coherentJob, extraKeys, jobSpecArbs, podWorkloadArbs } from './pod-workload-arb';

function scheduledArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  return fc
    .record(
      {
        ...podWorkloadArbs(mode),
        ...jobSpecArbs(mode),
        schedule: maybe(pick(['0 * * * *', '*/15 2 * * 1-5', '@daily', '30 3 1 * *'], ['* * *', '61 * * * *', 'every day', ''])),
        timeZone: maybe(pick(['Etc/UTC', 'Europe/Berlin', 'Asia/Shanghai'], ['Mars/Olympus', 'utc'])),
        concurrencyPolicy: maybe(pick(['Forbid', 'Replace', 'Allow'], ['Never'])),
        maxConcurrentRuns: maybe(pick([1, 2], [0, -1])),
        startingDeadlineSeconds: maybe(pick([60, 300], [0, -5])),
        successfulJobsHistoryLimit: maybe(pick([0, 3], [-1])),
        failedJobsHistoryLimit: maybe(pick([1, 5], [-1])),
        suspend: maybe(fc.boolean()),
        extra: extraKeys(mode, [{ scheduel: '0 * * * *' }, { concurrency: 'Forbid' }]),
      },
      { requiredKeys: (mode === 'chaos' ? ['extra'] : ['image', 'schedule', 'extra']) as never[] },
    )
    .map(({ extra, ...rest }) => ({ ...(mode === 'valid' ? coherent(rest) : rest), ...(extra as object) }));
}

/** maxConcurrentRuns above 1 only with concurrencyPolicy Allow (the typed and chaos sets test it). */
function coherent(p: Record<string, any>): Record<string, unknown> {
  const out = coherentJob(p);
  if (out.maxConcurrentRuns !== undefined && out.maxConcurrentRuns > 1) out.concurrencyPolicy = 'Allow';
  return out;
}

describe('ScheduledJob props (property)', () => {
  test(`${RUNS} random prop sets: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('ScheduledJob', modes(scheduledArb), (chart, props) => void new ScheduledJob(chart, 'cron', materialize(props) as never));
    tally.report('ScheduledJob');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
