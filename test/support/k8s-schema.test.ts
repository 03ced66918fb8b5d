import { hardenedApp, find, mainContainer } from './fixtures';
import { closeSchema, knownKinds, validateSchema } from './k8s-schema';

const serviceMonitor = (): any => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  metadata: { name: 'web', namespace: 'shop', labels: { release: 'kps' } },
  spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } }, endpoints: [{ port: 'http', interval: '30s' }] },
});

const httpRoute = (): any => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    parentRefs: [{ name: 'public', namespace: 'gateway' }],
    hostnames: ['shop.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }],
  },
});

describe('validateSchema', () => {
  test('a hardened Deployment, Service, PDB, NetworkPolicy and ServiceAccount pass', () => {
    expect(validateSchema(hardenedApp())).toEqual([]);
  });

  test('fails if a container has an unknown field', () => {
    const objs = hardenedApp();
    mainContainer(objs).foo = 1;
    expect(validateSchema(objs)).toEqual([
      'Deployment shop/web: spec.template.spec.containers[0].foo: unknown field "foo": the schema has no such field here; remove it (known fields: args, command, env, envFrom, image, imagePullPolicy, lifecycle, livenessProbe, name, ports, readinessProbe, resizePolicy, ...)',
    ]);
  });

  test('fails if metadata has an unknown field', () => {
    const objs = hardenedApp();
    find(objs, 'Service').metadata.label = { a: 'b' };
    expect(validateSchema(objs)).toEqual(['Service shop/web: metadata.label: unknown field "label"; did you mean "labels"? Rename or remove it']);
  });

  test('fails if a field has the wrong type', () => {
    const objs = hardenedApp();
    find(objs, 'Deployment').spec.replicas = '2';
    expect(validateSchema(objs)).toEqual(['Deployment shop/web: spec.replicas: must be integer, not string']);
  });

  test('accepts both forms of IntOrString and fails on anything else', () => {
    const objs = hardenedApp();
    const svc = find(objs, 'Service');
    svc.spec.ports[0].targetPort = 8080;
    expect(validateSchema(objs)).toEqual([]);
    svc.spec.ports[0].targetPort = true;
    expect(validateSchema(objs)).toEqual(['Service shop/web: spec.ports[0].targetPort: must be string or integer, not boolean']);
  });

  test('fails if an int32 field is out of range', () => {
    const objs = hardenedApp();
    find(objs, 'Service').spec.ports[0].port = 2 ** 40;
    expect(validateSchema(objs)).toEqual([
      'Service shop/web: spec.ports[0].port: 1099511627776 is not a valid int32 (an integer from -2147483648 to 2147483647)',
    ]);
  });

  test('fails if the kind is unknown', () => {
    const objs = hardenedApp();
    find(objs, 'Service').kind = 'Servic';
    expect(validateSchema(objs)).toEqual([
      'Servic shop/web: kind: Servic is not served as v1 by Kubernetes 1.28 and 1.35 nor by a known CRD; check the spelling of kind, or pass the CustomResourceDefinition that defines it',
    ]);
  });

  test('fails if apiVersion is not served for the kind', () => {
    const objs = [{ ...find(hardenedApp(), 'Deployment'), apiVersion: 'extensions/v1beta1' }];
    expect(validateSchema(objs)).toEqual([
      'Deployment shop/web: kind: Deployment is not served as extensions/v1beta1 by Kubernetes 1.28 and 1.35 nor by a known CRD; use apiVersion apps/v1',
    ]);
  });

  test('validates custom resources against their CRD schema', () => {
    expect(validateSchema([serviceMonitor(), httpRoute()])).toEqual([]);
  });

  test('fails if a ServiceMonitor has an unknown field', () => {
    const sm = serviceMonitor();
    sm.spec.endpoints[0].scrapeInterval = '30s';
    expect(validateSchema([sm])).toEqual([
      'ServiceMonitor shop/web: spec.endpoints[0].scrapeInterval: unknown field "scrapeInterval"; did you mean "interval"? Rename or remove it',
    ]);
  });

  test('fails if a custom resource has unknown metadata (checked as ObjectMeta)', () => {
    const route = httpRoute();
    route.metadata.label = {};
    expect(validateSchema([route])).toEqual(['HTTPRoute shop/web: metadata.label: unknown field "label"; did you mean "labels"? Rename or remove it']);
  });

  test('fails if a CRD enum or pattern is violated', () => {
    const route = httpRoute();
    route.spec.rules[0].matches[0].path.type = 'Prefix';
    const sm = serviceMonitor();
    sm.spec.endpoints[0].interval = '30 seconds';
    const problems = validateSchema([route, sm]);
    expect(problems).toContain(
      'HTTPRoute shop/web: spec.rules[0].matches[0].path.type: "Prefix" is not allowed; use one of "Exact", "PathPrefix", "RegularExpression"',
    );
    expect(problems).toContain(
      'ServiceMonitor shop/web: spec.endpoints[0].interval: "30 seconds" does not match the pattern ^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
    );
  });

  test('evaluates CRD oneOf branches without closing them, and checks ipv4/ipv6 formats', () => {
    const gateway: any = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'gateway' },
      spec: {
        gatewayClassName: 'nginx',
        listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }],
        addresses: [{ type: 'Hostname', value: 'lb.example.com' }],
      },
    };
    expect(validateSchema([gateway])).toEqual([]);
    gateway.spec.addresses = [{ type: 'IPAddress', value: '10.0.0.1' }];
    expect(validateSchema([gateway])).toEqual([]);
    gateway.spec.addresses = [{ type: 'IPAddress', value: '10.0.0.300' }];
    expect(validateSchema([gateway])).toContain('Gateway gateway/public: spec.addresses[0].value: "10.0.0.300" is not a valid ipv4');
  });

  test('fails if a Quantity is neither a string nor a number', () => {
    const objs = hardenedApp();
    mainContainer(objs).resources.limits.cpu = true;
    expect(validateSchema(objs)).toEqual(['Deployment shop/web: spec.template.spec.containers[0].resources.limits.cpu: must be string or number, not boolean']);
  });

  test('knows the pinned CRD kinds', () => {
    expect(knownKinds().crds).toEqual(
      expect.arrayContaining([
        'monitoring.coreos.com/v1/ServiceMonitor',
        'monitoring.coreos.com/v1/PodMonitor',
        'monitoring.coreos.com/v1/PrometheusRule',
        'gateway.networking.k8s.io/v1/GatewayClass',
        'gateway.networking.k8s.io/v1/Gateway',
        'gateway.networking.k8s.io/v1/HTTPRoute',
      ]),
    );
  });

  test('closeSchema closes objects but keeps maps and preserve-unknown-fields nodes open', () => {
    const closed = closeSchema({
      type: 'object',
      properties: {
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object', properties: { a: {} }, 'x-kubernetes-preserve-unknown-fields': true },
        properties: { type: 'object', properties: { b: { type: 'string' } } },
      },
    });
    expect(closed.additionalProperties).toBe(false);
    expect(closed.properties.labels.additionalProperties).toEqual({ type: 'string' });
    expect(closed.properties.raw.additionalProperties).toBeUndefined();
    expect(closed.properties.properties.additionalProperties).toBe(false);
    const branches = closeSchema({ type: 'object', properties: { a: {} }, oneOf: [{ properties: { a: { enum: ['x'] } } }] });
    expect(branches.additionalProperties).toBe(false);
    expect(branches.oneOf[0].additionalProperties).toBeUndefined();
  });
});
