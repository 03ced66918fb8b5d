import { Chart, Testing } from 'cdk8s';
import { warningsOf } from '../../lib/core/warnings';
import { NetworkPeer } from '../../lib/networking/network-peer';
import { WorkloadDefaults } from '../../lib/core/resources';
import { EnvValue } from '../../lib/workloads/env';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { NodeAgentProps } from '../../lib/workloads/node-agent-props';
import { Probe } from '../../lib/workloads/probes';
import { StorageClassHandle } from '../../lib/storage/types';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { expectValidManifests, synthObjects } from '../support';

const P = 'test/agent';
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'agents' });
const agent = (props: Partial<NodeAgentProps> = {}, c: Chart = chart()) => {
  const a = new NodeAgent(c, 'agent', { image: 'fluent/fluent-bit:3.2.4', ...props } as NodeAgentProps);
  return { a, c, objects: () => synthObjects(c), ds: () => synthObjects(c).find((o) => o.kind === 'DaemonSet') };
};
const build = (props: Partial<NodeAgentProps>) => () => agent(props);
// Without ports there is no default probe: NodeAgent warns, and so does Polaris.
const NO_PROBES = ['livenessProbeMissing', 'readinessProbeMissing'];

describe('NodeAgent defaults', () => {
  const { a, objects } = agent();
  const all = objects();
  const ds = all.find((o) => o.kind === 'DaemonSet');
  const spec = ds.spec.template.spec;

  test('passes strict schema, restricted and Polaris', () => expectValidManifests(all, { polarisAllow: NO_PROBES }));
  test('a DaemonSet and its NetworkPolicy, named after the id', () => {
    expect(all.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['DaemonSet/agent', 'NetworkPolicy/agent']);
    expect(a.kind).toBe('DaemonSet');
    expect(a.name).toBe('agent');
    expect(a.namespace).toBe('agents');
    expect(a.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'agent', 'app.kubernetes.io/instance': 'agent' });
    expect(ds.metadata.labels['app.kubernetes.io/component']).toBe('agent');
  });
  test('one node at a time, no surge, five revisions kept', () => {
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.revisionHistoryLimit).toBe(5);
    expect(ds.spec.minReadySeconds).toBeUndefined();
    expect(ds.spec.selector).toEqual({ matchLabels: a.selectorLabels });
  });
  test('every schedulable node, no control plane, no host access, token off', () => {
    for (const key of ['nodeSelector', 'tolerations', 'priorityClassName', 'hostNetwork', 'hostPID', 'dnsPolicy']) expect(spec[key]).toBeUndefined();
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.containers[0].securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(ds.metadata.annotations).toBeUndefined();
  });
  test('a spread over nodes that changes nothing for a DaemonSet, so Polaris passes without an exception', () => {
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: a.selectorLabels } },
    ]);
  });
  test('no ports: no probes', () => {
    expect(spec.containers[0].livenessProbe).toBeUndefined();
    expect(spec.containers[0].readinessProbe).toBeUndefined();
  });
  test('no ingress; egress DNS only', () => {
    const np = all.find((o) => o.kind === 'NetworkPolicy');
    expect(np.spec.egress).toHaveLength(1);
    expect(np.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });
  test('no node count outside a tenant; a warning that nothing probes the agent', () => {
    expect(a.nodeCount).toBeUndefined();
    expect(warningsOf(a)).toEqual([
      `${P}: has no liveness probe (no ports to check by default): a hung agent is never restarted; give probes.liveness (Probe.exec([...])) or set it to false`,
    ]);
    expect(warningsOf(agent({ probes: { liveness: false } }).a)).toEqual([]);
    expect(warningsOf(agent({ probes: { liveness: Probe.exec(['fluent-bit', '--dry-run']) } }).a)).toEqual([]);
  });
});

