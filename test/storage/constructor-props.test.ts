import { App, Chart } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { NfsStorageClass } from '../../lib/storage/nfs-storage-class';
import { StaticNfsVolume } from '../../lib/storage/static-nfs-volume';
import { VolumeClaim } from '../../lib/storage/volume-claim';
import { PodTemplate } from '../../lib/workloads/pod-template';

// The storage constructors are public too (the NfsStorage factories call them): from plain
// JavaScript they answer wrong props with one clear error, never a TypeError from inside.
const js = (v: unknown) => v as never;
const chart = () => new Chart(new App(), 'c');
const nfs = definePlatform({ nfs: { server: '10.0.0.1', path: '/srv/nfs' } }).nfs!;

describe('storage constructors from plain JavaScript', () => {
  test.each([
    ['NfsStorage without props', () => new NfsStorage(chart(), 'x', js(undefined)), 'c/x: props undefined is invalid: must be an object (NfsStorageProps)'],
    [
      'NfsStorage with a raw spec input',
      () => new NfsStorage(chart(), 'x', js({ nfs: { server: 'a' } })),
      'c/x: nfs {"server":"a"} is invalid: must be the platform\'s nfs section',
    ],
    ['NfsStorageClass without nfs', () => new NfsStorageClass(chart(), 'x', js({})), "c/x: nfs undefined is invalid: is required: the platform's nfs section"],
    [
      'NfsStorageClass with a typo',
      () => new NfsStorageClass(chart(), 'x', js({ nfs, onDelte: 'retain' })),
      'c/x: onDelte "retain" is invalid: is not a known field of NfsStorageClassProps; did you mean "onDelete"?',
    ],
    [
      'StaticNfsVolume without path',
      () => new StaticNfsVolume(chart(), 'x', js({ nfs, capacity: '1Gi' })),
      'c/x: path undefined is invalid: is required: a string',
    ],
    [
      'VolumeClaim with a class name instead of a handle',
      () => new VolumeClaim(chart(), 'x', js({ size: '1Gi', storageClass: 'nfs-client' })),
      'c/x: storageClass "nfs-client" is invalid: must be a storage class handle',
    ],
    [
      'PodTemplate outside a workload',
      () => new PodTemplate(chart(), js({}), js({})),
      'c: options.problems undefined is invalid: must be the ProblemCollector of the workload being built',
    ],
  ])('%s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('the props the factories pass still pass', () => {
    const c = chart();
    const storage = new NfsStorage(c, 'nfs', { nfs });
    storage.claim(c, 'data', { size: '1Gi' });
    expect(new VolumeClaim(c, 'raw', { size: '2Gi', storageClass: storage.storageClass }).claimName).toBe('raw');
  });
});
