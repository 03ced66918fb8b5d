import * as fc from 'fast-check';
import { WorkloadSecurity } from '../../lib/core/security';
import { RouteTls } from '../../lib/networking/route-options';
import { StorageClassHandle } from '../../lib/storage/types';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { outcome, RUNS, SEED, Tally, wrongScalar } from './harness';

/** A value of the right type most of the time, else anything plain JavaScript could pass. */
const arg = <T>(good: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ arbitrary: good, weight: 3 }, wrongScalar);
const int = fc.integer({ min: -2, max: 70000 });
const str = fc.oneof(fc.constantFrom('http', 'db', 'a.b', '/ready', 'redis:7.4.2', 'x'), fc.string({ maxLength: 10 }));
const options = (shape: Record<string, fc.Arbitrary<unknown>>) =>
  arg(fc.record({ ...shape, typo: fc.constant(1) }, { requiredKeys: [] }).map(({ typo, ...o }) => (JSON.stringify(o).length % 25 === 0 ? { ...o, typo } : o)));
const timing = { initialDelaySeconds: arg(int), periodSeconds: arg(int), timeoutSeconds: arg(int), successThreshold: arg(int), failureThreshold: arg(int) };

/** Every factory with random arguments; the result, when there is one, must be of its class. */
const FACTORIES: Record<string, { args: fc.Arbitrary<unknown[]>; call: (a: unknown[]) => unknown; cls: { readonly prototype: object } }> = {
  'Probe.http': {
    args: fc.tuple(arg(str), options({ ...timing, port: arg(fc.oneof(int, str)), scheme: arg(fc.constantFrom('HTTP', 'HTTPS', 'FTP')) })),
    call: (a) => Probe.http(...(a as [never, never])),
    cls: Probe,
  },
  'Probe.tcp': { args: fc.tuple(options({ ...timing, port: arg(fc.oneof(int, str)) })), call: (a) => Probe.tcp(...(a as [never])), cls: Probe },
  'Probe.exec': { args: fc.tuple(arg(fc.array(str, { maxLength: 2 })), options(timing)), call: (a) => Probe.exec(...(a as [never, never])), cls: Probe },
  'EnvValue.value': { args: fc.tuple(arg(str)), call: (a) => EnvValue.value(...(a as [never])), cls: EnvValue },
  'EnvValue.fromSecret': {
    args: fc.tuple(arg(str), arg(str), arg(fc.boolean())),
    call: (a) => EnvValue.fromSecret(...(a as [never, never, never])),
    cls: EnvValue,
  },
  'EnvValue.fromConfigMap': {
    args: fc.tuple(arg(str), arg(str), arg(fc.boolean())),
    call: (a) => EnvValue.fromConfigMap(...(a as [never, never, never])),
    cls: EnvValue,
  },
  'EnvValue.fromField': {
    args: fc.tuple(arg(fc.constantFrom('metadata.name', 'status.podIP', "metadata.labels['app']", 'spec.x'))),
    call: (a) => EnvValue.fromField(...(a as [never])),
    cls: EnvValue,
  },
  'EnvFrom.configMap': {
    args: fc.tuple(arg(str), arg(fc.constantFrom(undefined, 'DB_', '1X'))),
    call: (a) => EnvFrom.configMap(...(a as [never, never])),
    cls: EnvFrom,
  },
  'EnvFrom.secret': {
    args: fc.tuple(arg(str), arg(fc.constantFrom(undefined, 'DB_', 'A B'))),
    call: (a) => EnvFrom.secret(...(a as [never, never])),
    cls: EnvFrom,
  },
  'WorkloadSecurity.restricted': {
    args: fc.tuple(options({ user: arg(int), group: arg(int), unprivilegedPortStart: arg(int) })),
    call: (a) => WorkloadSecurity.restricted(...(a as [never])),
    cls: WorkloadSecurity,
  },
  'WorkloadSecurity.optOut': {
    args: fc.tuple(
      options({
        reason: arg(fc.constantFrom('', ' ', 'legacy image')),
        runAsRoot: arg(fc.boolean()),
        writableRootFilesystem: arg(fc.boolean()),
        addCapabilities: arg(fc.array(fc.constantFrom('NET_BIND_SERVICE', 'CHOWN', 'cap_chown', 'SYS_ADMIN'), { maxLength: 2 })),
        user: arg(int),
        group: arg(int),
      }),
    ),
    call: (a) => WorkloadSecurity.optOut(...(a as [never])),
    cls: WorkloadSecurity,
  },
  'StoreEngine.redis': {
    args: fc.tuple(
      options({
        image: arg(fc.constantFrom('redis:7.4.2', 'redis', 'redis:latest')),
        extraArgs: arg(fc.array(str, { maxLength: 2 })),
        appendOnly: arg(fc.boolean()),
      }),
    ),
    call: (a) => StoreEngine.redis(...(a as [never])),
    cls: StoreEngine,
  },
  'StoreEngine.mariadb': {
    args: fc.tuple(options({ image: arg(fc.constantFrom('mariadb:11.4.5', 'mariadb')), extraArgs: arg(fc.array(str, { maxLength: 2 })) })),
    call: (a) => StoreEngine.mariadb(...(a as [never])),
    cls: StoreEngine,
  },
  'StoreEngine.postgres': {
    args: fc.tuple(options({ image: arg(fc.constantFrom('postgres:16.6', 'Postgres:1')) })),
    call: (a) => StoreEngine.postgres(...(a as [never])),
    cls: StoreEngine,
  },
  'StoreEngine.generic': {
    args: fc.tuple(
      options({
        image: arg(fc.constantFrom('example/kv:1.2.0', 'kv')),
        port: arg(int),
        portName: arg(fc.constantFrom('kv', 'KV')),
        dataPath: arg(fc.constantFrom('/data', 'data', '/')),
        user: arg(int),
        group: arg(int),
        writablePaths: arg(fc.array(fc.constantFrom('/tmp', 'tmp'), { maxLength: 2 })),
      }),
    ),
    call: (a) => StoreEngine.generic(...(a as [never])),
    cls: StoreEngine,
  },
  'StorageClassHandle.fromName': {
    args: fc.tuple(
      arg(str),
      options({
        accessModes: arg(fc.array(fc.constantFrom('ReadWriteOnce', 'RWX'), { maxLength: 2 })),
        onDelete: arg(fc.constantFrom('retain', 'keep')),
        supportsExpansion: arg(fc.boolean()),
      }),
    ),
    call: (a) => StorageClassHandle.fromName(...(a as [never, never])),
    cls: StorageClassHandle,
  },
  'RouteTls.fromSecret': { args: fc.tuple(arg(str)), call: (a) => RouteTls.fromSecret(...(a as [never])), cls: RouteTls },
};

describe('static factories (property)', () => {
  for (const [name, f] of Object.entries(FACTORIES)) {
    test(`${name}: ${RUNS} random argument lists give an instance or a clear PaasValidationError`, () => {
      const tally = new Tally();
      for (const args of fc.sample(f.args, { numRuns: RUNS, seed: SEED })) {
        let made: unknown;
        try {
          tally.add(outcome(() => void (made = f.call(args))));
        } catch (e) {
          throw new Error(`${name}(${JSON.stringify(args)}): ${(e as Error).stack}`);
        }
        if (made !== undefined && !Object.prototype.isPrototypeOf.call(f.cls.prototype, made as object)) throw new Error(`${name} returned something else`);
      }
      tally.report(name);
      expect(tally.valid + tally.errors).toBe(RUNS);
      expect(tally.valid).toBeGreaterThan(0);
      expect(tally.errors).toBeGreaterThan(0);
    });
  }
});
