import { definePlatform } from '../lib/platform-spec';

/**
 * The seeds' cluster: a kubeadm cluster on Kubernetes 1.28 with an NFS server, nfs-subdir
 * provisioner (release `nfs-provisioner`, class `nfs-client`), kube-prometheus-stack, Metrics
 * Server, Harbor as the private registry and an ingress controller. Both synthesizers read this.
 */
export const platform = definePlatform({
  name: 'seeds',
  kubernetesVersion: '1.28.0',
  nfs: {
    server: '192.168.56.10',
    path: '/srv/nfs/k8s',
    backend: 'nfs-subdir',
    releaseName: 'nfs-provisioner',
    namespace: 'nfs-provisioner',
    storageClassName: 'nfs-client',
    onDelete: 'archive',
    mountOptions: ['nfsvers=4.1'],
  },
  // kubeadm on VMs without a load balancer: the controller is reached on node ports.
  ingress: { controller: 'ingress-nginx', serviceType: 'NodePort' },
  monitoring: { grafana: { host: 'grafana.test', tlsSecretName: 'grafana-tls' } },
  registry: { host: 'harbor.test', pullSecretName: 'harbor-pull', tlsSecretName: 'harbor-tls' },
  // The seeds passed --kubelet-insecure-tls; instead the kubelets get serving certificates signed
  // by the cluster CA (kubeadm `serverTLSBootstrap: true`, CSRs approved: README prerequisites),
  // which metrics-server verifies.
  metricsServer: { kubeletTls: 'serverTlsBootstrap' },
});
