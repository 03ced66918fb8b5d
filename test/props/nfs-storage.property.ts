import * as fc from 'fast-check';
import { definePlatform } from '../../lib/platform-spec';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

/** A platform nfs spec (through definePlatform) and one call each of addClass, staticVolume and claim. */
function nfsArb(mode: Mode): fc.Arbitrary<Record<string, any>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const modesArr = maybe(fc.array(pick(['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany'], ['ReadWriteOncePod', 'RWX']), { minLength: 1, maxLength: 2 }));
  return fc.record(
    {
      nfs: maybe(
        fc.record(
          {
            server: maybe(pick(['192.168.56.10', 'nfs.example.com'], ['', 'nfs server'])),
            path: maybe(pick(['/srv/nfs/k8s', '/export'], ['srv', ''])),
            backend: maybe(pick(['nfs-subdir', 'csi-driver-nfs'], ['nfs-ganesha'])),
            onDelete: maybe(pick(['archive', 'retain', 'delete'], ['keep'])),
            mountOptions: maybe(fc.array(pick(['nfsvers=4.1', 'hard'], ['', 'a b']), { maxLength: 2 })),
          },
          { requiredKeys: ['server', 'path'] },
        ),
      ),
      cls: maybe(
        fc.record(
          {
            onDelete: maybe(pick(['archive', 'retain', 'delete'], ['keep'])),
            volumeBindingMode: maybe(pick(['Immediate', 'WaitForFirstConsumer'], ['Later'])),
            mountOptions: maybe(fc.array(pick(['nfsvers=4.1'], ['']), { maxLength: 1 })),
            pathPattern: maybe(pick(['${.PVC.namespace}/${.PVC.name}'], ['/abs', '${.PVC.nothing}'])),
            allowVolumeExpansion: maybe(fc.boolean()),
          },
          opt,
        ),
      ),
      pv: maybe(
        fc.record(
          {
            path: maybe(pick(['/srv/nfs/k8s/media', '/export/a'], ['relative', ''])),
            capacity: maybe(pick(['1Gi', '500Mi'], ['1GB', '0'])),
            accessModes: modesArr,
            readOnly: maybe(fc.boolean()),
          },
          { requiredKeys: ['path', 'capacity'] },
        ),
      ),
      claim: maybe(fc.record({ size: maybe(pick(['1Gi', '5Gi'], ['5GB', '-1Gi'])), accessModes: modesArr }, { requiredKeys: ['size'] })),
      typo: mode === 'valid' ? fc.constant(false) : fc.oneof({ arbitrary: fc.constant(false), weight: 20 }, fc.constant(true)),
    },
    { requiredKeys: ['nfs', 'typo'] },
  );
}

describe('NfsStorage (property)', () => {
  test(`${RUNS} random platform nfs specs, classes, static volumes and claims: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('NfsStorage', modes(nfsArb), (chart, raw, index) => {
      const p = materialize(raw) as Record<string, any>;
      const platform = definePlatform({ nfs: p.typo ? { ...p.nfs, sever: 'x' } : p.nfs } as never);
      const nfs = NfsStorage.fromPlatform(chart, 'nfs', platform);
      // StorageClasses and PersistentVolumes are cluster-scoped: one name per prop set in a batch.
      if (p.cls !== undefined) nfs.addClass(`cls-${index}`, p.cls);
      if (p.pv !== undefined) nfs.staticVolume(`pv-${index}`, p.pv);
      if (p.claim !== undefined) nfs.claim(chart, 'data', p.claim);
    });
    tally.report('NfsStorage');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
