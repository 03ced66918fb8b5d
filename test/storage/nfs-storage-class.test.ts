import { warningsOf } from '../../lib/core/warnings';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { expectValidManifests, synthObjects } from '../support';
import { charts, csiPlatform, find, seedsPlatform, validObjects } from './helpers';

describe('extra classes on nfs-subdir', () => {
  test('archive by default: Delete + archiveOnDelete, provisioner derived from the release name', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    const cls = nfs.addClass('nfs-archive');
    const objects = synthObjects(cluster);
    expectValidManifests(objects);
    expect(find(objects, 'StorageClass', 'nfs-archive')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: 'nfs-archive',
        labels: {
          'app.kubernetes.io/component': 'storage-class',
          'app.kubernetes.io/instance': 'nfs-archive',
          'app.kubernetes.io/managed-by': 'cdk8s-paas',
          'app.kubernetes.io/name': 'nfs-storage',
        },
      },
      provisioner: 'cluster.local/nfs-provisioner-nfs-subdir-external-provisioner',
      parameters: { archiveOnDelete: 'true' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      mountOptions: ['nfsvers=4.1'],
      allowVolumeExpansion: false,
    });
    expect(cls.onDelete).toBe('archive');
    expect(cls.supportsExpansion).toBe(false);
    expect(cls.enforcesSize).toBe(false);
    expect(cls.accessModes).toEqual(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany']);
  });

  test("the seeds' nfs-client-retained done right: onDelete retain keeps the volume (Retain)", () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    const cls = nfs.addClass('nfs-client-retained', { onDelete: 'retain' });
    const sc = find(validObjects(cluster), 'StorageClass');
    expect(sc.parameters).toEqual({ onDelete: 'retain' });
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(cls.storageClassName).toBe('nfs-client-retained');
  });

  test('retain with reclaimPolicy Delete removes the PV object but keeps the folder', () => {
    const { cluster } = charts();
    NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform()).addClass('keep', { onDelete: 'retain', reclaimPolicy: 'Delete' });
    const sc = find(validObjects(cluster), 'StorageClass');
    expect(sc.parameters).toEqual({ onDelete: 'retain' });
    expect(sc.reclaimPolicy).toBe('Delete');
  });

  test('deleting data is explicit: onDelete delete', () => {
    const { cluster } = charts();
    NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform()).addClass('scratch', { onDelete: 'delete' });
    const sc = find(validObjects(cluster), 'StorageClass');
    expect(sc.parameters).toEqual({ onDelete: 'delete' });
    expect(sc.reclaimPolicy).toBe('Delete');
  });

  test('pathPattern, binding mode, mount options and default-class annotation', () => {
    const { cluster } = charts();
    NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform()).addClass('by-name', {
      pathPattern: '${.PVC.namespace}-${.PVC.name}',
      volumeBindingMode: 'WaitForFirstConsumer',
      mountOptions: ['nfsvers=4.2', 'hard'],
      defaultClass: true,
    });
    const objects = synthObjects(cluster);
    expectValidManifests(objects);
    const sc = find(objects, 'StorageClass');
    expect(sc.parameters).toEqual({ archiveOnDelete: 'true', pathPattern: '${.PVC.namespace}-${.PVC.name}' });
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.mountOptions).toEqual(['nfsvers=4.2', 'hard']);
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(warningsOf(cluster)).toEqual([]);
  });

  test('warns when pathPattern creates sub-folders: archiving is skipped', () => {
    const { cluster } = charts();
    NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform()).addClass('nested', { pathPattern: '${.PVC.namespace}/${.PVC.name}' });
    expect(warningsOf(cluster)).toEqual([
      'cluster/nfs/nested: pathPattern "${.PVC.namespace}/${.PVC.name}" creates sub-folders: nfs-subdir looks a deleted volume\'s folder up by its last path segment only, so the folder is never archived: it stays in place (use a pattern without "/", or onDelete "retain" to say so)',
    ]);
  });

  test('warns for sub-folders with onDelete delete too, not with retain', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    nfs.addClass('nested-delete', { pathPattern: 'a/${.PVC.name}', onDelete: 'delete' });
    nfs.addClass('nested-retain', { pathPattern: 'b/${.PVC.name}', onDelete: 'retain' });
    expect(warningsOf(cluster)).toEqual([
      'cluster/nfs/nested-delete: pathPattern "a/${.PVC.name}" creates sub-folders: nfs-subdir looks a deleted volume\'s folder up by its last path segment only, so the folder is never deleted: it stays in place (use a pattern without "/", or onDelete "retain" to say so)',
    ]);
  });

  test("fails if archiving is combined with Retain (the seeds' nfs-client)", () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('never-archives', { onDelete: 'archive', reclaimPolicy: 'Retain' })).toThrow(
      'cluster/nfs/never-archives: reclaimPolicy "Retain" is invalid: must be "Delete" when onDelete is "archive": with Retain the provisioner is never asked to delete a volume, so nothing is ever archived (use onDelete "retain" to keep folders in place)',
    );
  });

  test('fails if deleting is combined with Retain', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('never-deletes', { onDelete: 'delete', reclaimPolicy: 'Retain' })).toThrow(
      'cluster/nfs/never-deletes: reclaimPolicy "Retain" is invalid: must be "Delete" when onDelete is "delete": with Retain the provisioner is never asked to delete a volume, so no data is ever removed (use onDelete "retain" to keep data)',
    );
  });

  test('fails if allowVolumeExpansion is asked of nfs-subdir', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('grow', { allowVolumeExpansion: true })).toThrow(
      'cluster/nfs/grow: allowVolumeExpansion true is invalid: must not be true with nfs-subdir: the provisioner cannot resize volumes, so a larger claim would only change a number (NFS enforces no size either)',
    );
  });

  test('fails if a csi parameter is given to nfs-subdir', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('perm', { mountPermissions: '0777' })).toThrow(
      'cluster/nfs/perm: mountPermissions "0777" is invalid: is a csi-driver-nfs parameter; nfs-subdir creates every folder with mode 0777, so make the export writable instead (see docs/storage.md)',
    );
    expect(() => nfs.addClass('sub', { subDir: 'x' })).toThrow(
      'cluster/nfs/sub: subDir "x" is invalid: is a csi-driver-nfs parameter; nfs-subdir names folders with "pathPattern"',
    );
  });

  test('fails if pathPattern is absolute', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('abs', { pathPattern: '/x' })).toThrow(
      'cluster/nfs/abs: pathPattern "/x" is invalid: must be a relative folder template such as "${.PVC.namespace}-${.PVC.name}"',
    );
  });

  test("fails if the name is the chart's own class", () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('nfs-client')).toThrow(
      'cluster/nfs/nfs-client: name "nfs-client" is invalid: is the class the provisioner chart creates (platform nfs.storageClassName): use NfsStorage.storageClass for it, or choose another name',
    );
  });

  test('fails if a second default class is asked for', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform({ defaultClass: true }));
    expect(() => nfs.addClass('other', { defaultClass: true })).toThrow(
      'cluster/nfs/other: defaultClass true is invalid: must be false: the chart\'s class "nfs-client" is already the default (platform nfs.defaultClass), and with two default classes claims without a class get an arbitrary one',
    );
  });

  test('fails if the binding mode or onDelete is unknown (from plain JavaScript)', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.addClass('bad', { volumeBindingMode: 'Later' as never, onDelete: 'wipe' as never })).toThrow(
      '2 problems:\n  - cluster/nfs/bad: onDelete "wipe" is invalid: must be "archive", "retain" or "delete"\n  - cluster/nfs/bad: volumeBindingMode "Later" is invalid: must be "Immediate" or "WaitForFirstConsumer"',
    );
    expect(() => nfs.addClass('recycle', { reclaimPolicy: 'Recycle' as never })).toThrow(
      'cluster/nfs/recycle: reclaimPolicy "Recycle" is invalid: must be "Delete" or "Retain"',
    );
  });

  test('fails if two classes share a name', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    nfs.addClass('a', { name: 'same' });
    nfs.addClass('b', { name: 'same' });
    expect(() => synthObjects(cluster)).toThrow(
      'cluster/nfs/b: name "same" is invalid: StorageClass "same" already exists in namespace "(chart default)" (created by cluster/nfs/a); choose a unique name',
    );
  });
});

