import * as fc from 'fast-check';
import { WorkloadSecurity } from '../../lib/core/security';
import { NodeAgent } from '../../lib/workloads/node-agent';
import { Probe } from '../../lib/workloads/probes';
import { lazy, materialize, Mode, modes, pickers, RUNS, runBatches } from './harness';
import { coherentPod, extraKeys, podWorkloadArbs } from './pod-workload-arb';

function agentArb(mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const probe = pick<unknown>([lazy(() => Probe.http('/health')), lazy(() => Probe.tcp({ port: 2020 }))], [lazy(() => Probe.tcp({ port: 0 })), 'http']);
  const hostSecurity = lazy(() => WorkloadSecurity.optOut({ reason: 'reads node logs', hostAccess: { paths: true, network: true, pid: true, ports: true } }));
  return fc
    .record(
      {
        ...podWorkloadArbs(mode),
        ports: maybe(
          fc.array(
            fc.record(
              {
                name: maybe(pick(['http', 'metrics'], ['HTTP', ''])),
                containerPort: maybe(pick([2020, 9100], [0, 70000])),
                protocol: maybe(pick(['TCP', 'UDP'], ['SCTP'])),
                hostPort: maybe(pick([2020, 9100], [0, -1])),
              },
              { requiredKeys: ['name', 'containerPort'] },
            ),
            { maxLength: 2 },
          ),
        ),
        probes: maybe(fc.record({ startup: maybe(probe), liveness: maybe(fc.oneof(probe, fc.constant(false))), readiness: maybe(probe) }, opt)),
        nodeSelector: maybe(fc.dictionary(pick(['kubernetes.io/os', 'disk'], ['bad key!']), pick(['linux', 'ssd'], ['x'.repeat(64)]), { maxKeys: 2 })),
        tolerateControlPlane: maybe(fc.boolean()),
        tolerations: maybe(
          fc.array(
            fc.record(
              {
                key: maybe(pick(['dedicated', 'node.kubernetes.io/unreachable'], ['bad key!'])),
                operator: maybe(pick(['Equal', 'Exists'], ['Is'])),
                value: maybe(pick(['logging'], ['x'.repeat(64)])),
                effect: maybe(pick(['NoSchedule', 'NoExecute'], ['Never'])),
                tolerationSeconds: maybe(pick([60, 300], [-1])),
              },
              opt,
            ),
            { maxLength: 2 },
          ),
        ),
        rollingUpdate: maybe(fc.record({ maxUnavailable: maybe(pick<unknown>([1, '10%'], [0, '150%'])), maxSurge: maybe(pick<unknown>([0, 1], ['x'])) }, opt)),
        priorityClassName: maybe(pick(['system-node-critical'], ['Critical'])),
        minReadySeconds: maybe(pick([0, 10], [-1])),
        revisionHistoryLimit: maybe(pick([2, 10], [-1])),
        nodeCount: maybe(pick([1, 3, 50], [0, -1])),
        hostNetwork: maybe(pick([false, true], [])),
        hostPID: maybe(pick([false, true], [])),
        hostPaths: maybe(
          fc.array(
            fc.record(
              {
                path: maybe(pick(['/var/log', '/var/lib/docker/containers'], ['var/log', '/'])),
                mountPath: maybe(pick(['/host/log', '/host/containers'], ['host', '/tmp'])),
                type: maybe(pick(['Directory', 'DirectoryOrCreate'], ['Folder'])),
                writable: maybe(fc.boolean()),
              },
              { requiredKeys: ['path', 'mountPath'] },
            ),
            { maxLength: 2 },
          ),
        ),
        extra: extraKeys(mode, [{ replicas: 2 }, { tolerations: { key: 'a' } }, { hostPath: [] }]),
      },
      { requiredKeys: (mode === 'chaos' ? ['extra'] : ['image', 'extra']) as never[] },
    )
    .map(({ extra, ...rest }) => ({ ...(mode === 'valid' ? coherent(rest, hostSecurity) : rest), ...(extra as object) }));
}

/** Valid sets: host access comes with the named opt-out, ports and mounts are distinct. */
function coherent(p: Record<string, any>, hostSecurity: unknown): Record<string, unknown> {
  const out = coherentPod(p);
  if (Array.isArray(out.ports)) {
    const seen = new Set<unknown>();
    out.ports = out.ports.filter((x: any) => !seen.has(x.name) && !seen.has(x.containerPort) && seen.add(x.name) && seen.add(x.containerPort));
    if (out.hostNetwork) out.ports = out.ports.map((x: any) => ({ ...x, hostPort: x.containerPort }));
  }
  const hostPorts = (out.ports ?? []).some((x: any) => x.hostPort !== undefined);
  if (out.hostNetwork || out.hostPID || out.hostPaths?.length || hostPorts) out.security = hostSecurity;
  // A surge pod could not bind the node's port the old pod holds.
  if ((out.hostNetwork || hostPorts) && out.rollingUpdate) out.rollingUpdate = { ...out.rollingUpdate, maxSurge: 0 };
  // Probes name the first port; without ports there is nothing to probe.
  if (!out.ports?.length) delete out.probes;
  if (Array.isArray(out.tolerations)) {
    out.tolerations = out.tolerations.map((t: any) => {
      const x = { ...t };
      if (x.key === undefined) x.operator = 'Exists';
      if (x.operator === 'Exists') delete x.value;
      if (x.tolerationSeconds !== undefined) x.effect = 'NoExecute';
      return x;
    });
  }
  if (Array.isArray(out.hostPaths)) {
    const mounts = new Set<string>();
    out.hostPaths = out.hostPaths.filter((m: any) => !mounts.has(m.mountPath) && mounts.add(m.mountPath));
  }
  return out;
}

describe('NodeAgent props (property)', () => {
  test(`${RUNS} random prop sets: a clear PaasValidationError naming a field, or valid output`, () => {
    const tally = runBatches('NodeAgent', modes(agentArb), (chart, props) => void new NodeAgent(chart, 'agent', materialize(props) as never), {
      allowOptOut: true,
    });
    tally.report('NodeAgent');
    expect(tally.valid + tally.errors).toBe(RUNS);
    expect(tally.valid).toBeGreaterThan(RUNS / 20);
    expect(tally.errors).toBeGreaterThan(RUNS / 20);
  });
});
