/**
 * What our validator must know to judge the platform's charts as Helm renders them: objects the
 * operators, hook Jobs and the cluster create at run time (so references resolve), and the chart
 * objects that break a check by design, each exempted one object at a time with its reason. Never
 * a check switched off: a new object, or a known one breaking another check, still fails.
 */
import type { PolicyConfig, PolicyExemption, CreatedOutsideDeclaration } from '../validation/policy';
import { helmFullname, PlatformSpec } from '../platform-spec';
import { CHART_CATALOG } from './catalog';

/** One declaration, tagged with the chart release that makes the object it names. */
export interface RenderedDeclaration {
  /** The helm release (as in `.helm-render/<stack>/<release>.yaml`). */
  readonly release: string;
}

/** The declarations for the rendered releases of `spec`'s platform stack, each with its release. */
export interface RenderedChartDeclarations {
  readonly exemptions: readonly (PolicyExemption & RenderedDeclaration)[];
  readonly createdOutside: readonly (CreatedOutsideDeclaration & RenderedDeclaration)[];
}

/** kube-prometheus-stack's own fullname helper cuts at 26 characters (room for its suffixes). */
function kpsFullname(release: string): string {
  return helmFullname(release, 'kube-prometheus-stack').slice(0, 26).replace(/-$/, '');
}

/**
 * The policy (`paas-checks.yaml` shape) for checking `spec`'s rendered releases: pass it as the
 * `config` of `validate()` over `.helm-render/<stack>/`, or write it as YAML for `npx cdk8s-paas
 * check --config` (docs/platform.md, "Checked with the real Helm engine").
 */
export function renderedChartPolicy(spec: PlatformSpec): PolicyConfig {
  const d = renderedChartDeclarations(spec);
  const strip = <T extends RenderedDeclaration>({ release: _release, ...rest }: T): Omit<T, 'release'> => rest;
  return { exemptions: d.exemptions.map(strip), createdOutside: d.createdOutside.map(strip) };
}

/**
 * The declarations for `spec`'s releases, derived from the release names and namespaces the
 * platform stack uses, so they follow a renamed release.
 */
export function renderedChartDeclarations(spec: PlatformSpec): RenderedChartDeclarations {
  const exemptions: (PolicyExemption & RenderedDeclaration)[] = [];
  const createdOutside: (CreatedOutsideDeclaration & RenderedDeclaration)[] = [];
  const ex = (release: string, check: string, kind: string, namespace: string | undefined, name: string, reason: string): void => {
    exemptions.push({ release, check, kind, ...(namespace ? { namespace } : {}), name, reason });
  };

  const ingress = spec.ingress;
  if (ingress.controller === 'ingress-nginx') {
    const full = helmFullname(ingress.releaseName, CHART_CATALOG.ingressNginx.chart);
    createdOutside.push({
      release: ingress.releaseName,
      kind: 'Secret',
      namespace: ingress.namespace,
      name: `${full}-admission`,
      reason: `the ${full}-admission-create hook Job (kube-webhook-certgen) creates the webhook's serving certificate Secret before the controller starts`,
    });
  }

  const mon = spec.monitoring;
  const kps = kpsFullname(mon.releaseName);
  createdOutside.push({
    release: mon.releaseName,
    kind: 'Secret',
    namespace: mon.namespace,
    name: `${kps}-admission`,
    reason: `the ${kps}-admission-create hook Job (kube-webhook-certgen) creates the operator's webhook certificate Secret before the operator starts`,
  });
  const operatorPods = (name: string, what: string): void =>
    ex(
      mon.releaseName,
      'wiring/service-selects-nothing',
      'Service',
      mon.namespace,
      `${kps}-${name}`,
      `its pods are the ${what} StatefulSet's, which prometheus-operator creates from the ${what} object of this release`,
    );
  operatorPods('prometheus', 'Prometheus');
  operatorPods('alertmanager', 'Alertmanager');
  const controlPlane: readonly [string, string][] = [
    ['coredns', 'the CoreDNS Deployment the cluster installer (kubeadm addon phase) creates'],
    ['kube-controller-manager', 'the kube-controller-manager static pod kubelet runs from /etc/kubernetes/manifests'],
    ['kube-etcd', 'the etcd static pod kubelet runs from /etc/kubernetes/manifests'],
    ['kube-proxy', 'the kube-proxy DaemonSet the cluster installer (kubeadm addon phase) creates'],
    ['kube-scheduler', 'the kube-scheduler static pod kubelet runs from /etc/kubernetes/manifests'],
  ];
  for (const [name, pods] of controlPlane)
    ex(mon.releaseName, 'wiring/service-selects-nothing', 'Service', 'kube-system', `${kps}-${name}`, `a headless Service for scraping: its pods are ${pods}`);
  ex(
    mon.releaseName,
    'wiring/monitor-selects-nothing',
    'ServiceMonitor',
    mon.namespace,
    `${kps}-apiserver`,
    'selects the default/kubernetes Service, which the API server creates and keeps pointing at itself',
  );
  ex(
    mon.releaseName,
    'wiring/monitor-selects-nothing',
    'ServiceMonitor',
    mon.namespace,
    `${kps}-kubelet`,
    `selects the kube-system/${kps}-kubelet Service, which prometheus-operator creates and fills with the nodes' kubelet addresses (--kubelet-service)`,
  );
  const nodeExporter = `${mon.releaseName}-prometheus-node-exporter`;
  ex(
    mon.releaseName,
    'polaris/hostNetworkSet',
    'DaemonSet',
    mon.nodeExporterNamespace,
    nodeExporter,
    "node-exporter reports the node's own network interfaces and listens on the node's address for Prometheus: it needs the host network namespace (its namespace enforces privileged for this)",
  );
  ex(
    mon.releaseName,
    'polaris/hostPIDSet',
    'DaemonSet',
    mon.nodeExporterNamespace,
    nodeExporter,
    "node-exporter reads the node's processes from /proc: it needs the host PID namespace (its namespace enforces privileged for this)",
  );

  if (spec.nfs?.backend === 'nfs-subdir') {
    const nfs = spec.nfs;
    ex(
      nfs.releaseName,
      'polaris/runAsRootAllowed',
      'Deployment',
      nfs.namespace,
      helmFullname(nfs.releaseName, CHART_CATALOG.nfsSubdirExternalProvisioner.chart),
      'the provisioner creates, archives and deletes volume folders on the export for claims of any UID: it runs as root by design (its namespace enforces baseline for this; escalation is closed)',
    );
  }

  if (spec.registry?.installHarbor) {
    const ns = spec.registry.namespace;
    // Upstream Polaris matches `(?i)token` anywhere in a ConfigMap key, so it flags this too: the
    // finding is real Polaris behaviour, the content is not a secret.
    for (const cm of ['harbor-core', 'harbor-jobservice-env'])
      ex(
        'harbor',
        'polaris/sensitiveConfigmapContent',
        'ConfigMap',
        ns,
        cm,
        "its key TOKEN_SERVICE_URL holds the in-cluster URL of Harbor core's token service (http://harbor-core:80/service/token), not a token; the chart keeps its secrets in Secrets",
      );
  }
  return { exemptions, createdOutside };
}