describe('NodeAgent props', () => {
  test('ports get TCP liveness and readiness probes on the first one', () => {
    const c = agent({ ports: [{ name: 'metrics', containerPort: 2020 }] }).ds().spec.template.spec.containers[0];
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 2020, protocol: 'TCP' }]);
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 'metrics' });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'metrics' });
  });
  test('probes can be given or turned off', () => {
    const c = agent({
      ports: [{ name: 'http', containerPort: 2020 }],
      probes: { startup: Probe.http('/api/v1/health'), liveness: false, readiness: Probe.http('/api/v1/health', { periodSeconds: 5 }) },
    }).ds().spec.template.spec.containers[0];
    expect(c.startupProbe.httpGet).toEqual({ path: '/api/v1/health', port: 'http' });
    expect(c.livenessProbe).toBeUndefined();
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/api/v1/health', port: 'http' }, periodSeconds: 5 });
  });
  test('nodeSelector, tolerations, rolling update, priority class, minReadySeconds, revisionHistoryLimit', () => {
    const { ds, objects } = agent({
      nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' },
      tolerateControlPlane: true,
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { operator: 'Exists' },
      ],
      rollingUpdate: { maxUnavailable: '10%', maxSurge: 0 },
      priorityClassName: 'system-node-critical',
      minReadySeconds: 10,
      revisionHistoryLimit: 2,
    });
    const d = ds();
    const spec = d.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', disk: 'ssd' });
    expect(spec.tolerations).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'logging', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { operator: 'Exists' },
    ]);
    expect(spec.priorityClassName).toBe('system-node-critical');
    expect(d.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: '10%', maxSurge: 0 });
    expect(d.spec.minReadySeconds).toBe(10);
    expect(d.spec.revisionHistoryLimit).toBe(2);
    expect(() => expectValidManifests(objects(), { polarisAllow: NO_PROBES })).not.toThrow();
  });
  test('the common pod props and WorkloadDefaults apply as for every workload', () => {
    const c = chart();
    WorkloadDefaults.set(c, { resources: { cpu: { request: '50m', limit: '100m' } } });
    const d = agent(
      {
        name: 'shipper',
        appName: 'logging',
        component: 'shipper',
        partOf: 'observability',
        command: ['/fluent-bit/bin/fluent-bit'],
        args: ['-c', '/etc/fluent-bit/fluent-bit.conf'],
        configFiles: [{ id: 'config', files: { 'fluent-bit.conf': '[SERVICE]\n' }, mountPath: '/etc/fluent-bit' }],
        envFrom: [EnvFrom.configMap('shipper-env')],
        imagePullSecrets: ['harbor-pull'],
        imagePullPolicy: 'IfNotPresent',
        serviceAccountName: 'shipper',
        writablePaths: ['/tmp', '/buffers'],
      },
      c,
    ).ds();
    expect(d.metadata.name).toBe('shipper');
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'logging',
      'app.kubernetes.io/instance': 'shipper',
      'app.kubernetes.io/component': 'shipper',
      'app.kubernetes.io/part-of': 'observability',
      'app.kubernetes.io/version': '3.2.4',
    });
    const spec = d.spec.template.spec;
    const container = spec.containers[0];
    expect(container).toMatchObject({
      command: ['/fluent-bit/bin/fluent-bit'],
      args: ['-c', '/etc/fluent-bit/fluent-bit.conf'],
      imagePullPolicy: 'IfNotPresent',
      envFrom: [{ configMapRef: { name: 'shipper-env' } }],
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '100m', memory: '256Mi' } },
    });
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/etc/fluent-bit', '/tmp', '/buffers']);
    expect(spec).toMatchObject({ serviceAccountName: 'shipper', imagePullSecrets: [{ name: 'harbor-pull' }], automountServiceAccountToken: false });
    expect(d.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('maxSurge without host ports: the new pod starts before the old one stops', () => {
    expect(agent({ rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }).ds().spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
  });
  test('env, Secret mounts, claims and egress after construction land in the output', () => {
    const { a, objects } = agent();
    a.addEnv('LOG_LEVEL', EnvValue.value('info'));
    a.mountSecret('shipper-token', '/etc/shipper');
    a.mountClaim({ claimName: 'spool', readWriteMany: true }, '/spool');
    a.allowEgress(NetworkPeer.namespace('logging'), [{ port: 24224 }]);
    const all = objects();
    const c = all.find((o) => o.kind === 'DaemonSet').spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'secret-shipper-token', mountPath: '/etc/shipper', readOnly: true },
        { name: 'claim-spool', mountPath: '/spool' },
      ]),
    );
    const np = all.find((o) => o.kind === 'NetworkPolicy');
    expect(np.spec.egress[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } } }],
      ports: [{ port: 24224, protocol: 'TCP' }],
    });
  });
  test('a store connects to it by handle: environment, Secret and policies both ways', () => {
    const c = chart();
    const redis = new StatefulStore(c, 'redis', {
      engine: StoreEngine.redis(),
      storage: StorageClassHandle.fromName('nfs-client', { enforcesSize: false }),
      credentials: { secretName: 'redis-auth' },
    });
    const { a, objects } = agent({}, c);
    const conn = redis.connect(a);
    const all = objects();
    const env = all.find((o) => o.kind === 'DaemonSet').spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).toEqual(expect.arrayContaining(conn.envNames));
    const policy = (name: string) => all.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name).spec;
    expect(policy('agent-to-redis').egress[0].to).toEqual([{ podSelector: { matchLabels: redis.selectorLabels } }]);
    expect(policy('redis-from-agent').ingress[0].from).toEqual([{ podSelector: { matchLabels: a.selectorLabels } }]);
  });

  test('fails if a claim that is not ReadWriteMany is mounted writable: every node runs a pod at once', () => {
    const { a } = agent();
    expect(() => a.mountClaim({ claimName: 'data', readWriteMany: false }, '/data')).toThrow(
      `${P}: mountClaim "data" is invalid: is not ReadWriteMany but up to 2 pods may run at once on different nodes: use a ReadWriteMany claim or mount it read-only`,
    );
    expect(() => a.mountClaim({ claimName: 'data', readWriteMany: false }, '/data', { readOnly: true })).not.toThrow();
  });
});

