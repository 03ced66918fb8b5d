import { Chart, Testing } from 'cdk8s';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { StorageClassHandle } from '../../lib/storage/types';
import { IVolumeClaim } from '../../lib/workloads/types';
import { expectValidManifests, synthObjects } from '../support';

const storage = StorageClassHandle.fromName('nfs-client');
/** A claim of another class (e.g. on a second NFS server), as `to` takes any claim handle. */
const offsite: IVolumeClaim = { claimName: 'backups-offsite', readWriteMany: true };

function setup(engine: StoreEngine, credentials?: { secretName: string }) {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const store = new StatefulStore(chart, engine.kind, { engine, storage, credentials });
  return { chart, store };
}
const find = (objects: any[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

describe('MariaDB backup', () => {
  const { chart, store } = setup(StoreEngine.mariadb(), { secretName: 'mariadb-credentials' });
  const backup = store.backup({ schedule: '0 3 * * *', to: offsite, retain: 14, timeZone: 'Europe/Berlin' });
  const objects = synthObjects(chart);
  const cron = find(objects, 'CronJob', 'mariadb-backup');
  const pod = cron.spec.jobTemplate.spec.template.spec;
  const main = pod.containers[0];
  const script: string = main.command[2];

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('a ScheduledJob from the engine image, running as the engine user', () => {
    expect(backup.job.name).toBe('mariadb-backup');
    expect(cron.spec).toEqual(expect.objectContaining({ schedule: '0 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid' }));
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(21600);
    expect(main.image).toBe('mariadb:11.4.5');
    expect(pod.securityContext).toEqual(expect.objectContaining({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 }));
    expect(cron.metadata.labels['app.kubernetes.io/name']).toBe('mariadb');
    expect(cron.metadata.labels['app.kubernetes.io/component']).toBe('backup');
  });
  test('dumps with mariadb-dump, the password by Secret reference only (never in args)', () => {
    expect(main.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(script).toContain(
      'mariadb-dump --host=mariadb-0.mariadb.shop.svc.cluster.local --port=3306 --user=root --single-transaction --routines --events --triggers --all-databases | gzip -c > "/backup/.mariadb-$stamp.partial"',
    );
    expect(main.env).toEqual([{ name: 'MYSQL_PWD', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'root-password' } } }]);
    expect(JSON.stringify(cron)).not.toMatch(/--password/);
  });
  test('writes a timestamped file only when complete and keeps the newest N', () => {
    expect(script.split('\n')).toEqual([
      'set -euo pipefail',
      'umask 077',
      'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
      `trap 'rm -f "/backup/.mariadb-$stamp.partial"' EXIT`,
      expect.stringMatching(/^mariadb-dump /),
      'mv "/backup/.mariadb-$stamp.partial" "/backup/mariadb-$stamp.sql.gz"',
      'shopt -s nullglob',
      'files=(/backup/mariadb-*.sql.gz)',
      'for ((i = 0; i < ${#files[@]} - 14; i++)); do rm -f -- "${files[i]}"; done',
      'echo "dump mariadb-$stamp.sql.gz written; kept the newest 14"',
    ]);
    expect(pod.volumes).toContainEqual({ name: 'claim-backups-offsite', persistentVolumeClaim: { claimName: 'backups-offsite' } });
    expect(main.volumeMounts).toContainEqual({ name: 'claim-backups-offsite', mountPath: '/backup' });
    expect([backup.filePrefix, backup.fileSuffix]).toEqual(['mariadb-', '.sql.gz']);
  });
  test('NetworkPolicies both ways, opened by handle', () => {
    const selector = { 'app.kubernetes.io/instance': 'mariadb-backup', 'app.kubernetes.io/name': 'mariadb' };
    expect(find(objects, 'NetworkPolicy', 'mariadb-from-mariadb-backup').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: selector } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
    });
    expect(find(objects, 'NetworkPolicy', 'mariadb-backup-to-mariadb').spec).toEqual({
      podSelector: { matchLabels: selector },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' } } }],
          ports: [{ port: 3306, protocol: 'TCP' }],
        },
      ],
    });
    expect(backup.ingressPolicy.name).toBe('mariadb-from-mariadb-backup');
    expect(backup.egressPolicy.name).toBe('mariadb-backup-to-mariadb');
  });
});

