import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as TfApp } from 'cdktf';
import { Testing } from 'cdk8s';
import { addGatewayExample, gatewayPlatform } from '../../apps/gateway';
import { PlatformStack } from '../../lib/platform';
import { TraefikValues } from '../../lib/platform/values/ingress';
import { validate } from '../../lib/validation/validate';
import { wiringFamily } from '../../lib/validation/wiring';
import { expectValidManifests, synthObjects } from '../support';

test('example: one app routed through Gateway API passes every check', () => {
  const app = Testing.app();
  // the example's own Traefik platform (apps/gateway.ts), its cluster in dist/gateway-demo/
  addGatewayExample(app);
  const objects = synthObjects(app);
  expectValidManifests(objects);
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  expect(routes.map((r) => [r.metadata.name, r.spec.hostnames, r.spec.parentRefs.map((p: any) => `${p.namespace}/${p.name}#${p.sectionName}`)])).toEqual([
    ['hello', ['hello.test'], ['traefik/traefik-gateway#websecure']],
    ['hello-redirect', ['hello.test'], ['traefik/traefik-gateway#web']],
  ]);
  expect(routes[1].spec.rules[0].filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }]);
  expect(objects.filter((o) => o.kind === 'Ingress' || o.kind === 'Secret' || o.kind === 'Certificate')).toEqual([]);
});

test("example: the routes' listeners are the ones the platform stack gives the Gateway, and admit the tenant", () => {
  const app = Testing.app();
  addGatewayExample(app);
  const routes = synthObjects(app).filter((o) => o.kind === 'HTTPRoute' || o.kind === 'Service' || o.kind === 'Deployment');
  const stack = new PlatformStack(new TfApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'paas-gw-example-')) }), 'gw', { platform: gatewayPlatform });
  const gw = (stack.ingressController!.values as TraefikValues).gateway!;
  // The Traefik chart's gateway.yaml: one listener per `gateway.listeners` key, named by the key,
  // `namespacePolicy` as `allowedRoutes.namespaces` (checked by hand with the real chart, see the note).
  const gateway = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: gw.name, namespace: gw.namespace },
    spec: {
      gatewayClassName: 'traefik',
      listeners: Object.entries(gw.listeners).map(([name, l]) => ({
        name,
        port: l.port,
        protocol: l.protocol,
        allowedRoutes: { namespaces: l.namespacePolicy },
      })),
    },
  };
  const findings = validate([gateway, ...routes], { families: [wiringFamily] }).findings.filter((f) => f.id === 'wiring/httproute-listener');
  expect(findings).toEqual([]);
  // The check has teeth: the same routes against a Gateway with the HTTP listener only.
  const httpOnly = { ...gateway, spec: { ...gateway.spec, listeners: gateway.spec.listeners.filter((l) => l.name === 'web') } };
  expect(validate([httpOnly, ...routes], { families: [wiringFamily] }).findings.map((f) => `${f.id} ${f.name}`)).toEqual(['wiring/httproute-listener hello']);
});
