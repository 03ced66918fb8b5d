import { Chart, Testing } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { StorageClassHandle } from '../../lib/storage/types';
import { expectValidManifests, synthObjects } from '../support';
import { charts, csiPlatform, find, seedsPlatform, validObjects } from './helpers';

describe('NfsStorage handles', () => {
  test("the chart's class is a handle from the spec and is not emitted", () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(nfs.storageClass.storageClassName).toBe('nfs-client');
    expect(nfs.storageClass.onDelete).toBe('archive');
    expect(nfs.storageClass.supportsExpansion).toBe(false);
    expect(nfs.storageClass.enforcesSize).toBe(false);
    expect(nfs.storageClass.accessModes).toEqual(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany']);
    expect(nfs.backend).toBe('nfs-subdir');
    expect(validObjects(cluster)).toEqual([]);
  });

  test('csi-driver-nfs: expansion accepted, ReadWriteOncePod offered', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform({ onDelete: 'retain' }));
    expect(nfs.storageClass.storageClassName).toBe('nfs-csi');
    expect(nfs.storageClass.supportsExpansion).toBe(true);
    expect(nfs.storageClass.onDelete).toBe('retain');
    expect(nfs.storageClass.accessModes).toContain('ReadWriteOncePod');
  });

  test('fails if the platform has no NFS', () => {
    const { cluster } = charts();
    expect(() => NfsStorage.fromPlatform(cluster, 'nfs', definePlatform({}))).toThrow(
      'cluster/nfs: platform.nfs undefined is invalid: must be set in the platform spec (definePlatform({ nfs: { server, path } })) to use NFS storage',
    );
  });
});

describe('NfsStorage.claim', () => {
  test('a shared ReadWriteMany claim in the tenant chart on the chart class', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    const claim = nfs.claim(tenant, 'wordpress-uploads', { size: '5Gi', accessModes: ['ReadWriteMany'] });
    const objects = synthObjects(tenant);
    expectValidManifests(objects);
    expect(find(objects, 'PersistentVolumeClaim')).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'wordpress-uploads',
        namespace: 'shop',
        labels: {
          'app.kubernetes.io/component': 'storage',
          'app.kubernetes.io/instance': 'wordpress-uploads',
          'app.kubernetes.io/managed-by': 'cdk8s-paas',
          'app.kubernetes.io/name': 'wordpress-uploads',
        },
      },
      spec: { accessModes: ['ReadWriteMany'], storageClassName: 'nfs-client', resources: { requests: { storage: '5Gi' } } },
    });
    expect(claim.claimName).toBe('wordpress-uploads');
    expect(claim.readWriteMany).toBe(true);
    expect(claim.namespace).toBe('shop');
    expect(claim.accessModes).toEqual(['ReadWriteMany']);
  });

  test('ReadWriteOnce by default, on an extra class', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    const retained = nfs.addClass('nfs-client-retained', { onDelete: 'retain' });
    const claim = nfs.claim(tenant, 'data', { size: '1Gi', storageClass: retained, name: 'app-data' });
    const pvc = find(validObjects(tenant), 'PersistentVolumeClaim');
    expect(pvc.metadata.name).toBe('app-data');
    expect(pvc.spec.storageClassName).toBe('nfs-client-retained');
    expect(pvc.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.readWriteMany).toBe(false);
  });

  test('fails if the size is not a storage quantity (with a hint)', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.claim(tenant, 'x', { size: '5GB' })).toThrow(
      'tenant/x: size "5GB" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi" (did you mean "5Gi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
    );
  });

  test('fails if the class does not offer the access mode', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.claim(tenant, 'x', { size: '1Gi', accessModes: ['ReadWriteOncePod'] })).toThrow(
      'tenant/x: accessModes ["ReadWriteOncePod"] is invalid: must be among the access modes storage class "nfs-client" offers (ReadWriteOnce, ReadOnlyMany, ReadWriteMany); ReadWriteOncePod is not',
    );
  });

  test('fails if access modes are empty, repeated, unknown or mix ReadWriteOncePod', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', csiPlatform());
    expect(() => nfs.claim(tenant, 'a', { size: '1Gi', accessModes: [] })).toThrow(
      'tenant/a: accessModes [] is invalid: must list at least one access mode (ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod)',
    );
    expect(() => nfs.claim(tenant, 'b', { size: '1Gi', accessModes: ['ReadWriteMany', 'ReadWriteMany'] })).toThrow(
      'tenant/b: accessModes ["ReadWriteMany","ReadWriteMany"] is invalid: must not repeat an access mode',
    );
    expect(() => nfs.claim(tenant, 'c', { size: '1Gi', accessModes: ['RWX' as never] })).toThrow(
      'tenant/c: accessModes ["RWX"] is invalid: must contain only ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod; got "RWX"',
    );
    expect(() => nfs.claim(tenant, 'd', { size: '1Gi', accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'] })).toThrow(
      'tenant/d: accessModes ["ReadWriteOncePod","ReadOnlyMany"] is invalid: must not combine ReadWriteOncePod with other modes (Kubernetes rejects it)',
    );
  });

  test('fails if the claim name is not a DNS subdomain', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.claim(tenant, 'x', { size: '1Gi', name: 'Uploads_1' })).toThrow('tenant/x: name "Uploads_1" is invalid: must be a DNS-1123 subdomain');
  });

  test('fails if two claims share a name in a namespace', () => {
    const { cluster, tenant } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    nfs.claim(tenant, 'a', { size: '1Gi', name: 'data' });
    nfs.claim(tenant, 'b', { size: '1Gi', name: 'data' });
    expect(() => synthObjects(tenant)).toThrow(
      'tenant/b: name "data" is invalid: PersistentVolumeClaim "data" already exists in namespace "shop" (created by tenant/a); choose a unique name',
    );
  });
});

describe('StorageClassHandle.fromName', () => {
  test('a class we do not manage, with conservative facts by default', () => {
    const h = StorageClassHandle.fromName('fast-ssd');
    expect(h).toMatchObject({ storageClassName: 'fast-ssd', supportsExpansion: false, enforcesSize: true, onDelete: 'unknown' });
    expect(h.accessModes).toEqual(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const nfs = new NfsStorage(chart, 'nfs', { nfs: seedsPlatform().nfs! });
    nfs.claim(chart, 'x', { size: '1Gi', storageClass: StorageClassHandle.fromName('local-path', { accessModes: ['ReadWriteOnce'] }) });
    expect(find(validObjects(chart), 'PersistentVolumeClaim').spec.storageClassName).toBe('local-path');
  });

  test('fails if the name or the modes are invalid', () => {
    expect(() => StorageClassHandle.fromName('Fast_SSD')).toThrow(
      'StorageClassHandle.fromName: storageClassName "Fast_SSD" is invalid: must be a DNS-1123 subdomain',
    );
    expect(() => StorageClassHandle.fromName('x', { accessModes: [] })).toThrow(
      'StorageClassHandle.fromName: accessModes [] is invalid: must list the modes the class offers, among ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod',
    );
  });
});