describe('NodeAgent validation', () => {
  const expectProblems = (props: Partial<NodeAgentProps>, ...messages: string[]) => {
    try {
      build(props)();
    } catch (e) {
      const text = (e as Error).message;
      expect(text).toBe(messages.length === 1 ? messages[0] : `${messages.length} problems:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
      return;
    }
    throw new Error('expected a PaasValidationError');
  };

  test('fails if nodeSelector keys or values are not labels', () => {
    expectProblems(
      { nodeSelector: { 'bad key!': 'x', disk: 'not ok!' } },
      `${P}: nodeSelector "bad key!" is invalid: must be a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or "."`,
      `${P}: nodeSelector.disk "not ok!" is invalid: must be a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
    expectProblems({ nodeSelector: 'linux' as never }, `${P}: nodeSelector "linux" is invalid: must be an object of node label keys to values`);
  });

  test('fails if a toleration is malformed, naming each field', () => {
    expectProblems(
      {
        tolerations: [
          { key: 'a', operator: 'In' as never },
          { key: 'bad key!' },
          { value: 'x' },
          { key: 'b', operator: 'Exists', value: 'x' },
          { key: 'c', effect: 'NoRun' as never },
          { key: 'd', effect: 'NoSchedule', tolerationSeconds: 60 },
          { key: 'e', effect: 'NoExecute', tolerationSeconds: -1 },
          { key: 'f', value: 'not ok!' },
          null as never,
        ],
      },
      `${P}: tolerations[0].operator "In" is invalid: must be "Equal" or "Exists"`,
      `${P}: tolerations[1].key "bad key!" is invalid: must be a taint key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or "."`,
      `${P}: tolerations[2].operator undefined is invalid: must be "Exists" when no key is given (a toleration of every taint)`,
      `${P}: tolerations[3].value "x" is invalid: must be empty with operator "Exists" (it matches any value)`,
      `${P}: tolerations[4].effect "NoRun" is invalid: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute"`,
      `${P}: tolerations[5].tolerationSeconds 60 is invalid: needs effect "NoExecute": only NoExecute taints evict after a delay`,
      `${P}: tolerations[6].tolerationSeconds -1 is invalid: must be an integer >= 0`,
      `${P}: tolerations[7].value "not ok!" is invalid: must be a taint value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
      `${P}: tolerations[8] null is invalid: must be an object { key?, operator?, value?, effect?, tolerationSeconds? }`,
    );
    expectProblems(
      { tolerations: {} as never },
      `${P}: tolerations {} is invalid: must be an array of { key?, operator?, value?, effect?, tolerationSeconds? }`,
    );
    expectProblems({ tolerateControlPlane: 'yes' as never }, `${P}: tolerateControlPlane "yes" is invalid: must be true or false`);
  });

  test('fails if the rolling update is out of range or cannot progress', () => {
    const IOP = 'must be an integer >= 0 or a percentage of the matching nodes such as "10%" (0-100%)';
    expectProblems(
      { rollingUpdate: { maxUnavailable: -1, maxSurge: '150%' } },
      `${P}: rollingUpdate.maxUnavailable -1 is invalid: ${IOP}`,
      `${P}: rollingUpdate.maxSurge "150%" is invalid: ${IOP}`,
    );
    expectProblems({ rollingUpdate: { maxUnavailable: 1.5 } }, `${P}: rollingUpdate.maxUnavailable 1.5 is invalid: ${IOP}`);
    expectProblems(
      { rollingUpdate: { maxUnavailable: '0%', maxSurge: 0 } },
      `${P}: rollingUpdate {"maxUnavailable":"0%","maxSurge":0} is invalid: must let at least one node be replaced: maxUnavailable and maxSurge cannot both be 0`,
    );
  });

  test('fails if counts, names and the priority class are invalid', () => {
    expectProblems(
      { minReadySeconds: -1, revisionHistoryLimit: 1.5, priorityClassName: 'System Node Critical', nodeCount: 0 },
      `${P}: nodeCount 0 is invalid: must be an integer >= 1`,
      `${P}: minReadySeconds -1 is invalid: must be an integer >= 0`,
      `${P}: revisionHistoryLimit 1.5 is invalid: must be an integer >= 0`,
      `${P}: priorityClassName "System Node Critical" is invalid: must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit`,
    );
  });

  test('fails if a probe is not a Probe or names an unknown port', () => {
    expectProblems(
      { ports: [{ name: 'http', containerPort: 2020 }], probes: { liveness: { httpGet: {} } as never, readiness: Probe.tcp({ port: 'metrics' }) } },
      `${P}: probes.liveness {"httpGet":{}} is invalid: must be a Probe (Probe.http(), Probe.tcp(), Probe.exec())`,
      `${P}: probes.readiness.port "metrics" is invalid: must be one of the container's port names ("http") or a number`,
    );
  });

  test('collects the problems of the common pod parts and its own together', () => {
    expectProblems(
      { image: 'fluent-bit', name: 'Agent', nodeSelector: { disk: 'not ok!' } },
      `${P}: name "Agent" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
      `${P}: image "fluent-bit" is invalid: must name a tag or a digest: an untagged image means ":latest", which changes under you (e.g. "nginx:1.27.3")`,
      `${P}: nodeSelector.disk "not ok!" is invalid: must be a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
  });

  test('fails if a prop is unknown, naming the nearest one, without echoing what looks like a secret', () => {
    expect(() => build({ tolerateControlplane: true, apiToken: 's3cret' } as never)()).toThrow(
      [
        '2 problems:',
        `  - ${P}: tolerateControlplane true is invalid: is not a known field of NodeAgentProps; did you mean "tolerateControlPlane"?`,
        `  - ${P}: apiToken "<not shown>" is invalid: is not a known field of NodeAgentProps`,
      ].join('\n'),
    );
  });

  test('fails cleanly from plain JavaScript without props', () => {
    expect(() => new NodeAgent(chart(), 'agent', undefined as never)).toThrow(`${P}: image undefined is invalid`);
    expectProblems({ ports: 'http' as never }, `${P}: ports "http" is invalid: must be an array of { name, containerPort, protocol?, hostPort? }`);
  });
});
