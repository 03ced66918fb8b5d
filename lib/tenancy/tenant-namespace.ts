import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { KubeManifest } from '../checks/manifest';
import { checkTenantFit } from '../checks/quota';
import { limitRangeItemJson, withContainerDefaults } from '../checks/limit-range';
import { LimitRangeItem } from '../checks/tenant-fit';
import { PaasChart } from '../core/chart-synth';
import { fail, formatProblem, Problem, ProblemCollector } from '../core/errors';
import { LABEL_MANAGED_BY, LABEL_PART_OF, MANAGED_BY } from '../core/labels';
import { checkDnsLabel, defaultName, fitName } from '../core/names';
import { PaasRegistry } from '../core/registry';
import { addWarning } from '../core/warnings';
import { WorkloadDefaults } from '../core/resources';
import { PodSecurityLevel, POD_SECURITY_VERSION, WorkloadSecurity } from '../core/security';
import { NetworkPeer, NetworkPort, dnsEgressRule } from '../networking/network-peer';
import { createNetworkPolicy } from '../networking/policy';
import { PlatformSpec } from '../platform-spec';
import { IWebApp, IWorkload } from '../workloads/types';
import { AccessRole, deployerRules, Subject, TenantDeployer, tenantFileProblem } from './access';
import { checkFreeId, checkGrantArgs, checkLinkArgs, checkPolicyArgs, checkTenantProps } from './tenant-shape';
import { checkObjectName, renderLimits, renderQuotaHard, TenantLimitsProps, TenantQuotaProps } from './quota-props';

/** Network isolation of a tenant. Policies need a CNI that enforces them (Calico, Cilium; not Flannel). */
export interface TenantNetworkProps {
  /** Deny all ingress and egress that no other policy allows (`default-deny`). @default true */
  readonly defaultDeny?: boolean;
  /** Let every pod resolve names through kube-dns in kube-system, port 53 UDP and TCP (`allow-dns`). @default true */
  readonly allowDns?: boolean;
  /** Let every pod reach every other pod of the namespace (`allow-same-namespace`). @default false (apps open their own ports) */
  readonly allowSameNamespace?: boolean;
}

/** The ServiceAccount a tenant's CI deploys with. */
export interface DeployerProps {
  /** ServiceAccount name. @default 'deployer' */
  readonly name?: string;
  /** What it may do. @default - a Role `deployer` with `deployerRules()`: what tenant charts hold, no Secrets, no exec */
  readonly role?: AccessRole;
}

/** A RoleBinding given in props. */
export interface TenantGrant {
  readonly subject: Subject;
  readonly role: AccessRole;
}

export interface TenantNamespaceProps {
  /** The platform: monitoring and ingress namespaces, registry pull secret. */
  readonly platform: PlatformSpec;
  /** Namespace name. @default - the construct id, lower-cased */
  readonly namespace?: string;
  /**
   * Pod Security Standards level enforced (also audited and warned) on the namespace, pinned to
   * v1.28. A workload weaker than this inside the tenant is a synth error.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /** ResourceQuota. @default - none */
  readonly quota?: TenantQuotaProps;
  /** LimitRange. @default - none */
  readonly limits?: TenantLimitsProps;
  /** @default - see TenantNetworkProps */
  readonly network?: TenantNetworkProps;
  /** RoleBindings for people and accounts; more with `grant()`. @default [] */
  readonly grants?: TenantGrant[];
  /** CI ServiceAccount, or false for none. @default { name: 'deployer' } */
  readonly deployer?: DeployerProps | false;
  /**
   * Emit the namespace's `default` ServiceAccount with its token not mounted and the platform's
   * registry pull secret attached, so pods pull from Harbor without naming the secret.
   * @default true
   */
  readonly manageDefaultServiceAccount?: boolean;
  /** Construct id of the sibling chart with the cluster-admin objects (file name in dist/). @default '<id>-admin' */
  readonly adminChartId?: string;
}

