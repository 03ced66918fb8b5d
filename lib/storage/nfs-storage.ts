import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { NfsBackendKind, NfsSpec, PlatformSpec } from '../platform-spec';
import { nfsAccessModes, NfsClassOptions, NfsStorageClass } from './nfs-storage-class';
import { StaticNfsVolume, StaticVolumeOptions } from './static-nfs-volume';
import { IStorageClassHandle, StorageClassHandle } from './types';
import { ClaimOptions, VolumeClaim } from './volume-claim';
import { checkFromPlatform, checkNfsArgs } from './nfs-shape';
import { assertArgs } from '../core/shape';
import { nfsStoragePropsShape } from './nfs-shape';
import { ProblemCollector } from '../core/errors';

export interface NfsStorageProps {
  /** The platform's NFS facts (`platform.nfs`). */
  readonly nfs: NfsSpec;
}

/** Options of `NfsStorage.claim()`. */
export interface NfsClaimOptions extends ClaimOptions {
  /** @default - the class the provisioner chart creates (`NfsStorage.storageClass`) */
  readonly storageClass?: IStorageClassHandle;
}

/**
 * The platform's NFS storage as typed handles: the class the provisioner chart creates, extra
 * classes on the same provisioner, static volumes, and claims. Place it in a cluster-admin chart:
 * what it emits itself (extra StorageClasses, PersistentVolumes) is cluster-scoped; claims go
 * into the scope you pass to `claim()`.
 */
export class NfsStorage extends Construct {
  /** The NFS storage the platform spec describes; a synth error when the spec has no `nfs`. */
  public static fromPlatform(scope: Construct, id: string, platform: PlatformSpec): NfsStorage {
    checkFromPlatform(scope, id, platform);
    if (!platform.nfs) {
      const path = scope.node.path ? `${scope.node.path}/${id}` : id;
      fail(path, 'platform.nfs', undefined, 'must be set in the platform spec (definePlatform({ nfs: { server, path } })) to use NFS storage');
    }
    return new NfsStorage(scope, id, { nfs: platform.nfs });
  }

  public readonly nfs: NfsSpec;
  public readonly backend: NfsBackendKind;
  /**
   * The class the provisioner chart creates (platform `nfs.storageClassName`, e.g. `nfs-client`).
   * Not emitted here: the platform stack installs it through chart values.
   */
  public readonly storageClass: IStorageClassHandle;

  constructor(scope: Construct, id: string, props: NfsStorageProps) {
    super(scope, id);
    assertArgs(ProblemCollector.pathOf(this), [['props', props, nfsStoragePropsShape]]);
    this.nfs = props.nfs;
    this.backend = props.nfs.backend;
    this.storageClass = StorageClassHandle.fromName(props.nfs.storageClassName, {
      // nfs-subdir has no resize support at all; csi-driver-nfs accepts resizes (NFS has no quotas).
      supportsExpansion: this.backend === 'csi-driver-nfs',
      enforcesSize: false,
      accessModes: nfsAccessModes(this.backend),
      onDelete: props.nfs.onDelete,
    });
  }

  /** Emits an extra StorageClass on the same provisioner (e.g. `nfs-client-retained`). */
  public addClass(id: string, options: NfsClassOptions = {}): NfsStorageClass {
    checkNfsArgs(this.node.path, 'addClass', id, options);
    return new NfsStorageClass(this, id, { ...options, nfs: this.nfs });
  }

  /** Emits a static PersistentVolume for an existing folder; claim it with `.claim(scope, id)`. */
  public staticVolume(id: string, options: StaticVolumeOptions): StaticNfsVolume {
    checkNfsArgs(this.node.path, 'staticVolume', id, options);
    return new StaticNfsVolume(this, id, { ...options, nfs: this.nfs });
  }

  /**
   * A PersistentVolumeClaim in `scope` (the workload's chart) on one of this storage's classes,
   * mountable with `WebApp.mountClaim()`.
   */
  public claim(scope: Construct, id: string, options: NfsClaimOptions): VolumeClaim {
    checkNfsArgs(this.node.path, 'claim', id, options, scope);
    return new VolumeClaim(scope, id, { ...options, storageClass: options.storageClass ?? this.storageClass });
  }
}
