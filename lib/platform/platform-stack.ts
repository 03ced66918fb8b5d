import { ITerraformDependable, TerraformBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ProblemCollector } from '../core/errors';
import { setUpStack } from './stack-setup';
import { assertArgs } from '../core/shape';
import { platformStackPropsShape } from './stack-shapes';
import { addWarning } from '../core/warnings';
import { POD_SECURITY_VERSION } from '../core/security';
import type { PlatformSpec } from '../platform-spec';
import { AddonNamespace, IAddonNamespace } from './addon-namespace';
import { CHART_CATALOG, ChartPin } from './catalog';
import { GatewayApiCrds } from './gateway-api-crds';
import { HelmAddon, WriteOnlyValue } from './helm-addon';
import { secretVariable } from './secret-variable';
import { requireTerraform } from './terraform-raw';
import { acmeThroughGateway } from './issuers';
import { certManagerValues } from './values/cert-manager';
import { HARBOR_WRITE_ONLY_PATHS, HarborExistingSecrets, harborValues, harborWriteOnlyKeys } from './values/harbor';
import { ingressNginxValues, traefikValues } from './values/ingress';
import { HelmValues, valueAt } from './values/merge';
import { metricsServerValues, metricsServerWarnings } from './values/metrics-server';
import { kubePrometheusStackValues, prometheusOperatorCrdsValues } from './values/monitoring';
import { csiDriverNfsValues, nfsSubdirValues } from './values/nfs';
import { monitoringStorageWarnings } from './values/storage';

/** The add-ons of the platform stack, as keys for overrides. */
export type PlatformAddonKey = 'prometheusOperatorCrds' | 'kubePrometheusStack' | 'metricsServer' | 'nfs' | 'ingressController' | 'harbor' | 'certManager';

export interface PlatformStackProps {
  /** The platform description (from `definePlatform`). */
  readonly platform: PlatformSpec;
  /**
   * Local state file, relative to the stack's working directory `cdktf.out/stacks/<id>/` where
   * Terraform runs. Relative so `cdktf.out/` is byte-identical across checkouts; outside
   * `cdktf.out/` so re-synthesizing never touches state.
   * @default '../../../terraform.<id>.tfstate' (the project root, next to cdktf.json)
   */
  readonly statePath?: string;
  /**
   * A different backend (e.g. an encrypted, locked remote one), created in the stack's scope.
   * `statePath` is ignored then.
   * @default - the local backend at `statePath`
   */
  readonly backend?: (stack: TerraformStack) => TerraformBackend;
  /**
   * Existing Secret in the monitoring namespace holding Grafana's admin login (keys `admin-user`,
   * `admin-password`).
   * @default - the password comes from the ephemeral variable `grafana_admin_password` via `set_wo`
   */
  readonly grafanaAdminSecretName?: string;
  /**
   * Existing Secrets in Harbor's namespace for Harbor's secrets.
   * @default - each from an ephemeral variable (`harbor_*`) via `set_wo`
   */
  readonly harborExistingSecrets?: HarborExistingSecrets;
  /**
   * Free-form values per add-on, deep-merged over ours (see HelmAddon). Not for secrets.
   * @default - none
   */
  readonly overrides?: { readonly [K in PlatformAddonKey]?: HelmValues };
  /** Install the ingress controller (false when the cluster already runs one). @default true */
  readonly installIngressController?: boolean;
  /**
   * Refuse `terraform destroy` of Harbor's namespace, which holds the registry's and database's
   * claims (`lifecycle.prevent_destroy`).
   * @default true
   */
  readonly protectHarborNamespace?: boolean;
}

/**
 * The cluster add-ons as one Terraform stack: the kubernetes and helm providers (kubeconfig path
 * and context as variables), one namespace per add-on labelled with the Pod Security level it
 * needs, and one pinned Helm release per add-on the spec asks for, ordered with `depends_on`:
 * CRDs before kube-prometheus-stack, NFS before Harbor, the ingress controller before anything it
 * exposes. Secrets come from ephemeral variables through write-only `set_wo`, or existing Secrets.
 */