const TENANT_SYMBOL = Symbol.for('cdk8s-paas.TenantNamespace');
const POD_OWNERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** The pod spec of a rendered workload, Pod, Job or CronJob. */
function podSpecOf(json: KubeManifest): { serviceAccountName?: unknown } | undefined {
  const spec = json.spec as Record<string, any> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any -- untyped manifest JSON, internal
  if (json.kind === 'Pod') return spec;
  if (json.kind === 'CronJob') return spec?.jobTemplate?.spec?.template?.spec;
  return spec?.template?.spec;
}
const LEVEL_RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job', 'CronJob', 'DaemonSet']);

function isWorkload(c: IConstruct): c is IWorkload {
  const w = c as Partial<IWorkload>;
  return WORKLOAD_KINDS.has(String(w.kind)) && w.security instanceof WorkloadSecurity && typeof w.name === 'string';
}

/**
 * A tenant: a Chart whose objects land in the tenant's namespace (`new WebApp(tenant, 'web', …)`),
 * holding what the tenant's deployer applies, and a sibling chart (`<id>-admin`) with what only a
 * cluster admin can apply: the Namespace with Pod Security labels, ResourceQuota, LimitRange,
 * ServiceAccounts, Roles and RoleBindings. At synth time the workloads must fit the quota and
 * LimitRange at their worst case and meet the namespace's Pod Security level.
 */
export class TenantNamespace extends PaasChart {
  /** Whether `x` is a TenantNamespace (`instanceof` is unreliable: Chart overrides it for every chart). */
  public static isTenantNamespace(x: unknown): x is TenantNamespace {
    return x !== null && typeof x === 'object' && TENANT_SYMBOL in x;
  }

  /** The tenant a construct belongs to (its chart), if any. */
  public static tenantOf(scope: IConstruct): TenantNamespace | undefined {
    const chart = Chart.of(scope);
    return TenantNamespace.isTenantNamespace(chart) ? chart : undefined;
  }

  public readonly namespaceName: string;
  public readonly podSecurity: PodSecurityLevel;
  public readonly platform: PlatformSpec;
  /** Chart with the cluster-admin objects (a sibling of this one, never nested). */
  public readonly adminChart: Chart;
  public readonly namespaceObject: ApiObject;
  public readonly resourceQuota?: ApiObject;
  public readonly limitRange?: ApiObject;
  /** The deployer ServiceAccount's name, unless disabled. */
  public readonly deployerServiceAccountName?: string;
  /** Registry pull secret attached to the tenant's ServiceAccounts, when the platform has a registry. */
  public readonly pullSecretName?: string;

  private readonly hard?: Record<string, string | number>;
  private readonly limitItems?: LimitRangeItem[];
  private readonly fillContainerDefaults: boolean;
  private readonly serviceAccounts = new Set<string>();
  /** Custom Roles created, by name, with their rules and annotations as JSON. */
  private readonly roles = new Map<string, string>();
  private readonly deployer?: TenantDeployer;
  private fitCache?: { readonly size: number; readonly problems: Problem[] };

