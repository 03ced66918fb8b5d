import { Testing } from 'cdk8s';
import { addGatewayExample } from '../../apps/gateway';
import { platform } from '../../apps/platform.config';
import { expectValidManifests, synthObjects } from '../support';

test('example: one app routed through Gateway API passes every check', () => {
  const app = Testing.app();
  addGatewayExample(app, platform);
  const objects = synthObjects(app);
  expectValidManifests(objects);
  const route = objects.find((o) => o.kind === 'HTTPRoute');
  expect(route.spec.hostnames).toEqual(['hello.test']);
  expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik' }]);
  expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
});
