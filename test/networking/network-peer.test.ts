import { Chart, Testing } from 'cdk8s';
import { dnsEgressRule, NetworkPeer } from '../../lib/networking/network-peer';
import { WebApp } from '../../lib/workloads/web-app';

describe('NetworkPeer', () => {
  test('selects namespaces by kubernetes.io/metadata.name', () => {
    expect(NetworkPeer.namespace('monitoring').toJson()).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } });
    expect(NetworkPeer.namespace('shop', { app: 'db' }).toJson()).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { app: 'db' } },
    });
  });

  test('selects a workload by its namespace and selector labels', () => {
    const web = new WebApp(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'web', { image: 'nginx:1.27.3' });
    const peer = NetworkPeer.workload(web);
    expect(peer.toJson()).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
    });
    expect(peer.description).toBe('Deployment "web" in namespace "shop"');
  });

  test('fails if the workload has no namespace', () => {
    const web = new WebApp(new Chart(Testing.app(), 'c'), 'web', { image: 'nginx:1.27.3' });
    expect(() => NetworkPeer.workload(web)).toThrow(
      'c/web: namespace undefined is invalid: must be set to reach the workload across namespaces: create it in a TenantNamespace or a Chart with a namespace',
    );
  });

  test('accepts IPv4 and IPv6 CIDRs with exceptions', () => {
    expect(NetworkPeer.cidr('10.0.0.0/8', ['10.1.0.0/16']).toJson()).toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } });
    expect(NetworkPeer.cidr('fd00::/8').toJson()).toEqual({ ipBlock: { cidr: 'fd00::/8' } });
  });

  test('fails if a CIDR is malformed', () => {
    expect(() => NetworkPeer.cidr('10.0.0.0')).toThrow(
      'NetworkPeer: cidr "10.0.0.0" is invalid: must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"',
    );
    expect(() => NetworkPeer.cidr('10.0.0.0/8', ['300.1.0.0/16'])).toThrow(
      'NetworkPeer: except[0] "300.1.0.0/16" is invalid: must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"',
    );
  });

  test('fails if a namespace name is not a DNS label', () => {
    expect(() => NetworkPeer.namespace('Kube_System')).toThrow('NetworkPeer: namespace "Kube_System" is invalid: must be a DNS-1123 label');
  });

  test('DNS egress goes to kube-dns in kube-system on 53 UDP and TCP', () => {
    expect(dnsEgressRule()).toMatchObject({ ports: [{ protocol: 'UDP' }, { protocol: 'TCP' }] });
  });
});
