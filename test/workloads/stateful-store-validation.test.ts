import { Chart, Testing } from 'cdk8s';
import { warningsOf } from '../../lib/core/warnings';
import { StorageClassHandle } from '../../lib/storage/types';
import { Probe } from '../../lib/workloads/probes';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StatefulStoreProps } from '../../lib/workloads/stateful-store-props';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { synthObjects } from '../support';

const storage = StorageClassHandle.fromName('nfs-client', { enforcesSize: false, accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] });
const creds = { secretName: 'db-credentials' };

function build(props: Partial<StatefulStoreProps>, id = 'db'): () => StatefulStore {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  return () => new StatefulStore(chart, id, { engine: StoreEngine.mariadb(), storage, credentials: creds, ...props });
}

describe('StatefulStore validation', () => {
  test('fails if the name is longer than 52 characters (controller-revision-hash label)', () => {
    const name = 'a'.repeat(53);
    expect(build({ name })).toThrow(
      `test/db: name "${name}" is invalid: must be a DNS-1123 label: 1-52 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  });

  test('accepts a 52-character name', () => {
    expect(build({ name: 'a'.repeat(52) })().name).toHaveLength(52);
  });

  test('fails if serviceName is not a DNS label', () => {
    expect(build({ serviceName: 'DB.svc' })).toThrow(
      `test/db: serviceName "DB.svc" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  });

  test('fails if the Service name would start with a digit (DNS-1035)', () => {
    expect(build({ name: '1db' })).toThrow(
      'test/db: name "1db" is invalid: must start with a letter: the headless Service takes this name, and Service names are DNS-1035 labels',
    );
    expect(build({ name: '1db', serviceName: '2db' })).toThrow(
      'test/db: serviceName "2db" is invalid: must start with a letter: the headless Service takes this name, and Service names are DNS-1035 labels',
    );
    expect(build({ name: '1db', serviceName: 'db' })().serviceName).toBe('db');
    expect(build({ name: '1db', serviceName: 'db', engine: StoreEngine.redis(), replicas: 2 })).toThrow(
      'test/db: name "1db" is invalid: must start with a letter: the read Service "1db-read" takes it, and Service names are DNS-1035 labels',
    );
  });

  test('fails if MariaDB gets replicas: replication is not supported yet', () => {
    expect(build({ replicas: 3 })).toThrow(
      'test/db: replicas 3 is invalid: must be 1: MariaDB replication is not supported yet (run one instance, or StoreEngine.generic with your own replication setup)',
    );
  });

  test('fails if PostgreSQL gets replicas: replication is not supported yet', () => {
    expect(build({ engine: StoreEngine.postgres(), replicas: 2 })).toThrow(
      'test/db: replicas 2 is invalid: must be 1: PostgreSQL replication is not supported yet (run one instance, or StoreEngine.generic with your own replication setup)',
    );
  });

  test('fails if replicas is below 1 or not an integer', () => {
    expect(build({ engine: StoreEngine.redis(), replicas: 0 })).toThrow('test/db: replicas 0 is invalid: must be an integer >= 1');
    expect(build({ engine: StoreEngine.redis(), replicas: 1.5 })).toThrow('test/db: replicas 1.5 is invalid: must be an integer >= 1');
  });

  test('fails if MariaDB or PostgreSQL have no credentials', () => {
    expect(build({ credentials: undefined })).toThrow(
      'test/db: credentials undefined is invalid: must reference an existing Secret: MariaDB does not initialize without a password (see docs/stateful-store.md for the kubectl command)',
    );
    expect(build({ engine: StoreEngine.postgres(), credentials: undefined })).toThrow(
      'test/db: credentials undefined is invalid: must reference an existing Secret: PostgreSQL does not initialize without a password (see docs/stateful-store.md for the kubectl command)',
    );
  });

  test('fails if credentialFiles has no Secret, or is asked of the generic engine', () => {
    expect(build({ engine: StoreEngine.redis(), credentials: undefined, credentialFiles: true })).toThrow(
      'test/db: credentialFiles true is invalid: needs credentials: a Secret to mount',
    );
    expect(build({ engine: StoreEngine.generic({ image: 'example/kv:1.2.0', port: 7000, dataPath: '/data' }), credentialFiles: true })).toThrow(
      'test/db: credentialFiles true is invalid: must be false for the generic engine: no preset reads its files (set the variables your image reads with env and EnvValue.fromSecret)',
    );
  });

  test('fails if the Secret name or a key is invalid', () => {
    expect(build({ credentials: { secretName: 'DB_Secret' } })).toThrow('test/db: credentials.secretName "DB_Secret" is invalid: must be a DNS-1123 subdomain');
    expect(build({ credentials: { secretName: 'db', passwordKey: 'pass word' } })).toThrow(
      `test/db: credentials.passwordKey "pass word" is invalid: must be a Secret key: letters, digits, '-', '_' or '.'`,
    );
  });

  test('fails if the storage size is not a quantity', () => {
    expect(build({ storageSize: '10 GB' })).toThrow('test/db: storageSize "10 GB" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi"');
  });

  test('fails if the class does not offer the access mode', () => {
    expect(build({ accessModes: ['ReadWriteOncePod'] })).toThrow(
      'test/db: accessModes ["ReadWriteOncePod"] is invalid: must be among the access modes storage class "nfs-client" offers (ReadWriteOnce, ReadOnlyMany, ReadWriteMany); ReadWriteOncePod is not',
    );
  });

  test('fails if maxUnavailable is 0 (blocks drains)', () => {
    expect(build({ engine: StoreEngine.redis(), replicas: 2, maxUnavailable: 0 })).toThrow(
      'test/db: maxUnavailable 0 is invalid: must be an integer >= 1: 0 blocks every node drain (Polaris pdbDisruptionsIsZero)',
    );
  });

  test('fails if resources are malformed or a request exceeds its limit', () => {
    expect(build({ resources: { memory: { request: '512MB' } } })).toThrow(
      'test/db: resources.memory.request "512MB" is invalid: must be a positive memory quantity such as "128Mi", "1Gi" or "500M" (did you mean "512Mi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
    );
    expect(build({ resources: { cpu: { request: '2' } } })).toThrow('test/db: resources.cpu.request "2" is invalid: must not exceed the CPU limit "1"');
  });

  test('fails if a writable path is relative or the data path', () => {
    expect(build({ writablePaths: ['tmp'] })).toThrow(
      'test/db: writablePaths "tmp" is invalid: must be absolute paths other than the data path "/var/lib/mysql"',
    );
    expect(build({ writablePaths: ['/var/lib/mysql'] })).toThrow(
      'test/db: writablePaths "/var/lib/mysql" is invalid: must be absolute paths other than the data path "/var/lib/mysql"',
    );
  });

  test('fails if env names, pull secrets, grace period or history are invalid', () => {
    expect(build({ env: { '1BAD': undefined as never } })).toThrow(
      `test/db: env.1BAD "1BAD" is invalid: must consist of letters, digits, '_', '-' or '.', and not start with a digit`,
    );
    expect(build({ imagePullSecrets: ['Harbor Pull'] })).toThrow('test/db: imagePullSecrets[0] "Harbor Pull" is invalid: must be a DNS-1123 subdomain');
    expect(build({ terminationGracePeriodSeconds: -1 })).toThrow('test/db: terminationGracePeriodSeconds -1 is invalid: must be an integer >= 0');
    expect(build({ revisionHistoryLimit: 0.5 })).toThrow('test/db: revisionHistoryLimit 0.5 is invalid: must be an integer >= 0');
  });

  test('fails if a policy, strategy, retention or pull policy is unknown (from plain JavaScript)', () => {
    expect(build({ podManagementPolicy: 'Serial' as never })).toThrow('test/db: podManagementPolicy "Serial" is invalid: must be "OrderedReady" or "Parallel"');
    expect(build({ updateStrategy: 'Recreate' as never })).toThrow('test/db: updateStrategy "Recreate" is invalid: must be "RollingUpdate" or "OnDelete"');
    expect(build({ claimRetention: { whenDeleted: 'Keep' as never } })).toThrow(
      'test/db: claimRetention.whenDeleted "Keep" is invalid: must be "Retain" or "Delete"',
    );
    expect(build({ claimRetention: { whenScaled: 'delete' as never } })).toThrow(
      'test/db: claimRetention.whenScaled "delete" is invalid: must be "Retain" or "Delete"',
    );
    expect(build({ imagePullPolicy: 'Never' as never })).toThrow('test/db: imagePullPolicy "Never" is invalid: must be "Always" or "IfNotPresent"');
  });

  test('fails if a probe override is invalid', () => {
    expect(build({ probes: { liveness: Probe.tcp({ port: 'http' }) } })).toThrow(
      'test/db: probes.liveness.port "http" is invalid: must be one of the container\'s port names ("mysql") or a number',
    );
  });

  test('reports every prop problem at once', () => {
    expect(build({ replicas: 2, storageSize: 'big', credentials: undefined })).toThrow(/^3 problems:/);
  });

  test('fails at synth if two stores share a name', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new StatefulStore(chart, 'a', { name: 'db', engine: StoreEngine.redis(), storage });
    new StatefulStore(chart, 'b', { name: 'db', engine: StoreEngine.redis(), storage });
    expect(() => synthObjects(chart)).toThrow(
      'test/b: name "db" is invalid: StatefulSet "db" already exists in namespace "shop" (created by test/a); choose a unique name',
    );
  });
});

