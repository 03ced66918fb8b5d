import { fail } from '../core/errors';
import { checkDnsSubdomain } from '../core/names';
import { checkStorageClassFacts } from './storage-shape';

/**
 * How a volume can be mounted.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
 */
export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

/** Every access mode, in the order Kubernetes documents them. */
export const ALL_ACCESS_MODES: readonly AccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/**
 * What happens to the data of a dynamically provisioned volume when its claim is deleted.
 * - `archive`: the folder is kept under an `archived-` name (nfs-subdir) or archived (csi-driver-nfs);
 * - `retain`: the folder stays where it is;
 * - `delete`: the folder and its data are removed;
 * - `unknown`: a class we did not configure.
 */
export type DataOnDelete = 'archive' | 'retain' | 'delete' | 'unknown';

/**
 * A StorageClass that claims (and StatefulStore claim templates) can name. Implemented by the
 * NFS provisioner chart's class (`NfsStorage.storageClass`), by extra classes we emit
 * (`NfsStorageClass`) and by classes imported by name (`StorageClassHandle.fromName`).
 */
export interface IStorageClassHandle {
  /** `metadata.name` of the StorageClass. */
  readonly storageClassName: string;
  /**
   * Whether growing a claim's `storage` request makes the volume larger. False for
   * nfs-subdir, which has no resize support.
   */
  readonly supportsExpansion: boolean;
  /** Whether a workload is kept within its claim's size. NFS backends do not enforce it (no quotas). */
  readonly enforcesSize: boolean;
  /** Access modes the backend can provide. */
  readonly accessModes: readonly AccessMode[];
  /** What happens to the data when a claim is deleted. */
  readonly onDelete: DataOnDelete;
}

/** Facts about a StorageClass we do not manage. */
export interface StorageClassFacts {
  /** @default false */
  readonly supportsExpansion?: boolean;
  /** @default true */
  readonly enforcesSize?: boolean;
  /** @default - all access modes */
  readonly accessModes?: AccessMode[];
  /** @default 'unknown' */
  readonly onDelete?: DataOnDelete;
}

/** A StorageClass that exists in the cluster but is neither created by our platform stack nor emitted by us. */
export class StorageClassHandle implements IStorageClassHandle {
  /** Refers to an existing StorageClass by name, with what is known about it. */
  public static fromName(storageClassName: string, facts: StorageClassFacts = {}): IStorageClassHandle {
    checkStorageClassFacts(storageClassName, facts);
    checkDnsSubdomain('StorageClassHandle.fromName', 'storageClassName', storageClassName);
    const modes = facts.accessModes ?? [...ALL_ACCESS_MODES];
    if (modes.length === 0 || modes.some((m) => !ALL_ACCESS_MODES.includes(m))) {
      fail('StorageClassHandle.fromName', 'accessModes', modes, `must list the modes the class offers, among ${ALL_ACCESS_MODES.join(', ')}`);
    }
    return new StorageClassHandle(
      storageClassName,
      facts.supportsExpansion ?? false,
      facts.enforcesSize ?? true,
      Object.freeze([...modes]),
      facts.onDelete ?? 'unknown',
    );
  }

  private constructor(
    public readonly storageClassName: string,
    public readonly supportsExpansion: boolean,
    public readonly enforcesSize: boolean,
    public readonly accessModes: readonly AccessMode[],
    public readonly onDelete: DataOnDelete,
  ) {}
}

/** Checks a list of access modes: non-empty, known, no duplicates. */
export function checkAccessModes(path: string, field: string, modes: readonly AccessMode[]): AccessMode[] {
  if (!Array.isArray(modes) || modes.length === 0) {
    fail(path, field, modes, `must list at least one access mode (${ALL_ACCESS_MODES.join(', ')})`);
  }
  for (const m of modes) {
    if (!ALL_ACCESS_MODES.includes(m)) fail(path, field, modes, `must contain only ${ALL_ACCESS_MODES.join(', ')}; got "${m}"`);
  }
  if (new Set(modes).size !== modes.length) fail(path, field, modes, 'must not repeat an access mode');
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    fail(path, field, modes, 'must not combine ReadWriteOncePod with other modes (Kubernetes rejects it)');
  }
  return [...modes];
}

/** Checks that every requested mode is one the class (or volume) offers. */
export function checkModesOffered(path: string, field: string, requested: readonly AccessMode[], offered: readonly AccessMode[], what: string): void {
  const missing = requested.filter((m) => !offered.includes(m));
  if (missing.length > 0) {
    fail(path, field, requested, `must be among the access modes ${what} offers (${offered.join(', ')}); ${missing.join(', ')} is not`);
  }
}
