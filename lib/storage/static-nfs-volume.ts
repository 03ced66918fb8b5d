import { Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, ProblemCollector } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkDnsSubdomain, defaultName } from '../core/names';
import { checkStorage, parseBytes } from '../core/quantities';
import { PaasRegistry } from '../core/registry';
import { NfsSpec } from '../platform-spec';
import { IN_TREE_NFS_ACCESS_MODES } from './nfs-storage-class';
import { AccessMode, checkAccessModes, checkModesOffered, IStorageClassHandle, StorageClassHandle } from './types';
import { VolumeClaim } from './volume-claim';
import { assertArgs } from '../core/shape';
import { staticNfsVolumePropsShape } from './nfs-shape';

/** A folder on an NFS server, handed to Kubernetes as a PersistentVolume by an admin. */
export interface StaticVolumeOptions {
  /** Absolute path of the folder on the server, e.g. '/srv/nfs/k8s/1g-pv'. It must exist. */
  readonly path: string;
  /** Capacity, e.g. '1Gi'. NFS does not enforce it: it is what claims are matched against. */
  readonly capacity: string;
  /** @default ['ReadWriteMany'] */
  readonly accessModes?: AccessMode[];
  /** `metadata.name` of the PersistentVolume. @default - the construct id, lower-cased */
  readonly name?: string;
  /**
   * Class name that pairs the volume with its claim. No StorageClass object is needed for it
   * (nothing provisions static volumes).
   * @default 'nfs-static'
   */
  readonly storageClassName?: string;
  /** NFS server. @default - the platform's nfs.server */
  readonly server?: string;
  /** @default - the platform's nfs.mountOptions */
  readonly mountOptions?: string[];
  /** Export the folder read-only to every pod. @default false */
  readonly readOnly?: boolean;
}

export interface StaticNfsVolumeProps extends StaticVolumeOptions {
  readonly nfs: NfsSpec;
}

/** How a workload claims a static volume. Everything defaults to the volume's own values. */
export interface StaticClaimOptions {
  /** @default - the volume's capacity */
  readonly size?: string;
  /** @default - the volume's access modes */
  readonly accessModes?: AccessMode[];
  /** @default - the volume's class name */
  readonly storageClassName?: string;
  /** `metadata.name` of the claim. @default - the construct id, lower-cased */
  readonly name?: string;
}

/**
 * A static NFS PersistentVolume (the seeds' `nfs-1g-pv`), `Retain` always: deleting its claim
 * never touches the folder. Cluster-scoped: it belongs in a cluster-admin chart; its claim
 * (`claim()`) goes into the tenant's chart, pre-bound to it both ways.
 */
export class StaticNfsVolume extends Construct {
  public readonly volumeName: string;
  public readonly capacity: string;
  public readonly storageClassName: string;
  /** Handle for the class name the volume and its claim share. */
  public readonly storageClass: IStorageClassHandle;
  /** The PersistentVolume object. */
  public readonly apiObject: k8s.KubePersistentVolume;
  private readonly modes: AccessMode[];
  private claimedBy?: VolumeClaim;

