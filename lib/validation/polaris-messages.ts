// Our own wording of what each Polaris v10.2.2 check wants and how to satisfy it, with the field
// the finding points at (relative to the check's target: the container, the pod spec, or the
// object). Polaris' own failure texts stay upstream.

export interface PolarisCheckText {
  readonly message: string;
  /** Field under the target the finding points at; empty for the target itself. */
  readonly field: string;
}

const t = (field: string, message: string): PolarisCheckText => ({ field, message });

export const POLARIS_TEXT: Readonly<Record<string, PolarisCheckText>> = {
  deploymentMissingReplicas: t(
    'spec.replicas',
    'run at least 2 replicas (spec.replicas >= 2, or an HPA with minReplicas >= 2) so one pod can fail without an outage',
  ),
  priorityClassNotSet: t('priorityClassName', 'set priorityClassName so the scheduler knows what to evict first under pressure'),
  tagNotSpecified: t('image', 'pin the image to an explicit tag or digest instead of none or ":latest"'),
  pullPolicyNotAlways: t('imagePullPolicy', 'set imagePullPolicy to Always so a re-pushed tag is fetched again'),
  readinessProbeMissing: t('readinessProbe', 'add a readinessProbe so traffic only reaches the container once it is ready'),
  livenessProbeMissing: t('livenessProbe', 'add a livenessProbe so a hung container is restarted'),
  metadataAndInstanceMismatched: t('metadata.labels', "set the label app.kubernetes.io/instance to the object's metadata.name"),
  pdbDisruptionsIsZero: t(
    'spec',
    'allow at least one voluntary disruption: minAvailable below the replica count, or maxUnavailable above 0; otherwise node drains block',
  ),
  missingPodDisruptionBudget: t('', "add a PodDisruptionBudget whose selector matches this Deployment's pod labels"),
  topologySpreadConstraint: t('topologySpreadConstraints', 'add topologySpreadConstraints so replicas spread across nodes or zones'),
  hpaMaxAvailability: t('spec.maxReplicas', 'set maxReplicas greater than minReplicas so the autoscaler can scale out'),
  hpaMinAvailability: t('spec.minReplicas', 'set minReplicas to at least 2 so scaling in never leaves a single pod'),
  pdbMinAvailableGreaterThanHPAMinReplicas: t(
    '',
    "the PodDisruptionBudget's minAvailable exceeds the HPA's minReplicas, so no pod can ever be evicted; lower minAvailable or raise minReplicas",
  ),
  cpuRequestsMissing: t('resources.requests.cpu', 'set resources.requests.cpu so the scheduler reserves CPU for the container'),
  cpuLimitsMissing: t('resources.limits.cpu', 'set resources.limits.cpu so the container cannot starve its neighbours'),
  memoryRequestsMissing: t('resources.requests.memory', 'set resources.requests.memory so the scheduler reserves memory for the container'),
  memoryLimitsMissing: t('resources.limits.memory', 'set resources.limits.memory so a leak is stopped before it affects the node'),
  automountServiceAccountToken: t(
    'automountServiceAccountToken',
    'set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the Kubernetes API',
  ),
  hostIPCSet: t('hostIPC', "remove hostIPC: the pod must not share the node's IPC namespace"),
  hostPathSet: t('volumes', 'remove the hostPath volume; use a PersistentVolumeClaim, ConfigMap, Secret or emptyDir'),
  hostProcess: t('securityContext.windowsOptions.hostProcess', 'remove windowsOptions.hostProcess: the pod must not run as a host process'),
  hostPIDSet: t('hostPID', "remove hostPID: the pod must not share the node's process namespace"),
  linuxHardening: t('securityContext', 'harden the container with a seccomp profile (RuntimeDefault), AppArmor, SELinux options, or by dropping capabilities'),
  missingNetworkPolicy: t('metadata.labels', 'add NetworkPolicies selecting these pods that govern both their ingress and egress'),
  notReadOnlyRootFilesystem: t(
    'securityContext.readOnlyRootFilesystem',
    'set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where the process writes)',
  ),
  privilegeEscalationAllowed: t('securityContext.allowPrivilegeEscalation', 'set securityContext.allowPrivilegeEscalation: false'),
  procMount: t('securityContext.procMount', 'remove procMount (or set Default): an unmasked /proc exposes the host'),
  runAsRootAllowed: t('securityContext.runAsNonRoot', 'run as non-root: set runAsNonRoot: true and a non-zero runAsUser on the container or the pod'),
  runAsPrivileged: t('securityContext.privileged', 'remove securityContext.privileged: a privileged container has full access to the node'),
  dangerousCapabilities: t('securityContext.capabilities.add', 'do not add ALL, SYS_ADMIN or NET_ADMIN capabilities'),
  insecureCapabilities: t('securityContext.capabilities.drop', 'drop the capabilities Polaris considers insecure; drop ALL and add back only what is needed'),
  hostNetworkSet: t('hostNetwork', "remove hostNetwork: the pod must not use the node's network namespace"),
  hostPortSet: t('ports', 'remove hostPort; expose the container through a Service'),
  tlsSettingsMissing: t('spec.tls', 'add spec.tls so the Ingress serves HTTPS'),
  sensitiveContainerEnvVar: t(
    'env',
    'an environment variable with a secret-looking name has a literal value; take it from a Secret (valueFrom.secretKeyRef) instead',
  ),
  sensitiveConfigmapContent: t('data', 'the ConfigMap holds a secret-looking key or value; move it into a Secret'),
  clusterrolePodExecAttach: t('rules', 'the ClusterRole grants pods/exec or pods/attach; remove that rule unless it is truly needed'),
  rolePodExecAttach: t('rules', 'the Role grants pods/exec or pods/attach; remove that rule unless it is truly needed'),
  clusterrolebindingPodExecAttach: t(
    'roleRef',
    'the ClusterRoleBinding grants a ClusterRole that allows pods/exec or pods/attach, or one that does not exist; bind a narrower role',
  ),
  rolebindingClusterRolePodExecAttach: t(
    'roleRef',
    'the RoleBinding grants a ClusterRole that allows pods/exec or pods/attach, or one that does not exist; bind a narrower role',
  ),
  rolebindingRolePodExecAttach: t(
    'roleRef',
    'the RoleBinding grants a Role that allows pods/exec or pods/attach, or one that does not exist; bind a narrower role',
  ),
  clusterrolebindingClusterAdmin: t(
    'roleRef',
    'the ClusterRoleBinding grants cluster-admin or an equivalent wildcard ClusterRole; bind a role with only the permissions needed',
  ),
  rolebindingClusterAdminClusterRole: t(
    'roleRef',
    'the RoleBinding grants cluster-admin or an equivalent wildcard ClusterRole; bind a role with only the permissions needed',
  ),
  rolebindingClusterAdminRole: t('roleRef', 'the RoleBinding grants a Role with wildcard permissions; bind a role with only the permissions needed'),
};
