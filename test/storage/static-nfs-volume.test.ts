import { Chart, Testing } from 'cdk8s';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { expectValidManifests, synthObjects } from '../support';
import { charts, find, seedsPlatform, validObjects } from './helpers';

function seedsVolume() {
  const { cluster, tenant } = charts();
  const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
  // The seeds' nfs-1g-pv: a 1Gi folder shared ReadWriteMany, class name "nfs".
  const pv = nfs.staticVolume('nfs-1g-pv', { path: '/srv/nfs/k8s/1g-pv', capacity: '1Gi', storageClassName: 'nfs' });
  return { cluster, tenant, nfs, pv };
}

describe('static NFS volumes', () => {
  test("the seeds' nfs-1g-pv: Retain, mount options, pre-bound to its claim both ways", () => {
    const { cluster, tenant, pv } = seedsVolume();
    const claim = pv.claim(tenant, 'nfs-static-pvc');
    const clusterObjects = synthObjects(cluster);
    const tenantObjects = synthObjects(tenant);
    expectValidManifests([...clusterObjects, ...tenantObjects]);
    expect(find(clusterObjects, 'PersistentVolume')).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name: 'nfs-1g-pv',
        labels: {
          'app.kubernetes.io/component': 'static-volume',
          'app.kubernetes.io/instance': 'nfs-1g-pv',
          'app.kubernetes.io/managed-by': 'cdk8s-paas',
          'app.kubernetes.io/name': 'nfs-storage',
        },
      },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany'],
        storageClassName: 'nfs',
        persistentVolumeReclaimPolicy: 'Retain',
        mountOptions: ['nfsvers=4.1'],
        nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s/1g-pv' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'nfs-static-pvc', namespace: 'shop' },
      },
    });
    expect(find(tenantObjects, 'PersistentVolumeClaim').spec).toEqual({
      accessModes: ['ReadWriteMany'],
      storageClassName: 'nfs',
      resources: { requests: { storage: '1Gi' } },
      volumeName: 'nfs-1g-pv',
    });
    expect(claim.readWriteMany).toBe(true);
    expect(pv.storageClass.onDelete).toBe('retain');
  });

  test('a smaller claim with a subset of modes binds; default class name nfs-static', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    const pv = nfs.staticVolume('media', {
      path: '/exports/media',
      capacity: '10Gi',
      accessModes: ['ReadWriteMany', 'ReadOnlyMany'],
      server: 'nas.lan',
      readOnly: true,
      mountOptions: [],
    });
    const tenant = new Chart(Testing.app(), 'other');
    pv.claim(tenant, 'media', { size: '2Gi', accessModes: ['ReadOnlyMany'] });
    const spec = find(validObjects(cluster), 'PersistentVolume').spec;
    expect(spec.storageClassName).toBe('nfs-static');
    expect(spec.nfs).toEqual({ server: 'nas.lan', path: '/exports/media', readOnly: true });
    expect(spec.mountOptions).toBeUndefined();
    // Without a namespace on the claim's chart the volume cannot name it: only the claim binds.
    expect(spec.claimRef).toBeUndefined();
    expect(find(validObjects(tenant), 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('2Gi');
  });

  test('fails if the claim is larger than the volume', () => {
    const { tenant, pv } = seedsVolume();
    expect(() => pv.claim(tenant, 'big', { size: '2Gi' })).toThrow(
      'tenant/big: size "2Gi" is invalid: must not exceed the capacity "1Gi" of PersistentVolume "nfs-1g-pv": a claim larger than its volume never binds and stays Pending',
    );
  });

  test('fails if the claim names another class', () => {
    const { tenant, pv } = seedsVolume();
    expect(() => pv.claim(tenant, 'c', { storageClassName: 'nfs-client' })).toThrow(
      'tenant/c: storageClassName "nfs-client" is invalid: must be "nfs" like PersistentVolume "nfs-1g-pv": a claim only binds a volume of its own class and would stay Pending',
    );
  });

  test('fails if the claim asks for a mode the volume lacks', () => {
    const { tenant, pv } = seedsVolume();
    expect(() => pv.claim(tenant, 'm', { accessModes: ['ReadWriteOnce'] })).toThrow(
      'tenant/m: accessModes ["ReadWriteOnce"] is invalid: must be among the access modes PersistentVolume "nfs-1g-pv" offers (ReadWriteMany); ReadWriteOnce is not',
    );
  });

  test('reports every mismatch of a claim at once', () => {
    const { tenant, pv } = seedsVolume();
    expect(() => pv.claim(tenant, 'all', { size: '5Gi', storageClassName: 'x', accessModes: ['ReadOnlyMany'] })).toThrow(/^3 problems:/);
  });

  test('fails if the volume is claimed twice', () => {
    const { tenant, pv } = seedsVolume();
    pv.claim(tenant, 'first');
    expect(() => pv.claim(tenant, 'second')).toThrow(
      'tenant/second: volume "nfs-1g-pv" is invalid: is already claimed by tenant/first: a PersistentVolume binds exactly one claim (create another static volume)',
    );
  });

  test('fails if path, capacity, server or modes are invalid', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    expect(() => nfs.staticVolume('a', { path: 'relative/dir', capacity: '1Gi' })).toThrow(
      'cluster/nfs/a: path "relative/dir" is invalid: must be an absolute folder path on the NFS server, such as "/srv/nfs/k8s/1g-pv"',
    );
    expect(() => nfs.staticVolume('b', { path: '/x', capacity: '1GB' })).toThrow(
      'cluster/nfs/b: capacity "1GB" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi" (did you mean "1Gi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
    );
    expect(() => nfs.staticVolume('c', { path: '/x', capacity: '1Gi', server: 'nfs server' })).toThrow(
      'cluster/nfs/c: server "nfs server" is invalid: must be a host name or IP address of the NFS server',
    );
    expect(() => nfs.staticVolume('d', { path: '/x', capacity: '1Gi', accessModes: ['ReadWriteOncePod'] })).toThrow(
      'cluster/nfs/d: accessModes ["ReadWriteOncePod"] is invalid: must be among the access modes an in-tree NFS volume offers (ReadWriteOnce, ReadOnlyMany, ReadWriteMany); ReadWriteOncePod is not',
    );
  });

  test('fails if two volumes share a name', () => {
    const { cluster } = charts();
    const nfs = NfsStorage.fromPlatform(cluster, 'nfs', seedsPlatform());
    nfs.staticVolume('a', { path: '/a', capacity: '1Gi', name: 'pv' });
    nfs.staticVolume('b', { path: '/b', capacity: '1Gi', name: 'pv' });
    expect(() => synthObjects(cluster)).toThrow(
      'cluster/nfs/b: name "pv" is invalid: PersistentVolume "pv" already exists in namespace "(chart default)" (created by cluster/nfs/a); choose a unique name',
    );
  });
});
