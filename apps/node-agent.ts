import { App } from 'cdk8s';
import { WorkloadSecurity } from '../lib/core/security';
import { NetworkPeer } from '../lib/networking/network-peer';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { NodeAgent } from '../lib/workloads/node-agent';

/** Namespace of the example. */
export const NODE_CACHE_NAMESPACE = 'node-cache';

/**
 * The seeds' `redis-ds` done right: one Redis per node as a cache for the pods of its namespace,
 * on the control-plane nodes too (the seeds tolerated `node-role.kubernetes.io/master`; this also
 * tolerates the `control-plane` key kubeadm uses since 1.25). Restricted security with a read-only
 * root filesystem (Redis writes only to the `/data` emptyDir), a pinned tag instead of
 * `redis:5-alpine` (end of life), memory capped below the container limit with LRU eviction, and a
 * NetworkPolicy that lets in only the namespace's own pods on the Redis port.
 *
 * Tenant `node-cache`: `node-agent-admin` (Namespace, RBAC, quota; apply first) and `node-agent`
 * in dist/. The quota holds one Redis per node; the seeds' cluster size is not recorded, so
 * `nodeCount` says three (set `nodeCount` in `definePlatform` to count every NodeAgent).
 */
export function addNodeAgent(app: App, platform: PlatformSpec): NodeAgent {
  const chart = new TenantNamespace(app, 'node-agent', {
    platform,
    namespace: NODE_CACHE_NAMESPACE,
    quota: { pods: 4, requests: { cpu: '400m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  });
  return new NodeAgent(chart, 'redis-ds', {
    image: 'redis:7.4.2-alpine',
    // A cache: no snapshots, no append-only file; evict least recently used keys when full.
    args: ['--save', '', '--appendonly', 'no', '--maxmemory', '96mb', '--maxmemory-policy', 'allkeys-lru'],
    ports: [{ name: 'redis', containerPort: 6379 }],
    resources: { cpu: { request: '50m', limit: '200m' }, memory: { request: '128Mi', limit: '128Mi' } },
    writablePaths: ['/data'],
    // The alpine image's redis user (999, group 1000): the same UID as the Redis StatefulStore.
    security: WorkloadSecurity.restricted({ user: 999, group: 1000 }),
    tolerateControlPlane: true,
    nodeCount: 3,
    network: { allowFrom: [{ from: NetworkPeer.pods(), ports: [{ port: 'redis' }] }] },
  });
}