export class PlatformStack extends TerraformStack {
  public readonly platform: PlatformSpec;
  public readonly kubernetesProvider: KubernetesProvider;
  public readonly helmProvider: HelmProvider;
  /** Where Terraform keeps the state. */
  public readonly backend: TerraformBackend;
  /** `kubeconfig_path` variable. */
  public readonly kubeconfigPath: TerraformVariable;
  /** `kube_context` variable (null: the kubeconfig's current context). */
  public readonly kubeContext: TerraformVariable;
  /** `secrets_revision` variable: bump it to push changed secret values (`set_wo_revision`). */
  public readonly secretsRevision: TerraformVariable;
  /** cert-manager with the spec's ClusterIssuers (when the spec has `certificates`). */
  public readonly certManager?: HelmAddon;
  /** The Gateway API CRDs (when the spec has `ingress.gatewayApi`), applied before the controller. */
  public readonly gatewayApiCrds?: GatewayApiCrds;
  public readonly crds: HelmAddon;
  public readonly monitoring: HelmAddon;
  public readonly metricsServer?: HelmAddon;
  public readonly nfs?: HelmAddon;
  public readonly ingressController?: HelmAddon;
  public readonly harbor?: HelmAddon;
  private readonly namespaceList: AddonNamespace[] = [];
  private readonly secretNames: string[] = [];

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    // Plain JavaScript reaches here with anything: types, known keys and Secret names first.
    assertArgs(this.node.path, [['props', props, platformStackPropsShape]]);
    // Ephemeral variables (1.10) and write-only set_wo (1.11).
    requireTerraform(this);
    const spec = props.platform;
    this.platform = spec;
    const problems = new ProblemCollector(this.node.path);
    const setup = setUpStack(this, id, props, problems, 'kubernetes and helm providers');
    this.backend = setup.backend;
    this.kubeconfigPath = setup.kubeconfigPath;
    this.kubeContext = setup.kubeContext;
    this.secretsRevision = new TerraformVariable(this, 'secrets_revision', {
      type: 'number',
      description: 'Increase to push changed secret variables to the releases (write-only values are not compared between runs)',
      default: 1,
      nullable: false,
    });

    const cluster = setup.cluster;
    this.kubernetesProvider = new KubernetesProvider(this, 'kubernetes', cluster);
    this.helmProvider = new HelmProvider(this, 'helm', { kubernetes: cluster });

    // The rules our validator implements, not the cluster's minor: a newer cluster enforces the
    // pinned version's rules exactly, so what passed our check is what the cluster admits.
    const psaVersion = POD_SECURITY_VERSION;
    const ns = (nsId: string, name: string, level: AddonNamespace['podSecurity'], reason: string, preventDestroy = false): AddonNamespace => {
      const existing = this.namespaceList.find((n) => n.name === name);
      if (existing) return existing;
      const created = new AddonNamespace(this, nsId, {
        name,
        provider: this.kubernetesProvider,
        podSecurity: level,
        reason,
        podSecurityVersion: psaVersion,
        preventDestroy,
      });
      this.namespaceList.push(created);
      return created;
    };
    const addon = (
      addonId: string,
      key: PlatformAddonKey,
      pin: ChartPin,
      releaseName: string,
      namespace: IAddonNamespace,
      values: HelmValues,
      extra: { dependsOn?: ReadonlyArray<HelmAddon | ITerraformDependable>; writeOnly?: WriteOnlyValue[] } = {},
    ): HelmAddon | undefined =>
      problems.capture(
        () =>
          new HelmAddon(this, addonId, {
            pin,
            releaseName,
            namespace,
            provider: this.helmProvider,
            kubernetesVersion: spec.kubernetesVersion,
            values,
            overrides: props.overrides?.[key],
            dependsOn: extra.dependsOn,
            writeOnlyValues: extra.writeOnly,
            secretPathsCheckedByCaller: SECRET_VALUE_PATHS[key],
            writeOnlyRevision: extra.writeOnly?.length ? this.secretsRevision.numberValue : undefined,
          }),
      );

