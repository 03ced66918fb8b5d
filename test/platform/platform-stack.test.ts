import { S3Backend } from 'cdktf';
import { ALTERNATIVE, EXISTING_SECRETS, platformStack, SEEDS, synthStack } from './fixtures';

// Pinned to the rules our validator implements (POD_SECURITY_VERSION), whatever the cluster's minor.
const PSA = (level: string, version = 'v1.28'): Record<string, string> => ({
  'app.kubernetes.io/managed-by': 'cdk8s-paas',
  'pod-security.kubernetes.io/enforce': level,
  'pod-security.kubernetes.io/enforce-version': version,
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/warn-version': version,
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/audit-version': version,
});

describe('PlatformStack: providers, backend, variables', () => {
  const json = synthStack(platformStack(SEEDS, {}, 'seeds'));

  test('kubernetes and helm providers read the kubeconfig path and context from variables', () => {
    const cluster = { config_path: '${var.kubeconfig_path}', config_context: '${var.kube_context}' };
    expect(json.provider.kubernetes).toEqual([cluster]);
    expect(json.provider.helm).toEqual([{ kubernetes: cluster }]);
    expect(json.variable.kubeconfig_path).toMatchObject({ type: 'string', default: '~/.kube/config' });
    expect(json.variable.kube_context).toMatchObject({ type: 'string', default: null, nullable: true });
  });

  test('local state lives outside cdktf.out, by a relative path', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.seeds.tfstate' } });
  });

  test('secrets are ephemeral sensitive variables without defaults', () => {
    const secrets = Object.entries(json.variable).filter(([, v]) => v.sensitive);
    expect(secrets.map(([k]) => k).sort()).toEqual([
      'grafana_admin_password',
      'harbor_admin_password',
      'harbor_core_secret',
      'harbor_database_password',
      'harbor_jobservice_secret',
      'harbor_registry_credentials_password',
      'harbor_registry_htpasswd',
      'harbor_registry_http_secret',
      'harbor_secret_key',
      'harbor_token_cert',
      'harbor_token_key',
      'harbor_xsrf_key',
    ]);
    for (const [, v] of secrets) {
      expect(v).toMatchObject({ type: 'string', sensitive: true, ephemeral: true, nullable: false });
      expect(v.default).toBeUndefined();
    }
  });

  test('fails if the state path is absolute', () => {
    expect(() => platformStack(SEEDS, { statePath: '/var/state/x.tfstate' }, 'abs')).toThrow(
      'abs: statePath "/var/state/x.tfstate" is invalid: must be relative to cdktf.out/stacks/<stack>/ so the output does not depend on the checkout location',
    );
  });
});

describe('PlatformStack: namespaces and Pod Security levels', () => {
  test('seeds: one namespace per add-on, node-exporter apart, levels pinned to the validator version on a 1.35 cluster', () => {
    const stack = platformStack(SEEDS);
    const ns = synthStack(stack).resource.kubernetes_namespace_v1;
    const levels = Object.fromEntries(Object.values(ns).map((n: any) => [n.metadata.name, n.metadata.labels['pod-security.kubernetes.io/enforce']]));
    expect(levels).toEqual({
      'cert-manager': 'restricted',
      'ingress-nginx': 'restricted',
      monitoring: 'restricted',
      'monitoring-node': 'privileged',
      'metrics-server': 'restricted',
      'nfs-provisioner': 'baseline',
      harbor: 'restricted',
    });
    expect(ns.monitoring_namespace.metadata.labels).toEqual(PSA('restricted'));
    expect(ns.node_exporter_namespace.metadata.annotations['paas.cdk8s.io/pod-security-reason']).toMatch(/host network and PID/);
    expect(stack.namespaces.map((n) => n.name)).toEqual([
      'cert-manager',
      'ingress-nginx',
      'monitoring',
      'monitoring-node',
      'metrics-server',
      'nfs-provisioner',
      'harbor',
    ]);
  });

  test("Harbor's namespace refuses terraform destroy unless opted out", () => {
    expect(synthStack(platformStack(SEEDS)).resource.kubernetes_namespace_v1.harbor_namespace.lifecycle).toEqual({ prevent_destroy: true });
    expect(synthStack(platformStack(SEEDS, { protectHarborNamespace: false })).resource.kubernetes_namespace_v1.harbor_namespace.lifecycle).toBeUndefined();
  });

  test('csi-driver-nfs is privileged, the Gateway namespace restricted, kube-system is not created', () => {
    const ns = synthStack(platformStack(ALTERNATIVE, EXISTING_SECRETS)).resource.kubernetes_namespace_v1;
    expect(ns.nfs_namespace.metadata.labels).toEqual(PSA('privileged'));
    expect(ns.gateway_namespace.metadata).toMatchObject({ name: 'gateways', labels: PSA('restricted') });
    expect(Object.values(ns).map((n: any) => n.metadata.name)).not.toContain('kube-system');
  });
});

