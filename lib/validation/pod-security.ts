import { BASELINE_CAPABILITIES } from '../core/pod-security-facts';
import type { CheckFamily, Manifest, PodSecurityLevel, RawFinding } from './types';

// Pod Security Standards `baseline` and `restricted` as Kubernetes v1.28's pod-security
// admission enforces them, over every pod template (Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job, CronJob) and all containers, init containers and
// ephemeral containers. A field set to `null` counts as unset, as the API server decodes it.

/** Annotation marking an explicit opt-out of the namespace's Pod Security level (value: the reason). */
export const POD_SECURITY_OPT_OUT = 'paas.cdk8s.io/pod-security-opt-out';

/** Sysctls baseline allows in v1.28 (the tcp_keepalive_* and tcp_fin_timeout ones joined in v1.29). */
export const SAFE_SYSCTLS_V1_28: readonly string[] = [
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
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The value without `null`-valued object fields (the API server decodes them as unset). Copies
 * only the parts that hold a null; a value without any is returned as it is.
 */
export function withoutNulls<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = withoutNulls(value[i]);
      if (v !== value[i]) (out ??= value.slice())[i] = v;
    }
    return (out ?? value) as unknown as T;
  }
  let out: Record<string, unknown> | undefined;
  const src = value as Record<string, unknown>;
  for (const k in src) {
    if (!Object.prototype.hasOwnProperty.call(src, k)) continue;
    const v = src[k];
    if (v === null) {
      out ??= { ...src };
      delete out[k];
    } else if (typeof v === 'object') {
      const w = withoutNulls(v);
      if (w !== v) (out ??= { ...src })[k] = w;
    }
  }
  return (out ?? value) as T;
}

