import { App, Chart } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { createNginx } from './nginx';

/**
 * The seeds' static NFS volume: an admin hands the folder `<export>/1g-pv` to Kubernetes as the
 * PersistentVolume `nfs-1g-pv` (1Gi, ReadWriteMany, class name `nfs`, Retain), and the tenant's
 * claim `nfs-static-pvc` binds exactly that volume (pre-bound both ways). nginx serves the folder.
 *
 * Two files in dist/: `static-nfs-admin` (cluster admin: the PersistentVolume) and `static-nfs`
 * (namespace `static-nfs`: claim and app). The folder must exist on the NFS server and be
 * writable by the app's UID (see docs/storage.md).
 */
export function addStaticNfs(app: App, platform: PlatformSpec): void {
  const admin = new Chart(app, 'static-nfs-admin', { disableResourceNameHashes: true });
  const tenant = new Chart(app, 'static-nfs', { namespace: 'static-nfs', disableResourceNameHashes: true });
  const nfs = NfsStorage.fromPlatform(admin, 'nfs', platform);
  const volume = nfs.staticVolume('nfs-1g-pv', {
    path: `${platform.nfs!.path}/1g-pv`,
    capacity: '1Gi',
    accessModes: ['ReadWriteMany'],
    storageClassName: 'nfs',
  });
  const claim = volume.claim(tenant, 'nfs-static-pvc');
  const web = createNginx(tenant, 'nfs-static');
  web.mountClaim(claim, '/usr/share/nginx/html/shared', { readOnly: true });
}
