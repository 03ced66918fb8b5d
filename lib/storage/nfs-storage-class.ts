import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkDnsSubdomain, defaultName } from '../core/names';
import { PaasRegistry } from '../core/registry';
import { addWarning } from '../core/warnings';
import { NfsBackendKind, NfsSpec } from '../platform-spec';
import { AccessMode, ALL_ACCESS_MODES, IStorageClassHandle } from './types';
import { assertArgs } from '../core/shape';
import { nfsStorageClassPropsShape } from './nfs-shape';

/** What an NFS class does with a folder when its claim is deleted. `delete` loses data: choose it explicitly. */
export type NfsOnDelete = 'archive' | 'retain' | 'delete';

/** `reclaimPolicy` of a StorageClass (Recycle is deprecated and not offered). */
export type NfsReclaimPolicy = 'Delete' | 'Retain';

/** When a claim of the class gets its volume. */
export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';

/** Access modes of in-tree NFS volumes (what nfs-subdir and static volumes create): ReadWriteOncePod is CSI-only. */
export const IN_TREE_NFS_ACCESS_MODES: readonly AccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'];

/** Access modes the volumes of an NFS backend offer: csi-driver-nfs all, nfs-subdir the in-tree ones (a copy). */
export function nfsAccessModes(backend: NfsBackendKind): AccessMode[] {
  return backend === 'csi-driver-nfs' ? [...ALL_ACCESS_MODES] : [...IN_TREE_NFS_ACCESS_MODES];
}

/** Options of an extra StorageClass on the platform's NFS provisioner. */
export interface NfsClassOptions {
  /** `metadata.name`. @default - the construct id, lower-cased */
  readonly name?: string;
  /**
   * What happens to a volume's folder when its claim is deleted.
   * @default 'archive'
   */
  readonly onDelete?: NfsOnDelete;
  /**
   * `reclaimPolicy`. `Retain` keeps the PersistentVolume object (and its folder) after the claim
   * is deleted; the provisioner is then never asked to delete, so `archive` and `delete` cannot
   * work with it (a synth error).
   * @default 'Retain' when onDelete is 'retain', else 'Delete'
   */
  readonly reclaimPolicy?: NfsReclaimPolicy;
  /** @default 'Immediate' */
  readonly volumeBindingMode?: VolumeBindingMode;
  /** NFS mount options, e.g. ['nfsvers=4.1', 'hard']. @default - the platform's nfs.mountOptions */
  readonly mountOptions?: string[];
  /** Mark as the cluster's default class. @default false */
  readonly defaultClass?: boolean;
  /**
   * nfs-subdir only: folder name template, e.g. '${.PVC.namespace}-${.PVC.name}'.
   * @default - the provisioner's `<namespace>-<claim>-<volume>`
   */
  readonly pathPattern?: string;
  /** csi-driver-nfs only: sub-directory template under the share. @default - the driver's volume id folder */
  readonly subDir?: string;
  /**
   * csi-driver-nfs only: octal mode of each created folder, so non-root pods can write (NFS
   * ignores fsGroup).
   * @default - the platform's nfs.mountPermissions
   */
  readonly mountPermissions?: string;
  /**
   * csi-driver-nfs only: let claims grow (the driver accepts the new size; NFS enforces none).
   * nfs-subdir cannot expand volumes: `true` there is a synth error.
   * @default true for csi-driver-nfs, not set for nfs-subdir
   */
  readonly allowVolumeExpansion?: boolean;
}

export interface NfsStorageClassProps extends NfsClassOptions {
  /** The platform's NFS facts (server, backend, provisioner name). */
  readonly nfs: NfsSpec;
}

/**
 * An extra StorageClass on the platform's NFS provisioner (e.g. the seeds' `nfs-client-retained`).
 * Cluster-scoped: it belongs in a cluster-admin chart. The class the provisioner chart creates
 * itself is not emitted here: use `NfsStorage.storageClass`.
 */
