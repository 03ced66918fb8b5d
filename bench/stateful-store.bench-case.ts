import { Chart } from 'cdk8s';
import { definePlatform } from '../lib/platform-spec';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { StatefulStore } from '../lib/workloads/stateful-store';
import { StoreEngine } from '../lib/workloads/store-engines';

const platform = definePlatform({ nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'] } });

/**
 * Builds `n` StatefulStores into `chart`: Redis with 2 members on the NFS provisioner's class and a
 * password Secret, which gives the full object set (StatefulSet with claim template, headless and
 * read Services, PodDisruptionBudget, NetworkPolicy). Run as the bench case
 * `stateful-store.bench-case#buildStatefulStores`.
 */
export function buildStatefulStores(chart: Chart, n: number): void {
  const nfs = NfsStorage.fromPlatform(chart, 'nfs', platform);
  for (let i = 0; i < n; i++) {
    new StatefulStore(chart, `store${i}`, {
      engine: StoreEngine.redis(),
      storage: nfs.storageClass,
      replicas: 2,
      credentials: { secretName: `store${i}-auth` },
    });
  }
}
