import { k8s } from 'cdk8s-plus-28';
import { fail } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain, defaultName } from '../core/names';

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

/**
 * What a RoleBinding grants: one of the built-in aggregated ClusterRoles (`admin`, `edit`, `view`),
 * or a custom Role created in the tenant's namespace.
 */
export class AccessRole {
  /** Everything in the namespace, including Roles and RoleBindings (not the quota or the namespace itself). */
  public static readonly ADMIN = new AccessRole('ClusterRole', 'admin', undefined);
  /** Read and write most objects, no RBAC. Includes `pods/exec`: prefer a custom Role for CI. */
  public static readonly EDIT = new AccessRole('ClusterRole', 'edit', undefined);
  /** Read-only, no Secrets. */
  public static readonly VIEW = new AccessRole('ClusterRole', 'view', undefined);

  /**
   * A Role with exactly these rules, created in the tenant's namespace on first use. Wildcards and
   * `pods/exec`/`pods/attach` are rejected: they let the holder run code in any pod.
   */
  public static custom(name: string, rules: AccessRule[]): AccessRole {
    checkDnsSubdomain('AccessRole', 'name', name);
    if (rules.length === 0) fail('AccessRole', `${name}.rules`, rules, 'must hold at least one rule');
    for (const [i, r] of rules.entries()) {
      const field = `${name}.rules[${i}]`;
      if (!r.verbs.length || !r.resources.length || !r.apiGroups.length) fail('AccessRole', field, r, 'must name apiGroups, resources and verbs');
      if ([...r.verbs, ...r.resources, ...r.apiGroups].includes('*')) fail('AccessRole', field, r, 'must not use "*": list the resources and verbs');
      const exec = r.resources.filter((x) => x === 'pods/exec' || x === 'pods/attach');
      if (exec.length) fail('AccessRole', field, r, `must not grant ${exec.join(', ')}: use AccessRole.EDIT or ADMIN knowingly instead`);
    }
    return new AccessRole(
      'Role',
      name,
      rules.map((r) => ({ ...r, apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    );
  }

  private constructor(
    public readonly kind: 'ClusterRole' | 'Role',
    public readonly name: string,
    private readonly _rules: AccessRule[] | undefined,
  ) {}

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
    { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ALL },
    { apiGroups: ['apps'], resources: ['replicasets', 'controllerrevisions'], verbs: READ },
    { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
    { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
    { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ALL },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ALL },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ALL },
    { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors', 'prometheusrules'], verbs: ALL },
  ];
}
