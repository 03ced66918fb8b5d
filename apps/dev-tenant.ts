import { App } from 'cdk8s';
import { IngressGateway } from '../lib/networking/ingress-gateway';
import { RouteTls } from '../lib/networking/route-options';
import { PlatformSpec } from '../lib/platform-spec';
import { StorageClassHandle } from '../lib/storage/types';
import { AccessRole, Subject } from '../lib/tenancy/access';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { StatefulStore } from '../lib/workloads/stateful-store';
import { StoreEngine } from '../lib/workloads/store-engines';
import { createNginx } from './nginx';
import { createWordPressWeb } from './wordpress';

/**
 * The seeds' `dev-ns` tenant with the seeds' quota fields and LimitRange, sized for what it holds
 * (the seeds' `count/deployments.apps: 1` and pod max `800m`/`200Mi` would reject WordPress and
 * nginx together, which synth reports): WordPress with its MariaDB and the seeds' nginx, routed
 * through the platform's ingress controller at `wp.test` and `ngx.test`.
 *
 * Two files in dist/: `dev-ns-admin` (cluster admin: Namespace, quota, LimitRange, RBAC) and
 * `dev-ns` (the tenant's deployer: workloads, Services, routes, policies). The Secrets
 * `mariadb-credentials` (keys root-password, user, password, database) and the registry pull
 * secret come from the credentials stack (`cdktf.out/stacks/seeds-credentials`), applied between
 * the two files; the TLS Secrets `wp-tls` and `ngx-tls`
 * are written by the platform's cert-manager (`RouteTls.fromPlatform`).
 */
export function addDevTenant(app: App, platform: PlatformSpec): TenantNamespace {
  const tenant = new TenantNamespace(app, 'dev-ns', {
    platform,
    // Worst case it holds (see docs/tenancy.md): requests 1400m CPU / 1888Mi, limits 6600m / 3776Mi,
    // 9 pods, 1 claim of 2Gi, 3 ConfigMaps (with kube-root-ca.crt), 4 Secrets, 3 Services.
    quota: {
      name: 'dev-qt',
      requests: { cpu: '2', memory: '2560Mi' },
      limits: { cpu: '8', memory: '5Gi' },
      storage: '10Gi',
      storageClasses: { [platform.nfs?.storageClassName ?? 'nfs-client']: { storage: '10Gi', claims: 2 } },
      persistentVolumeClaims: 2,
      pods: 12,
      configMaps: 5,
      secrets: 6,
      services: 5,
      objectCounts: { 'deployments.apps': 2, 'statefulsets.apps': 1, 'jobs.batch': 1, 'cronjobs.batch': 1 },
    },
    limits: {
      name: 'dev-limits',
      container: { defaultRequest: { cpu: '200m', memory: '50Mi' }, defaultLimit: { cpu: '500m', memory: '100Mi' } },
      pod: { max: { cpu: '1', memory: '1Gi' } },
      persistentVolumeClaim: { min: '1Gi', max: '10Gi' },
    },
    grants: [
      { subject: Subject.group('dev-team'), role: AccessRole.EDIT },
      { subject: Subject.group('qa'), role: AccessRole.VIEW },
    ],
  });

  const db = new StatefulStore(tenant, 'mariadb', {
    engine: StoreEngine.mariadb(),
    storage: StorageClassHandle.fromName(platform.nfs?.storageClassName ?? 'nfs-client'),
    storageSize: '2Gi',
    credentials: { secretName: 'mariadb-credentials' },
  });
  const wordpress = createWordPressWeb(tenant);
  // WORDPRESS_DB_* from the store by handle, and the NetworkPolicies both ways.
  db.connect(wordpress, { prefix: 'WORDPRESS_DB_', hostIncludesPort: true, names: { database: 'WORDPRESS_DB_NAME' } });
  const nginx = createNginx(tenant);

  // The gateway belongs to the cluster; its IngressClass (when emitted) is cluster-scoped.
  const gateway = new IngressGateway(tenant.adminChart, 'gateway', { platform });
  gateway.route(wordpress, { host: 'wp.test', tls: RouteTls.fromPlatform({ secretName: 'wp-tls' }), ingressNginx: { proxyBodySize: '16m' } });
  gateway.route(nginx, { host: 'ngx.test', tls: RouteTls.fromPlatform({ secretName: 'ngx-tls' }) });
  return tenant;
}