export class NfsStorageClass extends Construct implements IStorageClassHandle {
  public readonly storageClassName: string;
  public readonly supportsExpansion: boolean;
  public readonly enforcesSize = false;
  public readonly accessModes: readonly AccessMode[];
  public readonly onDelete: NfsOnDelete;
  public readonly reclaimPolicy: NfsReclaimPolicy;
  /** The StorageClass object. */
  public readonly apiObject: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: NfsStorageClassProps) {
    super(scope, id);
    const path = ProblemCollector.pathOf(this);
    assertArgs(path, [['props', props, nfsStorageClassPropsShape]]);
    const problems = new ProblemCollector(path);
    const nfs = props.nfs;
    const csi = nfs.backend === 'csi-driver-nfs';

    this.storageClassName = problems.capture(() => checkDnsSubdomain(path, 'name', props.name ?? defaultName(id))) ?? defaultName(id);
    if (this.storageClassName === nfs.storageClassName) {
      problems.add(
        'name',
        this.storageClassName,
        'is the class the provisioner chart creates (platform nfs.storageClassName): use NfsStorage.storageClass for it, or choose another name',
      );
    }
    this.onDelete = props.onDelete ?? 'archive';
    if (!['archive', 'retain', 'delete'].includes(this.onDelete)) problems.add('onDelete', this.onDelete, 'must be "archive", "retain" or "delete"');
    this.reclaimPolicy = props.reclaimPolicy ?? (this.onDelete === 'retain' ? 'Retain' : 'Delete');
    if (this.reclaimPolicy !== 'Delete' && this.reclaimPolicy !== 'Retain') problems.add('reclaimPolicy', this.reclaimPolicy, 'must be "Delete" or "Retain"');
    if (this.reclaimPolicy === 'Retain' && this.onDelete === 'archive') {
      problems.add(
        'reclaimPolicy',
        'Retain',
        'must be "Delete" when onDelete is "archive": with Retain the provisioner is never asked to delete a volume, so nothing is ever archived (use onDelete "retain" to keep folders in place)',
      );
    }
    if (this.reclaimPolicy === 'Retain' && this.onDelete === 'delete') {
      problems.add(
        'reclaimPolicy',
        'Retain',
        'must be "Delete" when onDelete is "delete": with Retain the provisioner is never asked to delete a volume, so no data is ever removed (use onDelete "retain" to keep data)',
      );
    }
    const bindingMode = props.volumeBindingMode ?? 'Immediate';
    if (bindingMode !== 'Immediate' && bindingMode !== 'WaitForFirstConsumer') {
      problems.add('volumeBindingMode', bindingMode, 'must be "Immediate" or "WaitForFirstConsumer"');
    }
    const defaultClass = props.defaultClass ?? false;
    if (defaultClass && nfs.defaultClass) {
      problems.add(
        'defaultClass',
        true,
        `must be false: the chart's class "${nfs.storageClassName}" is already the default (platform nfs.defaultClass), and with two default classes claims without a class get an arbitrary one`,
      );
    }

    const parameters: Record<string, string> = {};
    if (csi) {
      if (props.pathPattern !== undefined)
        problems.add('pathPattern', props.pathPattern, 'is an nfs-subdir parameter; csi-driver-nfs names folders with "subDir"');
      parameters.server = nfs.server;
      parameters.share = nfs.path;
      if (props.subDir !== undefined) {
        if (props.subDir === '' || props.subDir.startsWith('/'))
          problems.add('subDir', props.subDir, 'must be a relative folder template such as "${pvc.metadata.namespace}/${pvc.metadata.name}"');
        parameters.subDir = props.subDir;
      }
      const perms = props.mountPermissions ?? nfs.mountPermissions;
      if (perms !== undefined) {
        if (!/^0?[0-7]{1,4}$/.test(perms)) problems.add('mountPermissions', perms, 'must be an octal mode such as "0775"');
        parameters.mountPermissions = perms;
      }
      parameters.onDelete = this.onDelete;
    } else {
      if (props.subDir !== undefined) problems.add('subDir', props.subDir, 'is a csi-driver-nfs parameter; nfs-subdir names folders with "pathPattern"');
      if (props.mountPermissions !== undefined) {
        problems.add(
          'mountPermissions',
          props.mountPermissions,
          'is a csi-driver-nfs parameter; nfs-subdir creates every folder with mode 0777, so make the export writable instead (see docs/storage.md)',
        );
      }
      if (props.allowVolumeExpansion === true) {
        problems.add(
          'allowVolumeExpansion',
          true,
          'must not be true with nfs-subdir: the provisioner cannot resize volumes, so a larger claim would only change a number (NFS enforces no size either)',
        );
      }
      if (this.onDelete === 'archive') parameters.archiveOnDelete = 'true';
      else parameters.onDelete = this.onDelete;
      if (props.pathPattern !== undefined) {
        if (props.pathPattern.trim() === '' || props.pathPattern.startsWith('/')) {
          problems.add('pathPattern', props.pathPattern, 'must be a relative folder template such as "${.PVC.namespace}-${.PVC.name}"');
        }
        parameters.pathPattern = props.pathPattern;
        if (props.pathPattern.includes('/') && this.onDelete !== 'retain' && this.reclaimPolicy === 'Delete') {
          addWarning(
            this,
            `pathPattern "${props.pathPattern}" creates sub-folders: nfs-subdir looks a deleted volume's folder up by its last path segment only, so the folder is never ${this.onDelete === 'archive' ? 'archived' : 'deleted'}: it stays in place (use a pattern without "/", or onDelete "retain" to say so)`,
          );
        }
      }
    }
    problems.throwIfAny();

    this.supportsExpansion = csi ? (props.allowVolumeExpansion ?? true) : false;
    this.accessModes = Object.freeze(nfsAccessModes(nfs.backend));
    const mountOptions = [...(props.mountOptions ?? nfs.mountOptions)];

    this.apiObject = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: this.storageClassName,
        labels: recommendedLabels({ name: 'nfs-storage', instance: this.storageClassName, component: 'storage-class' }),
        ...(defaultClass ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
      },
      provisioner: nfs.provisionerName,
      parameters,
      reclaimPolicy: this.reclaimPolicy,
      volumeBindingMode: bindingMode,
      ...(mountOptions.length > 0 ? { mountOptions } : {}),
      allowVolumeExpansion: this.supportsExpansion,
    });
    PaasRegistry.of(this).registerObject({ path, kind: 'StorageClass', name: this.storageClassName });
  }
}
