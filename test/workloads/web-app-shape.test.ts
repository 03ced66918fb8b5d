import { App, Chart, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { WorkloadSecurity } from '../../lib/core/security';
import { StorageClassHandle } from '../../lib/storage/types';
import { EnvValue } from '../../lib/workloads/env';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { apiServerProblems } from '../props/harness';

const chart = () => new Chart(Testing.app(), 'test', { namespace: 'shop' });
const js = (props: unknown) => props as never;

describe('props from plain JavaScript (issue examples)', () => {
  test('fails if WebApp props are empty, naming the required image', () => {
    expect(() => new WebApp(chart(), 'web', js({}))).toThrow('test/web: image undefined is invalid: is required: a string');
  });
  test('fails if WebApp props are missing altogether', () => {
    expect(() => new WebApp(chart(), 'web', js(undefined))).toThrow('test/web: props undefined is invalid: must be an object (WebAppProps)');
  });
  test('fails if an env value is a string instead of an EnvValue', () => {
    expect(() => new WebApp(chart(), 'web', js({ image: 'nginx:1.27.3', env: { X: 'str' } }))).toThrow(
      'test/web: env.X "str" is invalid: must be an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()',
    );
  });
  test('fails if a port has no name', () => {
    expect(() => new WebApp(chart(), 'web', js({ image: 'nginx:1.27.3', ports: [{ containerPort: 8080 }] }))).toThrow(
      'test/web: ports[0].name undefined is invalid: is required: a string',
    );
  });
  test('reports every problem at once', () => {
    expect(() => new WebApp(chart(), 'web', js({ image: 'nginx:1.27.3', minReadySeconds: -1, revisionHistoryLimit: -5, serviceType: 'LoadBalancer' }))).toThrow(
      [
        '3 problems:',
        '  - test/web: serviceType "LoadBalancer" is invalid: must be "ClusterIP" or "NodePort" (expose HTTP through an IngressGateway route instead of a LoadBalancer)',
        '  - test/web: minReadySeconds -1 is invalid: must be an integer >= 0',
        '  - test/web: revisionHistoryLimit -5 is invalid: must be an integer >= 0',
      ].join('\n'),
    );
  });
  test('fails if a label value is not one', () => {
    expect(() => new WebApp(chart(), 'web', { image: 'nginx:1.27.3', appName: 'My Shop' })).toThrow(
      "test/web: appName \"My Shop\" is invalid: must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes an app.kubernetes.io/* label)",
    );
  });
  test('fails if a misspelt prop is given, naming the nearest one', () => {
    expect(() => new WebApp(chart(), 'web', js({ image: 'nginx:1.27.3', replica: 3 }))).toThrow(
      'test/web: replica 3 is invalid: is not a known field of WebAppProps; did you mean "replicas"?',
    );
  });
  test('fails if replicas are given with autoscaling, instead of dropping them', () => {
    expect(() => new WebApp(chart(), 'web', { image: 'nginx:1.27.3', replicas: 3, autoscaling: { maxReplicas: 5 } })).toThrow(
      'test/web: replicas 3 is invalid: must be left out with autoscaling: the autoscaler sets the replicas (use autoscaling.minReplicas)',
    );
  });
  test('fails if a PodDisruptionBudget is asked for one replica', () => {
    expect(() => new WebApp(chart(), 'web', { image: 'nginx:1.27.3', replicas: 1, disruptionBudget: { maxUnavailable: 1 } })).toThrow(
      'test/web: disruptionBudget {"maxUnavailable":1} is invalid: must be left out with 1 replica(s): a PodDisruptionBudget is only emitted from 2 replicas (with 1 it would block every node drain)',
    );
  });
  test('fails if the app name starts with a digit (its Service would be refused)', () => {
    expect(() => new WebApp(chart(), '9lives', { image: 'nginx:1.27.3' })).toThrow(
      'test/9lives: name "9lives" is invalid: must start with a letter: the Service takes this name, and Service names are DNS-1035 labels',
    );
  });
  test('fails if two ports share a Service port', () => {
    expect(
      () =>
        new WebApp(chart(), 'web', {
          image: 'nginx:1.27.3',
          ports: [
            { name: 'http', containerPort: 8080, servicePort: 80 },
            { name: 'alt', containerPort: 8081, servicePort: 80 },
          ],
        }),
    ).toThrow("test/web: ports[1].servicePort 80 is invalid: must be unique per protocol among the Service's ports (80/TCP is taken)");
  });
  test('a ConfigMap and a Secret of one name can both be envFrom sources', () => {
    const c = chart();
    expect(() => new WebApp(c, 'web', { image: 'nginx:1.27.3', envFrom: [EnvFrom.configMap('app'), EnvFrom.secret('app')] })).not.toThrow();
  });
});

describe('StatefulStore from plain JavaScript', () => {
  const storage = StorageClassHandle.fromName('nfs-client');
  test('fails if the engine is missing', () => {
    expect(() => new StatefulStore(chart(), 'db', js({ storage }))).toThrow(
      'test/db: engine undefined is invalid: is required: a StoreEngine: StoreEngine.redis(), .mariadb(), .postgres() or .generic({...})',
    );
  });
  test('fails if credentials carry an unknown key, without showing its value', () => {
    expect(
      () => new StatefulStore(chart(), 'db', js({ engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'db', password: 'hunter2' } })),
    ).toThrow('test/db: credentials.password "<not shown>" is invalid: is not a known field of StoreCredentials; did you mean "passwordKey"?');
  });
  test('writable paths /a.b and /a-b get volumes of their own', () => {
    const c = chart();
    new StatefulStore(c, 'cache', { engine: StoreEngine.redis(), storage, writablePaths: ['/a.b', '/a-b', '/tmp'] });
    const set = Testing.synth(c).find((o) => o.kind === 'StatefulSet');
    const names = set.spec.template.spec.volumes.map((v: { name: string }) => v.name);
    expect(names).toHaveLength(3);
    expect(new Set(names).size).toBe(3);
    expect(names[2]).toBe('tmp');
    expect(names[0]).toMatch(/^a-b-[0-9a-f]{8}$/);
    expect(apiServerProblems(Testing.synth(c))).toEqual([]);
  });
  test('fails if an env variable is one the engine sets', () => {
    expect(
      () =>
        new StatefulStore(chart(), 'db', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'db' }, env: { PGDATA: EnvValue.value('/x') } }),
    ).toThrow('test/db: env.PGDATA "PGDATA" is invalid: is set by the PostgreSQL engine already; each variable may be set once');
  });
  test('fails if maxUnavailable is given for one member', () => {
    expect(() => new StatefulStore(chart(), 'db', { engine: StoreEngine.redis(), storage, maxUnavailable: 1 })).toThrow(
      'test/db: maxUnavailable 1 is invalid: must be left out with 1 replica: a PodDisruptionBudget is only emitted from 2 replicas',
    );
  });
});

