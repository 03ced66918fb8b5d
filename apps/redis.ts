import { App } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { StatefulStore } from '../lib/workloads/stateful-store';
import { StoreEngine } from '../lib/workloads/store-engines';

/**
 * The seeds' `redis-pv-sts` done right: Redis with 2 members on the NFS provisioner's class,
 * pod 0 the primary and pod 1 its replica (`--replicaof redis-0.redis`), a headless Service
 * whose name is the StatefulSet's `serviceName`, claims kept when the set is deleted or scaled
 * down, a read Service over both members, a PDB and NetworkPolicies.
 *
 * Tenant `cache`: `redis-admin` (Namespace, RBAC; apply first) and `redis` in dist/. The Secret
 * `redis-auth` (key password, random) is created between the two by the credentials stack
 * (`cdktf.out/stacks/seeds-credentials`).
 */
export function addRedis(app: App, platform: PlatformSpec): StatefulStore {
  const chart = new TenantNamespace(app, 'redis', { platform, namespace: 'cache' });
  const nfs = NfsStorage.fromPlatform(chart, 'nfs', platform);
  return new StatefulStore(chart, 'redis', {
    engine: StoreEngine.redis(),
    storage: nfs.storageClass,
    storageSize: '1Gi',
    replicas: 2,
    credentials: { secretName: 'redis-auth' },
  });
}
