import { ApiObject, Chart, Lazy, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ProblemCollector } from '../../lib/core/errors';
import { WorkloadDefaults } from '../../lib/core/resources';
import { WorkloadSecurity } from '../../lib/core/security';
import { warningsOf } from '../../lib/core/warnings';
import { NetworkPeer } from '../../lib/networking/network-peer';
import { EnvValue } from '../../lib/workloads/env';
import { PodTemplate, PodWorkloadProps } from '../../lib/workloads/pod-template';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { expectValidManifests, synthObjects } from '../support';

/** The smallest construct on PodTemplate: a bare Pod, as NodeAgent or BatchJob use it. */
class TestPod extends Construct {
  public readonly pod: PodTemplate;
  constructor(scope: Construct, id: string, props: PodWorkloadProps) {
    super(scope, id);
    const problems = new ProblemCollector(ProblemCollector.pathOf(this));
    this.pod = new PodTemplate(this, props, { problems, defaultComponent: 'test' });
    problems.throwIfAny();
    const tpl = () => this.pod.render({ pod: { restartPolicy: 'Never' } });
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: this.pod.objectMetadata(),
      spec: Lazy.any({ produce: () => tpl().spec }),
    });
    this.pod.createNetworkPolicy();
    this.pod.register('Pod');
  }
}

// Polaris does not ask Jobs and CronJobs (what PodTemplate serves) for probes or spread; a bare Pod it does.
const BARE_POD = ['topologySpreadConstraint', 'livenessProbeMissing', 'readinessProbeMissing'];
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'shop' });
const build = (props: Partial<PodWorkloadProps>) => () => new TestPod(chart(), 'task', { image: 'busybox:1.37.0', ...props } as PodWorkloadProps);

describe('PodTemplate defaults', () => {
  const c = chart();
  new TestPod(c, 'Task', { image: 'busybox:1.37.0' });
  const objects = synthObjects(c);
  const pod = objects.find((o) => o.kind === 'Pod');
  const policy = objects.find((o) => o.kind === 'NetworkPolicy');

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects, { polarisAllow: BARE_POD });
  });
  test('readable name from the id; recommended labels with the image tag as version', () => {
    expect(pod.metadata).toEqual({
      name: 'task',
      namespace: 'shop',
      labels: {
        'app.kubernetes.io/component': 'test',
        'app.kubernetes.io/instance': 'task',
        'app.kubernetes.io/managed-by': 'cdk8s-paas',
        'app.kubernetes.io/name': 'task',
        'app.kubernetes.io/version': '1.37.0',
      },
    });
  });
  test('restricted, no token, no service links, resources set, /tmp writable', () => {
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.enableServiceLinks).toBe(false);
    expect(pod.spec.securityContext).toEqual({
      fsGroup: 10001,
      fsGroupChangePolicy: 'OnRootMismatch',
      runAsGroup: 10001,
      runAsNonRoot: true,
      runAsUser: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const main = pod.spec.containers[0];
    expect(main.name).toBe('task');
    expect(main.imagePullPolicy).toBe('Always');
    expect(main.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(main.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
    expect(pod.spec.volumes).toEqual([{ name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } }]);
  });
  test('own NetworkPolicy: ingress from its own pods only, egress DNS only', () => {
    expect(policy.metadata.name).toBe('task');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'task', 'app.kubernetes.io/name': 'task' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'task', 'app.kubernetes.io/name': 'task' } } }] }],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
  });
});

