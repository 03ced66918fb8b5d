import { App } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { NfsStorage } from '../lib/storage/nfs-storage';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { BatchJob } from '../lib/workloads/batch-job';
import { StatefulStore } from '../lib/workloads/stateful-store';
import { StoreEngine } from '../lib/workloads/store-engines';

/** The schema migration the Job applies, as a config file (a ConfigMap; the checksum tracks changes). */
const MIGRATION = `CREATE TABLE IF NOT EXISTS orders (
  id BIGSERIAL PRIMARY KEY,
  placed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  total_cents BIGINT NOT NULL CHECK (total_cents >= 0)
);
CREATE INDEX IF NOT EXISTS orders_placed_at ON orders (placed_at);
`;

/**
 * A one-off task connected to a store by handle: a BatchJob that applies a schema migration to a
 * PostgreSQL StatefulStore with `psql` from the store's own image. `connect()` hands the Job
 * `PGHOST`, `PGPORT` and `PGUSER`/`PGPASSWORD`/`PGDATABASE` from the store's Secret (psql reads
 * them as they are) and opens the NetworkPolicies both ways. The Job waits for the database
 * (`pg_isready`) within its deadline, so applying store and Job together works; the migration is
 * idempotent (`IF NOT EXISTS`), so a retry is harmless. A Job's template is immutable: to run a
 * new migration, delete the finished Job (its TTL does so after 24 hours) or give it a new name.
 *
 * Tenant `shop-db`: `shop-db-admin` and `shop-db` in dist/. The Secret `orders-db` (keys user,
 * password, database) comes from the credentials stack (`cdktf.out/stacks/seeds-credentials`),
 * applied between the two files.
 */
export function addMigrationJob(app: App, platform: PlatformSpec): BatchJob {
  const tenant = new TenantNamespace(app, 'shop-db', { platform });
  const nfs = NfsStorage.fromPlatform(tenant, 'nfs', platform);
  const engine = StoreEngine.postgres();
  const db = new StatefulStore(tenant, 'orders-db', {
    engine,
    storage: nfs.storageClass,
    storageSize: '2Gi',
    credentials: { secretName: 'orders-db' },
    partOf: 'shop',
  });
  const migrate = new BatchJob(tenant, 'migrate-orders', {
    image: engine.image,
    partOf: 'shop',
    component: 'migration',
    command: [
      'sh',
      '-c',
      'until pg_isready --quiet; do sleep 2; done; exec psql --no-psqlrc -v ON_ERROR_STOP=1 --single-transaction -f /migrations/001-orders.sql',
    ],
    configFiles: [{ id: 'migrations', files: { '001-orders.sql': MIGRATION }, mountPath: '/migrations' }],
    activeDeadlineSeconds: 600,
    backoffLimit: 2,
  });
  db.connect(migrate, { prefix: 'PG' });
  return migrate;
}