describe('PostgreSQL and Redis backups', () => {
  test('PostgreSQL: pg_dump custom format with user, password and database from the Secret', () => {
    const { chart, store } = setup(StoreEngine.postgres(), { secretName: 'pg' });
    store.backup({ schedule: '@daily', to: offsite, name: 'pg-nightly' });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const main = find(objects, 'CronJob', 'pg-nightly').spec.jobTemplate.spec.template.spec.containers[0];
    expect(main.image).toBe('postgres:16.6');
    expect(main.command[2]).toContain(
      'pg_dump --host=postgres-0.postgres.shop.svc.cluster.local --port=5432 --format=custom --file="/backup/.postgres-$stamp.partial"',
    );
    expect(main.command[2]).toContain('files=(/backup/postgres-*.dump)');
    expect(main.command[2]).toContain('${#files[@]} - 7;');
    expect(main.env).toEqual([
      { name: 'PGDATABASE', valueFrom: { secretKeyRef: { name: 'pg', key: 'database' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'pg', key: 'password' } } },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'pg', key: 'user' } } },
    ]);
  });
  test('Redis: redis-cli --rdb from the primary, REDISCLI_AUTH from the Secret; none without a password', () => {
    const { chart, store } = setup(StoreEngine.redis(), { secretName: 'redis-auth' });
    store.backup({ schedule: '@hourly', to: offsite, retain: 24, activeDeadlineSeconds: 600, resources: { memory: { limit: '512Mi' } } });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const cron = find(objects, 'CronJob', 'redis-backup');
    const main = cron.spec.jobTemplate.spec.template.spec.containers[0];
    expect(main.command[2]).toContain('redis-cli -h redis-0.redis.shop.svc.cluster.local -p 6379 --rdb "/backup/.redis-$stamp.partial"');
    expect(main.env).toEqual([{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } }]);
    expect(main.resources.limits.memory).toBe('512Mi');
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(600);
    const open = setup(StoreEngine.redis());
    open.store.backup({ schedule: '@hourly', to: offsite });
    expect(find(synthObjects(open.chart), 'CronJob', 'redis-backup').spec.jobTemplate.spec.template.spec.containers[0].env).toBeUndefined();
  });
});

describe('backup names', () => {
  test('a 52-character store gets a backup name of 52 and policy names of 63 by the naming scheme', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const long = 'a'.repeat(52);
    const store = new StatefulStore(chart, 'db', { name: long, engine: StoreEngine.redis(), storage });
    const backup = store.backup({ schedule: '@daily', to: offsite });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    expect(backup.job.name).toMatch(new RegExp(`^a{43}-[0-9a-f]{8}$`));
    const policies = [backup.ingressPolicy.name, backup.egressPolicy.name];
    for (const n of policies) expect(n).toMatch(/^a[-a-z0-9]{53}-[0-9a-f]{8}$/);
    expect(new Set(policies).size).toBe(2);
  });
});

describe('backup errors', () => {
  test('fails on a bad retain and a missing claim, at once', () => {
    const { store } = setup(StoreEngine.mariadb(), { secretName: 'db' });
    expect(() => store.backup({ schedule: '@daily', to: offsite, retain: 0 })).toThrow(
      'test/mariadb: backup.retain 0 is invalid: must be an integer >= 1: the newest dumps kept on the claim',
    );
    // From plain JavaScript: types first, unknown keys named.
    expect(() => store.backup({ schedule: '@daily', to: undefined as never, retian: 3 } as never)).toThrow(
      [
        '2 problems:',
        '  - test/mariadb: backup.to undefined is invalid: is required: a claim handle (NfsStorage.claim(), VolumeClaim.fromClaimName())',
        '  - test/mariadb: backup.retian 3 is invalid: is not a known field of StoreBackupOptions; did you mean "retain"?',
      ].join('\n'),
    );
  });
  test('fails on a bad schedule with the ScheduledJob path, and on a second backup', () => {
    const { store } = setup(StoreEngine.mariadb(), { secretName: 'db' });
    expect(() => store.backup({ schedule: '* * * * 7', to: offsite })).toThrow(
      'test/mariadb/Backup: schedule "* * * * 7" is invalid: day-of-week "7": 7 is above the maximum 6; day-of-week takes 0-6 (0 is Sunday) or sun-sat, written as a value, a range a-b, a step */n, a-b/n or a/n, or a comma-separated list of these',
    );
    const other = setup(StoreEngine.mariadb(), { secretName: 'db' }).store;
    other.backup({ schedule: '@daily', to: offsite });
    expect(() => other.backup({ schedule: '@weekly', to: offsite })).toThrow(
      'test/mariadb: backup "@weekly" is invalid: must be called once per store: this store already has a backup',
    );
  });
  test('fails for the generic engine', () => {
    const { store } = setup(StoreEngine.generic({ image: 'minio/minio:RELEASE.2025-01-20T14-49-07Z', port: 9000, dataPath: '/data' }));
    expect(() => store.backup({ schedule: '@daily', to: offsite })).toThrow(
      'test/generic: backup "generic" is invalid: is only offered for the MariaDB, PostgreSQL and Redis presets: a generic store needs your own ScheduledJob with its own dump tool',
    );
  });
});