  constructor(scope: Construct, id: string, props: StaticNfsVolumeProps) {
    super(scope, id);
    const path = ProblemCollector.pathOf(this);
    assertArgs(path, [['props', props, staticNfsVolumePropsShape]]);
    const problems = new ProblemCollector(path);
    this.volumeName = problems.capture(() => checkDnsSubdomain(path, 'name', props.name ?? defaultName(id))) ?? defaultName(id);
    this.capacity = problems.capture(() => checkStorage(path, 'capacity', props.capacity)) ?? props.capacity;
    this.storageClassName = problems.capture(() => checkDnsSubdomain(path, 'storageClassName', props.storageClassName ?? 'nfs-static')) ?? 'nfs-static';
    this.modes = problems.capture(() => checkAccessModes(path, 'accessModes', props.accessModes ?? ['ReadWriteMany'])) ?? [];
    if (this.modes.length > 0) {
      problems.capture(() => checkModesOffered(path, 'accessModes', this.modes, IN_TREE_NFS_ACCESS_MODES, 'an in-tree NFS volume'));
    }
    if (typeof props.path !== 'string' || !props.path.startsWith('/') || props.path.includes('..')) {
      problems.add('path', props.path, 'must be an absolute folder path on the NFS server, such as "/srv/nfs/k8s/1g-pv"');
    }
    const server = props.server ?? props.nfs.server;
    if (!/^[A-Za-z0-9.:-]+$/.test(server)) problems.add('server', server, 'must be a host name or IP address of the NFS server');
    problems.throwIfAny();

    this.storageClass = StorageClassHandle.fromName(this.storageClassName, {
      supportsExpansion: false,
      enforcesSize: false,
      accessModes: [...this.modes],
      onDelete: 'retain',
    });
    const mountOptions = [...(props.mountOptions ?? props.nfs.mountOptions)];
    this.apiObject = new k8s.KubePersistentVolume(this, 'Resource', {
      metadata: {
        name: this.volumeName,
        labels: recommendedLabels({ name: 'nfs-storage', instance: this.volumeName, component: 'static-volume' }),
      },
      spec: {
        capacity: { storage: k8s.Quantity.fromString(this.capacity) },
        accessModes: [...this.modes],
        storageClassName: this.storageClassName,
        persistentVolumeReclaimPolicy: 'Retain',
        ...(mountOptions.length > 0 ? { mountOptions } : {}),
        nfs: { server, path: props.path, ...(props.readOnly ? { readOnly: true } : {}) },
      },
    });
    PaasRegistry.of(this).registerObject({ path, kind: 'PersistentVolume', name: this.volumeName });
  }

  /** Access modes of the volume (a copy). */
  public get accessModes(): AccessMode[] {
    return [...this.modes];
  }

  /**
   * The claim that binds this volume, in the workload's chart (`scope`). A claim larger than the
   * volume, of another class or with a mode the volume lacks would stay Pending: each is a synth
   * error instead.
   */
  public claim(scope: Construct, id: string, options: StaticClaimOptions = {}): VolumeClaim {
    const path = scope.node.path ? `${scope.node.path}/${id}` : id;
    const problems = new ProblemCollector(path);
    const what = `PersistentVolume "${this.volumeName}"`;
    if (this.claimedBy) {
      fail(
        path,
        'volume',
        this.volumeName,
        `is already claimed by ${this.claimedBy.node.path}: a PersistentVolume binds exactly one claim (create another static volume)`,
      );
    }
    const size = options.size ?? this.capacity;
    const bytes = parseBytes(size);
    if (bytes !== undefined && bytes > parseBytes(this.capacity)!) {
      problems.add('size', size, `must not exceed the capacity "${this.capacity}" of ${what}: a claim larger than its volume never binds and stays Pending`);
    }
    const className = options.storageClassName ?? this.storageClassName;
    if (className !== this.storageClassName) {
      problems.add(
        'storageClassName',
        className,
        `must be "${this.storageClassName}" like ${what}: a claim only binds a volume of its own class and would stay Pending`,
      );
    }
    const modes = options.accessModes ?? this.accessModes;
    problems.capture(() => checkAccessModes(path, 'accessModes', modes));
    problems.capture(() => checkModesOffered(path, 'accessModes', modes, this.modes, what));
    problems.throwIfAny();

    const claim = new VolumeClaim(scope, id, {
      name: options.name,
      size,
      accessModes: modes,
      storageClass: this.storageClass,
      volumeName: this.volumeName,
      appName: undefined,
    });
    this.claimedBy = claim;
    // Pre-bind the volume to this claim too, so no other claim of the class can take it first.
    const namespace = claim.namespace ?? Chart.of(claim).namespace;
    if (namespace) {
      this.apiObject.addJsonPatch(JsonPatch.add('/spec/claimRef', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claim.claimName, namespace }));
    }
    return claim;
  }
}