describe('PodTemplate props', () => {
  test('env sorted, envFrom, config files with checksum, secrets, claims, pull secrets, service account', () => {
    const c = chart();
    WorkloadDefaults.set(c, { resources: { cpu: { request: '50m' } } });
    const t = new TestPod(c, 'task', {
      image: 'busybox:1.37.0',
      command: ['sh', '-c'],
      args: ['echo hi'],
      env: { B: EnvValue.value('2'), A: EnvValue.fromSecret('db', 'password') },
      envFrom: [EnvFrom.configMap('settings', 'APP_')],
      configFiles: [{ id: 'sql', files: { 'b.sql': 'select 2;', 'a.sql': 'select 1;' }, mountPath: '/sql' }],
      imagePullSecrets: ['harbor-pull'],
      imagePullPolicy: 'IfNotPresent',
      serviceAccountName: 'runner',
      writablePaths: ['/tmp', '/cache'],
      partOf: 'shop',
      appName: 'shop-tasks',
      component: 'migration',
    });
    t.pod.addEnv('LATE', EnvValue.value('x'));
    t.pod.mountSecret('tls.cert', '/certs');
    t.pod.mountSecret('tls.cert', '/certs');
    t.pod.mountClaim({ claimName: 'data', readWriteMany: false }, '/data', { readOnly: true }, 3);
    const objects = synthObjects(c);
    expectValidManifests(objects, { polarisAllow: [...BARE_POD, 'pullPolicyNotAlways'] });
    const pod = objects.find((o) => o.kind === 'Pod');
    const main = pod.spec.containers[0];
    expect(main.command).toEqual(['sh', '-c']);
    expect(main.args).toEqual(['echo hi']);
    expect(main.imagePullPolicy).toBe('IfNotPresent');
    expect(main.resources.requests.cpu).toBe('50m');
    expect(main.env).toEqual([
      { name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'B', value: '2' },
      { name: 'LATE', value: 'x' },
    ]);
    expect(main.envFrom).toEqual([{ prefix: 'APP_', configMapRef: { name: 'settings' } }]);
    expect(pod.spec.imagePullSecrets).toEqual([{ name: 'harbor-pull' }]);
    expect(pod.spec.serviceAccountName).toBe('runner');
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('shop-tasks');
    expect(pod.metadata.labels['app.kubernetes.io/part-of']).toBe('shop');
    expect(pod.metadata.labels['app.kubernetes.io/component']).toBe('migration');
    expect(pod.spec.volumes).toEqual([
      { name: 'config-sql', configMap: { name: 'task-sql' } },
      { name: 'writable-0', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'writable-1', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'secret-tls-cert', secret: { secretName: 'tls.cert', defaultMode: 0o440 } },
      { name: 'claim-data', persistentVolumeClaim: { claimName: 'data', readOnly: true } },
    ]);
    expect(main.volumeMounts).toEqual([
      { name: 'config-sql', mountPath: '/sql', readOnly: true },
      { name: 'writable-0', mountPath: '/tmp' },
      { name: 'writable-1', mountPath: '/cache' },
      { name: 'secret-tls-cert', mountPath: '/certs', readOnly: true },
      { name: 'claim-data', mountPath: '/data', readOnly: true },
    ]);
    const cm = objects.find((o) => o.kind === 'ConfigMap');
    expect(cm.metadata.name).toBe('task-sql');
    expect(cm.data).toEqual({ 'a.sql': 'select 1;', 'b.sql': 'select 2;' });
    expect(pod.metadata.annotations).toBeUndefined();
  });

  test('config file changes change the checksum/config annotation', () => {
    const checksum = (content: string) => {
      const c = chart();
      const t = new TestPod(c, 'task', { image: 'busybox:1.37.0', configFiles: [{ id: 'cfg', files: { a: content }, mountPath: '/etc/a' }] });
      return t.pod.render().metadata.annotations as Record<string, string>;
    };
    expect(checksum('one')['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum('one')).toEqual(checksum('one'));
    expect(checksum('one')).not.toEqual(checksum('two'));
  });

  test('opt-out annotated on object and pods', () => {
    const c = chart();
    new TestPod(c, 'task', {
      image: 'busybox:1.37.0',
      security: WorkloadSecurity.optOut({ reason: 'legacy image writes to /', writableRootFilesystem: true }),
    });
    const pod = synthObjects(c).find((o) => o.kind === 'Pod');
    expect(pod.metadata.annotations).toEqual({ 'paas.cdk8s.io/pod-security-opt-out': 'legacy image writes to /' });
    expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  test('network: allowFrom, allowEgress, allowEgress(), allowAllEgress, disabled', () => {
    const c = chart();
    const t = new TestPod(c, 'task', {
      image: 'busybox:1.37.0',
      network: {
        allowFrom: [{ from: NetworkPeer.namespace('monitoring'), ports: [{ port: 9090 }] }],
        allowEgress: [{ to: NetworkPeer.cidr('10.0.5.0/24'), ports: [{ port: 5432 }] }],
      },
    });
    t.pod.allowEgress(NetworkPeer.pods({ app: 'api' }));
    const policy = synthObjects(c).find((o) => o.kind === 'NetworkPolicy');
    expect(policy.spec.ingress.slice(1)).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] },
    ]);
    expect(policy.spec.egress.slice(1)).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.5.0/24' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ podSelector: { matchLabels: { app: 'api' } } }] },
    ]);
    const all = chart();
    new TestPod(all, 'task', { image: 'busybox:1.37.0', network: { allowAllEgress: true } });
    expect(synthObjects(all).find((o) => o.kind === 'NetworkPolicy').spec.egress).toEqual([{}]);
    const off = chart();
    new TestPod(off, 'task', { image: 'busybox:1.37.0', network: { enabled: false } });
    expect(synthObjects(off).map((o) => o.kind)).toEqual(['Pod']);
  });

  test('rules for a disabled NetworkPolicy are warned about, not dropped without a word', () => {
    const off = chart();
    const pod = new TestPod(off, 'task', {
      image: 'busybox:1.37.0',
      network: { enabled: false, allowFrom: [{ from: NetworkPeer.namespace('monitoring') }], allowAllEgress: true },
    });
    pod.pod.allowEgress(NetworkPeer.cidr('10.0.5.0/24'));
    expect(synthObjects(off).map((o) => o.kind)).toEqual(['Pod']);
    expect(warningsOf(off)).toEqual([
      "test/task: network.allowFrom, network.allowAllEgress have no effect: network.enabled is false, so the pods have no NetworkPolicy of their own (the namespace's policies alone apply)",
      'test/task: allowEgress({"ipBlock":{"cidr":"10.0.5.0/24"}}) has no effect: network.enabled is false, so the pods have no NetworkPolicy of their own (the namespace\'s policies alone apply)',
    ]);
    const quiet = chart();
    new TestPod(quiet, 'task', { image: 'busybox:1.37.0', network: { enabled: false, allowEgress: [] } });
    expect(warningsOf(quiet)).toEqual([]);
  });
});

