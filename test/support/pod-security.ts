import { Manifest, objectRef, podTemplateOf } from './objects';

/**
 * Pod Security Standards, `restricted` profile as enforced by Kubernetes v1.28 (which includes
 * every `baseline` control). Applied to every pod template of Pods, Deployments, StatefulSets,
 * DaemonSets, ReplicaSets, ReplicationControllers, Jobs and CronJobs, for containers,
 * initContainers and ephemeralContainers.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

/** Annotation marking an explicit opt-out of `restricted` (value: the reason). */
export const POD_SECURITY_OPT_OUT = 'paas.cdk8s.io/pod-security-opt-out';

/** Capabilities baseline allows to be added. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Sysctls allowed by baseline in v1.28 (the v1.27 set; the tcp_keepalive/fin_timeout ones came in v1.29). */
export const SAFE_SYSCTLS_V1_28 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_syncookies',
];

/** SELinux types baseline allows in v1.28. */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

/** Volume sources restricted allows. */
const RESTRICTED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export interface RestrictedOptions {
  /** Skip objects annotated `paas.cdk8s.io/pod-security-opt-out`. @default false - they are reported */
  readonly allowOptOut?: boolean;
}

function seccompOk(type: unknown): boolean {
  return type === 'RuntimeDefault' || type === 'Localhost';
}

/** Problems of one pod (template metadata + spec), without the object prefix. */
export function restrictedViolations(template: Manifest): string[] {
  const spec: Manifest = template.spec ?? {};
  const meta: Manifest = template.metadata ?? {};
  const podSc: Manifest = spec.securityContext ?? {};
  const out: string[] = [];
  const containers: { kind: string; c: Manifest }[] = [
    ...(spec.initContainers ?? []).map((c: Manifest) => ({ kind: 'initContainer', c })),
    ...(spec.containers ?? []).map((c: Manifest) => ({ kind: 'container', c })),
    ...(spec.ephemeralContainers ?? []).map((c: Manifest) => ({ kind: 'ephemeralContainer', c })),
  ];

  // --- baseline ---
  if (podSc.windowsOptions?.hostProcess === true) out.push('pod must not set securityContext.windowsOptions.hostProcess=true');
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) out.push(`pod must not set ${f}=true`);
  }
  for (const v of spec.volumes ?? []) {
    if (v.hostPath !== undefined) out.push(`volume "${v.name}" must not be a hostPath volume`);
    const source = Object.keys(v).find((k) => k !== 'name');
    if (source && source !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.has(source)) {
      out.push(`volume "${v.name}" uses volume type ${source}; allowed: ${[...RESTRICTED_VOLUME_TYPES].join(', ')}`);
    }
  }
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Record<string, string>)) {
    if (k.startsWith(APPARMOR_PREFIX) && v !== '' && v !== 'runtime/default' && !String(v).startsWith('localhost/')) {
      out.push(`annotation ${k} must be runtime/default or localhost/*, not "${v}"`);
    }
  }
  const seLinux = (where: string, o: Manifest | undefined): void => {
    if (!o) return;
    if (!SELINUX_TYPES.has(o.type ?? '')) out.push(`${where} must not set securityContext.seLinuxOptions.type="${o.type}"`);
    if (o.user) out.push(`${where} must not set securityContext.seLinuxOptions.user`);
    if (o.role) out.push(`${where} must not set securityContext.seLinuxOptions.role`);
  };
  seLinux('pod', podSc.seLinuxOptions);
  for (const s of podSc.sysctls ?? []) {
    if (!SAFE_SYSCTLS_V1_28.includes(s.name)) out.push(`pod must not set sysctl ${s.name} (not in the v1.28 safe set)`);
  }

  // --- restricted (pod level) ---
  const podSeccomp = podSc.seccompProfile?.type;
  if (podSeccomp !== undefined && !seccompOk(podSeccomp)) {
    out.push(`pod must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not ${podSeccomp}`);
  }
  if (podSc.runAsNonRoot === false) out.push('pod must not set securityContext.runAsNonRoot=false');
  if (podSc.runAsUser === 0) out.push('pod must not set securityContext.runAsUser=0');

  for (const { kind, c } of containers) {
    const sc: Manifest = c.securityContext ?? {};
    const who = `${kind} "${c.name}"`;
    if (sc.windowsOptions?.hostProcess === true) out.push(`${who} must not set securityContext.windowsOptions.hostProcess=true`);
    if (sc.privileged === true) out.push(`${who} must not set securityContext.privileged=true`);
    for (const p of c.ports ?? []) {
      if (p.hostPort !== undefined && p.hostPort !== 0) out.push(`${who} must not set hostPort (${p.hostPort})`);
    }
    seLinux(who, sc.seLinuxOptions);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') out.push(`${who} must not set securityContext.procMount=${sc.procMount}`);
    const add: string[] = sc.capabilities?.add ?? [];
    for (const cap of add) {
      if (cap !== 'NET_BIND_SERVICE') {
        const level = BASELINE_CAPABILITIES.has(cap) ? 'restricted' : 'baseline';
        out.push(`${who} must not add capability ${cap} (${level} forbids it; only NET_BIND_SERVICE may be added)`);
      }
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`${who} must set securityContext.capabilities.drop=["ALL"]`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${who} must set securityContext.allowPrivilegeEscalation=false`);
    if (sc.runAsNonRoot === false) out.push(`${who} must not set securityContext.runAsNonRoot=false`);
    else if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) {
      out.push(`${who} must set securityContext.runAsNonRoot=true (or the pod must)`);
    }
    if (sc.runAsUser === 0) out.push(`${who} must not set securityContext.runAsUser=0`);
    const type = sc.seccompProfile?.type;
    if (type !== undefined) {
      if (!seccompOk(type)) out.push(`${who} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not ${type}`);
    } else if (!seccompOk(podSeccomp)) {
      out.push(`${who} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)`);
    }
  }
  return out;
}

/**
 * Checks every pod template against Pod Security Standards `restricted` v1.28. Returns messages
 * such as `Deployment shop/web: restricted: container "main" must set securityContext.allowPrivilegeEscalation=false`.
 * Objects annotated `paas.cdk8s.io/pod-security-opt-out` are skipped only with `allowOptOut`.
 */
export function checkRestricted(objects: any[], options: RestrictedOptions = {}): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    const pod = podTemplateOf(obj);
    if (!pod) continue;
    const ref = objectRef(obj);
    const optOut = obj.metadata?.annotations?.[POD_SECURITY_OPT_OUT] ?? pod.template.metadata?.annotations?.[POD_SECURITY_OPT_OUT];
    if (optOut !== undefined) {
      if (options.allowOptOut) continue;
      out.push(`${ref}: restricted: opted out ("${optOut}") but this check was not called with allowOptOut`);
    }
    for (const v of restrictedViolations(pod.template)) out.push(`${ref}: restricted: ${v}`);
  }
  return out;
}