/** A pod template found in a workload object. */
export interface PodTemplateRef {
  /** `{ metadata, spec }` of the pod (for a bare Pod: the Pod itself). */
  readonly template: Manifest;
  readonly spec: Manifest;
  /** Dotted path of the pod spec inside the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
  /** Dotted path of the pod metadata inside the object, e.g. `spec.template.metadata`. */
  readonly metadataPath: string;
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job']);

function groupOf(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

const isObject = (v: unknown): v is Manifest => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The pod template of a workload object, or undefined when it has none. */
export function podTemplateOf(obj: Manifest): PodTemplateRef | undefined {
  if (!isObject(obj)) return undefined;
  const spec = (t: Manifest): Manifest => (isObject(t.spec) ? t.spec : {});
  if (obj.kind === 'Pod' && groupOf(obj.apiVersion) === '') {
    return { template: { metadata: isObject(obj.metadata) ? obj.metadata : {}, spec: spec(obj) }, spec: spec(obj), specPath: 'spec', metadataPath: 'metadata' };
  }
  if (obj.kind === 'CronJob' && groupOf(obj.apiVersion) === 'batch') {
    const t = obj.spec?.jobTemplate?.spec?.template;
    return isObject(t)
      ? { template: t, spec: spec(t), specPath: 'spec.jobTemplate.spec.template.spec', metadataPath: 'spec.jobTemplate.spec.template.metadata' }
      : undefined;
  }
  if (TEMPLATE_KINDS.has(obj.kind) && ['apps', 'batch', ''].includes(groupOf(obj.apiVersion))) {
    const t = obj.spec?.template;
    return isObject(t) ? { template: t, spec: spec(t), specPath: 'spec.template.spec', metadataPath: 'spec.template.metadata' } : undefined;
  }
  return undefined;
}

/** One Pod Security violation inside a pod template. */
export interface PodViolation {
  /** Control, e.g. `runAsNonRoot`, `hostPath`, `capabilities`. */
  readonly control: string;
  /** The lowest level that forbids it. */
  readonly level: 'baseline' | 'restricted';
  /** Path relative to the pod (`spec.containers[0].securityContext.privileged`, `metadata.annotations[...]`). */
  readonly path: string;
  readonly message: string;
  readonly container?: string;
}

const list = (v: unknown): Manifest[] => (Array.isArray(v) ? v.filter(isObject) : []);
const seccompOk = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost';

/** Every violation of one pod template (nulls already removed), baseline and restricted. */
export function podViolations(template: Manifest): PodViolation[] {
  const spec: Manifest = isObject(template.spec) ? template.spec : {};
  const meta: Manifest = isObject(template.metadata) ? template.metadata : {};
  const podSc: Manifest = isObject(spec.securityContext) ? spec.securityContext : {};
  const windows = spec.os?.name === 'windows';
  const out: PodViolation[] = [];
  const add = (control: string, level: PodViolation['level'], path: string, message: string, container?: string): void => {
    out.push({ control, level, path, message, ...(container !== undefined ? { container } : {}) });
  };
  const containers: { field: string; c: Manifest; i: number }[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[field]).forEach((c, i) => containers.push({ field, c, i }));
  }

  // --- baseline ---
  if (podSc.windowsOptions?.hostProcess === true) {
    add('hostProcess', 'baseline', 'spec.securityContext.windowsOptions.hostProcess', 'pod must not set securityContext.windowsOptions.hostProcess=true');
  }
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) add('hostNamespaces', 'baseline', `spec.${f}`, `pod must not set ${f}=true`);
  }
  list(spec.volumes).forEach((v, i) => {
    if (v.hostPath !== undefined) {
      add('hostPath', 'baseline', `spec.volumes[${i}].hostPath`, `volume "${v.name}" must not be a hostPath volume`);
    }
    const source = Object.keys(v).find((k) => k !== 'name');
    if (source && source !== 'hostPath' && !RESTRICTED_VOLUME_TYPES.includes(source)) {
      add(
        'volumeTypes',
        'restricted',
        `spec.volumes[${i}].${source}`,
        `volume "${v.name}" uses volume type ${source}; allowed: ${RESTRICTED_VOLUME_TYPES.join(', ')}`,
      );
    }
  });
  const annotations: Manifest = isObject(meta.annotations) ? meta.annotations : {};
  for (const [k, v] of Object.entries(annotations)) {
    if (k.startsWith(APPARMOR_PREFIX) && v !== '' && v !== 'runtime/default' && !String(v).startsWith('localhost/')) {
      add('appArmor', 'baseline', `metadata.annotations[${JSON.stringify(k)}]`, `annotation ${k} must be runtime/default or localhost/*, not "${v}"`);
    }
  }
  const seLinux = (where: string, base: string, o: unknown, container?: string): void => {
    if (!isObject(o)) return;
    if (!SELINUX_TYPES.has(o.type ?? '')) {
      add('seLinux', 'baseline', `${base}.seLinuxOptions.type`, `${where} must not set securityContext.seLinuxOptions.type="${o.type}"`, container);
    }
    if (o.user) add('seLinux', 'baseline', `${base}.seLinuxOptions.user`, `${where} must not set securityContext.seLinuxOptions.user`, container);
    if (o.role) add('seLinux', 'baseline', `${base}.seLinuxOptions.role`, `${where} must not set securityContext.seLinuxOptions.role`, container);
  };
  seLinux('pod', 'spec.securityContext', podSc.seLinuxOptions);
  list(podSc.sysctls).forEach((s, i) => {
    if (!SAFE_SYSCTLS_V1_28.includes(s.name)) {
      add('sysctls', 'baseline', `spec.securityContext.sysctls[${i}].name`, `pod must not set sysctl ${s.name} (not in the v1.28 safe set)`);
    }
  });
  const podSeccomp = podSc.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') {
    add(
      'seccomp',
      'baseline',
      'spec.securityContext.seccompProfile.type',
      'pod must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not Unconfined',
    );
  } else if (podSeccomp !== undefined && !seccompOk(podSeccomp) && !windows) {
    add(
      'seccomp',
      'restricted',
      'spec.securityContext.seccompProfile.type',
      `pod must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not ${podSeccomp}`,
    );
  }
  // --- restricted (pod level) ---
  if (podSc.runAsNonRoot === false)
    add('runAsNonRoot', 'restricted', 'spec.securityContext.runAsNonRoot', 'pod must not set securityContext.runAsNonRoot=false');
  if (podSc.runAsUser === 0) add('runAsUser', 'restricted', 'spec.securityContext.runAsUser', 'pod must not set securityContext.runAsUser=0');

  for (const { field, c, i } of containers) {
    const base = `spec.${field}[${i}]`;
    const sc: Manifest = isObject(c.securityContext) ? c.securityContext : {};
    const scPath = `${base}.securityContext`;
    const who = `${field === 'containers' ? 'container' : field.replace(/s$/, '')} "${c.name}"`;
    const name: string | undefined = typeof c.name === 'string' ? c.name : undefined;
    if (sc.windowsOptions?.hostProcess === true) {
      add('hostProcess', 'baseline', `${scPath}.windowsOptions.hostProcess`, `${who} must not set securityContext.windowsOptions.hostProcess=true`, name);
    }
    if (sc.privileged === true) add('privileged', 'baseline', `${scPath}.privileged`, `${who} must not set securityContext.privileged=true`, name);
    list(c.ports).forEach((p, j) => {
      if (p.hostPort !== undefined && p.hostPort !== 0) {
        add('hostPorts', 'baseline', `${base}.ports[${j}].hostPort`, `${who} must not set hostPort (${p.hostPort})`, name);
      }
    });
    seLinux(who, scPath, sc.seLinuxOptions, name);
    if (sc.procMount !== undefined && sc.procMount !== 'Default') {
      add('procMount', 'baseline', `${scPath}.procMount`, `${who} must not set securityContext.procMount=${sc.procMount}`, name);
    }
    const addCaps: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
    addCaps.forEach((cap, j) => {
      const path = `${scPath}.capabilities.add[${j}]`;
      if (!BASELINE_CAPABILITIES.has(String(cap))) {
        add('capabilities', 'baseline', path, `${who} must not add capability ${cap} (baseline forbids it; only NET_BIND_SERVICE may be added)`, name);
      } else if (cap !== 'NET_BIND_SERVICE' && !windows) {
        add('capabilities', 'restricted', path, `${who} must not add capability ${cap} (restricted forbids it; only NET_BIND_SERVICE may be added)`, name);
      }
    });
    if (windows) continue; // restricted's Linux-only controls (privilege escalation, seccomp, capabilities drop)
    const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
    if (!drop.includes('ALL'))
      add('capabilities', 'restricted', `${scPath}.capabilities.drop`, `${who} must set securityContext.capabilities.drop=["ALL"]`, name);
    if (sc.allowPrivilegeEscalation !== false) {
      add(
        'allowPrivilegeEscalation',
        'restricted',
        `${scPath}.allowPrivilegeEscalation`,
        `${who} must set securityContext.allowPrivilegeEscalation=false`,
        name,
      );
    }
    if (sc.runAsNonRoot === false) {
      add('runAsNonRoot', 'restricted', `${scPath}.runAsNonRoot`, `${who} must not set securityContext.runAsNonRoot=false`, name);
    } else if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) {
      add('runAsNonRoot', 'restricted', `${scPath}.runAsNonRoot`, `${who} must set securityContext.runAsNonRoot=true (or the pod must)`, name);
    }
    if (sc.runAsUser === 0) add('runAsUser', 'restricted', `${scPath}.runAsUser`, `${who} must not set securityContext.runAsUser=0`, name);
    const type = sc.seccompProfile?.type;
    if (type === 'Unconfined') {
      add(
        'seccomp',
        'baseline',
        `${scPath}.seccompProfile.type`,
        `${who} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not Unconfined`,
        name,
      );
    } else if (type !== undefined) {
      if (!seccompOk(type))
        add(
          'seccomp',
          'restricted',
          `${scPath}.seccompProfile.type`,
          `${who} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost, not ${type}`,
          name,
        );
    } else if (!seccompOk(podSeccomp)) {
      add(
        'seccomp',
        'restricted',
        `${scPath}.seccompProfile.type`,
        `${who} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (or the pod must)`,
        name,
      );
    }
  }
  // The container seccomp check also covers the pod-level Unconfined when a container overrides it.
  return out;
}