describe('PodTemplate errors', () => {
  test('config files get the secret rule WebApp applies (one check, in workload-parts)', () => {
    expect(build({ configFiles: [{ id: 'cfg', files: { 'app.yaml': 'a: 1', 'token.txt': 'abc' }, mountPath: '/etc/app' }] })).toThrow(
      'test/task: configFiles[0].files["token.txt"] "<redacted>" is invalid: looks like a secret (its name contains "token") and would be written into dist/ in clear text: keep the file in a Secret created outside and mount it with mountSecret(); if it is not one, say so with a file name without those words (Polaris flags the ConfigMap key as well)',
    );
  });
  test('fails on a bad image, name and every list prop, all in one error', () => {
    expect(
      build({
        image: 'busybox',
        name: 'Bad_Name',
        command: 'echo' as unknown as string[],
        imagePullPolicy: 'Never' as 'Always',
        imagePullSecrets: ['Harbor'],
        serviceAccountName: 'Runner',
        env: { '1X': EnvValue.value('a') },
        envFrom: [{ name: 'x' } as unknown as EnvFrom],
        security: { level: 'restricted' } as unknown as WorkloadSecurity,
      }),
    ).toThrow(
      [
        '9 problems:',
        `  - test/task: name "Bad_Name" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
        '  - test/task: image "busybox" is invalid: must name a tag or a digest: an untagged image means ":latest", which changes under you (e.g. "nginx:1.27.3")',
        '  - test/task: security {"level":"restricted"} is invalid: must be WorkloadSecurity.restricted() or WorkloadSecurity.optOut({ reason })',
        '  - test/task: command "echo" is invalid: must be an array of strings',
        '  - test/task: imagePullPolicy "Never" is invalid: must be "Always" or "IfNotPresent"',
        `  - test/task: imagePullSecrets[0] "Harbor" is invalid: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`,
        `  - test/task: serviceAccountName "Runner" is invalid: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`,
        `  - test/task: env.1X "1X" is invalid: must consist of letters, digits, '_', '-' or '.', and not start with a digit`,
        '  - test/task: envFrom[0] {"name":"x"} is invalid: must be EnvFrom.configMap(name, prefix?) or EnvFrom.secret(name, prefix?)',
      ].join('\n'),
    );
  });
  test('fails on a plain-object env value, duplicate env and mount paths', () => {
    expect(build({ env: { A: 'x' as unknown as EnvValue } })).toThrow(
      'test/task: env.A "x" is invalid: must be an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()',
    );
    const t = new TestPod(chart(), 'task', { image: 'busybox:1.37.0', env: { A: EnvValue.value('1') } });
    expect(() => t.pod.addEnv('A', EnvValue.value('2'))).toThrow(
      'test/task: env "A" is invalid: is already set on this workload; each variable may be set once',
    );
    expect(() => t.pod.mountSecret('s', '/tmp')).toThrow('test/task: mountSecret "/tmp" is invalid: is already a mount path of this workload');
    expect(() => t.pod.mountSecret('s', 'tmp')).toThrow('test/task: mountSecret "tmp" is invalid: must be an absolute path');
  });
  test('fails on a ReadWriteOnce claim mounted writable by several pods, and a non-claim', () => {
    const t = new TestPod(chart(), 'task', { image: 'busybox:1.37.0' });
    expect(() => t.pod.mountClaim({ claimName: 'data', readWriteMany: false }, '/data', {}, 2)).toThrow(
      'test/task: mountClaim "data" is invalid: is not ReadWriteMany but up to 2 pods may run at once on different nodes: use a ReadWriteMany claim or mount it read-only',
    );
    expect(() => t.pod.mountClaim(undefined as never, '/data')).toThrow(
      'test/task: mountClaim undefined is invalid: must be a claim handle (NfsStorage.claim(), VolumeClaim.fromClaimName())',
    );
  });
  test('fails on config files without files or with a relative path, and on non-peer network rules', () => {
    expect(build({ configFiles: [{ id: 'cfg', files: {}, mountPath: '/etc/x' }] })).toThrow(
      'test/task: configFiles[0].files {} is invalid: must hold at least one file',
    );
    expect(build({ configFiles: [{ id: 'cfg', files: { a: '1' }, mountPath: 'etc' }] })).toThrow(
      'test/task: configFiles[0].mountPath "etc" is invalid: must be an absolute path',
    );
    expect(build({ network: { allowEgress: [{ to: '10.0.0.0/8' as unknown as NetworkPeer }], allowFrom: [{ from: {} as NetworkPeer }] } })).toThrow(
      [
        '2 problems:',
        '  - test/task: network.allowEgress[0].to "10.0.0.0/8" is invalid: must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())',
        '  - test/task: network.allowFrom[0].from {} is invalid: must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())',
      ].join('\n'),
    );
    const t = new TestPod(chart(), 'task', { image: 'busybox:1.37.0' });
    expect(() => t.pod.allowEgress('x' as never)).toThrow(
      'test/task: allowEgress "x" is invalid: must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())',
    );
  });
  test('a duplicate name is a synth error naming both paths', () => {
    const c = chart();
    new TestPod(c, 'a', { image: 'busybox:1.37.0', name: 'task' });
    new TestPod(c, 'b', { image: 'busybox:1.37.0', name: 'task' });
    expect(() => synthObjects(c)).toThrow(
      'test/b: name "task" is invalid: Pod "task" already exists in namespace "shop" (created by test/a); choose a unique name',
    );
  });
});

describe('PodTemplate names and labels', () => {
  test('label values and the generated ConfigMap and volume names are checked', () => {
    expect(build({ appName: 'My App', partOf: '-shop' })).toThrow(
      [
        '2 problems:',
        `  - test/task: appName "My App" is invalid: must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes an app.kubernetes.io/* label)`,
        `  - test/task: partOf "-shop" is invalid: must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes an app.kubernetes.io/* label)`,
      ].join('\n'),
    );
    const id = 'c'.repeat(58);
    expect(build({ name: 't', configFiles: [{ id, files: { a: '1' }, mountPath: '/etc/a' }] })).toThrow(
      `test/task: configFiles[0].id "config-${id}" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  });
});

describe('PodTemplate volume names', () => {
  test('two long Secret names get two volumes (the naming scheme, not a cut to one name)', () => {
    const c = chart();
    const t = new TestPod(c, 'task', { image: 'busybox:1.37.0', writablePaths: [] });
    t.pod.mountSecret(`${'s'.repeat(60)}-a`, '/a');
    t.pod.mountSecret(`${'s'.repeat(60)}-b`, '/b');
    const volumes = synthObjects(c).find((o) => o.kind === 'Pod').spec.volumes;
    expect(volumes.map((v: any) => v.secret.secretName)).toEqual([`${'s'.repeat(60)}-a`, `${'s'.repeat(60)}-b`]);
    expect(new Set(volumes.map((v: any) => v.name)).size).toBe(2);
    for (const v of volumes) expect(v.name.length).toBeLessThanOrEqual(63);
  });
});

describe('PodTemplate from plain JavaScript', () => {
  test('lists and maps of the wrong type are PaasValidationErrors, not TypeErrors', () => {
    expect(
      build({
        env: 'A=1' as never,
        envFrom: 'settings' as never,
        configFiles: {} as never,
        writablePaths: '/tmp' as never,
        imagePullSecrets: 'harbor-pull' as never,
        network: { allowEgress: {} as never, allowFrom: 'all' as never },
      }),
    ).toThrow(
      [
        '7 problems:',
        '  - test/task: imagePullSecrets "harbor-pull" is invalid: must be an array',
        '  - test/task: env "A=1" is invalid: must be an object of name -> EnvValue',
        '  - test/task: envFrom "settings" is invalid: must be an array',
        '  - test/task: configFiles {} is invalid: must be an array',
        '  - test/task: writablePaths "/tmp" is invalid: must be an array',
        '  - test/task: network.allowEgress {} is invalid: must be an array',
        '  - test/task: network.allowFrom "all" is invalid: must be an array',
      ].join('\n'),
    );
    expect(build({ configFiles: [null as never] })).toThrow(
      `test/task: configFiles[0].id undefined is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  });
});
