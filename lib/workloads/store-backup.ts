import { fail, ProblemCollector } from '../core/errors';
import { fitName } from '../core/names';
import { PaasRegistry } from '../core/registry';
import { ResourcesProps } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { k8s } from 'cdk8s-plus-28';
import { checkPropsShape, storeBackupOptionsShape } from './batch-job-shape';
import { EnvValue } from './env';
import { MAX_CRONJOB_NAME, ScheduledJob } from './scheduled-job';
import { StoreEnd } from './store-connect';
import { egressTo, ingressFrom } from './store-network';
import { IVolumeClaim } from './types';

/** Options of `StatefulStore.backup()`. */
export interface StoreBackupOptions {
  /** When to dump, as a ScheduledJob schedule (e.g. `'0 3 * * *'` or `'@daily'`). */
  readonly schedule: string;
  /**
   * Claim the dumps are written to. Take one that outlives the store (a class with `onDelete:
   * 'retain'`) and, to survive losing the store's NFS server, a class on another server: a dump
   * next to the data it copies is no protection against losing that server.
   */
  readonly to: IVolumeClaim;
  /** Dumps kept on the claim; older ones are deleted after each successful dump. @default 7 */
  readonly retain?: number;
  /** IANA time zone of the schedule. @default - the kube-controller-manager's (usually UTC) */
  readonly timeZone?: string;
  /** Name of the ScheduledJob. @default '<store>-backup' (cut to 52 characters) */
  readonly name?: string;
  /** Seconds one dump may take before it is failed, so a hung dump does not block the next runs (Forbid). @default 21600 (6 hours) */
  readonly activeDeadlineSeconds?: number;
  /** Resources of the dump container. @default - the workload defaults */
  readonly resources?: ResourcesProps;
}

/** What `backup()` created. */
export interface StoreBackup {
  readonly job: ScheduledJob;
  /** Lets the backup pods in to the store's port; beside the store. */
  readonly ingressPolicy: k8s.KubeNetworkPolicy;
  /** Lets the backup pods out to the store's port; beside the job. */
  readonly egressPolicy: k8s.KubeNetworkPolicy;
  /** File names on the claim: `<prefix><UTC timestamp><suffix>`. */
  readonly filePrefix: string;
  readonly fileSuffix: string;
}

const MOUNT = '/backup';

/** The engine's dump command (its own client, from its own image) and the variables it reads credentials from. */
function dumpOf(store: StoreEnd, out: string): { command: string; env: Array<[string, string | undefined]>; suffix: string } {
  const c = store.credentials;
  switch (store.engine.kind) {
    case 'mariadb':
      // Root sees every database; --single-transaction gives a consistent InnoDB snapshot without locking.
      return {
        command: `mariadb-dump --host=${store.host} --port=${store.port} --user=root --single-transaction --routines --events --triggers --all-databases | gzip -c > "${out}"`,
        env: [['MYSQL_PWD', c?.rootPasswordKey]],
        suffix: '.sql.gz',
      };
    case 'postgres':
      // Custom format: compressed, restorable table by table with pg_restore. Roles are cluster-wide and not in it.
      return {
        command: `pg_dump --host=${store.host} --port=${store.port} --format=custom --file="${out}"`,
        env: [
          ['PGPASSWORD', c?.passwordKey],
          ['PGUSER', c?.userKey],
          ['PGDATABASE', c?.databaseKey],
        ],
        suffix: '.dump',
      };
    case 'redis':
      // --rdb asks the server for a fresh snapshot over the replication protocol and writes it here;
      // BGSAVE alone would write it to the server's own volume.
      return { command: `redis-cli -h ${store.host} -p ${store.port} --rdb "${out}"`, env: [['REDISCLI_AUTH', c?.passwordKey]], suffix: '.rdb' };
    default:
      fail(
        ProblemCollector.pathOf(store.scope),
        'backup',
        store.engine.displayName,
        'is only offered for the MariaDB, PostgreSQL and Redis presets: a generic store needs your own ScheduledJob with its own dump tool',
      );
  }
}