    // A secret path in overrides would land in cdktf.out and the state as a literal; the ones
    // delivered write-only are rejected by HelmAddon, these are the ones an existing Secret replaces.
    const grafanaWriteOnly = props.grafanaAdminSecretName ? [] : [GRAFANA_ADMIN_PASSWORD];
    const harborWriteOnly = harborWriteOnlyKeys(props.harborExistingSecrets).map((k) => HARBOR_WRITE_ONLY_PATHS[k]);
    const writeOnlyPaths: Partial<Record<PlatformAddonKey, readonly string[]>> = {
      kubePrometheusStack: grafanaWriteOnly,
      harbor: harborWriteOnly.map((w) => w.path),
    };
    for (const [key, paths] of Object.entries(SECRET_VALUE_PATHS) as Array<[PlatformAddonKey, readonly string[]]>) {
      const overrides = props.overrides?.[key];
      for (const p of paths) {
        if (overrides && valueAt(overrides, p) !== undefined && !writeOnlyPaths[key]?.includes(p)) {
          problems.add(`overrides.${key}.${p}`, '<redacted>', 'is a secret: keep it in the existing Secret you named, never a literal in the values');
        }
      }
    }

    const ingress = spec.ingress;
    const installIngress = props.installIngressController ?? true;
    if (installIngress && ingress.controller !== 'f5-nginx' && ingress.gatewayApi) {
      // Before the controller: the chart's GatewayClass and Gateway are objects of these kinds, and
      // Helm refuses the release ("no matches for kind") unless the CRDs are served first.
      this.gatewayApiCrds = new GatewayApiCrds(this, 'gateway-api-crds', { provider: this.kubernetesProvider });
    }

    // cert-manager first: its ClusterIssuer must exist before Grafana's and Harbor's Ingresses ask
    // it (ingress-shim) for their certificates. With Gateway API support on (ACME challenges
    // answered through the Gateway, see values/cert-manager.ts) it also waits for the Gateway API
    // CRDs: its controller exits at start when they are not served.
    const certs = spec.certificates;
    if (certs) {
      const cmNs = ns('cert-manager-namespace', certs.namespace, 'restricted', CERT_MANAGER_REASON);
      this.certManager = addon('cert-manager', 'certManager', CHART_CATALOG.certManager, certs.releaseName, cmNs, certManagerValues(certs, ingress), {
        dependsOn: acmeThroughGateway(certs, ingress) && this.gatewayApiCrds ? this.gatewayApiCrds.all : [],
      });
    }
    const issued = this.certManager ? [this.certManager] : [];

    // Ingress controller next: Grafana's and Harbor's Ingresses go through its admission webhook.
    if (installIngress && ingress.controller === 'f5-nginx') {
      problems.add(
        'platform.ingress.controller',
        ingress.controller,
        'has no pinned chart in the platform stack: install it separately and set installIngressController: false',
      );
    } else if (installIngress) {
      const ingressNs = ns('ingress-namespace', ingress.namespace, 'restricted', INGRESS_REASON[ingress.controller]);
      const deps: Array<HelmAddon | ITerraformDependable> = [];
      if (ingress.gatewayApi && ingress.gatewayApi.gatewayNamespace !== ingress.namespace) {
        deps.push(ns('gateway-namespace', ingress.gatewayApi.gatewayNamespace, 'restricted', 'holds only the Gateway object, no pods').resource);
      }
      if (this.gatewayApiCrds) deps.push(...this.gatewayApiCrds.all);
      // The HTTPS listener's Certificate is an object of the Traefik release: Helm builds it
      // against discovery, so cert-manager's CRDs (and the webhook that admits it) come first.
      if (ingress.gatewayApi?.https && this.certManager) deps.push(this.certManager);
      const isTraefik = ingress.controller === 'traefik';
      this.ingressController = addon(
        'ingress-controller',
        'ingressController',
        isTraefik ? CHART_CATALOG.traefik : CHART_CATALOG.ingressNginx,
        ingress.releaseName,
        ingressNs,
        isTraefik ? traefikValues(ingress, certs) : ingressNginxValues(ingress),
        { dependsOn: deps },
      );
    }
    const exposedVia = this.ingressController ? [this.ingressController] : [];

