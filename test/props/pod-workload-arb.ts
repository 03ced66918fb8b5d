import * as fc from 'fast-check';
import { WorkloadSecurity } from '../../lib/core/security';
import { NetworkPeer } from '../../lib/networking/network-peer';
import { EnvValue } from '../../lib/workloads/env';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { badLabels, dnsLabel, lazy, Mode, pickers } from './harness';

/**
 * The PodWorkloadProps part every PodTemplate workload shares (BatchJob, ScheduledJob, NodeAgent),
 * per mode (see harness). Valid sets keep names distinct, so they reach the validator.
 */
export function podWorkloadArbs(mode: Mode): Record<string, fc.Arbitrary<unknown>> {
  const { pick, maybe } = pickers(mode);
  const opt = { requiredKeys: [] as never[] };
  const arr = <T>(a: fc.Arbitrary<T>, maxLength = 2) => fc.array(a, { maxLength });
  const envValue = pick<unknown>(
    [lazy(() => EnvValue.value('1')), lazy(() => EnvValue.fromSecret('db', 'password')), lazy(() => EnvValue.fromField('status.podIP'))],
    [lazy(() => EnvValue.fromSecret('Bad Name', 'k')), 'str'],
  );
  const security = pick<unknown>(
    [lazy(() => WorkloadSecurity.restricted()), lazy(() => WorkloadSecurity.restricted({ user: 1000, group: 1000 }))],
    [lazy(() => WorkloadSecurity.restricted({ user: 0 })), 'restricted'],
  );
  const peer = pick<unknown>(
    [lazy(() => NetworkPeer.namespace('ops')), lazy(() => NetworkPeer.cidr('10.0.0.0/8'))],
    ['ops', lazy(() => NetworkPeer.cidr('10.0.0.0'))],
  );
  const netPort = fc.record(
    { port: maybe(pick<unknown>([443, 5432, 'http'], [0, 70000])), protocol: maybe(pick(['TCP', 'UDP'], ['ICMP'])) },
    { requiredKeys: ['port'] },
  );
  return {
    image: maybe(pick(['busybox:1.36.1', 'registry.example.com/team/task:2.0.1'], ['busybox', 'busybox:latest'])),
    name: maybe(mode === 'valid' ? dnsLabel : fc.oneof({ arbitrary: dnsLabel, weight: 9 }, fc.constantFrom(...badLabels))),
    appName: maybe(pick(['batch', 'logs_v2'], ['My App'])),
    component: maybe(pick(['worker'], ['a worker'])),
    partOf: maybe(pick(['shop'], ['a/b'])),
    command: maybe(arr(fc.string({ maxLength: 8 }))),
    args: maybe(arr(fc.string({ maxLength: 8 }))),
    env: maybe(fc.dictionary(pick(['A', 'LOG_LEVEL'], ['1X', '']), envValue, { maxKeys: 2 })),
    envFrom: maybe(arr(pick<unknown>([lazy(() => EnvFrom.configMap('cfg'))], ['cfg']), 1)),
    resources: maybe(
      fc.record(
        {
          cpu: fc.record({ request: maybe(pick(['100m'], ['abc'])), limit: maybe(pick(['500m', '1'], ['1.5Gi'])) }, opt),
          memory: fc.record({ request: maybe(pick(['64Mi'], ['64MB'])), limit: maybe(pick(['256Mi'], ['1m'])) }, opt),
        },
        opt,
      ),
    ),
    security: maybe(security),
    writablePaths: maybe(arr(pick(['/tmp', '/var/cache'], ['relative', '/']), 2)),
    imagePullSecrets: maybe(arr(pick(['harbor-pull'], ['Harbor Pull']))),
    imagePullPolicy: maybe(pick(['Always', 'IfNotPresent'], ['Never'])),
    serviceAccountName: maybe(pick(['runner'], ['Runner'])),
    network: maybe(
      fc.record(
        {
          enabled: maybe(fc.boolean()),
          allowFrom: maybe(arr(fc.record({ from: peer, ports: maybe(arr(netPort, 1)) }, { requiredKeys: ['from'] }), 1)),
          allowEgress: maybe(arr(fc.record({ to: peer, ports: maybe(arr(netPort, 1)) }, { requiredKeys: ['to'] }), 1)),
          allowAllEgress: maybe(fc.boolean()),
        },
        opt,
      ),
    ),
  };
}

/** A typo key or a dropped-in wrong key, now and then outside `valid` (unknown keys must be named). */
export function extraKeys(mode: Mode, typos: ReadonlyArray<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return mode === 'valid' ? fc.constant({}) : fc.oneof({ arbitrary: fc.constant({}), weight: 20 }, ...typos.map((t) => fc.constant(t)));
}

/** Valid sets: distinct writable paths (two mounts on one path are refused by the kubelet). */
export function coherentPod(p: Record<string, any>): Record<string, any> {
  const out = { ...p };
  if (Array.isArray(out.writablePaths)) out.writablePaths = [...new Set(out.writablePaths)];
  return out;
}

/** The JobSpecProps part BatchJob and ScheduledJob share, per mode. */
export function jobSpecArbs(mode: Mode): Record<string, fc.Arbitrary<unknown>> {
  const { pick, maybe } = pickers(mode);
  const rule = fc.record(
    {
      action: maybe(pick(['FailJob', 'Ignore', 'Count'], ['Retry'])),
      onExitCodes: maybe(
        fc.record(
          { operator: maybe(pick(['In', 'NotIn'], ['Is'])), values: maybe(pick<unknown>([[1], [2, 3]], [[], [0], 'x'])) },
          { requiredKeys: ['operator', 'values'] },
        ),
      ),
    },
    { requiredKeys: ['action'] },
  );
  return {
    completions: maybe(pick([1, 2, 5], [-1, 1.5])),
    parallelism: maybe(pick([1, 2], [-1])),
    backoffLimit: maybe(pick([0, 3, 6], [-2])),
    activeDeadlineSeconds: maybe(pick([60, 3600], [0, -1])),
    ttlSecondsAfterFinished: maybe(pick([0, 600, 86400], [-1])),
    restartPolicy: maybe(pick(['OnFailure', 'Never'], ['Always'])),
    completionMode: maybe(pick(['NonIndexed', 'Indexed'], ['Ordered'])),
    podFailurePolicy: maybe(fc.record({ rules: maybe(fc.array(rule, { maxLength: 2 })) }, { requiredKeys: ['rules'] })),
    backoffLimitPerIndex: maybe(pick([1, 2], [-1])),
    podReplacementPolicy: maybe(pick(['TerminatingOrFailed', 'Failed'], ['Never'])),
  };
}

/** Job-spec rules between props that the typed and chaos sets test; valid sets follow them. */
export function coherentJob(p: Record<string, any>): Record<string, any> {
  const out = coherentPod(p);
  // podFailurePolicy needs restartPolicy Never; backoffLimitPerIndex needs an Indexed Job.
  if (out.podFailurePolicy) out.restartPolicy = 'Never';
  if (out.backoffLimitPerIndex !== undefined) out.completionMode = 'Indexed';
  if (out.completionMode === 'Indexed' && out.completions === undefined) out.completions = 2;
  if (out.podFailurePolicy?.rules?.some((r: any) => r.action === 'FailIndex') && out.backoffLimitPerIndex === undefined) delete out.podFailurePolicy;
  if (out.podReplacementPolicy === 'TerminatingOrFailed' && out.podFailurePolicy) delete out.podReplacementPolicy;
  return out;
}
