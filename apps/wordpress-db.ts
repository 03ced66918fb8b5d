import { App } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { StatefulStore } from '../lib/workloads/stateful-store';
import { StoreEngine } from '../lib/workloads/store-engines';
import { createWordPressWeb } from './wordpress';

/** User and database names in the credentials Secret (the passwords are generated). */
export const WORDPRESS_DB_NAMES = { 'wordpress/mariadb-credentials': { user: 'wp', database: 'wordpress' } } as const;

/**
 * The seeds' WordPress with its database, done right: MariaDB as a StatefulStore on the NFS
 * provisioner's class (the seeds ran it as a Deployment without storage, its password in a
 * ConfigMap), WordPress connected to it by handle, and the uploads folder on a shared
 * ReadWriteMany claim so every replica serves the same media.
 *
 * Tenant `wordpress`: `wordpress-admin` (Namespace, RBAC; apply first) and `wordpress` in dist/.
 * The Secret `mariadb-credentials` (keys root-password, user, password, database) is created by
 * the credentials stack (`cdktf.out/stacks/seeds-credentials`) between the two, with random
 * passwords written through write-only attributes: no value in dist/, cdktf.out/ or state.
 */
export function addWordPressDb(app: App, platform: PlatformSpec): void {
  const chart = new TenantNamespace(app, 'wordpress', { platform });
  // Handles only: the class `nfs-client` is created by the provisioner's chart (platform stack).
  const nfs = NfsStorage.fromPlatform(chart, 'nfs', platform);

  const db = new StatefulStore(chart, 'mariadb', {
    engine: StoreEngine.mariadb(),
    storage: nfs.storageClass,
    storageSize: '5Gi',
    credentials: { secretName: 'mariadb-credentials' },
    // MARIADB_*_FILE: the entrypoint reads the mounted Secret's files; no password in the environment.
    credentialFiles: true,
    partOf: 'wordpress',
  });

  const web = createWordPressWeb(chart);
  // WORDPRESS_DB_HOST (host:port), and WORDPRESS_DB_USER_FILE, _PASSWORD_FILE, _NAME_FILE pointing
  // into the Secret mounted at /run/secrets/mariadb-credentials (the image's wp-config reads
  // `*_FILE` first); NetworkPolicies both ways.
  db.connect(web, { prefix: 'WORDPRESS_DB_', hostIncludesPort: true, names: { database: 'WORDPRESS_DB_NAME' }, credentialFiles: true });

  const uploads = nfs.claim(chart, 'wordpress-uploads', { size: '10Gi', accessModes: ['ReadWriteMany'], appName: 'wordpress' });
  web.mountClaim(uploads, '/var/www/html/wp-content/uploads');

  // Nightly dump at 03:00 UTC with mariadb-dump, the last 7 kept. This claim is on the same NFS
  // server as the database: it survives a lost volume or a dropped table, not a lost server; point
  // `to` at a claim of a class on another server for that (docs/batch.md).
  const backups = nfs.claim(chart, 'mariadb-backups', { size: '10Gi', accessModes: ['ReadWriteOnce'], appName: 'mariadb' });
  db.backup({ schedule: '0 3 * * *', to: backups, retain: 7 });
}