describe('PlatformStack: releases and ordering', () => {
  const seeds = synthStack(platformStack(SEEDS));
  const rel = seeds.resource.helm_release;

  test('the releases the seeds need, each pinned', () => {
    expect(Object.fromEntries(Object.entries(rel).map(([k, r]) => [k, `${r.chart}@${r.version} in ${r.namespace}`]))).toEqual({
      cert_manager: 'cert-manager@v1.21.1 in cert-manager',
      ingress_controller: 'ingress-nginx@4.15.1 in ingress-nginx',
      prometheus_operator_crds: 'prometheus-operator-crds@31.0.1 in monitoring',
      kube_prometheus_stack: 'kube-prometheus-stack@88.5.3 in monitoring',
      metrics_server: 'metrics-server@3.13.1 in metrics-server',
      nfs_provisioner: 'nfs-subdir-external-provisioner@4.0.18 in nfs-provisioner',
      harbor: 'harbor@1.19.1 in harbor',
    });
  });

  test('CRDs before kube-prometheus-stack; NFS, the controller and cert-manager before Harbor; the controller and cert-manager before Grafana', () => {
    expect(rel.kube_prometheus_stack.depends_on).toEqual([
      'kubernetes_namespace_v1.monitoring_namespace',
      'kubernetes_namespace_v1.node_exporter_namespace',
      'helm_release.prometheus_operator_crds',
      'helm_release.ingress_controller',
      'helm_release.cert_manager',
    ]);
    expect(rel.harbor.depends_on).toEqual([
      'kubernetes_namespace_v1.harbor_namespace',
      'helm_release.nfs_provisioner',
      'helm_release.ingress_controller',
      'helm_release.cert_manager',
    ]);
    expect(rel.cert_manager.depends_on).toEqual(['kubernetes_namespace_v1.cert_manager_namespace']);
    expect(rel.prometheus_operator_crds.depends_on).toEqual(['kubernetes_namespace_v1.monitoring_namespace']);
  });

  test('Grafana not exposed: kube-prometheus-stack does not wait for the controller', () => {
    const r = synthStack(platformStack({ ...SEEDS, monitoring: {} })).resource.helm_release;
    expect(r.kube_prometheus_stack.depends_on).not.toContain('helm_release.ingress_controller');
  });

  test('no ingress controller installed: nothing waits for one', () => {
    const stack = platformStack(SEEDS, { installIngressController: false });
    expect(stack.ingressController).toBeUndefined();
    expect(synthStack(stack).resource.helm_release.harbor.depends_on).toEqual([
      'kubernetes_namespace_v1.harbor_namespace',
      'helm_release.nfs_provisioner',
      'helm_release.cert_manager',
    ]);
  });

  test('release timeouts sized per chart and bounded history', () => {
    expect(Object.fromEntries(Object.entries(rel).map(([k, r]) => [k, [r.timeout, r.max_history, r.atomic, r.cleanup_on_fail]]))).toEqual({
      cert_manager: [600, 10, true, true],
      ingress_controller: [600, 10, true, true],
      prometheus_operator_crds: [300, 10, true, true],
      kube_prometheus_stack: [900, 10, true, true],
      metrics_server: [300, 10, true, true],
      nfs_provisioner: [300, 10, true, true],
      harbor: [1200, 10, true, true],
    });
  });

  test('metrics-server disabled: no release, no namespace', () => {
    const stack = platformStack({ ...SEEDS, metricsServer: { enabled: false } });
    expect(stack.metricsServer).toBeUndefined();
    expect(stack.namespaces.map((n) => n.name)).not.toContain('metrics-server');
  });

  test('no registry, no NFS: only the cluster basics', () => {
    const stack = platformStack({});
    expect(stack.addons.map((a) => a.pin.chart)).toEqual(['ingress-nginx', 'prometheus-operator-crds', 'kube-prometheus-stack', 'metrics-server']);
    expect(stack.secretVariableNames).toEqual(['grafana_admin_password']);
  });
});

