import { k8s } from 'cdk8s-plus-28';
import { resourceName } from '../checks/quota';
import { fail, ProblemCollector } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain, defaultName } from '../core/names';
import { BUILTIN_ROLE_GRANTS, checkRules, RBAC_OPT_OUT_ANNOTATION, RbacOptOut } from './rbac-rules';

/** Who a RoleBinding grants access to. Build with the static factories. */
export class Subject {
  /** A user as the cluster's authenticator names it (client certificate CN, OIDC claim). */
  public static user(name: string): Subject {
    if (!name) fail('Subject', 'user', name, 'must be a non-empty user name');
    return new Subject('User', name, undefined);
  }

  /** A group as the authenticator names it (client certificate O, OIDC groups claim). */
  public static group(name: string): Subject {
    if (!name) fail('Subject', 'group', name, 'must be a non-empty group name');
    return new Subject('Group', name, undefined);
  }

  /**
   * A ServiceAccount, in the tenant's namespace unless `namespace` is given (e.g. a CI runner's
   * account in its own namespace).
   */
  public static serviceAccount(name: string, namespace?: string): Subject {
    checkDnsSubdomain('Subject', 'serviceAccount', name);
    if (namespace !== undefined) checkDnsLabel('Subject', 'serviceAccount.namespace', namespace);
    return new Subject('ServiceAccount', name, namespace);
  }

  private constructor(
    public readonly kind: 'User' | 'Group' | 'ServiceAccount',
    public readonly name: string,
    public readonly namespace: string | undefined,
  ) {}

  /** Readable part of a RoleBinding name, e.g. `group-devs`. */
  public get slug(): string {
    const kind = this.kind === 'ServiceAccount' ? 'sa' : this.kind.toLowerCase();
    return defaultName(`${kind}-${this.name}`);
  }

  /** The RBAC subject JSON; ServiceAccounts default to `tenantNamespace`. */
  public toJson(tenantNamespace: string): k8s.Subject {
    if (this.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace ?? tenantNamespace };
    return { kind: this.kind, name: this.name, apiGroup: 'rbac.authorization.k8s.io' };
  }
}

/** One RBAC rule of a custom Role. */
export interface AccessRule {
  /** API groups, `''` for the core group. */
  readonly apiGroups: string[];
  /** Resources, e.g. `deployments`, `pods/log`. */
  readonly resources: string[];
  /** Verbs, e.g. `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`. */
  readonly verbs: string[];
  /** Limit to these object names. @default - all objects of the resources */
  readonly resourceNames?: string[];
}

/** Options of `AccessRole.custom`. */
export interface AccessRoleOptions {
  /** Risky grants allowed on purpose, with the reason. @default - none: risky grants are errors */
  readonly optOut?: RbacOptOut;
}

/**
 * What a RoleBinding grants: one of the built-in aggregated ClusterRoles (`admin`, `edit`, `view`),
 * or a custom Role created in the tenant's namespace.
 */
export class AccessRole {
  /**
   * Everything in the namespace, including Roles and RoleBindings (not the quota or the namespace
   * itself), `pods/exec` and Secret reads: binding it is reported as a synth warning.
   */
  public static readonly ADMIN = new AccessRole('ClusterRole', 'admin', undefined);
  /**
   * Read and write most objects, no RBAC. Includes `pods/exec`, `pods/portforward` and Secret
   * reads: binding it is reported as a synth warning; prefer a custom Role for CI.
   */
  public static readonly EDIT = new AccessRole('ClusterRole', 'edit', undefined);
  /** Read-only, no Secrets. */
  public static readonly VIEW = new AccessRole('ClusterRole', 'view', undefined);

  /**
   * A Role with exactly these rules, created in the tenant's namespace on first use. Rules must
   * be what RBAC understands (a rule that matches nothing, such as `pods/*` or the verb `read`, is
   * an error), and grants that let the holder run code in pods, tunnel past NetworkPolicies, read
   * Secrets or raise its own rights (`*`, the subresource wildcards `*` + `/exec`, `/attach`, `/portforward`, `pods/exec`, `pods/attach`, `pods/portforward`,
   * `pods/ephemeralcontainers`, the proxy subresources, `serviceaccounts/token`, the verbs
   * `escalate`, `bind`, `impersonate`, and get/list/watch on `secrets`) are refused unless
   * `options.optOut` names each of them with a reason, which is written onto the Role as
   * annotation `paas.cdk8s.io/rbac-opt-out` (JSON `{"allow":[...],"reason":"..."}`).
   */
  public static custom(name: string, rules: AccessRule[], options: AccessRoleOptions = {}): AccessRole {
    const problems = new ProblemCollector('AccessRole');
    problems.capture(() => checkDnsSubdomain('AccessRole', 'name', name));
    if (options === null || typeof options !== 'object') problems.add(`${name}.options`, options, 'must be { optOut?: { allow, reason } }');
    else
      for (const k of Object.keys(options))
        if (k !== 'optOut') problems.add(`${name}.options.${k}`, (options as Record<string, unknown>)[k], 'is not an option: the one option is optOut');
    const optOut = options?.optOut;
    checkRules(problems, String(name), rules, optOut);
    problems.throwIfAny();
    const annotations = optOut ? { [RBAC_OPT_OUT_ANNOTATION]: JSON.stringify({ allow: [...optOut.allow], reason: optOut.reason }) } : undefined;
    return new AccessRole(
      'Role',
      name,
      rules.map((r) => ({
        ...r,
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
        ...(r.resourceNames ? { resourceNames: [...r.resourceNames] } : {}),
      })),
      annotations,
    );
  }