describe('StoreEngine.generic validation', () => {
  const base = { image: 'redis:7.4.2', port: 6379, dataPath: '/data' };
  test('fails if the image is untagged or latest', () => {
    expect(() => StoreEngine.generic({ ...base, image: 'redis' })).toThrow(
      'StoreEngine.generic: image "redis" is invalid: must name a tag or a digest: an untagged image means ":latest", which changes under you (e.g. "nginx:1.27.3")',
    );
    expect(() => StoreEngine.redis({ image: 'redis:latest' })).toThrow(
      'StoreEngine.redis: image "redis:latest" is invalid: must not use the ":latest" tag: pin a version tag or a digest (e.g. "nginx:1.27.3")',
    );
  });
  test('fails if port, port name, data path or user are invalid', () => {
    expect(() => StoreEngine.generic({ ...base, port: 70000 })).toThrow('StoreEngine.generic: port 70000 is invalid: must be a port number 1-65535');
    expect(() => StoreEngine.generic({ ...base, portName: 'Redis_Port' })).toThrow(
      'StoreEngine.generic: portName "Redis_Port" is invalid: must be an IANA service name: 1-15 lower-case letters, digits and single \'-\', at least one letter',
    );
    expect(() => StoreEngine.generic({ ...base, dataPath: 'data' })).toThrow(
      'StoreEngine.generic: dataPath "data" is invalid: must be an absolute path such as "/data"',
    );
    expect(() => StoreEngine.generic({ ...base, user: 0 })).toThrow('StoreEngine.generic: user 0 is invalid: must be a non-root UID (an integer >= 1)');
  });
});

describe('StatefulStore warnings', () => {
  test('warns when the class deletes data with its claim; not for archiving or retaining classes', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new StatefulStore(chart, 'scratch', { engine: StoreEngine.redis(), storage: StorageClassHandle.fromName('nfs-scratch', { onDelete: 'delete' }) });
    new StatefulStore(chart, 'kept', { engine: StoreEngine.redis(), storage: StorageClassHandle.fromName('nfs-kept', { onDelete: 'retain' }) });
    expect(warningsOf(chart)).toEqual([
      'test/scratch: storage class "nfs-scratch" deletes a volume\'s data when its claim is deleted (also when the namespace is deleted): prefer a class that archives or retains for a Redis store',
    ]);
  });
});