describe('PlatformStack: values from the spec', () => {
  test('kube-prometheus-stack: selectors for the monitor labels in all namespaces, dashboards sidecar, Grafana ingress', () => {
    const v = platformStack(SEEDS).monitoring.values as any;
    expect(v.crds).toEqual({ enabled: false });
    expect(v['prometheus-node-exporter']).toEqual({
      namespaceOverride: 'monitoring-node',
      containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
    });
    const spec = v.prometheus.prometheusSpec;
    for (const kind of ['serviceMonitor', 'podMonitor', 'rule', 'probe']) {
      expect(spec[`${kind}Selector`]).toEqual({ matchLabels: { release: 'kube-prometheus-stack' } });
      expect(spec[`${kind}NamespaceSelector`]).toEqual({});
      expect(spec[`${kind}SelectorNilUsesHelmValues`]).toBe(false);
    }
    expect(v.grafana.sidecar.dashboards).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
    expect(v.grafana.ingress).toEqual({
      enabled: true,
      ingressClassName: 'nginx',
      hosts: ['grafana.test'],
      path: '/',
      tls: [{ secretName: 'grafana-tls', hosts: ['grafana.test'] }],
      // ingress-shim: cert-manager creates the Certificate next to the Ingress and writes grafana-tls
      annotations: { 'cert-manager.io/cluster-issuer': 'platform-ca' },
    });
    // database.wal: SQLite on the NFS claim without WAL (values/storage.ts, test/platform/storage.test.ts)
    expect(v.grafana['grafana.ini']).toEqual({ server: { root_url: 'https://grafana.test' }, database: { wal: false } });
  });

  test('metrics-server verifies kubelet certificates unless the spec opts out', () => {
    expect(platformStack(SEEDS).metricsServer!.values).toEqual({ args: [] });
    expect(platformStack(ALTERNATIVE, EXISTING_SECRETS).metricsServer!.values).toEqual({ args: ['--kubelet-insecure-tls'] });
  });

  test('nfs-subdir: the StorageClass from the spec, archiving by default, no expansion offered, no privilege escalation', () => {
    expect(platformStack(SEEDS).nfs!.values).toEqual({
      nfs: { server: '192.168.56.10', path: '/srv/nfs/k8s', mountOptions: ['nfsvers=4.1'], reclaimPolicy: 'Retain' },
      storageClass: {
        create: true,
        name: 'nfs-client',
        defaultClass: false,
        reclaimPolicy: 'Delete',
        archiveOnDelete: true,
        allowVolumeExpansion: false,
        volumeBindingMode: 'Immediate',
      },
      securityContext: { allowPrivilegeEscalation: false },
    });
  });

  test('nfs-subdir: retain keeps PV and folder; delete is explicit', () => {
    const sc = (onDelete: 'retain' | 'delete'): any => (platformStack({ ...SEEDS, nfs: { ...SEEDS.nfs!, onDelete } }).nfs!.values as any).storageClass;
    expect(sc('retain')).toMatchObject({ reclaimPolicy: 'Retain', archiveOnDelete: false, onDelete: 'retain' });
    expect(sc('delete')).toMatchObject({ reclaimPolicy: 'Delete', archiveOnDelete: false, onDelete: 'delete' });
  });

  test('csi-driver-nfs: the chart StorageClass with server, share, onDelete, mount permissions and options', () => {
    expect(platformStack(ALTERNATIVE, EXISTING_SECRETS).nfs!.values).toEqual({
      driver: { name: 'nfs.csi.k8s.io' },
      storageClass: {
        create: true,
        name: 'nfs-csi',
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        parameters: { server: 'nfs.example.com', share: '/exports/k8s', onDelete: 'retain', mountPermissions: '0775' },
        reclaimPolicy: 'Retain',
        volumeBindingMode: 'Immediate',
        mountOptions: ['nfsvers=4.1', 'hard'],
      },
    });
  });

  test('ingress-nginx: IngressClass from the spec', () => {
    expect(platformStack(SEEDS).ingressController!.values).toEqual({
      controller: {
        ingressClassResource: { name: 'nginx', enabled: true, default: true, controllerValue: 'k8s.io/ingress-nginx' },
        ingressClass: 'nginx',
        service: { type: 'LoadBalancer' },
        allowSnippetAnnotations: false,
      },
    });
  });

  test('Traefik with Gateway API: provider on, the Gateway named and placed from the spec, routes from all namespaces', () => {
    expect(platformStack(ALTERNATIVE, EXISTING_SECRETS).ingressController!.values).toEqual({
      ingressClass: { enabled: true, isDefaultClass: false, name: 'traefik' },
      service: { spec: { type: 'NodePort' } },
      providers: { kubernetesGateway: { enabled: true } },
      gateway: {
        enabled: true,
        name: 'traefik-gateway',
        namespace: 'gateways',
        listeners: { web: { port: 8000, protocol: 'HTTP', namespacePolicy: { from: 'All' } } },
      },
      gatewayClass: { enabled: true },
    });
  });

  test('Harbor: ingress host and externalURL from the same spec, claims on the NFS class, kept on uninstall', () => {
    const v = platformStack(SEEDS).harbor!.values as any;
    expect(v.externalURL).toBe('https://harbor.test');
    expect(v.expose).toEqual({
      type: 'ingress',
      tls: { enabled: true, certSource: 'secret', secret: { secretName: 'harbor-tls' } },
      ingress: { hosts: { core: 'harbor.test' }, className: 'nginx', annotations: { 'cert-manager.io/cluster-issuer': 'platform-ca' } },
    });
    expect(v.persistence.resourcePolicy).toBe('keep');
    expect(v.persistence.persistentVolumeClaim.registry).toEqual({ storageClass: 'nfs-client', accessMode: 'ReadWriteOnce', size: '20Gi' });
  });

  test('Harbor with 2 replicas: registry and job log ReadWriteMany; no TLS: http URL and no forced redirect', () => {
    const v = platformStack(ALTERNATIVE, EXISTING_SECRETS).harbor!.values as any;
    expect(v.externalURL).toBe('http://registry.example.com');
    expect(v.expose.tls).toEqual({ enabled: false, certSource: 'none' });
    expect(v.expose.ingress.annotations).toEqual({ 'ingress.kubernetes.io/ssl-redirect': 'false', 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' });
    const pvc = v.persistence.persistentVolumeClaim;
    expect(pvc.registry).toEqual({ storageClass: 'nfs-csi', accessMode: 'ReadWriteMany', size: '100Gi' });
    expect(pvc.jobservice.jobLog.accessMode).toBe('ReadWriteMany');
    expect(pvc.database.accessMode).toBe('ReadWriteOnce');
    for (const c of ['portal', 'core', 'jobservice', 'registry']) expect(v[c].replicas).toBe(2);
  });

  test('overrides merge over our values per add-on', () => {
    const stack = platformStack(SEEDS, { overrides: { metricsServer: { replicas: 2 }, harbor: { trivy: { enabled: false } } } });
    expect(stack.metricsServer!.values).toEqual({ args: [], replicas: 2 });
    expect((stack.harbor!.values as any).trivy).toEqual({ enabled: false });
  });

  test('addAddon installs another pinned chart with the stack providers, checked against the cluster version', () => {
    const stack = platformStack(SEEDS);
    const pin = { chart: 'x', repository: 'https://example.com/charts', version: '1.0.0', timeoutSeconds: 60 };
    const extra = stack.addAddon('extra', { pin, releaseName: 'x', namespace: stack.namespaces[1], values: {} });
    expect(extra.release.provider).toBe(stack.helmProvider);
    expect(() => stack.addAddon('newer', { pin: { ...pin, kubeVersion: '>=1.36.0-0' }, releaseName: 'y', namespace: stack.namespaces[1], values: {} })).toThrow(
      'test/newer: kubernetesVersion "1.35.0" is invalid: is not supported by chart x 1.0.0, which requires Kubernetes ">=1.36.0-0"',
    );
  });
});

describe('PlatformStack: errors', () => {
  // definePlatform refuses an unsupported cluster first (test/platform/catalog.test.ts); the
  // chart kubeVersion check stays for charts added with addAddon and HelmAddon used directly.
  test('a supported cluster passes both checks: the project ranges and the charts kubeVersion', () => {
    expect(() => platformStack({ ...SEEDS, kubernetesVersion: '1.33' }, {}, 'k133')).not.toThrow();
    expect(() => platformStack({ ...ALTERNATIVE, kubernetesVersion: '1.36.2' }, EXISTING_SECRETS, 'k136')).not.toThrow();
  });

  test('fails if the controller has no pinned chart', () => {
    expect(() => platformStack({ ...SEEDS, ingress: { controller: 'f5-nginx' } }, {}, 'f5')).toThrow(
      'f5: platform.ingress.controller "f5-nginx" is invalid: has no pinned chart in the platform stack: install it separately and set installIngressController: false',
    );
    expect(() => platformStack({ ...SEEDS, ingress: { controller: 'f5-nginx' } }, { installIngressController: false }, 'f5b')).not.toThrow();
  });
});

describe('PlatformStack: other backends', () => {
  test('a remote backend replaces the local one', () => {
    const stack = platformStack(SEEDS, { backend: (s) => new S3Backend(s, { bucket: 'state', key: 'platform.tfstate', region: 'eu-west-1', encrypt: true }) });
    expect(synthStack(stack).terraform.backend).toEqual({ s3: { bucket: 'state', key: 'platform.tfstate', region: 'eu-west-1', encrypt: true } });
  });
});
