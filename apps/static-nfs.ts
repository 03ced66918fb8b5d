import { App } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { createNginx } from './nginx';

/**
 * The seeds' storage objects done right. Cluster admin: the extra class `nfs-client-retained` on
 * the platform's provisioner (folders stay where they are when a claim is deleted), and the
 * static volume: the folder `<export>/1g-pv` handed to Kubernetes as the PersistentVolume
 * `nfs-1g-pv` (1Gi, ReadWriteMany, class name `nfs`, Retain). Tenant: the claim `nfs-static-pvc`
 * that binds exactly that volume (pre-bound both ways), served read-only by nginx.
 *
 * Two files in dist/: `static-nfs-admin` (cluster admin: StorageClass, PersistentVolume) and
 * `static-nfs` (namespace `static-nfs`: claim and app). The folder must exist on the NFS server
 * and be readable by the app's UID (see docs/storage.md).
 */
export function addStaticNfs(app: App, platform: PlatformSpec): void {
  const tenant = new TenantNamespace(app, 'static-nfs', { platform });
  // Cluster-scoped storage objects belong to the cluster admin's file.
  const admin = tenant.adminChart;
  const nfs = NfsStorage.fromPlatform(admin, 'nfs', platform);
  // The seeds' nfs-client-retained, with the provisioner name derived from the platform's release.
  nfs.addClass('nfs-client-retained', { onDelete: 'retain' });
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
