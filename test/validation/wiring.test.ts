import { validate } from '../../lib/validation/validate';
import { wiringFamily } from '../../lib/validation/wiring';

const families = { families: [wiringFamily] };
const labels = { app: 'web' };
const deployment = (over: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: labels },
    template: {
      metadata: { labels },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27.3',
            ports: [
              { name: 'http', containerPort: 8080 },
              { name: 'metrics', containerPort: 9090 },
            ],
          },
        ],
      },
    },
    ...over,
  },
});
const service = (spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop', labels, ...meta },
  spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec },
});
const run = (objects: unknown[]) => validate(objects, families).findings.map((f) => `${f.id} ${f.kind}/${f.name} ${f.path}: ${f.message}`);

describe('wiring/…', () => {
  test('a consistent Deployment, Service, HPA, PDB, Ingress, HTTPRoute and monitors pass', () => {
    const objects = [
      deployment(),
      service(),
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { matchLabels: labels }, endpoints: [{ port: 'http' }] },
      },
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'metrics' }] },
      },
    ];
    expect(run(objects)).toEqual([]);
  });

  test('selectors, target ports, HPA and PDB targets (the checks of checkWorkloadWiring)', () => {
    expect(
      run([
        deployment({ selector: { matchLabels: { app: 'other' } } }),
        service({ ports: [{ name: 'http', port: 80, targetPort: 'web' }] }),
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'h', namespace: 'shop' },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'gone' } },
        },
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'shop' }, spec: { selector: { matchLabels: { app: 'x' } } } },
        service({ selector: { app: 'nobody' } }, { name: 'lonely' }),
      ]),
    ).toEqual([
      'wiring/selector-mismatch Deployment/web spec.selector: spec.selector does not match the pod template labels of Deployment shop/web: the API server rejects it; make spec.template.metadata.labels carry every selector label',
      'wiring/service-target-port Service/web spec.ports[0].targetPort: targetPort "web" is not a container port name of Deployment shop/web (named ports: http, metrics)',
      'wiring/hpa-target-missing HorizontalPodAutoscaler/h spec.scaleTargetRef: scales Deployment "gone", which the input does not create in namespace "shop"',
      'wiring/pdb-selects-nothing PodDisruptionBudget/p spec.selector: selects no pods of a workload in namespace "shop": the budget protects nothing; make the selector match a pod template\'s labels',
      'wiring/service-selects-nothing Service/lonely spec.selector: selects no pods of a workload in namespace "shop": the Service gets no endpoints; make the selector match a pod template\'s labels',
    ]);
  });

  test('Ingress and HTTPRoute backends: the Service exists and has the port', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i', namespace: 'shop' },
      spec: {
        defaultBackend: { service: { name: 'missing', port: { number: 80 } } },
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8443 } } } }] } }],
      },
    };
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r', namespace: 'shop' },
      spec: {
        rules: [
          {
            backendRefs: [
              { name: 'web', port: 81 },
              { name: 'x', kind: 'Other', group: 'example.com' },
            ],
          },
        ],
      },
    };
    expect(run([deployment(), service(), ingress, route])).toEqual([
      'wiring/ingress-backend-missing Ingress/i spec.defaultBackend.service.name: backend Service "missing" is not created by the input in namespace "shop": requests get 503; create it or declare it created outside',
      'wiring/ingress-backend-port Ingress/i spec.rules[0].http.paths[0].backend.service.port: Service "web" has no port 8443 (ports: http/80)',
      'wiring/httproute-backend-port HTTPRoute/r spec.rules[0].backendRefs[0].port: Service "web" has no port 81 (ports: http/80)',
    ]);
  });

  test('HTTPRoute parentRefs: the named listener exists and admits the route namespace', () => {
    const gateway = (listeners: unknown[]) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'edge' },
      spec: { gatewayClassName: 'traefik', listeners },
    });
    const route = (sectionName?: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `r-${sectionName ?? 'any'}`, namespace: 'shop' },
      spec: { parentRefs: [{ name: 'gw', namespace: 'edge', sectionName }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
    });
    const open = gateway([
      { name: 'web', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
      { name: 'websecure', port: 8443, protocol: 'HTTPS' },
    ]);
    expect(run([deployment(), service(), open, route('web'), route(), route('websecure'), route('webscure')])).toEqual([
      'wiring/httproute-listener HTTPRoute/r-websecure spec.parentRefs[0]: Gateway "edge/gw" listener "websecure" admits routes from its own namespace only (allowedRoutes.namespaces.from: Same), and this route is in "shop": set from: All (or a Selector) on the listener',
      'wiring/httproute-listener HTTPRoute/r-webscure spec.parentRefs[0].sectionName: Gateway "edge/gw" has no listener "webscure" (listeners: web, websecure): the route is not accepted; name one of its listeners',
    ]);
    // A Gateway outside the input: nothing to compare against here.
    expect(run([deployment(), service(), route('anything')])).toEqual([]);
  });

  test('ServiceMonitor and PodMonitor: selectors match, ports exist', () => {
    const sm = (spec: Record<string, unknown>) => ({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'sm', namespace: 'mon' },
      spec,
    });
    const pm = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: 'pm', namespace: 'shop' },
      spec: { selector: { matchLabels: labels }, podMetricsEndpoints: [{ port: 'admin' }] },
    };
    expect(
      run([
        deployment(),
        service(),
        sm({ selector: { matchLabels: labels }, endpoints: [{ port: 'http' }] }),
        sm({ selector: { matchLabels: labels }, namespaceSelector: { matchNames: ['shop'] }, endpoints: [{ port: 'metrics' }] }),
        pm,
      ]),
    ).toEqual([
      "wiring/monitor-selects-nothing ServiceMonitor/sm spec.selector: selects no Service of the input (labels and namespaceSelector): Prometheus scrapes nothing; match a Service's metadata.labels",
      'wiring/monitor-port ServiceMonitor/sm spec.endpoints[0].port: port "metrics" is not a port name of Service shop/web',
      'wiring/monitor-port PodMonitor/pm spec.podMetricsEndpoints[0].port: port "admin" is not a container port name of Deployment shop/web',
    ]);
  });

  test('odd shapes (containers as an object, selector as a string) give findings, never a crash', () => {
    const odd = deployment({ selector: 'app=web', template: { metadata: { labels: 'x' }, spec: { containers: { name: 'web' } } } });
    expect(run([odd, service({ ports: 'http' })])).toEqual([
      'wiring/selector-mismatch Deployment/web spec.selector: spec.selector does not match the pod template labels of Deployment shop/web: the API server rejects it; make spec.template.metadata.labels carry every selector label',
      'wiring/service-selects-nothing Service/web spec.selector: selects no pods of a workload in namespace "shop": the Service gets no endpoints; make the selector match a pod template\'s labels',
    ]);
  });
});
