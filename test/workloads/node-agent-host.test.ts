import { App, Chart, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { WorkloadSecurity } from '../../lib/core/security';
import { warningsOf } from '../../lib/core/warnings';
import { definePlatform } from '../../lib/platform-spec';
import { TenantNamespace, TenantNamespaceProps } from '../../lib/tenancy/tenant-namespace';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { NodeAgentProps } from '../../lib/workloads/node-agent-props';
import { Probe } from '../../lib/workloads/probes';
import { expectValidManifests, synthObjects, validateAll } from '../support';

const P = 'test/agent';
const PROBE = { liveness: Probe.exec(['/bin/true']), readiness: Probe.exec(['/bin/true']) };
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'agents' });
const agent = (props: Partial<NodeAgentProps>, c: Chart = chart()) => {
  const a = new NodeAgent(c, 'agent', { image: 'fluent/fluent-bit:3.2.4', probes: PROBE, ...props } as NodeAgentProps);
  return { a, c, ds: () => synthObjects(c).find((o) => o.kind === 'DaemonSet') };
};
const optOut = (hostAccess: Record<string, boolean>) => WorkloadSecurity.optOut({ reason: 'ships the node logs', hostAccess });
const NEEDS = (kind: string) =>
  `needs host access: allow it with WorkloadSecurity.optOut({ reason, hostAccess: { ${kind}: true } }) (Pod Security "privileged")`;

describe('NodeAgent host access: only through the named opt-out', () => {
  test('fails if host network, PID, ports or paths are used without it, naming the opt-out for each', () => {
    expect(() =>
      agent({
        ports: [{ name: 'metrics', containerPort: 2020, hostPort: 2020 }],
        hostNetwork: true,
        hostPID: true,
        hostPaths: [{ path: '/var/log', mountPath: '/var/log' }],
      }),
    ).toThrow(
      [
        '4 problems:',
        `  - ${P}: ports[0].hostPort 2020 is invalid: ${NEEDS('ports')}`,
        `  - ${P}: hostNetwork true is invalid: ${NEEDS('network')}`,
        `  - ${P}: hostPID true is invalid: ${NEEDS('pid')}`,
        `  - ${P}: hostPaths[0].path "/var/log" is invalid: ${NEEDS('paths')}`,
      ].join('\n'),
    );
  });

  test('hostPath is read-only unless a mount asks for writes; both are listed in the host-access annotation', () => {
    const { ds, a } = agent({
      security: optOut({ paths: true }),
      hostPaths: [
        { path: '/var/log', mountPath: '/var/log' },
        { path: '/var/lib/fluent-bit', mountPath: '/state', type: 'DirectoryOrCreate', writable: true },
      ],
    });
    const d = ds();
    const spec = d.spec.template.spec;
    expect(spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'host-0', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'host-1', hostPath: { path: '/var/lib/fluent-bit', type: 'DirectoryOrCreate' } },
      ]),
    );
    expect(spec.containers[0].volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'host-0', mountPath: '/var/log', readOnly: true },
        { name: 'host-1', mountPath: '/state' },
      ]),
    );
    const annotations = {
      'paas.cdk8s.io/pod-security-opt-out': 'ships the node logs',
      'paas.cdk8s.io/host-access': 'hostPath /var/log (read-only), hostPath /var/lib/fluent-bit (writable)',
    };
    expect(d.metadata.annotations).toEqual(annotations);
    expect(d.spec.template.metadata.annotations).toEqual(annotations);
    expect(a.security.level).toBe('privileged');
    expect(warningsOf(a)).toEqual([]);
  });

  test('host network: ports bound on the node, cluster DNS kept, no surge', () => {
    const { ds } = agent({
      security: optOut({ network: true, ports: true }),
      hostNetwork: true,
      ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }],
      probes: {},
    });
    const spec = ds().spec.template.spec;
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9100, protocol: 'TCP', hostPort: 9100 }]);
    expect(ds().metadata.annotations['paas.cdk8s.io/host-access']).toBe('hostPort 9100, hostNetwork');
  });

  test('hostPID and privileged: the API server needs privilege escalation allowed with privileged', () => {
    const { ds } = agent({ security: optOut({ pid: true, privileged: true }), hostPID: true });
    const d = ds();
    expect(d.spec.template.spec.hostPID).toBe(true);
    expect(d.spec.template.spec.containers[0].securityContext).toMatchObject({ privileged: true, allowPrivilegeEscalation: true });
    expect(d.metadata.annotations['paas.cdk8s.io/host-access']).toBe('hostPID, privileged');
    // Schema-valid; restricted would refuse it, which is what the opt-out says.
    const problems = validateAll([d], { allowOptOut: true });
    expect(problems.filter((p) => !p.startsWith('polaris'))).toEqual([]);
  });

  test('fails if maxSurge is set with host ports or host network: the surge pod could not bind', () => {
    expect(() =>
      agent({ security: optOut({ ports: true }), ports: [{ name: 'metrics', containerPort: 9100, hostPort: 9100 }], rollingUpdate: { maxSurge: 1 } }),
    ).toThrow(
      `${P}: rollingUpdate.maxSurge 1 is invalid: must be 0 with host ports: the surge pod would need the same node port as the old one and never start; use maxUnavailable`,
    );
    expect(() => agent({ security: optOut({ network: true }), hostNetwork: true, rollingUpdate: { maxSurge: '25%' } })).toThrow(
      `${P}: rollingUpdate.maxSurge "25%" is invalid: must be 0 with hostNetwork: the surge pod would need the same node port as the old one and never start; use maxUnavailable`,
    );
  });

  test('fails if a host port differs from its container port on the host network', () => {
    expect(() =>
      agent({ security: optOut({ network: true, ports: true }), hostNetwork: true, ports: [{ name: 'metrics', containerPort: 9100, hostPort: 19100 }] }),
    ).toThrow(`${P}: ports[0].hostPort 19100 is invalid: must equal containerPort 9100 with hostNetwork (the container binds the node's port itself)`);
  });

  test('fails if a hostPath is relative, of an unknown type, or a flag is not boolean', () => {
    expect(() =>
      agent({
        security: optOut({ paths: true }),
        hostPaths: [
          { path: 'var/log', mountPath: '/var/log' },
          { path: '/run/x.sock', mountPath: '/run/x.sock', type: 'Pipe' as never },
          { path: '/etc', mountPath: 'etc' },
        ],
        hostNetwork: 'yes' as never,
        ports: [{ name: 'metrics', containerPort: 9100, hostPort: 70000 }],
      }),
    ).toThrow(
      [
        '5 problems:',
        `  - ${P}: ports[0].hostPort 70000 is invalid: must be a port number 1-65535`,
        `  - ${P}: hostNetwork "yes" is invalid: must be true or false`,
        `  - ${P}: hostPaths[0].path "var/log" is invalid: must be an absolute path on the node`,
        `  - ${P}: hostPaths[1].type "Pipe" is invalid: must be one of "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket", "CharDevice", "BlockDevice"`,
        `  - ${P}: hostPaths[2].mountPath "etc" is invalid: must be an absolute path`,
      ].join('\n'),
    );
    expect(() => agent({ hostPaths: {} as never })).toThrow(`${P}: hostPaths {} is invalid: must be an array of { path, mountPath, type?, writable? }`);
  });

  test('warns when the opt-out allows host access the agent does not use', () => {
    const { a } = agent({ security: optOut({ network: true, paths: true }), hostPaths: [{ path: '/var/log', mountPath: '/var/log' }] });
    expect(warningsOf(a)).toEqual([
      `${P}: security allows host access the agent does not use (network): its pods still need a "privileged" namespace; drop it from hostAccess`,
    ]);
  });
});

