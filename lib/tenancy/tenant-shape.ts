import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { assertArgs, S, ShapeMatches } from '../core/shape';
import { NetworkPeer, NetworkPort } from '../networking/network-peer';
import { platformSpecShape, webAppHandleShape } from '../networking/gateway-shape';
import type { IWorkload } from '../workloads/types';
import { AccessRole, Subject } from './access';
import type { ComputeAmounts, ContainerLimitProps, StorageClassQuota, TenantLimitsProps, TenantQuotaProps } from './quota-props';
import type { DeployerProps, TenantGrant, TenantNamespaceProps, TenantNetworkProps } from './tenant-namespace';

const subjectShape = S.instance(Subject, 'a Subject: Subject.user(), .group() or .serviceAccount()');
const roleShape = S.instance(AccessRole, 'an AccessRole: AccessRole.VIEW, .EDIT, .ADMIN or AccessRole.custom()');
const peerShape = S.instance(NetworkPeer, 'a NetworkPeer: NetworkPeer.workload(), .namespace(), .pods(), .cidr() ...');
const workloadShape = S.handle<IWorkload>('a workload of this library (WebApp, StatefulStore ...)', {
  node: 'object',
  name: 'string',
  selectorLabels: 'object',
});

export const tenantNetworkShape = S.object('TenantNetworkProps', {
  defaultDeny: S.optional(S.boolean()),
  allowDns: S.optional(S.boolean()),
  allowSameNamespace: S.optional(S.boolean()),
});
export const deployerShape = S.object('DeployerProps', { name: S.optional(S.string()), role: S.optional(roleShape) });
export const tenantGrantShape = S.object('TenantGrant', { subject: subjectShape, role: roleShape });

// Quota and LimitRange shapes check keys and types; quantities, counts and the rules between
// fields stay with quota-props.ts's collected checks, so each value problem keeps its own message.
const amount = S.union(S.string(), S.number());
export const computeAmountsShape = S.object('ComputeAmounts', {
  cpu: S.optional(amount),
  memory: S.optional(amount),
  ephemeralStorage: S.optional(amount),
});
export const storageClassQuotaShape = S.object('StorageClassQuota', { storage: S.optional(S.string()), claims: S.optional(S.number()) });
export const tenantQuotaShape = S.object('TenantQuotaProps', {
  name: S.optional(S.string()),
  requests: S.optional(computeAmountsShape),
  limits: S.optional(computeAmountsShape),
  storage: S.optional(S.string()),
  storageClasses: S.optional(S.record(storageClassQuotaShape)),
  persistentVolumeClaims: S.optional(S.number()),
  pods: S.optional(S.number()),
  configMaps: S.optional(S.number()),
  secrets: S.optional(S.number()),
  services: S.optional(S.number()),
  servicesNodePorts: S.optional(S.number()),
  servicesLoadBalancers: S.optional(S.number()),
  objectCounts: S.optional(S.record(S.number())),
  containerDefaults: S.optional(S.boolean()),
});
export const containerLimitShape = S.object('ContainerLimitProps', {
  defaultLimit: S.optional(computeAmountsShape),
  defaultRequest: S.optional(computeAmountsShape),
  max: S.optional(computeAmountsShape),
  min: S.optional(computeAmountsShape),
});
const podLimitShape = S.object('TenantLimitsProps.pod', { max: S.optional(computeAmountsShape), min: S.optional(computeAmountsShape) });
const claimLimitShape = S.object('TenantLimitsProps.persistentVolumeClaim', { min: S.optional(S.string()), max: S.optional(S.string()) });
export const tenantLimitsShape = S.object('TenantLimitsProps', {
  name: S.optional(S.string()),
  container: S.optional(containerLimitShape),
  pod: S.optional(podLimitShape),
  persistentVolumeClaim: S.optional(claimLimitShape),
});
const quotaMatches: [
  ShapeMatches<typeof computeAmountsShape, ComputeAmounts>,
  ShapeMatches<typeof storageClassQuotaShape, StorageClassQuota>,
  ShapeMatches<typeof tenantQuotaShape, TenantQuotaProps>,
  ShapeMatches<typeof containerLimitShape, ContainerLimitProps>,
  ShapeMatches<typeof tenantLimitsShape, TenantLimitsProps>,
] = [true, true, true, true, true];
void quotaMatches;

