import * as fc from 'fast-check';
import { WorkloadSecurity } from '../../lib/core/security';
import { StorageClassHandle } from '../../lib/storage/types';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { badLabels, dnsLabel, lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

/** StatefulStore prop sets a plain JavaScript user could write, per mode (see harness). */
export function storePropsArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const engine = pick(
    [
      lazy(() => StoreEngine.redis()),
      lazy(() => StoreEngine.redis({ appendOnly: false, extraArgs: ['--maxmemory', '100mb'] })),
      lazy(() => StoreEngine.mariadb()),
      lazy(() => StoreEngine.postgres({ image: 'postgres:16.6' })),
      lazy(() => StoreEngine.generic({ image: 'example/kv:1.2.0', port: 7000, dataPath: '/data' })),
      lazy(() => StoreEngine.generic({ image: 'example/kv:1.2.0', port: 7000, portName: 'kv', dataPath: '/var/lib/kv', user: 1000 })),
    ],
    [lazy(() => StoreEngine.generic({ image: 'example/kv', port: 0, dataPath: 'data' })), lazy(() => StoreEngine.redis({ image: 'redis:latest' })), 'redis'],
  );
  const storage = pick(
    [
      lazy(() => StorageClassHandle.fromName('nfs-client')),
      lazy(() => StorageClassHandle.fromName('fast', { accessModes: ['ReadWriteOnce'], onDelete: 'retain' })),
    ],
    [lazy(() => StorageClassHandle.fromName('Fast SSD')), 'nfs-client', { storageClassName: 'x' }],
  );
  const probe = pick(
    [lazy(() => Probe.tcp({ periodSeconds: 5 })), lazy(() => Probe.exec(['sh', '-c', 'true']))],
    [lazy(() => Probe.http('/ready', { port: 'web' })), lazy(() => Probe.tcp({ successThreshold: 3 }))],
  );
  const path = pick(['/tmp', '/run/app', '/a.b', '/a-b', '/data', '/var/tmp'], ['/', 'tmp', '/tmp/']);
  return fc
    .record(
      {
        engine: maybe(engine),
        storage: maybe(storage),
        storageSize: maybe(pick(['1Gi', '10Gi', '500Mi'], ['10 GB', '-1Gi'])),
        accessModes: maybe(fc.array(pick(['ReadWriteOnce', 'ReadWriteMany'] as string[], ['ReadWriteOncePod', 'RWO']), { minLength: 1, maxLength: 2 })),
        name: maybe(mode === 'valid' ? dnsLabel.map((n) => n.slice(0, 52)) : fc.oneof({ arbitrary: dnsLabel, weight: 9 }, fc.constantFrom(...badLabels))),
        serviceName: maybe(pick(['db', 'db-headless'], ['1db', 'DB'])),
        appName: maybe(pick(['shop', 'cache.v1'], ['My Shop'])),
        component: maybe(pick(['database', 'cache'], ['data base'])),
        partOf: maybe(pick(['shop'], ['x'.repeat(64)])),
        replicas: maybe(pick([1, 2, 3], [0, 1.5])),
        credentials: maybe(
          fc.record(
            {
              secretName: maybe(pick(['db-credentials', 'redis.auth'], ['DB Secret'])),
              passwordKey: maybe(pick(['password', 'pw'], ['pass word'])),
              userKey: maybe(pick(['user'], ['us:er'])),
            },
            { requiredKeys: ['secretName'] },
          ),
        ),
        credentialFiles: maybe(fc.boolean()),
        env: maybe(
          fc.dictionary(
            pick(['TZ', 'LOG_LEVEL', 'x.y'], ['1X', 'POD_NAME', 'PGDATA']),
            pick<unknown>([lazy(() => EnvValue.value('UTC')), lazy(() => EnvValue.fromConfigMap('cfg', 'level'))], ['plain']),
            { maxKeys: 2 },
          ),
        ),
        resources: maybe(fc.record({ cpu: fc.record({ request: maybe(pick(['100m'], ['x'])), limit: maybe(pick(['2'], ['-1'])) }, opt) }, opt)),
        probes: maybe(fc.record({ startup: maybe(probe), liveness: maybe(probe), readiness: maybe(probe) }, opt)),
        podManagementPolicy: maybe(pick(['OrderedReady', 'Parallel'], ['Serial'])),
        updateStrategy: maybe(pick(['RollingUpdate', 'OnDelete'], ['Recreate'])),
        claimRetention: maybe(fc.record({ whenDeleted: maybe(pick(['Retain', 'Delete'], ['Keep'])), whenScaled: maybe(pick(['Retain'], ['retain'])) }, opt)),
        maxUnavailable: maybe(pick([1, 2], [0])),
        security: maybe(
          pick(
            [lazy(() => WorkloadSecurity.restricted({ user: 999, group: 999 })), lazy(() => WorkloadSecurity.restricted())],
            [lazy(() => WorkloadSecurity.restricted({ user: 0 })), lazy(() => WorkloadSecurity.restricted({ group: 0 }))],
          ),
        ),
        writablePaths: maybe(fc.array(path, { maxLength: 3 })),
        imagePullSecrets: maybe(fc.array(pick(['harbor-pull'], ['Harbor Pull']), { maxLength: 1 })),
        imagePullPolicy: maybe(pick(['Always', 'IfNotPresent'], ['Never'])),
        terminationGracePeriodSeconds: maybe(pick([0, 30, 60], [-1])),
        revisionHistoryLimit: maybe(pick([0, 5], [-1])),
        extra:
          mode === 'valid'
            ? fc.constant({})
            : fc.oneof({ arbitrary: fc.constant({}), weight: 20 }, fc.constant({ credentails: { secretName: 'x' } }), fc.constant({ replica: 2 })),
      },
      { requiredKeys: mode === 'chaos' ? ['extra'] : ['engine', 'storage', 'extra'] },
    )
    .map(({ extra, ...rest }) => ({ ...(mode === 'valid' ? coherent(rest) : rest), ...(extra as object) }));
}

/** Good values made to agree with the rules between props (the other modes test those rules). */
function coherent(p: Record<string, any>): Record<string, unknown> {
  const out = { ...p };
  const engine = String(out.engine?.make);
  const preset = /mariadb|postgres/.test(engine);
  if (preset) {
    out.replicas = 1;
    out.credentials ??= { secretName: 'db-credentials' };
  }
  if (/generic/.test(engine)) delete out.credentialFiles;
  if (!out.credentials) delete out.credentialFiles;
  if ((out.replicas ?? 1) < 2) delete out.maxUnavailable;
  if (/redis\(\)|redis\(\{/.test(engine) && out.probes) delete out.probes;
  if (Array.isArray(out.writablePaths)) out.writablePaths = [...new Set(out.writablePaths)];
  if (Array.isArray(out.accessModes)) out.accessModes = [...new Set(out.accessModes)];
  if (String(out.storage?.make).includes('fast')) out.accessModes = ['ReadWriteOnce'];
  return out;
}

export const storeProps = modes(storePropsArb);

describe('StatefulStore props (property)', () => {
  test(`${RUNS} random prop sets: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('StatefulStore', storeProps, (chart, props) => void new StatefulStore(chart, 'db', materialize(props) as never), {
      allowOptOut: true,
    });
    tally.report('StatefulStore');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