  constructor(scope: Construct, id: string, props: TenantNamespaceProps) {
    // Plain JavaScript reaches here with anything: every type problem at once, before building.
    checkTenantProps(scope, id, props);
    const namespace = props.namespace ?? defaultName(id);
    super(scope, id, { namespace, disableResourceNameHashes: true });
    Object.defineProperty(this, TENANT_SYMBOL, { value: true });
    const path = this.node.path;
    if (scope.node.scopes.some((s) => Chart.isChart(s))) {
      fail(
        path,
        'scope',
        scope.node.path,
        'must not be inside a Chart: create the TenantNamespace directly in the App (nested charts become chart dependencies, which cdk8s expands pairwise)',
      );
    }
    const problems = new ProblemCollector(path);
    this.namespaceName = problems.capture(() => checkDnsLabel(path, 'namespace', namespace)) ?? namespace;
    this.platform = props.platform;
    this.podSecurity = props.podSecurity ?? 'restricted';
    if (!(this.podSecurity in LEVEL_RANK)) problems.add('podSecurity', this.podSecurity, 'must be "restricted", "baseline" or "privileged"');
    if (props.quota) this.hard = renderQuotaHard(problems, path, props.quota);
    if (props.limits) this.limitItems = renderLimits(problems, path, props.limits);
    const quotaName = props.quota ? problems.capture(() => checkObjectName(path, 'quota.name', props.quota!.name ?? `${namespace}-quota`)) : undefined;
    this.fillContainerDefaults = props.quota !== undefined && props.quota.containerDefaults !== false;
    const withLimitRange = props.limits !== undefined || this.fillContainerDefaults;
    const limitsName = withLimitRange ? problems.capture(() => checkObjectName(path, 'limits.name', props.limits?.name ?? `${namespace}-limits`)) : undefined;
    problems.throwIfAny();

    const adminChart = new PaasChart(scope, props.adminChartId ?? `${id}-admin`, { disableResourceNameHashes: true });
    adminChart.validateWith(this);
    this.adminChart = adminChart;
    this.pullSecretName = props.platform.registry?.pullSecretName;
    const levels: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      levels[`pod-security.kubernetes.io/${mode}`] = this.podSecurity;
      levels[`pod-security.kubernetes.io/${mode}-version`] = POD_SECURITY_VERSION;
    }
    this.namespaceObject = new k8s.KubeNamespace(this.adminChart, 'Namespace', {
      metadata: { name: this.namespaceName, labels: { ...levels, [LABEL_MANAGED_BY]: MANAGED_BY } },
    });
    this.register('Namespace', this.namespaceName, this.namespaceObject, true);
    if (this.hard) {
      this.resourceQuota = new k8s.KubeResourceQuota(this.adminChart, 'ResourceQuota', {
        metadata: this.meta(quotaName!),
        spec: {
          hard: Object.fromEntries(
            Object.entries(this.hard).map(([k, v]) => [k, typeof v === 'number' ? k8s.Quantity.fromNumber(v) : k8s.Quantity.fromString(v)]),
          ),
        },
      });
      this.register('ResourceQuota', quotaName!, this.resourceQuota);
    }
    if (withLimitRange) {
      // Rendered at synth: the Container defaults a quota needs come from WorkloadDefaults as they
      // stand then (they can be set after the tenant is created).
      this.limitRange = new ApiObject(this.adminChart, 'LimitRange', {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: this.meta(limitsName!),
        spec: Lazy.any({ produce: () => ({ limits: this.effectiveLimits().map(limitRangeItemJson) }) }),
      });
      this.register('LimitRange', limitsName!, this.limitRange);
    }
    if (props.manageDefaultServiceAccount ?? true) this.addServiceAccount('default');
    if (props.deployer !== false) {
      const d = props.deployer ?? {};
      const name = checkDnsLabel(path, 'deployer.name', d.name ?? 'deployer');
      this.deployerServiceAccountName = name;
      this.addServiceAccount(name, { pullSecret: false });
      this.deployer = { name, role: d.role ?? AccessRole.custom('deployer', deployerRules()) };
      this.grant(Subject.serviceAccount(name), this.deployer.role);
    }
    for (const g of props.grants ?? []) this.grant(g.subject, g.role);

