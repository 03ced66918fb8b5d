import { Testing } from 'cdk8s';
import { addGatewayExample } from '../../apps/gateway';
import { expectValidManifests, synthObjects } from '../support';

test('example: one app routed through Gateway API passes every check', () => {
  const app = Testing.app();
  // the example's own Traefik platform (apps/gateway.ts), its cluster in dist/gateway-demo/
  addGatewayExample(app);
  const objects = synthObjects(app);
  expectValidManifests(objects);
  const route = objects.find((o) => o.kind === 'HTTPRoute');
  expect(route.spec.hostnames).toEqual(['hello.test']);
  expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'traefik-gateway', namespace: 'traefik' }]);
  expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([]);
});
