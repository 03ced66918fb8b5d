import { warningsOf } from '../../lib/core/warnings';
import { definePlatform, PlatformSpecInput } from '../../lib/platform-spec';
import { monitoringStorageValues, resolveMonitoringStorage } from '../../lib/platform/values/storage';
import { readUpstreamYaml } from '../support/upstream';
import { ALTERNATIVE, platformStack, SEEDS } from './fixtures';

const PROMETHEUS_WARNING =
  "test: Prometheus keeps its TSDB on an emptyDir: the metrics history lives on the node's disk and is lost when the pod moves to another node. " +
  'Set monitoring.storage.prometheus to a block or local StorageClass (not NFS, which Prometheus does not support)';

const claim = (storageClassName: string, storage: string): Record<string, unknown> => ({
  storageClassName,
  accessModes: ['ReadWriteOnce'],
  resources: { requests: { storage } },
});

const values = (input: PlatformSpecInput): any => platformStack(input).monitoring.values;

describe('monitoring storage: add-on data retained by default', () => {
  test('Alertmanager on a 1Gi claim of the NFS class', () => {
    expect(values(SEEDS).alertmanager).toEqual({ alertmanagerSpec: { storage: { volumeClaimTemplate: { spec: claim('nfs-client', '1Gi') } } } });
  });

  test('Grafana on a 1Gi NFS claim: one writer (Recreate), SQLite without WAL, no root chown init container', () => {
    const g = values(SEEDS).grafana;
    expect(g.persistence).toEqual({ enabled: true, type: 'pvc', storageClassName: 'nfs-client', accessModes: ['ReadWriteOnce'], size: '1Gi' });
    expect(g.initChownData).toEqual({ enabled: false });
    expect(g.deploymentStrategy).toEqual({ type: 'Recreate' });
    expect(g['grafana.ini'].database).toEqual({ wal: false });
    // merged beside the settings we already had, not over them
    expect(g['grafana.ini'].server).toEqual({ root_url: 'https://grafana.test' });
    expect(g.sidecar.dashboards.label).toBe('grafana_dashboard');
  });

  test("Prometheus stays on an emptyDir by default, with a synth warning; on the spec's block class when given", () => {
    const seeds = platformStack(SEEDS);
    expect((seeds.monitoring.values as any).prometheus.prometheusSpec.storageSpec).toBeUndefined();
    expect(warningsOf(seeds)).toEqual([PROMETHEUS_WARNING]);
    const withDisk = platformStack({
      ...SEEDS,
      monitoring: { ...SEEDS.monitoring, storage: { prometheus: { storageClassName: 'local-path', size: '50Gi' } } },
    });
    expect((withDisk.monitoring.values as any).prometheus.prometheusSpec.storageSpec).toEqual({ volumeClaimTemplate: { spec: claim('local-path', '50Gi') } });
    expect(warningsOf(withDisk)).toEqual([]);
    expect(definePlatform({ monitoring: { storage: { prometheus: { storageClassName: 'longhorn' } } } }).monitoring.storage.prometheus).toEqual({
      storageClassName: 'longhorn',
      size: '20Gi',
    });
  });

  test('other class and size per add-on; false keeps an emptyDir without warning', () => {
    const s = resolveMonitoringStorage('p', { alertmanager: { size: '2Gi' }, grafana: false }, 'nfs-client');
    expect(s).toEqual({
      prometheus: undefined,
      alertmanager: { storageClassName: 'nfs-client', size: '2Gi' },
      grafana: undefined,
      emptyDirByChoice: ['grafana'],
    });
    expect(monitoringStorageValues(s).grafana).toBeUndefined();
    const stack = platformStack({ ...SEEDS, monitoring: { storage: { grafana: false, prometheus: { storageClassName: 'local-path' } } } });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('without NFS both stay on emptyDir, and synth says what is lost', () => {
    const stack = platformStack({ name: 'bare' });
    const v = stack.monitoring.values as any;
    expect(v.alertmanager).toBeUndefined();
    expect(v.grafana.persistence).toBeUndefined();
    expect(warningsOf(stack)).toEqual([
      PROMETHEUS_WARNING,
      'test: alertmanager and grafana keep their data on an emptyDir (no NFS class to claim): silences, notification state and what is saved in Grafana are lost when the pod moves. ' +
        'Configure nfs or set monitoring.storage.<addon>.storageClassName',
    ]);
  });

  test('csi-driver-nfs without mountPermissions: a warning that the non-root add-ons may not write', () => {
    const csi: PlatformSpecInput = { ...ALTERNATIVE, kubernetesVersion: '1.35' };
    const { mountPermissions: _m, ...nfs } = csi.nfs!;
    const warned = warningsOf(platformStack({ ...csi, nfs }));
    expect(warned).toContain(
      'test: Alertmanager (UID 1000) and Grafana (UID 472) write to csi-driver-nfs volumes whose folders keep the export\'s permissions: set nfs.mountPermissions (e.g. "0777") or make the export writable for them',
    );
    expect(warningsOf(platformStack(csi)).some((w) => w.includes('UID 472'))).toBe(false);
  });
});

describe('monitoring storage: bad input', () => {
  test('fails if Prometheus is put on the NFS class, or sizes and classes are invalid', () => {
    expect(() =>
      definePlatform({
        nfs: { server: '10.0.0.2', path: '/srv' },
        monitoring: { storage: { prometheus: { storageClassName: 'nfs-client' }, alertmanager: { size: '1GB' }, grafana: { storageClassName: 'Bad Class' } } },
      }),
    ).toThrow(
      [
        '3 problems:',
        '  - platform: monitoring.storage.prometheus.storageClassName "nfs-client" is invalid: is the NFS class: Prometheus\'s TSDB is not supported on NFS (corruption beyond repair); name a block or local class, or leave prometheus unset for an emptyDir',
        '  - platform: monitoring.storage.alertmanager.size "1GB" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi" (did you mean "1Gi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
        "  - platform: monitoring.storage.grafana.storageClassName \"Bad Class\" is invalid: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit",
      ].join('\n'),
    );
  });

  test('fails from plain JavaScript on wrong shapes', () => {
    expect(() => definePlatform({ monitoring: { storage: { prometheus: 'local-path', alertmanager: 'yes' } } } as unknown as PlatformSpecInput)).toThrow(
      [
        '2 problems:',
        '  - platform: monitoring.storage.prometheus "local-path" is invalid: must be { storageClassName, size? } naming a block or local StorageClass',
        '  - platform: monitoring.storage.alertmanager "yes" is invalid: must be { storageClassName?, size? } or false (an emptyDir)',
      ].join('\n'),
    );
  });
});

describe('contract: the storage keys of the pinned kube-prometheus-stack values.yaml', () => {
  const upstream = readUpstreamYaml<any>('charts/kube-prometheus-stack/values.yaml');

  test('alertmanager.alertmanagerSpec.storage and prometheus.prometheusSpec.storageSpec exist, empty by default (emptyDir)', () => {
    expect(upstream.alertmanager.alertmanagerSpec.storage).toEqual({});
    expect(upstream.prometheus.prometheusSpec.storageSpec).toEqual({});
  });

  test("Grafana is the chart's subchart section (its keys are the grafana chart's, checked with real Helm)", () => {
    expect(upstream.grafana.enabled).toBe(true);
    expect(upstream.grafana.persistence).toBeUndefined();
  });
});
