import { Chart, Testing } from 'cdk8s';
import { WorkloadDefaults } from '../../lib/core/resources';
import { WorkloadSecurity } from '../../lib/core/security';
import { definePlatform } from '../../lib/platform-spec';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { StorageClassHandle } from '../../lib/storage/types';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { expectValidManifests, synthObjects } from '../support';

const platform = definePlatform({ nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'] } });

function setup(namespace = 'shop') {
  const app = Testing.app();
  const cluster = new Chart(app, 'cluster');
  const nfs = NfsStorage.fromPlatform(cluster, 'nfs', platform);
  const chart = new Chart(app, 'test', namespace ? { namespace } : {});
  return { chart, nfs };
}
function find(objects: any[], kind: string, name?: string): any {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}
const creds = { secretName: 'mariadb-credentials' };

describe('MariaDB store defaults', () => {
  const { chart, nfs } = setup();
  const db = new StatefulStore(chart, 'mariadb', { engine: StoreEngine.mariadb(), storage: nfs.storageClass, credentials: creds });
  const objects = synthObjects(chart);
  const sts = find(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const main = pod.containers[0];

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('readable names: StatefulSet, headless Service and policy "mariadb", claim template "data"; no PDB for one member', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['NetworkPolicy/mariadb', 'Service/mariadb', 'StatefulSet/mariadb']);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    expect(db.claimName(0)).toBe('data-mariadb-0');
  });
  test('headless governing Service named as serviceName, selecting the pods by name and instance', () => {
    const svc = find(objects, 'Service', 'mariadb');
    expect(sts.spec.serviceName).toBe('mariadb');
    expect(svc.spec).toEqual({
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' },
      ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }],
    });
    expect(sts.spec.selector.matchLabels).toEqual(svc.spec.selector);
  });
  test('claims on the storage handle, kept when the set is deleted or scaled down', () => {
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'nfs-client',
      resources: { requests: { storage: '1Gi' } },
    });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(main.volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/mysql' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'run-mysqld', mountPath: '/run/mysqld' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'run-mysqld', emptyDir: {} },
    ]);
  });
  test('ordered pods, rolling update, revision history, grace period', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(sts.spec.revisionHistoryLimit).toBe(5);
    expect(pod.terminationGracePeriodSeconds).toBe(60);
  });
  test('restricted as UID/GID 999, read-only root, no token, no service links', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(db.security.level).toBe('restricted');
  });
  test('credentials only as Secret references', () => {
    expect(main.env).toEqual([
      { name: 'MARIADB_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'root-password' } } },
      { name: 'MARIADB_USER', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'user' } } },
      { name: 'MARIADB_PASSWORD', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'password' } } },
      { name: 'MARIADB_DATABASE', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'database' } } },
    ]);
    expect(JSON.stringify(objects)).not.toMatch(/"value":"[^"]*pass/i);
  });
  test('probes: mariadb-admin ping over TCP, startup probe for slow first starts', () => {
    const ping = ['mariadb-admin', 'ping', '--host=127.0.0.1', '--port=3306'];
    expect(main.readinessProbe).toEqual({ exec: { command: ping }, periodSeconds: 5, timeoutSeconds: 3, successThreshold: 1, failureThreshold: 3 });
    expect(main.livenessProbe).toEqual({ exec: { command: ping }, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 6 });
    expect(main.startupProbe).toEqual({ exec: { command: ping }, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 30 });
  });
  test('resources from the engine preset', () => {
    expect(main.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
  });
  test('labels: recommended set with the image tag as version; instance is the name', () => {
    expect(sts.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'mariadb',
      'app.kubernetes.io/instance': 'mariadb',
      'app.kubernetes.io/component': 'database',
      'app.kubernetes.io/version': '11.4.5',
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
    });
    expect(main.image).toBe('mariadb:11.4.5');
    expect(main.name).toBe('mariadb');
  });
  test('stable identity: host, hosts, port; no read host for a single instance', () => {
    expect(db.host).toBe('mariadb-0.mariadb.shop.svc.cluster.local');
    expect(db.hosts).toEqual(['mariadb-0.mariadb.shop.svc.cluster.local']);
    expect(db.port).toBe(3306);
    expect(db.readHost).toBeUndefined();
    expect(db.kind).toBe('StatefulSet');
    expect(db.namespace).toBe('shop');
  });
  test('own NetworkPolicy: members and DNS only, both directions governed', () => {
    const np = find(objects, 'NetworkPolicy', 'mariadb');
    const self = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' } } };
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([{ from: [self], ports: [{ port: 3306, protocol: 'TCP' }] }]);
    expect(np.spec.egress[1]).toEqual({ to: [self], ports: [{ port: 3306, protocol: 'TCP' }] });
    expect(np.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });
});