/** Violations reported at a level: baseline's at baseline, all at restricted, none at privileged. */
export function violationsAt(level: PodSecurityLevel, violations: readonly PodViolation[]): PodViolation[] {
  if (level === 'privileged') return [];
  return level === 'baseline' ? violations.filter((v) => v.level === 'baseline') : [...violations];
}

/** Prefixes a pod-relative path with the pod template's place in the object. */
function objectPath(ref: PodTemplateRef, podPath: string): string {
  if (podPath.startsWith('spec.')) return `${ref.specPath}${podPath.slice('spec'.length)}`;
  if (podPath.startsWith('metadata.')) return `${ref.metadataPath}${podPath.slice('metadata'.length)}`;
  return podPath;
}

/**
 * The Pod Security family: each pod template judged at its namespace's level
 * (`ctx.namespaceLevels`, else `ctx.podSecurityLevel`). Ids `pod-security/<control>`. Objects
 * annotated with {@link POD_SECURITY_OPT_OUT} get their findings like any other: the front end's
 * policy turns the annotation into an exemption with its reason.
 */
export const podSecurityFamily: CheckFamily = (ctx) => {
  const out: RawFinding[] = [];
  ctx.objects.forEach((input, index) => {
    const obj = input.manifest;
    const raw = podTemplateOf(obj);
    if (!raw) return;
    const ns = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : 'default';
    const level = ctx.namespaceLevels.get(ns) ?? ctx.podSecurityLevel;
    if (level === 'privileged') return;
    ctx.onEvaluated?.('pod-security', index);
    const template = withoutNulls(raw.template);
    for (const v of violationsAt(level, podViolations(template))) {
      out.push({
        id: `pod-security/${v.control}`,
        severity: 'error',
        objectIndex: index,
        path: objectPath(raw, v.path),
        message: v.message,
        ...(v.container !== undefined ? { container: v.container } : {}),
      });
    }
  });
  return out;
};
