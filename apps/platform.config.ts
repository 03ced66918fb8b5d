import { definePlatform } from '../lib/platform-spec';

/**
 * The seeds' cluster: a kubeadm cluster with an NFS server, nfs-subdir provisioner (release
 * `nfs-provisioner`, class `nfs-client`), kube-prometheus-stack, Metrics Server, Harbor as the
 * private registry, an ingress controller and cert-manager. Both synthesizers read this.
 *
 * Kubernetes 1.35: the seeds ran 1.28, past upstream end of life and below what today's add-ons
 * support (cert-manager 1.21 supports 1.33 to 1.36); `definePlatform` refuses 1.28 and says
 * which add-on needs what. Upgrade the cluster one minor at a time before the platform stack.
 */
export const platform = definePlatform({
  name: 'seeds',
  kubernetesVersion: '1.35.0',
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
  // `*.test` hosts are not public, so no ACME: a self-signed CA issues every certificate, and
  // cert-manager writes `grafana-tls`, `harbor-tls` and the routes' Secrets.
  certificates: { issuer: 'self-signed-ca' },
  monitoring: { grafana: { host: 'grafana.test', tlsSecretName: 'grafana-tls' } },
  registry: { host: 'harbor.test', pullSecretName: 'harbor-pull', tlsSecretName: 'harbor-tls' },
  // The seeds passed --kubelet-insecure-tls; instead the kubelets get serving certificates signed
  // by the cluster CA (kubeadm `serverTLSBootstrap: true`, CSRs approved: README prerequisites),
  // which metrics-server verifies.
  metricsServer: { kubeletTls: 'serverTlsBootstrap' },
});