describe('extra classes on csi-driver-nfs', () => {
  test('server, share, onDelete, mountPermissions and expansion', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform({ mountPermissions: '0775' }));
    const cls = nfs.addClass('nfs-csi-archive', { subDir: '${pvc.metadata.namespace}-${pvc.metadata.name}' });
    const objects = synthObjects(cluster);
    expectValidManifests(objects);
    const sc = find(objects, 'StorageClass');
    expect(sc.provisioner).toBe('nfs.csi.k8s.io');
    expect(sc.parameters).toEqual({
      server: '192.168.56.10',
      share: '/srv/nfs/k8s',
      subDir: '${pvc.metadata.namespace}-${pvc.metadata.name}',
      mountPermissions: '0775',
      onDelete: 'archive',
    });
    expect(sc.allowVolumeExpansion).toBe(true);
    expect(cls.supportsExpansion).toBe(true);
    expect(cls.accessModes).toContain('ReadWriteOncePod');
  });

  test('retain keeps the volume; expansion can be turned off', () => {
    const { cluster } = charts();
    NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform()).addClass('keep', { onDelete: 'retain', allowVolumeExpansion: false });
    const sc = find(validObjects(cluster), 'StorageClass');
    expect(sc.parameters.onDelete).toBe('retain');
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(sc.allowVolumeExpansion).toBe(false);
  });

  test('fails if pathPattern, a bad subDir or a bad mode is given', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform());
    expect(() => nfs.addClass('p', { pathPattern: 'x' })).toThrow(
      'cluster/nfs/p: pathPattern "x" is invalid: is an nfs-subdir parameter; csi-driver-nfs names folders with "subDir"',
    );
    expect(() => nfs.addClass('s', { subDir: '/abs' })).toThrow(
      'cluster/nfs/s: subDir "/abs" is invalid: must be a relative folder template such as "${pvc.metadata.namespace}/${pvc.metadata.name}"',
    );
    expect(() => nfs.addClass('m', { mountPermissions: 'rwx' })).toThrow(
      'cluster/nfs/m: mountPermissions "rwx" is invalid: must be an octal mode such as "0775"',
    );
  });

  test('archiving with Retain fails on csi too', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform());
    expect(() => nfs.addClass('x', { reclaimPolicy: 'Retain' })).toThrow(
      'cluster/nfs/x: reclaimPolicy "Retain" is invalid: must be "Delete" when onDelete is "archive"',
    );
  });
});
