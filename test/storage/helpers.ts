import { Chart, Testing } from 'cdk8s';
import { expectValidManifests, synthObjects } from '../support';
import { definePlatform, NfsSpecInput, PlatformSpec } from '../../lib/platform-spec';

/** The seeds' platform (nfs-subdir, release nfs-provisioner, class nfs-client). */
export function seedsPlatform(nfs: Partial<NfsSpecInput> = {}): PlatformSpec {
  return definePlatform({ nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'], ...nfs } });
}

/** A csi-driver-nfs platform. */
export function csiPlatform(nfs: Partial<NfsSpecInput> = {}): PlatformSpec {
  return seedsPlatform({ backend: 'csi-driver-nfs', storageClassName: 'nfs-csi', ...nfs });
}

/** A cluster-admin chart (no namespace) and a tenant chart in one app. */
export function charts(namespace = 'shop'): { cluster: Chart; tenant: Chart } {
  const app = Testing.app();
  return { cluster: new Chart(app, 'cluster'), tenant: new Chart(app, 'tenant', { namespace }) };
}

export function find(objects: any[], kind: string, name?: string): any {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

/** Synthesizes a chart and checks its objects (strict schema, restricted, Polaris) before a test looks at one field. */
export function validObjects(chart: Chart): any[] {
  const objects = synthObjects(chart);
  expectValidManifests(objects);
  return objects;
}