    // Monitoring: CRDs as their own release so chart upgrades upgrade them.
    const mon = spec.monitoring;
    const monNs = ns('monitoring-namespace', mon.namespace, 'restricted', MONITORING_REASON);
    const nodeNs = ns('node-exporter-namespace', mon.nodeExporterNamespace, 'privileged', NODE_EXPORTER_REASON);
    this.crds = addon(
      'prometheus-operator-crds',
      'prometheusOperatorCrds',
      CHART_CATALOG.prometheusOperatorCrds,
      'prometheus-operator-crds',
      monNs,
      prometheusOperatorCrdsValues(),
    )!;
    this.monitoring = addon(
      'kube-prometheus-stack',
      'kubePrometheusStack',
      CHART_CATALOG.kubePrometheusStack,
      mon.releaseName,
      monNs,
      kubePrometheusStackValues({ monitoring: mon, ingress, grafanaAdminSecretName: props.grafanaAdminSecretName, certificates: certs }),
      {
        dependsOn: [nodeNs.resource, ...(this.crds ? [this.crds] : []), ...(mon.grafana ? [...exposedVia, ...issued] : [])],
        writeOnly: grafanaWriteOnly.map((p) => ({ path: p, value: this.secret('grafana_admin_password', "Grafana's admin password").stringValue })),
      },
    )!;

    if (spec.metricsServer.enabled) {
      const msName = spec.metricsServer.namespace;
      const msNs =
        msName === 'kube-system'
          ? AddonNamespace.fromName(this, 'metrics-server-namespace', msName)
          : ns('metrics-server-namespace', msName, 'restricted', METRICS_SERVER_REASON);
      this.metricsServer = addon(
        'metrics-server',
        'metricsServer',
        CHART_CATALOG.metricsServer,
        'metrics-server',
        msNs,
        metricsServerValues(spec.metricsServer),
      );
    }

    if (spec.nfs) {
      const nfs = spec.nfs;
      const subdir = nfs.backend === 'nfs-subdir';
      const nfsNs = ns('nfs-namespace', nfs.namespace, subdir ? 'baseline' : 'privileged', subdir ? NFS_SUBDIR_REASON : CSI_NFS_REASON);
      this.nfs = addon(
        'nfs-provisioner',
        'nfs',
        subdir ? CHART_CATALOG.nfsSubdirExternalProvisioner : CHART_CATALOG.csiDriverNfs,
        nfs.releaseName,
        nfsNs,
        subdir ? nfsSubdirValues(nfs) : csiDriverNfsValues(nfs),
      );
    }