/**
 * @internal The body of `StatefulStore.backup()`: a ScheduledJob in the store's chart that runs
 * the engine's dump client from the engine's image against the primary, writes a timestamped file
 * (first as `.partial`, renamed when complete, so a failed dump never looks like a good one),
 * keeps the newest `retain`, and reads credentials from the store's Secret by reference only.
 */
export function createStoreBackup(store: StoreEnd, options: StoreBackupOptions): StoreBackup {
  const path = ProblemCollector.pathOf(store.scope);
  checkPropsShape(store.scope, options, storeBackupOptionsShape, 'backup');
  const problems = new ProblemCollector(path);
  if (store.scope.node.tryFindChild('Backup')) fail(path, 'backup', options?.schedule, 'must be called once per store: this store already has a backup');
  const opts = options ?? ({} as StoreBackupOptions);
  const retain = opts.retain ?? 7;
  if (!Number.isInteger(retain) || retain < 1) problems.add('backup.retain', retain, 'must be an integer >= 1: the newest dumps kept on the claim');
  const to = opts.to;
  if (!to || typeof to.claimName !== 'string') problems.add('backup.to', to, 'must be a claim handle (NfsStorage.claim(), VolumeClaim.fromClaimName())');
  problems.throwIfAny();
  const name = opts.name ?? fitName(`${store.name}-backup`, MAX_CRONJOB_NAME);
  // The one naming scheme for derived names: they are also `app.kubernetes.io/instance` labels (63).
  const fromName = fitName(`${store.name}-from-${name}`);
  const toName = fitName(`${name}-to-${store.name}`);
  const prefix = `${store.name}-`;
  const partial = `${MOUNT}/.${prefix}$stamp.partial`;
  const dump = dumpOf(store, partial);
  const script = [
    'set -euo pipefail',
    'umask 077',
    'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
    `trap 'rm -f "${partial}"' EXIT`,
    dump.command,
    `mv "${partial}" "${MOUNT}/${prefix}$stamp${dump.suffix}"`,
    // Timestamps sort as text: the glob lists the oldest first.
    'shopt -s nullglob',
    `files=(${MOUNT}/${prefix}*${dump.suffix})`,
    `for ((i = 0; i < \${#files[@]} - ${retain}; i++)); do rm -f -- "\${files[i]}"; done`,
    `echo "dump ${prefix}$stamp${dump.suffix} written; kept the newest ${retain}"`,
  ].join('\n');
  const env: Record<string, EnvValue> = {};
  const outside = store.credentialsCreatedOutside !== undefined ? { createdOutside: store.credentialsCreatedOutside } : undefined;
  for (const [variable, key] of dump.env) {
    if (key !== undefined && store.credentials) env[variable] = EnvValue.fromSecret(store.credentials.secretName, key, outside);
  }
  const job = new ScheduledJob(store.scope, 'Backup', {
    name,
    image: store.engine.image,
    appName: store.appName,
    component: 'backup',
    schedule: opts.schedule,
    timeZone: opts.timeZone,
    command: ['bash', '-c', script],
    env,
    resources: opts.resources,
    // The engine's client runs as the engine's own user, so the dumps' owner matches the server's.
    security: WorkloadSecurity.restricted({ user: store.engine.user, group: store.engine.group }),
    activeDeadlineSeconds: opts.activeDeadlineSeconds ?? 21_600,
  });
  job.mountClaim(to, MOUNT);
  const ingressPolicy = ingressFrom(store.scope, `From-${name}`, {
    name: fromName,
    appName: store.appName,
    subject: store.selector,
    other: { labels: job.selectorLabels },
    port: store.port,
  });
  const egressPolicy = egressTo(job, `To-${store.name}`, {
    name: toName,
    appName: store.appName,
    subject: job.selectorLabels,
    other: { labels: store.selector },
    port: store.port,
  });
  const registry = PaasRegistry.of(store.scope);
  registry.registerObject({ path, kind: 'NetworkPolicy', namespace: store.namespace, name: fromName });
  registry.registerObject({ path: job.node.path, kind: 'NetworkPolicy', namespace: job.namespace, name: toName });
  return { job, ingressPolicy, egressPolicy, filePrefix: prefix, fileSuffix: dump.suffix };
}