export const tenantNamespacePropsShape = S.object('TenantNamespaceProps', {
  platform: platformSpecShape,
  namespace: S.optional(S.string()),
  // Allowed values are the constructor's own (collected) rule.
  podSecurity: S.optional(S.custom<'restricted' | 'baseline' | 'privileged'>('a string', (v) => typeof v === 'string')),
  quota: S.optional(tenantQuotaShape),
  limits: S.optional(tenantLimitsShape),
  network: S.optional(tenantNetworkShape),
  grants: S.optional(S.array(tenantGrantShape)),
  deployer: S.optional(S.union(deployerShape, S.oneOf(false))),
  manageDefaultServiceAccount: S.optional(S.boolean()),
  adminChartId: S.optional(S.string({ minLength: 1 })),
});

const matches: [
  ShapeMatches<typeof tenantNamespacePropsShape, TenantNamespaceProps>,
  ShapeMatches<typeof tenantNetworkShape, TenantNetworkProps>,
  ShapeMatches<typeof deployerShape, DeployerProps>,
  ShapeMatches<typeof tenantGrantShape, TenantGrant>,
] = [true, true, true, true];
void matches;

const networkPortShape = S.object('NetworkPort', {
  port: S.union(S.integer(1, 65535, 'a port number 1-65535'), S.string({ minLength: 1, maxLength: 15 })),
  protocol: S.optional(S.oneOf('TCP', 'UDP', 'SCTP')),
});
const networkPortMatches: ShapeMatches<typeof networkPortShape, NetworkPort> = true;
void networkPortMatches;

/** @internal Checked before the tenant's Chart exists: its path is the one it will have. */
export function checkTenantProps(scope: IConstruct, id: string, props: unknown): void {
  assertArgs(`${scope.node.path ? `${scope.node.path}/` : ''}${id}`, [['props', props, tenantNamespacePropsShape]]);
}

/** @internal `grant(subject, role, options)`. */
export function checkGrantArgs(path: string, subject: unknown, role: unknown, options: unknown): void {
  assertArgs(path, [
    ['grant.subject', subject, subjectShape],
    ['grant.role', role, roleShape],
    ['grant', options, S.object('GrantOptions', { name: S.optional(S.string()) })],
  ]);
}

/** @internal `allowIngress(name, from, options)` / `allowEgress(name, to, options)`. */
export function checkPolicyArgs(path: string, method: 'allowIngress' | 'allowEgress', name: unknown, peer: unknown, options: unknown): void {
  const other = method === 'allowIngress' ? 'to' : 'from';
  assertArgs(path, [
    [`${method}.name`, name, S.string()],
    [`${method}.${method === 'allowIngress' ? 'from' : 'to'}`, peer, peerShape],
    [method, options, S.object(`${method} options`, { [other]: S.optional(workloadShape), ports: S.optional(S.array(networkPortShape)) })],
  ]);
}

/** @internal `linkService(target, options)`. */
export function checkLinkArgs(path: string, target: unknown, options: unknown): void {
  assertArgs(path, [
    ['linkService.target', target, webAppHandleShape],
    ['linkService', options, S.object('linkService options', { name: S.optional(S.string()), clusterDomain: S.optional(S.string({ minLength: 1 })) })],
  ]);
}

/** A second object under one construct id would end in cdk8s' "There is already a Construct": say which name instead. */
export function checkFreeId(scope: IConstruct, id: string, path: string, field: string, name: string, what: string): void {
  if (scope.node.tryFindChild(id)) fail(path, field, name, `is already the name of a ${what} of this tenant: give each its own name`);
}