    const registry = spec.registry;
    if (registry?.installHarbor) {
      const harborNs = ns('harbor-namespace', registry.namespace, 'restricted', HARBOR_REASON, props.protectHarborNamespace ?? true);
      const writeOnly = harborWriteOnly.map((w): WriteOnlyValue => ({
        path: w.path,
        value: this.secret(w.variable, `Harbor ${w.path}: ${w.hint}`).stringValue,
      }));
      this.harbor = addon(
        'harbor',
        'harbor',
        CHART_CATALOG.harbor,
        'harbor',
        harborNs,
        harborValues({ registry, ingress, nfs: spec.nfs, existingSecrets: props.harborExistingSecrets, certificates: certs }),
        { dependsOn: [...(this.nfs ? [this.nfs] : []), ...exposedVia, ...issued], writeOnly },
      );
    }
    problems.throwIfAny();
    // Soft problems of the storage and kubelet certificate choices (values/storage.ts, values/metrics-server.ts).
    const warnings = [...monitoringStorageWarnings(spec.monitoring.storage, spec.nfs), ...metricsServerWarnings(spec.metricsServer)];
    for (const w of warnings) addWarning(this, w);
  }

  /** The namespaces this stack creates, in creation order. */
  public get namespaces(): AddonNamespace[] {
    return [...this.namespaceList];
  }

  /** Names of the ephemeral secret variables the user must supply at apply time, sorted. */
  public get secretVariableNames(): string[] {
    return [...this.secretNames].sort();
  }

  /** Every add-on release of the stack. */
  public get addons(): HelmAddon[] {
    return [this.certManager, this.ingressController, this.crds, this.monitoring, this.metricsServer, this.nfs, this.harbor].filter(
      (a): a is HelmAddon => a !== undefined,
    );
  }

  /**
   * Adds another pinned chart with the stack's helm provider, e.g. a chart we do not ship.
   * Returns the add-on; order it with `dependOn`.
   */
  public addAddon(id: string, props: Omit<ConstructorParameters<typeof HelmAddon>[2], 'provider' | 'kubernetesVersion'>): HelmAddon {
    return new HelmAddon(this, id, { ...props, provider: this.helmProvider, kubernetesVersion: this.platform.kubernetesVersion });
  }

  private secret(name: string, description: string): TerraformVariable {
    this.secretNames.push(name);
    return secretVariable(this, name, description);
  }
}

/** kube-prometheus-stack's values path of Grafana's admin password. */
const GRAFANA_ADMIN_PASSWORD = 'grafana.adminPassword';

/** Values paths that hold a secret, per add-on (delivered write-only, or read from an existing Secret). */
const SECRET_VALUE_PATHS: Partial<Record<PlatformAddonKey, readonly string[]>> = {
  kubePrometheusStack: [GRAFANA_ADMIN_PASSWORD],
  harbor: Object.values(HARBOR_WRITE_ONLY_PATHS).map((w) => w.path),
};

const CERT_MANAGER_REASON =
  "controller, webhook, cainjector and the startupapicheck job run with the chart's security contexts: non-root, RuntimeDefault seccomp, no capabilities, read-only root";
const MONITORING_REASON =
  'operator, Prometheus, Alertmanager, kube-state-metrics and Grafana run as non-root with RuntimeDefault seccomp and no capabilities; node-exporter runs in its own namespace';
const NODE_EXPORTER_REASON = 'node-exporter reads the node: host network and PID namespaces, hostPath mounts of /proc, /sys and /';
const METRICS_SERVER_REASON = 'metrics-server runs as non-root with a read-only root filesystem, no capabilities and RuntimeDefault seccomp';
const NFS_SUBDIR_REASON =
  'the provisioner mounts the NFS export itself (an inline nfs volume unless mountOptions are set) and runs as root to create, archive and delete volume folders';
const CSI_NFS_REASON = 'the CSI node plugin is a privileged DaemonSet with host networking and hostPath mounts of the kubelet directory';
const HARBOR_REASON = "every Harbor container runs with the chart's containerSecurityContext: non-root, no capabilities, RuntimeDefault seccomp";
const INGRESS_REASON: Record<PlatformSpec['ingress']['controller'], string> = {
  'ingress-nginx': 'the controller runs as uid 101 without privilege escalation; NET_BIND_SERVICE, the one capability restricted allows, binds ports 80/443',
  traefik: 'Traefik runs as non-root on ports 8000/8443 with a read-only root filesystem and no capabilities',
  'f5-nginx': 'not installed by this stack',
};
