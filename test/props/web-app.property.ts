import * as fc from 'fast-check';
import { WorkloadSecurity } from '../../lib/core/security';
import { EnvValue } from '../../lib/workloads/env';
import { Probe } from '../../lib/workloads/probes';
import { WebApp } from '../../lib/workloads/web-app';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { badLabels, dnsLabel, lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';

/**
 * Prop sets a plain JavaScript user could write. `chaos: false` keeps the TypeScript types (values
 * may still break rules); `chaos: true` puts wrong types (null, numbers, unicode, huge strings,
 * objects for arrays) anywhere.
 */
export function webAppPropsArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };

  const port = fc.record(
    {
      name: maybe(pick(['http', 'metrics', 'grpc', 'admin'], ['HTTP', 'a-very-long-port-name', '1', ''])),
      containerPort: maybe(pick([8080, 9090, 8443, 3000], [80, 0, 70000, 8080.5])),
      servicePort: maybe(pick([80, 443, 8080, 9090], [0])),
      protocol: maybe(pick(['TCP', 'UDP'], ['SCTP'])),
      nodePort: maybe(pick([30080, 32000], [8080])),
    },
    { requiredKeys: ['name', 'containerPort'] },
  );
  const envValue = pick(
    [
      lazy(() => EnvValue.value('1')),
      lazy(() => EnvValue.value('')),
      lazy(() => EnvValue.fromSecret('db', 'password')),
      lazy(() => EnvValue.fromConfigMap('cfg', 'key', true)),
      lazy(() => EnvValue.fromField('status.podIP')),
    ],
    [lazy(() => EnvValue.fromSecret('Bad Name', 'k')), lazy(() => EnvValue.fromField('spec.nothing')), 'str'],
  );
  const envName = pick(['A', 'LOG_LEVEL', 'x.y', 'B-2'], ['1X', 'A B', '', 'É']);
  const probe = pick(
    [
      lazy(() => Probe.http('/ready')),
      lazy(() => Probe.tcp({ port: 8080 })),
      lazy(() => Probe.exec(['true'])),
      lazy(() => Probe.http('/live', { periodSeconds: 5 })),
    ],
    [
      lazy(() => Probe.http('/live', { port: 'nope' })),
      lazy(() => Probe.tcp({ successThreshold: 2 })),
      lazy(() => Probe.exec([])),
      lazy(() => Probe.http('ready')),
      lazy(() => Probe.tcp({ port: 0 })),
    ],
  );
  const security = pick(
    [
      lazy(() => WorkloadSecurity.restricted()),
      lazy(() => WorkloadSecurity.restricted({ user: 1000, group: 1000 })),
      lazy(() => WorkloadSecurity.restricted({ unprivilegedPortStart: 80 })),
      lazy(() => WorkloadSecurity.optOut({ reason: 'legacy image writes to /', writableRootFilesystem: true })),
    ],
    [
      lazy(() => WorkloadSecurity.restricted({ user: 0 })),
      lazy(() => WorkloadSecurity.restricted({ group: 0 })),
      lazy(() => WorkloadSecurity.restricted({ user: -1 })),
      lazy(() => WorkloadSecurity.optOut({ reason: '' })),
    ],
  );
  const path = pick(['/tmp', '/var/cache', '/etc/app', '/a.b', '/a-b'], ['relative', '/', '/tmp']);
  const arr = <T>(a: fc.Arbitrary<T>, maxLength = 2) => fc.array(a, { maxLength });

  return fc
    .record(
      {
        image: maybe(pick(['nginx:1.27.3', 'registry.example.com/team/app:2.0.1'], ['nginx', 'nginx:latest', 'Nginx:1'])),
        name: maybe(mode === 'valid' ? dnsLabel : fc.oneof({ arbitrary: dnsLabel, weight: 9 }, fc.constantFrom(...badLabels))),
        appName: maybe(pick(['shop', 'shop_v2', 'Shop.1'], ['My Shop', 'x'.repeat(64)])),
        component: maybe(pick(['web', 'frontend'], ['front end'])),
        partOf: maybe(pick(['shop'], ['', 'a/b'])),
        replicas: maybe(pick([0, 1, 2, 3], [-1, 1.5])),
        command: maybe(arr(fc.string({ maxLength: 8 }))),
        args: maybe(arr(fc.string({ maxLength: 8 }))),
        ports: maybe(
          mode === 'valid'
            ? fc.uniqueArray(port, { minLength: 1, maxLength: 3, selector: (p) => [p.name, p.containerPort] }).filter(distinctPorts)
            : fc.array(port, { minLength: 1, maxLength: 3 }),
        ),
        serviceType: maybe(pick(['ClusterIP', 'NodePort'], ['LoadBalancer'])),
        env: maybe(fc.dictionary(envName, envValue, { maxKeys: 3 })),
        envFrom: maybe(
          arr(pick([lazy(() => EnvFrom.configMap('cfg')), lazy(() => EnvFrom.secret('cfg', 'S_'))], [lazy(() => EnvFrom.configMap('Bad_Name')), 'cfg'])),
        ),
        configFiles: maybe(
          arr(
            fc.record({
              id: maybe(pick(['conf', 'nginx'], ['x'.repeat(60), 'Bad'])),
              files: maybe(fc.dictionary(pick(['a.conf', 'b.txt'], ['bad/key', '']), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 2 })),
              mountPath: maybe(pick(['/etc/conf', '/etc/nginx/conf.d'], ['etc', '/tmp'])),
              asSingleFiles: maybe(fc.boolean()),
            }),
          ),
        ),
        resources: maybe(
          fc.record(
            {
              cpu: fc.record({ request: maybe(pick(['100m', '250m'], ['2', 'abc'])), limit: maybe(pick(['500m', '1'], ['1.5Gi'])) }, opt),
              memory: fc.record({ request: maybe(pick(['128Mi', '64Mi'], ['128MB'])), limit: maybe(pick(['256Mi', '1Gi'], ['1m'])) }, opt),
            },
            opt,
          ),
        ),
        probes: maybe(
          fc.record(
            { startup: maybe(probe), liveness: maybe(fc.oneof(probe, fc.constant(false))), readiness: maybe(fc.oneof(probe, fc.constant(false))) },
            opt,
          ),
        ),
        rollingUpdate: maybe(
          fc.record({ maxSurge: maybe(pick(['25%', 1, 0, '0%'], ['150%', -1])), maxUnavailable: maybe(pick(['25%', 1, 0], ['0%', '1.5%'])) }, opt),
        ),
        minReadySeconds: maybe(pick([0, 5, 30], [-1])),
        revisionHistoryLimit: maybe(pick([0, 3, 10], [-5])),
        changeCause: maybe(fc.string({ maxLength: 30 })),
        autoscaling: maybe(
          fc.record(
            {
              minReplicas: maybe(pick([1, 2, 3], [0])),
              maxReplicas: maybe(pick([3, 4, 8], [0, 1])),
              cpuUtilization: maybe(pick([50, 70, 100], [0, 150])),
              memoryUtilization: maybe(pick([60, 80], [101])),
            },
            { requiredKeys: ['maxReplicas'] },
          ),
        ),
        disruptionBudget: maybe(fc.record({ maxUnavailable: maybe(pick([1, 2], [0, 3])) }, opt)),
        spreadOverNodes: maybe(fc.boolean()),
        security: maybe(security),
        writablePaths: maybe(arr(path, 3)),
        imagePullSecrets: maybe(arr(pick(['harbor-pull', 'a.b'], ['Harbor Pull']))),
        serviceAccountName: maybe(pick(['runner', 'a.b'], ['Runner'])),
        network: maybe(fc.record({ enabled: maybe(fc.boolean()), allowFromSameNamespace: maybe(fc.boolean()), allowAllEgress: maybe(fc.boolean()) }, opt)),
        // Typos and dropped keys plain JavaScript makes (rare, so most sets reach the deeper rules).
        extra:
          mode === 'valid'
            ? fc.constant({})
            : fc.oneof({ arbitrary: fc.constant({}), weight: 20 }, fc.constant({ replica: 3 }), fc.constant({ credentials: { password: 'x' } })),
      },
      { requiredKeys: mode === 'chaos' ? ['extra'] : ['image', 'extra'] },
    )
    .map(({ extra, ...rest }) => ({ ...(mode === 'valid' ? coherent(rest) : rest), ...(extra as object) }));
}

