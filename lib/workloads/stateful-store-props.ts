import { ResourcesProps } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { AccessMode, IStorageClassHandle } from '../storage/types';
import { EnvValue } from './env';
import { Probe } from './probes';
import { StoreCredentials, StoreEngine } from './store-engines';

/** Probes of the store's container; each replaces the engine's. */
export interface StoreProbes {
  /** @default - the engine's command, up to 5 minutes for a first start */
  readonly startup?: Probe;
  /** @default - the engine's command (`redis-cli ping`, `mariadb-admin ping`, `pg_isready`) */
  readonly liveness?: Probe;
  /** @default - the engine's command */
  readonly readiness?: Probe;
}

/** What happens to the members' claims. */
export interface ClaimRetentionProps {
  /** When the StatefulSet is deleted. @default 'Retain' */
  readonly whenDeleted?: 'Retain' | 'Delete';
  /** When it is scaled down. @default 'Retain' */
  readonly whenScaled?: 'Retain' | 'Delete';
}

export interface StatefulStoreProps {
  /** The database or cache preset, or `StoreEngine.generic(...)`. */
  readonly engine: StoreEngine;
  /** Class of the members' claims: `NfsStorage.storageClass`, an `NfsStorageClass`, or `StorageClassHandle.fromName()`. */
  readonly storage: IStorageClassHandle;
  /** Size of each member's claim. @default '1Gi' */
  readonly storageSize?: string;
  /** Access modes of each member's claim. @default ['ReadWriteOnce'] */
  readonly accessModes?: AccessMode[];
  /** Object name of the StatefulSet (at most 52 characters). @default - the construct id, lower-cased */
  readonly name?: string;
  /** Name of the headless governing Service (`spec.serviceName`). @default - the object name */
  readonly serviceName?: string;
  /** `app.kubernetes.io/name`. @default - the object name */
  readonly appName?: string;
  /** `app.kubernetes.io/component`. @default - the engine's ('database', 'cache', 'store') */
  readonly component?: string;
  /** `app.kubernetes.io/part-of`. @default - not set */
  readonly partOf?: string;
  /** Members. MariaDB and PostgreSQL: 1 only. @default 1 */
  readonly replicas?: number;
  /** Existing Secret with the credentials. Required for MariaDB and PostgreSQL. @default - none (Redis without a password) */
  readonly credentials?: StoreCredentials;
  /**
   * Mount the credentials Secret read-only at `/run/secrets/<secretName>` and hand the server
   * file paths instead of values: `MARIADB_*_FILE` / `POSTGRES_*_FILE`, which the official
   * entrypoints read; the Redis preset's own start script reads the file. Values then never sit in
   * the container's environment. Not for the generic engine.
   * @default false (each key as an environment variable from the Secret)
   */
  readonly credentialFiles?: boolean;
  /** Extra environment variables. @default {} */
  readonly env?: Record<string, EnvValue>;
  /** @default - the engine's preset, else the workload defaults */
  readonly resources?: ResourcesProps;
  /** @default - the engine's */
  readonly probes?: StoreProbes;
  /** @default 'OrderedReady' */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** `RollingUpdate` replaces members from the highest ordinal down; `OnDelete` waits for you to delete pods. @default 'RollingUpdate' */
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  /** @default { whenDeleted: 'Retain', whenScaled: 'Retain' } */
  readonly claimRetention?: ClaimRetentionProps;
  /** PodDisruptionBudget `maxUnavailable`, emitted when replicas >= 2. @default 1 */
  readonly maxUnavailable?: number;
  /** @default WorkloadSecurity.restricted({ user: engine.user, group: engine.group }) */
  readonly security?: WorkloadSecurity;
  /** Writable emptyDir paths. @default - the engine's (e.g. ['/tmp', '/run/mysqld']) */
  readonly writablePaths?: string[];
  /** @default [] */
  readonly imagePullSecrets?: string[];
  /** @default 'Always' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent';
  /** @default 60 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default 5 */
  readonly revisionHistoryLimit?: number;
}
