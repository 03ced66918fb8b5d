import { addRedis } from '../../apps/redis';
import { addStaticNfs } from '../../apps/static-nfs';
import { addWordPressDb } from '../../apps/wordpress-db';
import { platform } from '../../apps/platform.config';
import { warningsOf } from '../../lib/core/warnings';
import { expectValidManifests } from '../support';
import { names, objectsOf } from '../examples/app-objects';

describe('example: WordPress with MariaDB on NFS', () => {
  const { app, objects, byChart } = objectsOf((a) => addWordPressDb(a, platform));

  test('passes strict schema, restricted and Polaris, without warnings', () => {
    expectValidManifests(objects);
    expect(warningsOf(app)).toEqual([]);
  });
  test('one chart with readable names', () => {
    expect(Object.keys(byChart)).toEqual(['wordpress', 'wordpress-admin']);
    expect(names(byChart['wordpress-admin'])).toEqual([
      'Namespace/wordpress',
      'Role/deployer',
      'RoleBinding/deployer-sa-deployer',
      'ServiceAccount/default',
      'ServiceAccount/deployer',
    ]);
    expect(names(byChart.wordpress)).toEqual([
      'ConfigMap/mariadb-credential-files',
      'ConfigMap/wordpress-config',
      'ConfigMap/wordpress-mariadb-credential-files',
      'CronJob/mariadb-backup',
      'Deployment/wordpress',
      'HorizontalPodAutoscaler/wordpress',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/mariadb',
      'NetworkPolicy/mariadb-backup',
      'NetworkPolicy/mariadb-backup-to-mariadb',
      'NetworkPolicy/mariadb-from-mariadb-backup',
      'NetworkPolicy/mariadb-from-wordpress',
      'NetworkPolicy/wordpress',
      'NetworkPolicy/wordpress-to-mariadb',
      'PersistentVolumeClaim/mariadb-backups',
      'PersistentVolumeClaim/wordpress-uploads',
      'PodDisruptionBudget/wordpress',
      'Service/mariadb',
      'Service/wordpress',
      'StatefulSet/mariadb',
    ]);
  });
  test('uploads on the shared ReadWriteMany claim; database wired by handle', () => {
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    const volume = pod.volumes.find((v: any) => v.persistentVolumeClaim);
    expect(volume.persistentVolumeClaim.claimName).toBe('wordpress-uploads');
    const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount.mountPath).toBe('/var/www/html/wp-content/uploads');
    expect(pod.containers[0].env).toEqual(expect.arrayContaining([{ name: 'WORDPRESS_DB_HOST', value: 'mariadb-0.mariadb.wordpress.svc.cluster.local:3306' }]));
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('nfs-client');
  });
  test('credentials as files on both sides: *_FILE paths into the mounted Secret, no Secret value in any environment', () => {
    const pod = objects.find((o) => o.kind === 'Deployment').spec.template.spec;
    const fileEnv = pod.containers[0].env.filter((e: any) => e.name.endsWith('_FILE')).map((e: any) => e.name);
    expect(fileEnv).toEqual(['WORDPRESS_DB_USER_FILE', 'WORDPRESS_DB_PASSWORD_FILE', 'WORDPRESS_DB_NAME_FILE']);
    expect(objects.find((o) => o.metadata.name === 'wordpress-mariadb-credential-files').data).toEqual({
      'wordpress-db-user-file': '/run/secrets/mariadb-credentials/user',
      'wordpress-db-auth-file': '/run/secrets/mariadb-credentials/password',
      'wordpress-db-name-file': '/run/secrets/mariadb-credentials/database',
    });
    expect(pod.volumes).toContainEqual({ name: 'secret-mariadb-credentials', secret: { secretName: 'mariadb-credentials', defaultMode: 0o440 } });
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual([
      'MARIADB_ROOT_PASSWORD_FILE',
      'MARIADB_USER_FILE',
      'MARIADB_PASSWORD_FILE',
      'MARIADB_DATABASE_FILE',
    ]);
    const containers = objects.flatMap((o) => o.spec?.template?.spec?.containers ?? []);
    expect(containers.flatMap((c: any) => c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)).toEqual([]);
  });
});

describe('example: Redis with 2 replicas on NFS', () => {
  const { objects, byChart } = objectsOf((a) => addRedis(a, platform));
  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('StatefulSet, headless and read Services, PDB, policy', () => {
    expect(Object.keys(byChart)).toEqual(['redis', 'redis-admin']);
    expect(names(byChart.redis)).toEqual([
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/redis',
      'PodDisruptionBudget/redis',
      'Service/redis',
      'Service/redis-read',
      'StatefulSet/redis',
    ]);
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('redis');
  });
});

describe("example: the seeds' static nfs-1g-pv", () => {
  const { objects, byChart } = objectsOf((a) => addStaticNfs(a, platform));
  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('class and volume in the admin file, the claim and app in the tenant file, bound to each other', () => {
    expect(names(byChart['static-nfs-admin'])).toEqual([
      'Namespace/static-nfs',
      'PersistentVolume/nfs-1g-pv',
      'Role/deployer',
      'RoleBinding/deployer-sa-deployer',
      'ServiceAccount/default',
      'ServiceAccount/deployer',
      'StorageClass/nfs-client-retained',
    ]);
    expect(names(byChart['static-nfs'])).toEqual([
      'ConfigMap/nfs-static-conf',
      'Deployment/nfs-static',
      'NetworkPolicy/allow-dns',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/nfs-static',
      'PersistentVolumeClaim/nfs-static-pvc',
      'PodDisruptionBudget/nfs-static',
      'Service/nfs-static',
    ]);
    const pv = byChart['static-nfs-admin'].find((o) => o.kind === 'PersistentVolume');
    const sc = byChart['static-nfs-admin'].find((o) => o.kind === 'StorageClass');
    expect(sc).toMatchObject({
      provisioner: 'cluster.local/nfs-provisioner-nfs-subdir-external-provisioner',
      reclaimPolicy: 'Retain',
      parameters: { onDelete: 'retain' },
    });
    expect(pv.spec.nfs).toEqual({ server: '192.168.56.10', path: '/srv/nfs/k8s/1g-pv' });
    expect(pv.spec.claimRef).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'nfs-static-pvc', namespace: 'static-nfs' });
    const pvc = byChart['static-nfs'].find((o) => o.kind === 'PersistentVolumeClaim');
    expect(pvc.spec).toMatchObject({ volumeName: 'nfs-1g-pv', storageClassName: 'nfs', accessModes: ['ReadWriteMany'] });
  });
});