    const net = props.network ?? {};
    if (net.defaultDeny ?? true) createNetworkPolicy(this, 'DefaultDeny', { name: 'default-deny', ingressFrom: [], egressTo: [] });
    if (net.allowDns ?? true) createNetworkPolicy(this, 'AllowDns', { name: 'allow-dns', egressRules: [dnsEgressRule()] });
    // Workloads' own policies follow the tenant: no same-namespace ingress unless the tenant allows it.
    WorkloadDefaults.set(this, { allowFromSameNamespace: net.allowSameNamespace ?? false });
    if (net.allowSameNamespace ?? false) {
      const self = NetworkPeer.pods();
      createNetworkPolicy(this, 'AllowSameNamespace', { name: 'allow-same-namespace', ingressFrom: [self], egressTo: [self] });
    }
    this.node.addValidation({ validate: () => this.validateTenant().map(formatProblem) });
  }

  /**
   * Binds a subject to a role in the namespace (a RoleBinding in the admin chart). A custom role's
   * Role is created on first use.
   * @returns the RoleBinding
   */
  public grant(subject: Subject, role: AccessRole, options: { readonly name?: string } = {}): ApiObject {
    checkGrantArgs(this.node.path, subject, role, options);
    if (role.kind === 'Role' && !this.roles.has(role.name)) {
      const meta = this.meta(role.name);
      const r = new k8s.KubeRole(this.adminChart, `Role-${role.name}`, { metadata: { ...meta, annotations: role.annotations }, rules: role.rules });
      this.register('Role', role.name, r);
      this.roles.set(role.name, JSON.stringify([role.rules, role.annotations]));
    }
    // Two custom roles of one name with other rules would silently give the second the first's.
    if (role.kind === 'Role' && this.roles.get(role.name) !== JSON.stringify([role.rules, role.annotations])) {
      fail(this.node.path, 'grant.role', role.name, 'is already a Role of this tenant with other rules: give the second custom role another name');
    }
    if (role.riskyGrants) addWarning(this, `binding ${subject.kind} "${subject.name}" to ClusterRole "${role.name}" also grants ${role.riskyGrants}`);
    const name = checkObjectName(this.node.path, 'grant.name', options.name ?? fitName(`${role.name}-${subject.slug}`));
    checkFreeId(this.adminChart, `RoleBinding-${name}`, this.node.path, 'grant.name', name, 'RoleBinding (the same subject and role granted twice?)');
    const binding = new k8s.KubeRoleBinding(this.adminChart, `RoleBinding-${name}`, {
      metadata: this.meta(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.name },
      subjects: [subject.toJson(this.namespaceName)],
    });
    this.register('RoleBinding', name, binding);
    return binding;
  }

  /**
   * A ServiceAccount in the tenant's namespace (admin chart), its token not mounted into pods by
   * default, with the platform's registry pull secret attached unless `pullSecret` is false.
   * @returns the ServiceAccount
   */
  public addServiceAccount(name: string, options: { readonly pullSecret?: boolean } = {}): ApiObject {
    checkDnsLabel(this.node.path, 'serviceAccount', name);
    const pull = (options.pullSecret ?? true) && this.pullSecretName;
    const sa = new k8s.KubeServiceAccount(this.adminChart, `ServiceAccount-${name}`, {
      metadata: this.meta(name),
      automountServiceAccountToken: false,
      imagePullSecrets: pull ? [{ name: this.pullSecretName }] : undefined,
    });
    this.register('ServiceAccount', name, sa);
    this.serviceAccounts.add(name);
    return sa;
  }

  /**
   * Allows traffic into the tenant from `from`, to `to` (a workload) or to every pod.
   * @returns the NetworkPolicy
   */
  public allowIngress(name: string, from: NetworkPeer, options: { readonly to?: IWorkload; readonly ports?: NetworkPort[] } = {}): ApiObject {
    checkPolicyArgs(this.node.path, 'allowIngress', name, from, options);
    checkDnsLabel(this.node.path, 'allowIngress.name', name);
    checkFreeId(this, `Policy-${name}`, this.node.path, 'allowIngress.name', name, 'NetworkPolicy');
    return createNetworkPolicy(this, `Policy-${name}`, { name, podLabels: options.to?.selectorLabels, ingressFrom: [from], ingressPorts: options.ports });
  }

  /**
   * Allows traffic out of the tenant (named egress), from `from` (a workload) or every pod, to
   * `to`: another tenant's workload, a namespace, a CIDR. When `to` is a workload in another
   * TenantNamespace, whose default-deny would drop the traffic, that tenant also gets the policy
   * `<workload>-from-<this namespace>[-<from>]` admitting this side on the same ports.
   * @returns the NetworkPolicy
   */
  public allowEgress(name: string, to: NetworkPeer, options: { readonly from?: IWorkload; readonly ports?: NetworkPort[] } = {}): ApiObject {
    checkPolicyArgs(this.node.path, 'allowEgress', name, to, options);
    checkDnsLabel(this.node.path, 'allowEgress.name', name);
    checkFreeId(this, `Policy-${name}`, this.node.path, 'allowEgress.name', name, 'NetworkPolicy');
    const from = options.from;
    const policy = createNetworkPolicy(this, `Policy-${name}`, { name, podLabels: from?.selectorLabels, egressTo: [to], egressPorts: options.ports });
    const target = to.workload;
    const other = target && TenantNamespace.tenantOf(target);
    if (target && other && other !== this) {
      const policyName = fitName(`${target.name}-from-${this.namespaceName}${from ? `-${from.name}` : ''}`);
      if (!other.node.tryFindChild(`Policy-${policyName}`)) {
        other.allowIngress(policyName, from ? NetworkPeer.workload(from) : NetworkPeer.namespace(this.namespaceName), { to: target, ports: options.ports });
      }
    }
    return policy;
  }

  /**
   * Lets Prometheus (pods in the platform's monitoring namespace) scrape `workload` on `ports`.
   * @returns the NetworkPolicy `<workload>-from-monitoring`
   */
  public allowMonitoring(workload: IWorkload, ports: NetworkPort[]): ApiObject {
    if (ports.length === 0) fail(this.node.path, 'allowMonitoring.ports', ports, 'must name at least one scraped port');
    return this.allowIngress(fitName(`${workload.name}-from-monitoring`), NetworkPeer.namespace(this.platform.monitoring.namespace), {
      to: workload,
      ports,
    });
  }

  /**
   * An `ExternalName` Service in this tenant that resolves to another tenant's app
   * (`<service>.<namespace>.svc.<clusterDomain>`), so pods here reach it by a local name, as the
   * seeds do for middleware in its own namespace. Opens egress from this tenant to the app's pods
   * on its main port and, when the app lives in a TenantNamespace, ingress there from this namespace.
   * @returns the Service
   */
  public linkService(target: IWebApp, options: { readonly name?: string; readonly clusterDomain?: string } = {}): ApiObject {
    const path = this.node.path;
    checkLinkArgs(path, target, options);
    const name = checkDnsLabel(path, 'linkService.name', options.name ?? target.serviceName);
    checkFreeId(this, `ExternalName-${name}`, path, 'linkService.name', name, 'linked Service');
    if (!target.namespace) fail(path, 'linkService.target', target.node.path, 'must live in a chart with a namespace (a TenantNamespace)');
    if (target.namespace === this.namespaceName)
      fail(path, 'linkService.target', target.node.path, `is already in namespace "${this.namespaceName}": use its Service "${target.serviceName}" directly`);
    const domain = options.clusterDomain ?? 'cluster.local';
    const service = new k8s.KubeService(this, `ExternalName-${name}`, {
      metadata: { name, labels: { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_PART_OF]: this.namespaceName } },
      spec: { type: 'ExternalName', externalName: `${target.serviceName}.${target.namespace}.svc.${domain}` },
    });
    this.register('Service', name, service);
    const port: NetworkPort = { port: target.mainPort.containerPort, protocol: target.mainPort.protocol };
    // Egress here and, when the target is in a TenantNamespace, ingress there (see allowEgress).
    this.allowEgress(fitName(`to-${target.namespace}-${target.name}`), NetworkPeer.workload(target), { ports: [port] });
    return service;
  }

  /** The LimitRange items as synthesized: the user's, plus the Container defaults a quota needs (withContainerDefaults). */
  private effectiveLimits(): LimitRangeItem[] {
    const items = this.limitItems ?? [];
    if (!this.fillContainerDefaults) return items;
    const r = WorkloadDefaults.resourcesAt(this);
    return withContainerDefaults(items, this.hard, { cpu: r.cpu, memory: r.memory, 'ephemeral-storage': r.ephemeralStorage });
  }

  private meta(name: string): { name: string; namespace: string; labels: Record<string, string> } {
    return { name, namespace: this.namespaceName, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } };
  }

  private register(kind: string, name: string, obj: ApiObject, clusterScoped = false): void {
    PaasRegistry.of(this).registerObject({ path: obj.node.path, kind, namespace: clusterScoped ? undefined : this.namespaceName, name });
  }

  /**
   * cdk8s runs every validation once per `synth()` and again for each chart it writes, so the
   * fit check would render the tenant's objects (1 + charts) times: quadratic in the number of
   * tenants. Results are kept until our constructs change the tree (the registry's version), the
   * tenant's or its admin chart's own children change, or the current synchronous run ends (a
   * microtask clears them).
   */
  private validateTenant(): Problem[] {
    // Walking the tenant's subtree to see whether it changed would itself be quadratic over the
    // passes; our constructs record every object in the registry, whose version says it instead.
    const size = PaasRegistry.of(this).version * 1e6 + this.node.children.length * 1e3 + this.adminChart.node.children.length;
    if (this.fitCache && this.fitCache.size === size) return this.fitCache.problems;
    const nodes = this.node.findAll();
    const adminNodes = this.adminChart.node.findAll();
    const problems: Problem[] = [];
    const objects: ApiObject[] = [];
    for (const c of nodes) {
      if (ApiObject.isApiObject(c) && Chart.of(c) === this) {
        objects.push(c);
        const why = tenantFileProblem({ kind: c.kind, apiVersion: c.apiVersion, namespace: c.metadata.namespace }, this.namespaceName, this.deployer);
        if (why) problems.push({ path: c.node.path, ...why });
      }
      if (isWorkload(c) && LEVEL_RANK[c.security.level] < LEVEL_RANK[this.podSecurity]) {
        problems.push({
          path: c.node.path,
          field: 'security',
          value: c.security.level,
          expected: `is weaker than the Pod Security level "${this.podSecurity}" that namespace "${this.namespaceName}" enforces${
            c.security.optOutReason ? ` (opt-out reason: ${JSON.stringify(c.security.optOutReason)})` : ''
          }: Kubernetes would reject its pods; run it ${this.podSecurity}, or give the tenant podSecurity "${c.security.level}"`,
        });
      }
    }
    // Pods run as a ServiceAccount of the tenant: one we do not know of would not exist (the
    // ReplicaSet cannot create pods) and would not carry the registry pull secret.
    const rendered = new Map<ApiObject, KubeManifest>();
    const render = (o: ApiObject): KubeManifest => {
      let json = rendered.get(o);
      if (!json) rendered.set(o, (json = o.toJson() as KubeManifest));
      return json;
    };
    const known = new Set(['default', ...this.serviceAccounts, ...objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.name)]);
    for (const o of objects) {
      if (!POD_OWNERS.has(o.kind)) continue;
      const spec = podSpecOf(render(o));
      const account = spec?.serviceAccountName;
      if (typeof account === 'string' && !known.has(account)) {
        const owner = [...o.node.scopes].reverse().find(isWorkload);
        problems.push({
          path: (owner ?? o).node.path,
          field: 'serviceAccountName',
          value: account,
          expected: `is not a ServiceAccount of namespace "${this.namespaceName}": Kubernetes would not create the pods; add it with addServiceAccount(${JSON.stringify(account)}) on the tenant, which also attaches the registry pull secret`,
        });
      }
    }
    const limits = this.effectiveLimits();
    if (this.hard || limits.length > 0) {
      const existing = this.serviceAccounts.has('default') ? [] : ['ServiceAccount/default'];
      if (this.pullSecretName) existing.push(`Secret/${this.pullSecretName}`);
      // The admin chart's namespaced objects (ServiceAccounts, Roles, RoleBindings, the quota and
      // LimitRange themselves) count against `count/...` fields too; cluster-scoped ones do not.
      const adminObjects = adminNodes
        .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === this.adminChart)
        .map((o) => o.toJson())
        .filter((o) => o.metadata?.namespace === this.namespaceName);
      const nfs = this.platform.nfs;
      problems.push(
        ...checkTenantFit({
          path: this.node.path,
          objects: [...objects.map(render), ...adminObjects],
          hard: this.hard,
          limits,
          defaultStorageClass: nfs?.defaultClass ? nfs.storageClassName : undefined,
          existing,
        }),
      );
    }
    this.fitCache = { size, problems };
    queueMicrotask(() => (this.fitCache = undefined));
    return problems;
  }
}