describe('restricted means non-zero UID and GID', () => {
  test('fails if user or group is 0', () => {
    expect(() => WorkloadSecurity.restricted({ user: 0 })).toThrow(
      'WorkloadSecurity.restricted: user 0 is invalid: must be a non-root ID: an integer from 1 to 2147483647 (restricted means non-zero UID and GID)',
    );
    expect(() => WorkloadSecurity.restricted({ group: 0 })).toThrow(
      'WorkloadSecurity.restricted: group 0 is invalid: must be a non-root ID: an integer from 1 to 2147483647 (restricted means non-zero UID and GID)',
    );
  });
  test('fails if an opt-out gives no reason', () => {
    expect(() => WorkloadSecurity.optOut({ reason: '' })).toThrow(
      'WorkloadSecurity.optOut: reason "" is invalid: must be a non-empty reason (it is written into the opt-out annotation)',
    );
  });
});

describe('derived names always fit and never collide', () => {
  test("connect(): the store's policy and its instance label stay within 63 for long names", () => {
    const c = chart();
    const store = new StatefulStore(c, 'db', { engine: StoreEngine.redis(), storage: StorageClassHandle.fromName('nfs-client'), name: 's'.repeat(30) });
    const app = new WebApp(c, 'web', { image: 'nginx:1.27.3', name: 'a'.repeat(33) });
    store.connect(app);
    const objects = Testing.synth(c);
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith(`${'s'.repeat(30)}-from-`));
    expect(policy.metadata.name).toHaveLength(63);
    expect(policy.metadata.labels['app.kubernetes.io/instance']).toBe(policy.metadata.name);
    expect(apiServerProblems(objects)).toEqual([]);
  });
  test("a route on an app with a 62-character name keeps its policy apart from the app's own", () => {
    const app = new App();
    const cluster = new Chart(app, 'cluster');
    const gateway = new IngressGateway(cluster, 'gw', { platform });
    const c = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new WebApp(c, 'web', { image: 'nginx:1.27.3', name: 'a'.repeat(62) });
    gateway.route(web, { host: 'shop.test' });
    const policies = Testing.synth(c)
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => o.metadata.name);
    expect(policies).toHaveLength(2);
    expect(new Set(policies).size).toBe(2);
  });
});