  private constructor(
    public readonly kind: 'ClusterRole' | 'Role',
    public readonly name: string,
    private readonly _rules: AccessRule[] | undefined,
    private readonly _annotations?: Record<string, string>,
  ) {}

  /** Annotations of the Role (the opt-out, when given); undefined for none. */
  public get annotations(): Record<string, string> | undefined {
    return this._annotations ? { ...this._annotations } : undefined;
  }

  /**
   * For the built-in `edit` and `admin`: what binding them grants that a reader of the name may
   * not expect (reported as a synth warning); undefined for other roles.
   */
  public get riskyGrants(): string | undefined {
    return this.kind === 'ClusterRole' ? BUILTIN_ROLE_GRANTS[this.name] : undefined;
  }

  /** Rules of a custom Role (a copy); undefined for the built-in ClusterRoles. */
  public get rules(): AccessRule[] | undefined {
    return this._rules?.map((r) => ({ ...r }));
  }
}

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];

/**
 * What a tenant's CI applies: the objects our tenant charts hold, and nothing else (no Secrets, no
 * RBAC, no `pods/exec`). Unlike `edit`, it covers the CRDs we emit (HTTPRoute, ServiceMonitor,
 * PodMonitor, PrometheusRule), which the built-in roles only include when their charts aggregate them.
 */
export function deployerRules(): AccessRule[] {
  return [
    { apiGroups: [''], resources: ['configmaps', 'services', 'persistentvolumeclaims'], verbs: ALL },
    { apiGroups: [''], resources: ['pods', 'pods/log', 'events', 'endpoints'], verbs: READ },
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ALL },
    { apiGroups: ['apps'], resources: ['replicasets', 'controllerrevisions'], verbs: READ },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ALL },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ALL },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ALL },
    { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors', 'prometheusrules'], verbs: ALL },
  ];
}

/**
 * Kinds without a namespace: a tenant's own file, applied by its deployer with rights in one
 * namespace, cannot hold them.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'VolumeSnapshotClass',
  'IngressClass',
  'GatewayClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'ClusterIssuer',
]);

/** API groups whose namespaced resources the built-in `admin` and `edit` roles cover (CRDs only when aggregated). */
const BUILTIN_GROUPS = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io', 'rbac.authorization.k8s.io']);

/**
 * Whether a holder of `role` may create `resource` (plural, e.g. `deployments`) of `group` in the
 * namespace: from the rules of a custom Role, or what the built-in roles grant (neither `admin` nor
 * `edit` writes ResourceQuotas or LimitRanges; `edit` no RBAC; `view` nothing). Undefined when it
 * cannot be known here: a CRD under a built-in role, which depends on its chart's aggregation.
 */
export function roleCanCreate(role: AccessRole, group: string, resource: string): boolean | undefined {
  const rules = role.rules;
  if (rules) return rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes('create'));
  if (role.name === 'view') return false;
  if (resource === 'resourcequotas' || resource === 'limitranges') return false;
  if (group === 'rbac.authorization.k8s.io') return role.name === 'admin';
  return BUILTIN_GROUPS.has(group) ? true : undefined;
}

/** The ServiceAccount that applies a tenant's file, and its role. */
export interface TenantDeployer {
  readonly name: string;
  readonly role: AccessRole;
}

/**
 * Why an object cannot sit in a tenant's own file (applied by its deployer), or undefined: it is
 * cluster-scoped, in another namespace, or of a kind the deployer's role may not create.
 */
export function tenantFileProblem(
  obj: { readonly kind: string; readonly apiVersion: string; readonly namespace?: string },
  tenantNamespace: string,
  deployer: TenantDeployer | undefined,
): { field: string; value: string; expected: string } | undefined {
  if (CLUSTER_SCOPED_KINDS.has(obj.kind)) {
    return {
      field: 'kind',
      value: obj.kind,
      expected: `is cluster-scoped, and the tenant's file is applied with rights in namespace "${tenantNamespace}" only: create it in the tenant's adminChart or a cluster-level chart`,
    };
  }
  if (obj.namespace !== undefined && obj.namespace !== tenantNamespace) {
    return {
      field: 'metadata.namespace',
      value: obj.namespace,
      expected: `is not the tenant's namespace "${tenantNamespace}", the only one its deployer may write to: create it in the chart of namespace "${obj.namespace}"`,
    };
  }
  if (!deployer) return undefined;
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  const resource = resourceName(obj.kind);
  if (roleCanCreate(deployer.role, group, resource) !== false) return undefined;
  return {
    field: 'kind',
    value: obj.kind,
    expected: `cannot be created by the tenant's deployer ServiceAccount "${deployer.name}" (${deployer.role.kind} "${deployer.role.name}"), which applies this file: create it in the tenant's adminChart, or give the deployer a role that may create ${resource}${group ? `.${group}` : ''}`,
  };
}