describe('Redis with replicas', () => {
  const { chart, nfs } = setup();
  const redis = new StatefulStore(chart, 'redis', {
    engine: StoreEngine.redis(),
    storage: nfs.storageClass,
    replicas: 2,
    credentials: { secretName: 'redis-auth' },
  });
  const objects = synthObjects(chart);
  const sts = find(objects, 'StatefulSet');
  const main = sts.spec.template.spec.containers[0];

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('pod 0 is the primary; the others replicaof its stable name; the password reaches redis-server on stdin, not in its arguments', () => {
    expect(main.command[0]).toBe('sh');
    expect(main.command[1]).toBe('-c');
    expect(main.command[2].split('\n')).toEqual([
      'set -eu',
      'pw="$REDIS_PASSWORD"',
      'if [ -z "$pw" ]; then echo "the Redis password from the Secret is empty: refusing to start without authentication" >&2; exit 1; fi',
      `auth="$(printf '%s' "$pw" | od -An -v -tx1 | tr -d ' \\n' | sed 's/../\\\\x&/g')"`,
      'if [ -z "$auth" ]; then echo "could not encode the Redis password (od, tr, sed)" >&2; exit 1; fi',
      'unset pw',
      'role=""; if [ "${POD_NAME##*-}" != "0" ]; then role="replicaof redis-0.redis 6379"; fi',
      'exec redis-server - <<EOF',
      'port 6379',
      'dir /data',
      'protected-mode no',
      'appendonly yes',
      'requirepass "$auth"',
      'masterauth "$auth"',
      '$role',
      'EOF',
    ]);
    expect(main.env).toEqual([
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } },
      { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } },
    ]);
  });
  test('probes with redis-cli ping', () => {
    expect(main.readinessProbe.exec.command).toEqual(['sh', '-c', 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG']);
  });
  test('PDB allowing one member down, and a read Service over all members', () => {
    expect(find(objects, 'PodDisruptionBudget', 'redis').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'redis', 'app.kubernetes.io/name': 'redis' } },
    });
    const read = find(objects, 'Service', 'redis-read');
    expect(read.spec.type).toBe('ClusterIP');
    expect(read.spec.clusterIP).toBeUndefined();
    expect(redis.readHost).toBe('redis-read.shop.svc.cluster.local');
    expect(redis.hosts).toEqual(['redis-0.redis.shop.svc.cluster.local', 'redis-1.redis.shop.svc.cluster.local']);
  });
  test('UID 999 and /data', () => {
    expect(main.securityContext.runAsUser).toBe(999);
    expect(main.volumeMounts[0]).toEqual({ name: 'data', mountPath: '/data' });
  });
});

