import * as fc from 'fast-check';
import { StorageClassHandle } from '../../lib/storage/types';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { dnsLabel, lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

/** A store, an app (names up to the 52 and 63 limits) and connect(app, options) with random options. */
function connectArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const envName = pick(['DB_HOST', 'WORDPRESS_DB_HOST', 'x.y'], ['1X', 'A B']);
  return fc
    .record({
      engine: pick(
        [lazy(() => StoreEngine.redis()), lazy(() => StoreEngine.mariadb()), lazy(() => StoreEngine.postgres())],
        [lazy(() => StoreEngine.generic({ image: 'example/kv:1.2.0', port: 7000, dataPath: '/data' }))],
      ),
      replicas: pick([1, 2], [3]),
      storeName: dnsLabel.map((n) => n.slice(0, 52)),
      appName: dnsLabel,
      credentials: pick([true], [false]),
      app: mode === 'chaos' ? fc.constantFrom('web', {}, null) : fc.constant(undefined),
      options: maybe(
        fc.record(
          {
            prefix: maybe(pick(['DB_', 'CACHE_'], ['1_'])),
            names: maybe(fc.record({ host: maybe(envName), password: maybe(envName) }, opt)),
            hostIncludesPort: maybe(fc.boolean()),
            credentialFiles: maybe(fc.boolean()),
            credentialsPath: maybe(pick(['/run/secrets/db'], ['relative', '/x/'])),
            readOnly: maybe(pick([false], [true])),
            extra: mode === 'valid' ? fc.constant(undefined) : fc.constantFrom(undefined, undefined, 'x'),
          },
          opt,
        ),
      ),
    })
    .map((p) => (mode === 'valid' ? coherent(p) : p));
}

function coherent(p: Record<string, any>): Record<string, unknown> {
  const o = { ...p.options };
  delete o.extra;
  if (!o.credentialFiles) delete o.credentialsPath;
  if (o.names?.host && o.names.host === o.names.password) delete o.names.password;
  const redis = String(p.engine.make).includes('redis');
  const appName = p.appName === p.storeName ? `w${p.appName}`.slice(0, 63) : p.appName;
  return { ...p, appName, replicas: redis ? p.replicas : 1, credentials: true, options: { ...o, readOnly: redis && p.replicas >= 2 ? o.readOnly : false } };
}

describe('StatefulStore.connect() (property)', () => {
  test(`${RUNS} random stores, apps and connect options: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches(
      'connect',
      modes(connectArb),
      (chart, raw) => {
        const p = materialize(raw) as Record<string, any>;
        const store = new StatefulStore(chart, 'db', {
          engine: p.engine,
          storage: StorageClassHandle.fromName('nfs-client'),
          name: p.storeName,
          replicas: p.replicas,
          ...(p.credentials ? { credentials: { secretName: 'db-credentials' } } : {}),
        });
        const app = p.app !== undefined ? p.app : new WebApp(chart, 'web', { image: 'nginx:1.27.3', name: p.appName });
        store.connect(app, p.options === undefined ? undefined : { ...p.options, ...(p.options?.extra ? { prefx: p.options.extra } : {}), extra: undefined });
      },
      { allowOptOut: true },
    );
    tally.report('StatefulStore.connect');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
