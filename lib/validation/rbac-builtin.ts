import type { Manifest } from './types';

// The user-facing ClusterRoles every cluster creates at bootstrap (Kubernetes 1.28's RBAC
// bootstrap policy), written out as data so that bindings to them can be judged like bindings to
// roles in the input. `admin`, `edit` and `view` are aggregated roles: each holds its own
// aggregate-to-* rules plus those of the roles below it (view ⊂ edit ⊂ admin).

interface Rule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({ apiGroups, resources, verbs });

/** aggregate-to-view: read access to most namespaced objects, never Secrets or pods/exec. */
const VIEW: Rule[] = [
  rule(
    [''],
    [
      'pods',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'serviceaccounts',
      'services',
      'services/status',
      'endpoints',
      'persistentvolumeclaims',
      'persistentvolumeclaims/status',
      'configmaps',
    ],
    READ,
  ),
  rule(
    [''],
    [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
    ],
    READ,
  ),
  rule([''], ['namespaces'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(
    ['apps'],
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
    READ,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(
    ['extensions'],
    [
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'ingresses',
      'ingresses/status',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'replicationcontrollers/scale',
    ],
    READ,
  ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

/** aggregate-to-edit: write access to workloads, including exec/attach into pods and Secrets. */
const EDIT: Rule[] = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule(
    [''],
    [
      'configmaps',
      'events',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    WRITE,
  ),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(
    ['apps'],
    ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
    WRITE,
  ),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(
    ['extensions'],
    [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'ingresses',
      'networkpolicies',
      'replicasets',
      'replicasets/scale',
      'replicationcontrollers/scale',
    ],
    WRITE,
  ),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  rule(['coordination.k8s.io'], ['leases'], [...READ, ...WRITE]),
];

/** aggregate-to-admin: RBAC inside the namespace and local subject access reviews. */
const ADMIN: Rule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...READ, ...WRITE]),
];

function clusterRole(name: string, rules: readonly Rule[], nonResourceURLs = false): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
    rules: [
      ...rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
      ...(nonResourceURLs ? [{ nonResourceURLs: ['*'], verbs: ['*'] }] : []),
    ],
  };
}

/**
 * Bootstrap roles that charts bind to (metrics-server, prometheus-adapter, any extension API
 * server): Kubernetes creates them at start-up, so a binding to them refers to something that
 * exists, and their rules are narrow. From the RBAC bootstrap policy of kube-apiserver
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy), the same in 1.28 and 1.35.
 */
const AUTH_DELEGATOR: Rule[] = [
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
];

/** The bootstrap ClusterRoles modelled with their rules (besides the user-facing four). */
export const BOOTSTRAP_CLUSTER_ROLE_NAMES: readonly string[] = ['system:auth-delegator'];

/** The bootstrap Roles (namespace, name) Kubernetes creates in kube-system and kube-public. */
export const BOOTSTRAP_ROLES: readonly { readonly namespace: string; readonly name: string }[] = [
  // Lets extension API servers read the client-CA ConfigMap the API server publishes.
  { namespace: 'kube-system', name: 'extension-apiserver-authentication-reader' },
  { namespace: 'kube-system', name: 'system::leader-locking-kube-controller-manager' },
  { namespace: 'kube-system', name: 'system::leader-locking-kube-scheduler' },
  { namespace: 'kube-system', name: 'system:controller:bootstrap-signer' },
  { namespace: 'kube-system', name: 'system:controller:cloud-provider' },
  { namespace: 'kube-system', name: 'system:controller:token-cleaner' },
  { namespace: 'kube-public', name: 'system:controller:bootstrap-signer' },
];

/** The bootstrap Roles whose rules are modelled, as objects (fresh copies). */
export function builtinRoles(): Manifest[] {
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'extension-apiserver-authentication-reader', namespace: 'kube-system', labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
      rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['extension-apiserver-authentication'], verbs: ['get', 'list', 'watch'] }],
    },
  ];
}

/** Names of the built-in ClusterRoles modelled here. */
export const BUILTIN_CLUSTER_ROLE_NAMES: readonly string[] = ['admin', 'cluster-admin', 'edit', 'view'];

/** The built-in ClusterRoles as objects (fresh copies), as a cluster serves them. */
export function builtinClusterRoles(): Manifest[] {
  return [
    clusterRole('admin', [...ADMIN, ...EDIT, ...VIEW]),
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*'])], true),
    clusterRole('edit', [...EDIT, ...VIEW]),
    clusterRole('view', VIEW),
    clusterRole('system:auth-delegator', AUTH_DELEGATOR),
  ];
}