/** Port sets whose names, container ports and Service ports are each distinct (the API server's rule). */
function distinctPorts(ports: Array<Record<string, unknown>>): boolean {
  const distinct = (key: (p: Record<string, unknown>) => unknown): boolean => new Set(ports.map(key)).size === ports.length;
  return (
    distinct((p) => p.name) &&
    distinct((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`) &&
    distinct((p) => `${p.servicePort ?? p.containerPort}/${p.protocol ?? 'TCP'}`) &&
    ports.filter((p) => p.nodePort).length === new Set(ports.map((p) => p.nodePort).filter(Boolean)).size
  );
}

/** Makes a set of good values agree with the rules between props (the typed and chaos sets test those rules). */
function coherent(p: Record<string, any>): Record<string, unknown> {
  const out = { ...p };
  if (out.autoscaling) delete out.replicas;
  const min = out.autoscaling ? (out.autoscaling.minReplicas ?? 2) : (out.replicas ?? 2);
  if (out.autoscaling && out.autoscaling.maxReplicas < min) out.autoscaling = { ...out.autoscaling, maxReplicas: min };
  if (min < 2) delete out.disruptionBudget;
  else if (out.disruptionBudget?.maxUnavailable >= min) out.disruptionBudget = { maxUnavailable: min - 1 };
  if (out.serviceType !== 'NodePort' && Array.isArray(out.ports)) out.ports = out.ports.map(({ nodePort: _n, ...port }: any) => port);
  const surge = out.rollingUpdate?.maxSurge ?? '25%';
  if ((surge === 0 || surge === '0%') && [0, '0%'].includes(out.rollingUpdate?.maxUnavailable ?? '25%')) out.rollingUpdate = { maxSurge: 1 };
  if (Array.isArray(out.configFiles)) {
    const ids = new Set<string>();
    out.configFiles = out.configFiles.filter((c: any) => !ids.has(c.id) && ids.add(c.id));
  }
  if (Array.isArray(out.writablePaths)) out.writablePaths = [...new Set(out.writablePaths)];
  if (Array.isArray(out.envFrom)) out.envFrom = out.envFrom.slice(0, 1);
  return out;
}

export const webAppProps = modes(webAppPropsArb);

describe('WebApp props (property)', () => {
  test(`${RUNS} random prop sets: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('WebApp', webAppProps, (chart, props) => void new WebApp(chart, 'web', materialize(props) as never), {
      allowOptOut: true,
    });
    tally.report('WebApp');
    expect(tally.valid + tally.errors).toBe(RUNS);
    // The generator must keep reaching both outcomes, or the property says little.
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
