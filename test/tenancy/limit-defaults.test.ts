import { Testing } from 'cdk8s';
import { checkTenantFit } from '../../lib/checks/quota';
import { withContainerDefaults } from '../../lib/checks/limit-range';
import { WorkloadDefaults } from '../../lib/core/resources';
import { WorkloadSecurity } from '../../lib/core/security';
import { tenant } from './helpers';

const QUOTA = { requests: { cpu: '4', memory: '8Gi' }, limits: { cpu: '8', memory: '16Gi' }, pods: 20 };

/** What the API server's LimitRanger does to a container at admission: fills missing limits from `default`, requests from `defaultRequest`. */
function admit(pod: any, limitRange: any): any {
  const item = limitRange.spec.limits.find((l: any) => l.type === 'Container') ?? {};
  for (const c of pod.spec.containers) {
    const limits = { ...item.default, ...c.resources?.limits };
    const requests = { ...item.defaultRequest, ...c.resources?.requests };
    c.resources = { limits, requests };
  }
  return pod;
}

/** The ResourceQuota admission rule: every container must set each resource the quota limits. */
function quotaRefusal(pod: any, hard: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const key of Object.keys(hard)) {
    const m = /^(requests|limits)\.(cpu|memory)$/.exec(key);
    if (!m) continue;
    for (const c of pod.spec.containers) if (c.resources?.[m[1]]?.[m[2]] === undefined) missing.push(`${c.name}: ${key}`);
  }
  return missing;
}

/** A pod as a user would apply it by hand: restricted security context, no resources. */
function handAppliedPod(): any {
  const security = WorkloadSecurity.restricted();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug', namespace: 'dev-ns' },
    spec: {
      securityContext: security.podSecurityContext(),
      containers: [{ name: 'debug', image: 'busybox:1.36', securityContext: security.containerSecurityContext() }],
    },
  };
}

describe('TenantNamespace: a quota brings LimitRange defaults', () => {
  test('a pod with a restricted security context but no resources, applied by hand, is not refused by the quota', () => {
    const { t } = tenant({ quota: QUOTA, deployer: false });
    const admin = Testing.synth(t.adminChart);
    const limitRange = admin.find((o) => o.kind === 'LimitRange');
    const quota = admin.find((o) => o.kind === 'ResourceQuota');
    const pod = handAppliedPod();
    expect(quotaRefusal(pod, quota.spec.hard)).toEqual(['debug: limits.cpu', 'debug: limits.memory', 'debug: requests.cpu', 'debug: requests.memory']);
    expect(quotaRefusal(admit(pod, limitRange), quota.spec.hard)).toEqual([]);
    // The shipped fit check agrees: no "requires every container to set" problem for the pod.
    expect(checkTenantFit({ path: 't', objects: [handAppliedPod()], hard: quota.spec.hard, limits: limitRange.spec.limits })).toEqual([]);
  });

  test('the defaults are the library defaults, in a LimitRange named <namespace>-limits', () => {
    const { t } = tenant({ quota: QUOTA, deployer: false });
    expect(Testing.synth(t.adminChart).find((o) => o.kind === 'LimitRange')).toEqual({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'dev-ns-limits', namespace: 'dev-ns', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-paas' } },
      spec: { limits: [{ default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, type: 'Container' }] },
    });
  });

  test("they come from the tenant's WorkloadDefaults as they stand at synth, set after the tenant", () => {
    const { t } = tenant({ quota: { requests: { cpu: '4' } }, deployer: false });
    WorkloadDefaults.set(t, { resources: { cpu: { request: '50m', limit: '200m' } } });
    const item = Testing.synth(t.adminChart).find((o) => o.kind === 'LimitRange').spec.limits[0];
    // Only the quota'd resource: memory is not limited by this quota.
    expect(item).toEqual({ default: { cpu: '200m' }, defaultRequest: { cpu: '50m' }, type: 'Container' });
  });

  test("merged with the user's limits: given defaults win, derived ones are brought within min and max", () => {
    const { t } = tenant({
      quota: QUOTA,
      deployer: false,
      limits: { container: { defaultRequest: { memory: '64Mi' }, max: { cpu: '300m' }, min: { cpu: '150m' } }, pod: { max: { cpu: '2' } } },
    });
    expect(Testing.synth(t.adminChart).find((o) => o.kind === 'LimitRange').spec.limits).toEqual([
      {
        default: { cpu: '300m', memory: '256Mi' },
        defaultRequest: { memory: '64Mi', cpu: '150m' },
        max: { cpu: '300m' },
        min: { cpu: '150m' },
        type: 'Container',
      },
      { max: { cpu: '2' }, type: 'Pod' },
    ]);
  });

  test('containerDefaults: false leaves the LimitRange to `limits` (none here)', () => {
    const { t } = tenant({ quota: { ...QUOTA, containerDefaults: false }, deployer: false });
    expect(Testing.synth(t.adminChart).filter((o) => o.kind === 'LimitRange')).toEqual([]);
    expect(t.limitRange).toBeUndefined();
  });

  test('no quota, no LimitRange unless asked', () => {
    const { t } = tenant({ deployer: false });
    expect(t.limitRange).toBeUndefined();
  });

  test('withContainerDefaults: a quota without compute fields adds nothing', () => {
    expect(withContainerDefaults([], { pods: 3 }, { cpu: { request: '1', limit: '2' } })).toEqual([]);
    expect(withContainerDefaults([{ type: 'Pod', max: { cpu: '1' } }], { 'requests.cpu': '1' }, { cpu: { request: '100m', limit: '500m' } })).toEqual([
      { type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } },
      { type: 'Pod', max: { cpu: '1' } },
    ]);
  });
});
