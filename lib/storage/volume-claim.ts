import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkDnsSubdomain, defaultName } from '../core/names';
import { checkStorage } from '../core/quantities';
import { PaasRegistry } from '../core/registry';
import { IVolumeClaim } from '../workloads/types';
import { AccessMode, checkAccessModes, checkModesOffered, IStorageClassHandle } from './types';
import { assertArgs } from '../core/shape';
import { volumeClaimPropsShape } from './nfs-shape';

/** What a workload asks for when it claims storage. */
export interface ClaimOptions {
  /** Requested size, e.g. '10Gi'. NFS backends do not enforce it: see docs/storage.md. */
  readonly size: string;
  /**
   * Access modes. `ReadWriteMany` lets the replicas of a WebApp on several nodes share the
   * volume (e.g. WordPress uploads).
   * @default ['ReadWriteOnce']
   */
  readonly accessModes?: AccessMode[];
  /** `metadata.name` of the PersistentVolumeClaim. @default - the construct id, lower-cased */
  readonly name?: string;
  /** `app.kubernetes.io/name` label. @default - the claim name */
  readonly appName?: string;
}

export interface VolumeClaimProps extends ClaimOptions {
  /** The class the claim names. */
  readonly storageClass: IStorageClassHandle;
  /**
   * Pre-binds the claim to this PersistentVolume (static volumes), so no other volume of the
   * class can be picked.
   * @default - any volume of the class (dynamic provisioning)
   */
  readonly volumeName?: string;
}

/**
 * A PersistentVolumeClaim, mountable by `WebApp.mountClaim()`. Namespaced: it belongs in the
 * chart of the workload that mounts it. Usually created through `NfsStorage.claim()` or
 * `StaticNfsVolume.claim()`.
 */
export class VolumeClaim extends Construct implements IVolumeClaim {
  public readonly claimName: string;
  public readonly readWriteMany: boolean;
  /** Requested size. */
  public readonly size: string;
  public readonly storageClass: IStorageClassHandle;
  /** Namespace of the claim (its chart's), if any. */
  public readonly namespace?: string;
  /** The PersistentVolumeClaim object. */
  public readonly apiObject: k8s.KubePersistentVolumeClaim;
  private readonly modes: AccessMode[];

  constructor(scope: Construct, id: string, props: VolumeClaimProps) {
    super(scope, id);
    const path = ProblemCollector.pathOf(this);
    assertArgs(path, [['props', props, volumeClaimPropsShape]]);
    const problems = new ProblemCollector(path);
    this.claimName = problems.capture(() => checkDnsSubdomain(path, 'name', props.name ?? defaultName(id))) ?? defaultName(id);
    this.size = problems.capture(() => checkStorage(path, 'size', props.size)) ?? props.size;
    this.modes = problems.capture(() => checkAccessModes(path, 'accessModes', props.accessModes ?? ['ReadWriteOnce'])) ?? [];
    this.storageClass = props.storageClass;
    if (this.modes.length > 0) {
      problems.capture(() =>
        checkModesOffered(path, 'accessModes', this.modes, props.storageClass.accessModes, `storage class "${props.storageClass.storageClassName}"`),
      );
    }
    problems.throwIfAny();

    this.readWriteMany = this.modes.includes('ReadWriteMany');
    this.namespace = Chart.of(this).namespace;
    this.apiObject = new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: {
        name: this.claimName,
        labels: recommendedLabels({ name: props.appName ?? this.claimName, instance: this.claimName, component: 'storage' }),
      },
      spec: {
        accessModes: [...this.modes],
        storageClassName: props.storageClass.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(this.size) } },
        ...(props.volumeName ? { volumeName: props.volumeName } : {}),
      },
    });
    PaasRegistry.of(this).registerObject({ path, kind: 'PersistentVolumeClaim', namespace: this.namespace, name: this.claimName });
  }

  /** Access modes of the claim (a copy). */
  public get accessModes(): AccessMode[] {
    return [...this.modes];
  }
}
