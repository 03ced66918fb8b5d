import { Chart, Testing } from 'cdk8s';
import { MonitoringStack } from '../../lib/observability/monitoring-stack';
import { claimNamePattern, podNamePattern } from '../../lib/observability/promql';
import { definePlatform } from '../../lib/platform-spec';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { expectValidManifests, synthObjects } from '../support';
import { ofKind } from './fixtures';

const platform = definePlatform({ nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s' } });
/** PromQL regex matchers are fully anchored. */
const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);

test('alerts and dashboard on a real StatefulStore match its pods and claims', () => {
  const app = Testing.app();
  const nfs = NfsStorage.fromPlatform(new Chart(app, 'cluster'), 'nfs', platform);
  const chart = new Chart(app, 'tenant', { namespace: 'shop' });
  const db = new StatefulStore(chart, 'mariadb', {
    engine: StoreEngine.mariadb(),
    storage: nfs.storageClass,
    credentials: { secretName: 'mariadb-credentials' },
  });
  const monitoring = new MonitoringStack(chart, 'monitoring', { platform });
  monitoring.alertOn(db);
  monitoring.dashboard(db);
  const objects = synthObjects(chart);
  expectValidManifests(objects);

  const [sts] = ofKind(objects, 'StatefulSet');
  const template = sts.spec.volumeClaimTemplates[0].metadata.name;
  // what the StatefulSet controller will create
  expect(matches(podNamePattern(db), `${sts.metadata.name}-0`)).toBe(true);
  expect(matches(claimNamePattern(db.name), `${template}-${sts.metadata.name}-0`)).toBe(true);
  expect(matches(claimNamePattern(db.name), db.claimName(1))).toBe(true);

  const rules = ofKind(objects, 'PrometheusRule')[0].spec.groups[0].rules;
  expect(rules.map((r: any) => r.alert)).toEqual(['WorkloadPodRestarting', 'WorkloadReplicasUnavailable', 'WorkloadVolumeAlmostFull']);
  expect(rules[1].expr).toContain(`statefulset="${sts.metadata.name}"`);
  expect(ofKind(objects, 'ConfigMap').map((c) => c.metadata.name)).toContain(`${db.name}-dashboard`);
});