describe('other engines and options', () => {
  test('Redis without credentials or replicas: no auth env, no replicaof, extra args quoted', () => {
    const { chart, nfs } = setup();
    new StatefulStore(chart, 'cache', { engine: StoreEngine.redis({ appendOnly: false, extraArgs: ['--maxmemory', "200mb'x"] }), storage: nfs.storageClass });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const main = find(objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(main.env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    expect(main.command[2].split('\n')).toEqual([
      'set -eu',
      'role=""',
      `exec redis-server - '--maxmemory' '200mb'"'"'x' <<EOF`,
      'port 6379',
      'dir /data',
      'protected-mode no',
      'appendonly no',
      '$role',
      'EOF',
    ]);
    expect(objects.some((o) => o.kind === 'Service' && o.metadata.name === 'cache-read')).toBe(false);
  });

  test('PostgreSQL: PGDATA in a sub-directory of the volume, pg_isready probes', () => {
    const { chart, nfs } = setup();
    new StatefulStore(chart, 'postgres', { engine: StoreEngine.postgres(), storage: nfs.storageClass, credentials: { secretName: 'pg', userKey: 'username' } });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const main = find(objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(main.volumeMounts[0]).toEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(main.env).toEqual([
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'pg', key: 'password' } } },
      { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'pg', key: 'username' } } },
      { name: 'POSTGRES_DB', valueFrom: { secretKeyRef: { name: 'pg', key: 'database' } } },
    ]);
    expect(main.livenessProbe.exec.command).toEqual([
      'sh',
      '-c',
      'exec pg_isready --host=127.0.0.1 --port=5432 --username="${POSTGRES_USER:-postgres}" --quiet',
    ]);
    expect(main.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/lib/postgresql/data', '/tmp', '/var/run/postgresql']);
  });

  test('PostgreSQL with credentialFiles: POSTGRES_*_FILE from the mounted Secret; pg_isready reads the user file', () => {
    const { chart, nfs } = setup();
    new StatefulStore(chart, 'postgres', {
      engine: StoreEngine.postgres(),
      storage: nfs.storageClass,
      credentials: { secretName: 'pg' },
      credentialFiles: true,
    });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const pod = find(objects, 'StatefulSet').spec.template.spec;
    const main = pod.containers[0];
    const ref = (key: string) => ({ valueFrom: { configMapKeyRef: { name: 'postgres-credential-files', key } } });
    expect(main.env).toEqual([
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      { name: 'POSTGRES_PASSWORD_FILE', ...ref('postgres-auth-file') },
      { name: 'POSTGRES_USER_FILE', ...ref('postgres-user-file') },
      { name: 'POSTGRES_DB_FILE', ...ref('postgres-db-file') },
    ]);
    expect(find(objects, 'ConfigMap', 'postgres-credential-files').data).toEqual({
      'postgres-auth-file': '/run/secrets/pg/password',
      'postgres-user-file': '/run/secrets/pg/user',
      'postgres-db-file': '/run/secrets/pg/database',
    });
    expect(main.readinessProbe.exec.command).toEqual([
      'sh',
      '-c',
      'exec pg_isready --host=127.0.0.1 --port=5432 --username="$(cat /run/secrets/pg/user)" --quiet',
    ]);
    expect(main.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/lib/postgresql/data', '/tmp', '/var/run/postgresql', '/run/secrets/pg']);
    expect(pod.volumes).toContainEqual({ name: 'store-credentials', secret: { secretName: 'pg', defaultMode: 0o440 } });
  });

  test("generic: N identical members like the seeds' redis-sts, TCP probes, workload default resources", () => {
    const { chart, nfs } = setup();
    WorkloadDefaults.set(chart, { resources: { memory: { request: '64Mi', limit: '128Mi' } } });
    const store = new StatefulStore(chart, 'redis-sts', {
      engine: StoreEngine.generic({ image: 'redis:7.4.2-alpine', port: 6379, portName: 'redis', dataPath: '/data', user: 999, group: 1000 }),
      storage: nfs.storageClass,
      storageSize: '100Mi',
      accessModes: ['ReadWriteMany'],
      serviceName: 'redis-svc',
      replicas: 3,
      podManagementPolicy: 'Parallel',
    });
    const objects = synthObjects(chart);
    expectValidManifests(objects);
    const sts = find(objects, 'StatefulSet');
    const main = sts.spec.template.spec.containers[0];
    expect(sts.spec.serviceName).toBe('redis-svc');
    expect(find(objects, 'Service', 'redis-svc').spec.clusterIP).toBe('None');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(main.name).toBe('main');
    expect(main.command).toBeUndefined();
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 'redis' });
    expect(main.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
    expect(sts.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 1000, fsGroup: 1000 });
    expect(sts.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteMany']);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Mi');
    expect(store.hosts).toEqual([
      'redis-sts-0.redis-svc.shop.svc.cluster.local',
      'redis-sts-1.redis-svc.shop.svc.cluster.local',
      'redis-sts-2.redis-svc.shop.svc.cluster.local',
    ]);
    expect(store.readHost).toBeUndefined();
    expect(find(objects, 'PodDisruptionBudget', 'redis-sts').spec.maxUnavailable).toBe(1);
  });

  test('overrides: resources, probes, env, retention, update strategy, pull settings, named class', () => {
    const { chart } = setup('');
    const store = new StatefulStore(chart, 'Orders DB', {
      name: 'orders',
      engine: StoreEngine.mariadb({ image: 'registry.example.com/db/mariadb:11.4.5', extraArgs: ['--innodb-buffer-pool-size=256M'] }),
      storage: StorageClassHandle.fromName('fast-ssd'),
      storageSize: '20Gi',
      credentials: { secretName: 'orders-db', rootPasswordKey: 'root', userKey: 'u', passwordKey: 'p', databaseKey: 'd' },
      resources: { memory: { limit: '2Gi' } },
      probes: { readiness: Probe.tcp({ port: 'mysql' }) },
      env: { TZ: EnvValue.value('UTC') },
      claimRetention: { whenScaled: 'Delete' },
      updateStrategy: 'OnDelete',
      imagePullSecrets: ['harbor-pull'],
      imagePullPolicy: 'IfNotPresent',
      terminationGracePeriodSeconds: 120,
      revisionHistoryLimit: 2,
      appName: 'shop',
      component: 'orders-db',
      partOf: 'shop',
    });
    const objects = synthObjects(chart);
    // IfNotPresent is asked for explicitly here (a pinned tag on a private registry).
    expectValidManifests(objects, { polarisAllow: ['pullPolicyNotAlways'] });
    const sts = find(objects, 'StatefulSet', 'orders');
    const pod = sts.spec.template.spec;
    const main = pod.containers[0];
    expect(main.resources.limits.memory).toBe('2Gi');
    expect(main.resources.requests.memory).toBe('512Mi');
    expect(main.readinessProbe.tcpSocket).toEqual({ port: 'mysql' });
    expect(main.args).toEqual(['--innodb-buffer-pool-size=256M']);
    expect(main.env.map((e: any) => `${e.name}=${e.value ?? e.valueFrom.secretKeyRef.key}`)).toEqual([
      'MARIADB_ROOT_PASSWORD=root',
      'MARIADB_USER=u',
      'MARIADB_PASSWORD=p',
      'MARIADB_DATABASE=d',
      'TZ=UTC',
    ]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(sts.spec.updateStrategy).toEqual({ type: 'OnDelete' });
    expect(pod.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    expect(main.imagePullPolicy).toBe('IfNotPresent');
    expect(pod.terminationGracePeriodSeconds).toBe(120);
    expect(sts.spec.revisionHistoryLimit).toBe(2);
    expect(sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('fast-ssd');
    expect(sts.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'shop',
      'app.kubernetes.io/component': 'orders-db',
      'app.kubernetes.io/part-of': 'shop',
    });
    // Without a namespace the short name resolves through the pod's search path.
    expect(store.host).toBe('orders-0.orders');
  });

  test('an explicit security opt-out is visible as an annotation', () => {
    const { chart, nfs } = setup();
    new StatefulStore(chart, 'legacy', {
      engine: StoreEngine.generic({ image: 'example/legacy-db:2.1', port: 9000, dataPath: '/var/lib/legacy' }),
      storage: nfs.storageClass,
      security: WorkloadSecurity.optOut({ reason: 'image writes to /etc at start', writableRootFilesystem: true }),
    });
    const objects = synthObjects(chart);
    // The opt-out is what this test is about: restricted skips the annotated object, and Polaris'
    // read-only root filesystem warning is the expected consequence.
    expectValidManifests(objects, { allowOptOut: true, polarisAllow: ['notReadOnlyRootFilesystem'] });
    const sts = find(objects, 'StatefulSet');
    expect(sts.metadata.annotations).toEqual({ 'paas.cdk8s.io/pod-security-opt-out': 'image writes to /etc at start' });
    expect(sts.spec.template.metadata.annotations).toEqual({ 'paas.cdk8s.io/pod-security-opt-out': 'image writes to /etc at start' });
    expect(sts.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });
});