describe('WorkloadSecurity levels', () => {
  test('host access and capabilities beyond the baseline list need privileged; baseline ones baseline', () => {
    expect(WorkloadSecurity.restricted().level).toBe('restricted');
    expect(WorkloadSecurity.restricted().hostAccess).toEqual({ network: false, pid: false, ports: false, paths: false, privileged: false });
    expect(WorkloadSecurity.optOut({ reason: 'r', addCapabilities: ['NET_BIND_SERVICE'] }).level).toBe('restricted');
    expect(WorkloadSecurity.optOut({ reason: 'r', addCapabilities: ['CHOWN'] }).level).toBe('baseline');
    expect(WorkloadSecurity.optOut({ reason: 'r', runAsRoot: true }).level).toBe('baseline');
    expect(WorkloadSecurity.optOut({ reason: 'r', addCapabilities: ['SYS_ADMIN'] }).level).toBe('privileged');
    for (const kind of ['network', 'pid', 'ports', 'paths', 'privileged']) {
      expect([kind, WorkloadSecurity.optOut({ reason: 'r', hostAccess: { [kind]: true } }).level]).toEqual([kind, 'privileged']);
    }
  });
});

describe('NodeAgent placement and tenants', () => {
  const inTenant = (
    props: Partial<TenantNamespaceProps>,
    agentProps: Partial<NodeAgentProps> = {},
    spec = platform,
  ): { app: App; t: TenantNamespace; a: NodeAgent } => {
    const app = Testing.app();
    const t = new TenantNamespace(app, 'logs', { platform: spec, ...props });
    const a = new NodeAgent(t, 'agent', { image: 'fluent/fluent-bit:3.2.4', probes: PROBE, ...agentProps } as NodeAgentProps);
    return { app, t, a };
  };
  const errorsOf = (app: App): string => {
    try {
      app.synth();
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };
  const SCOPE =
    "must be a chart with a namespace: create the NodeAgent in a TenantNamespace (its pods count against the quota once per node) or a cluster-level Chart with `namespace`; a tenant's adminChart holds only what the cluster admin applies around the namespace and has none";

  test('fails in a chart without a namespace, such as a tenant adminChart', () => {
    expect(() => new NodeAgent(new Chart(Testing.app(), 'cluster'), 'agent', { image: 'fluent/fluent-bit:3.2.4' })).toThrow(
      `cluster/agent: scope "cluster" is invalid: ${SCOPE}`,
    );
    const app = Testing.app();
    const t = new TenantNamespace(app, 'logs', { platform });
    expect(() => new NodeAgent(t.adminChart, 'agent', { image: 'fluent/fluent-bit:3.2.4' })).toThrow(
      `logs-admin/agent: scope "logs-admin" is invalid: ${SCOPE}`,
    );
  });

  test("in a restricted tenant's file: valid, and the deployer may create it", () => {
    const { app, t } = inTenant({});
    expect(errorsOf(app)).toBe('');
    expectValidManifests(synthObjects(t));
  });

  test('fails with host access in a tenant whose Pod Security level forbids it, naming the level that would admit it', () => {
    const { app } = inTenant({}, { security: optOut({ paths: true }), hostPaths: [{ path: '/var/log', mountPath: '/var/log' }] });
    expect(errorsOf(app)).toContain(
      'logs/agent: security "privileged" is invalid: is weaker than the Pod Security level "restricted" that namespace "logs" enforces (opt-out reason: "ships the node logs"): Kubernetes would reject its pods; run it restricted, or give the tenant podSecurity "privileged"',
    );
    const baseline = inTenant({ podSecurity: 'baseline' }, { security: optOut({ paths: true }), hostPaths: [{ path: '/var/log', mountPath: '/var/log' }] });
    expect(() => baseline.app.synth()).toThrow('give the tenant podSecurity "privileged"');
    const privileged = inTenant({ podSecurity: 'privileged' }, { security: optOut({ paths: true }), hostPaths: [{ path: '/var/log', mountPath: '/var/log' }] });
    expect(() => privileged.app.synth()).not.toThrow();
  });

  const QUOTA = { pods: 2 };
  test('quota fit counts one pod per node from the platform nodeCount', () => {
    const three = definePlatform({ ...platformInput(), nodeCount: 3 });
    const { app, a } = inTenant({ quota: QUOTA }, {}, three);
    expect(a.nodeCount).toBe(3);
    expect(warningsOf(app)).toEqual([]);
    expect(() => app.synth()).toThrow(
      '[logs] logs: quota["pods"] 2 is invalid: the tenant needs 3 at worst case (DaemonSet "agent": 3 (3 nodes)); raise the quota or shrink what the tenant holds',
    );
    const { app: fits } = inTenant({ quota: { pods: 3 } }, {}, three);
    expect(() => fits.synth()).not.toThrow();
  });

  test('a nodeCount prop wins over the platform, and surge pods count', () => {
    const { app, a } = inTenant(
      { quota: { pods: 3 } },
      { nodeCount: 2, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      definePlatform({ ...platformInput(), nodeCount: 5 }),
    );
    expect(a.nodeCount).toBe(2);
    expect(() => app.synth()).not.toThrow();
    const { app: over } = inTenant({ quota: { pods: 2 } }, { nodeCount: 2, rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(() => over.synth()).toThrow(
      '[logs] logs: quota["pods"] 2 is invalid: the tenant needs 3 at worst case (DaemonSet "agent": 3 (2 nodes + 1 surge)); raise the quota or shrink what the tenant holds',
    );
  });

  test('without a node count, one pod is counted and the tenant gets a warning saying so', () => {
    const { app, a } = inTenant({ quota: QUOTA });
    expect(a.nodeCount).toBeUndefined();
    expect(warningsOf(app)).toEqual([
      'logs/agent: the number of nodes is not known: the quota fit of tenant "logs" counts one pod; set nodeCount on the platform (definePlatform) or on this NodeAgent',
    ]);
    expect(() => app.synth()).not.toThrow();
  });

  test('definePlatform checks nodeCount', () => {
    expect(definePlatform({ ...platformInput(), nodeCount: 4 }).nodeCount).toBe(4);
    expect(definePlatform(platformInput()).nodeCount).toBeUndefined();
    expect(() => definePlatform({ ...platformInput(), nodeCount: 0 })).toThrow('platform: nodeCount 0 is invalid: must be an integer >= 1');
  });
});

/** The example platform's input, without its derived fields. */
function platformInput(): Parameters<typeof definePlatform>[0] {
  return { name: 'seeds', kubernetesVersion: platform.kubernetesVersion };
}
