import type { NfsSpec } from '../../platform-spec';

/** Values we set on nfs-subdir-external-provisioner. */
export interface NfsSubdirValues {
  readonly [key: string]: unknown;
  readonly nfs: {
    readonly server: string;
    readonly path: string;
    /** Used for the provisioner's own mount and copied into the StorageClass. */
    readonly mountOptions: readonly string[] | null;
    /** Reclaim policy of the provisioner's root volume (the export itself): always Retain. */
    readonly reclaimPolicy: 'Retain';
  };
  readonly storageClass: {
    readonly create: boolean;
    readonly name: string;
    readonly defaultClass: boolean;
    readonly reclaimPolicy: 'Retain' | 'Delete';
    readonly archiveOnDelete: boolean;
    /** `retain`/`delete` override archiveOnDelete; unset for archiving. */
    readonly onDelete?: 'retain' | 'delete';
    readonly allowVolumeExpansion: boolean;
    readonly volumeBindingMode: 'Immediate';
  };
  /** The container's securityContext (the chart's default is empty). */
  readonly securityContext: { readonly allowPrivilegeEscalation: false };
}

/**
 * nfs-subdir-external-provisioner values: the chart's StorageClass named from the spec. Data
 * safety by `onDelete`: 'archive' deletes the PV but the provisioner renames the folder to
 * `archived-…`; 'retain' keeps PV and folder (reclaimPolicy Retain); only 'delete' removes data.
 */
export function nfsSubdirValues(nfs: NfsSpec): NfsSubdirValues {
  return {
    nfs: {
      server: nfs.server,
      path: nfs.path,
      mountOptions: nfs.mountOptions.length > 0 ? [...nfs.mountOptions] : null,
      reclaimPolicy: 'Retain',
    },
    storageClass: {
      create: true,
      name: nfs.storageClassName,
      defaultClass: nfs.defaultClass,
      reclaimPolicy: nfs.onDelete === 'retain' ? 'Retain' : 'Delete',
      archiveOnDelete: nfs.onDelete === 'archive',
      onDelete: nfs.onDelete === 'archive' ? undefined : nfs.onDelete,
      // The provisioner neither expands nor enforces sizes: a "resized" claim would only change a number.
      allowVolumeExpansion: false,
      volumeBindingMode: 'Immediate',
    },
    // It runs as root to create, archive and delete volume folders owned by any UID, but never
    // needs to gain more than that: no setuid binary, so escalation can be closed.
    securityContext: { allowPrivilegeEscalation: false },
  };
}

/** Values we set on csi-driver-nfs. */
export interface CsiDriverNfsValues {
  readonly [key: string]: unknown;
  readonly driver: { readonly name: string };
  readonly storageClass: {
    readonly create: boolean;
    readonly name: string;
    readonly annotations: Readonly<Record<string, string>>;
    readonly parameters: {
      readonly server: string;
      readonly share: string;
      /** What the driver does with a volume's folder when its PV is deleted. */
      readonly onDelete: 'archive' | 'retain' | 'delete';
      readonly mountPermissions?: string;
    };
    readonly reclaimPolicy: 'Retain' | 'Delete';
    readonly volumeBindingMode: 'Immediate';
    readonly mountOptions?: readonly string[];
  };
}

/**
 * csi-driver-nfs values: the chart's (single) StorageClass, which its values.yaml documents as a
 * commented example under `storageClass`, built from the spec: server/share, the driver's
 * `onDelete` parameter (archive/retain/delete), mount permissions and mount options.
 */
export function csiDriverNfsValues(nfs: NfsSpec): CsiDriverNfsValues {
  return {
    driver: { name: nfs.provisionerName },
    storageClass: {
      create: true,
      name: nfs.storageClassName,
      annotations: nfs.defaultClass ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {},
      parameters: {
        server: nfs.server,
        share: nfs.path,
        onDelete: nfs.onDelete,
        mountPermissions: nfs.mountPermissions,
      },
      reclaimPolicy: nfs.onDelete === 'retain' ? 'Retain' : 'Delete',
      volumeBindingMode: 'Immediate',
      mountOptions: nfs.mountOptions.length > 0 ? [...nfs.mountOptions] : undefined,
    },
  };
}
