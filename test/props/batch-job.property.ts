import * as fc from 'fast-check';
import { BatchJob } from '../../lib/workloads/batch-job';
import { materialize, Mode, modes, RUNS, runBatches } from './harness';
import { coherentJob, extraKeys, jobSpecArbs, podWorkloadArbs } from './pod-workload-arb';

function batchArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record(
      { ...podWorkloadArbs(mode), ...jobSpecArbs(mode), extra: extraKeys(mode, [{ completion: 2 }, { schedule: '0 * * * *' }, { replicas: 1 }]) },
      { requiredKeys: (mode === 'chaos' ? ['extra'] : ['image', 'extra']) as never[] },
    )
    .map(({ extra, ...rest }) => ({ ...(mode === 'valid' ? coherentJob(rest) : rest), ...(extra as object) }));
}

describe('BatchJob props (property)', () => {
  test(`${RUNS} random prop sets: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('BatchJob', modes(batchArb), (chart, props) => void new BatchJob(chart, 'task', materialize(props) as never));
    tally.report('BatchJob');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
