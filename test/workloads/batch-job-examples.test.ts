import { addEchoCronJob } from '../../apps/echo-cronjob';
import { addMigrationJob } from '../../apps/migration-job';
import { addWordPressDb } from '../../apps/wordpress-db';
import { platform } from '../../apps/platform.config';
import { warningsOf } from '../../lib/core/warnings';
import { expectValidManifests } from '../support';
import { names, objectsOf } from '../examples/app-objects';

describe("example: the seeds' echo-cj done right", () => {
  const { app, byChart, objects } = objectsOf((a) => addEchoCronJob(a, platform));
  const cron = objects.find((o) => o.kind === 'CronJob');
  const pod = cron.spec.jobTemplate.spec.template.spec;

  test('passes strict schema, restricted and Polaris, without warnings', () => {
    expectValidManifests(objects);
    expect(warningsOf(app)).toEqual([]);
  });
  test('tenant files with readable names', () => {
    expect(names(byChart.batch)).toEqual(['CronJob/echo-cj', 'NetworkPolicy/allow-dns', 'NetworkPolicy/default-deny', 'NetworkPolicy/echo-cj']);
  });
  test('pinned busybox, the seeds schedule and command, restricted, history limits, Forbid', () => {
    expect(cron.spec).toEqual(
      expect.objectContaining({
        schedule: '*/1 * * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 60,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
      }),
    );
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.containers[0]).toEqual(expect.objectContaining({ image: 'busybox:1.37.0', command: ['/bin/echo'], args: ['hello', 'world'] }));
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.volumes).toBeUndefined();
  });
});

describe('example: a migration Job connected to PostgreSQL by handle', () => {
  const { app, byChart, objects } = objectsOf((a) => addMigrationJob(a, platform));
  const job = objects.find((o) => o.kind === 'Job');
  const main = job.spec.template.spec.containers[0];

  test('passes strict schema, restricted and Polaris, without warnings', () => {
    expectValidManifests(objects);
    expect(warningsOf(app)).toEqual([]);
  });
  test('the Job, its migration ConfigMap and the policies both ways', () => {
    expect(names(byChart['shop-db'])).toEqual([
      'ConfigMap/migrate-orders-migrations',
      'Job/migrate-orders',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/migrate-orders',
      'NetworkPolicy/migrate-orders-to-orders-db',
      'NetworkPolicy/orders-db',
      'NetworkPolicy/orders-db-from-migrate-orders',
      'Service/orders-db',
      'StatefulSet/orders-db',
    ]);
  });
  test('psql gets its connection from the store: host and port as values, credentials by Secret reference', () => {
    expect(main.image).toBe('postgres:16.6');
    expect(main.env).toEqual([
      { name: 'PGHOST', value: 'orders-db-0.orders-db.shop-db.svc.cluster.local' },
      { name: 'PGPORT', value: '5432' },
      { name: 'PGUSER', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'user' } } },
      { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
      { name: 'PGDATABASE', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'database' } } },
    ]);
    expect(job.spec).toEqual(expect.objectContaining({ activeDeadlineSeconds: 600, backoffLimit: 2, ttlSecondsAfterFinished: 86400 }));
    expect(job.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('example: WordPress nightly database backup', () => {
  const { byChart } = objectsOf((a) => addWordPressDb(a, platform));
  const objects = byChart.wordpress;
  const cron = objects.find((o) => o.kind === 'CronJob');

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('mariadb-dump at 03:00 onto its own retained-class claim, last 7 kept', () => {
    expect(cron.metadata.name).toBe('mariadb-backup');
    expect(cron.spec.schedule).toBe('0 3 * * *');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'claim-mariadb-backups', persistentVolumeClaim: { claimName: 'mariadb-backups' } });
    expect(pod.containers[0].command[2]).toContain('${#files[@]} - 7;');
    expect(objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'mariadb-backups').spec.resources.requests.storage).toBe('10Gi');
    expect(names(objects).filter((n) => n.includes('backup'))).toEqual([
      'CronJob/mariadb-backup',
      'NetworkPolicy/mariadb-backup',
      'NetworkPolicy/mariadb-backup-to-mariadb',
      'NetworkPolicy/mariadb-from-mariadb-backup',
      'PersistentVolumeClaim/mariadb-backups',
    ]);
  });
});
