/**
 * The policy: a `paas-checks.yaml` file (or the same object as plugin properties) that changes a
 * check's severity, exempts one object from one check with a written reason, and declares objects
 * created outside the input; plus the annotations our opt-outs and Polaris write on objects.
 */
import * as fs from 'fs';
import { parse } from 'yaml';
import { ValidationInputError } from './input';
import { Manifest, Severity } from './types';
import { podSpecOf } from './wiring';

/** A check's severity in the policy; `off` drops its findings. */
export type PolicySeverity = Severity | 'off';

/** Exempts one object from one check (or one family with `family/*`), as Polaris exemptions do. */
export interface PolicyExemption {
  /** Check id (`polaris/hostPortSet`) or a family (`polaris/*`). */
  readonly check: string;
  readonly kind: string;
  /** @default cluster-scoped (no namespace) */
  readonly namespace?: string;
  readonly name: string;
  /** Why the object may break the check; shown in every report. Required. */
  readonly reason: string;
}

/** An object the input references but something else creates (a prerequisite, not an error). */
export interface CreatedOutsideDeclaration {
  readonly kind: string;
  /** @default cluster-scoped (no namespace) */
  readonly namespace?: string;
  readonly name: string;
  /** Who creates it; shown in the report. Required. */
  readonly reason: string;
}

/** The `paas-checks.yaml` format. */
export interface PolicyConfig {
  /** Check id or `family/*` → severity. @default each check's own severity */
  readonly severity?: Readonly<Record<string, PolicySeverity>>;
  /** @default [] */
  readonly exemptions?: readonly PolicyExemption[];
  /** @default [] */
  readonly createdOutside?: readonly CreatedOutsideDeclaration[];
}

/** Why a finding does not count. */
export interface Exemption {
  readonly reason: string;
  /** `config` (the policy file), or the annotation key that exempts it. */
  readonly source: string;
}

/** A bad policy: the CLI exits 2. */
export class PolicyError extends ValidationInputError {
  constructor(source: string, problems: readonly string[]) {
    super(`${source}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`}`, source);
    this.name = 'PolicyError';
  }
}

export const POD_SECURITY_OPT_OUT = 'paas.cdk8s.io/pod-security-opt-out';
export const NOT_SECRET = 'paas.cdk8s.io/not-secret';
export const CREATED_OUTSIDE = 'paas.cdk8s.io/created-outside';
/** NodeAgent's list of the host access its pods use (`hostNetwork, hostPort 9100, hostPath /proc (read-only)`). */
export const HOST_ACCESS = 'paas.cdk8s.io/host-access';

/** The Polaris checks each kind of declared host access necessarily fails. */
const HOST_ACCESS_CHECKS: Readonly<Record<string, readonly string[]>> = {
  hostNetwork: ['polaris/hostNetworkSet'],
  hostPID: ['polaris/hostPIDSet'],
  hostPort: ['polaris/hostPortSet'],
  hostPath: ['polaris/hostPathSet'],
  // The API server refuses allowPrivilegeEscalation: false on a privileged container.
  privileged: ['polaris/runAsPrivileged', 'polaris/privilegeEscalationAllowed'],
};
const POLARIS_EXEMPT = 'polaris.fairwinds.com/exempt';

/** Polaris v10.2.2 checks at `danger` in its default configuration (pkg/config/default.yaml). */
export const POLARIS_DANGER_CHECKS: readonly string[] = [
  'tagNotSpecified',
  'hostIPCSet',
  'hostPIDSet',
  'privilegeEscalationAllowed',
  'runAsRootAllowed',
  'runAsPrivileged',
  'dangerousCapabilities',
  'hostNetworkSet',
  'sensitiveContainerEnvVar',
  'sensitiveConfigmapContent',
  'clusterrolePodExecAttach',
  'rolePodExecAttach',
  'clusterrolebindingPodExecAttach',
  'rolebindingClusterRolePodExecAttach',
  'rolebindingRolePodExecAttach',
  'clusterrolebindingClusterAdmin',
  'rolebindingClusterAdminClusterRole',
  'rolebindingClusterAdminRole',
];
const DANGER = new Set(POLARIS_DANGER_CHECKS.map((c) => `polaris/${c}`));

/** Whether lowering or switching off `key` (an id or `family/*`) would switch off a failure globally. */
function protectedKey(key: string): boolean {
  return key.startsWith('pod-security/') || key === 'polaris/*' || DANGER.has(key);
}

const ID_PATTERN = /^[a-z][a-z-]*\/(\*|[A-Za-z0-9][A-Za-z0-9-]*)$/;

/** Checks a policy object; every problem at once. */
function check(config: unknown, source: string): PolicyConfig {
  const problems: string[] = [];
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new PolicyError(source, ['expected a mapping with severity, exemptions and createdOutside']);
  const c = config as Record<string, unknown>;
  for (const k of Object.keys(c))
    if (!['severity', 'exemptions', 'createdOutside'].includes(k)) problems.push(`unknown key "${k}": expected severity, exemptions or createdOutside`);
  const sev = c.severity;
  if (sev !== undefined) {
    if (sev === null || typeof sev !== 'object' || Array.isArray(sev)) problems.push('severity must map check ids to error, warning or off');
    else {
      for (const [id, v] of Object.entries(sev)) {
        if (!ID_PATTERN.test(id)) problems.push(`severity."${id}": not a check id (family/check or family/*)`);
        if (v !== 'error' && v !== 'warning' && v !== 'off') problems.push(`severity."${id}": ${JSON.stringify(v)} is invalid: expected error, warning or off`);
        else if (v !== 'error' && protectedKey(id)) {
          problems.push(
            `severity."${id}": ${JSON.stringify(v)} is invalid: ${id.startsWith('pod-security/') ? 'a Pod Security failure' : 'a Polaris danger check'} can only be exempted per object (exemptions: [{ check, kind, namespace, name, reason }]), never switched off globally`,
          );
        }
      }
    }
  }
  const listOf = (key: 'exemptions' | 'createdOutside', needCheck: boolean): void => {
    const list = c[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push(`${key} must be a list`);
      return;
    }
    list.forEach((e: unknown, i) => {
      const at = `${key}[${i}]`;
      if (e === null || typeof e !== 'object' || Array.isArray(e)) {
        problems.push(`${at}: expected a mapping`);
        return;
      }
      const x = e as Record<string, unknown>;
      const allowed = needCheck ? ['check', 'kind', 'namespace', 'name', 'reason'] : ['kind', 'namespace', 'name', 'reason'];
      for (const k of Object.keys(x)) if (!allowed.includes(k)) problems.push(`${at}: unknown key "${k}": expected ${allowed.join(', ')}`);
      if (needCheck && (typeof x.check !== 'string' || !ID_PATTERN.test(x.check)))
        problems.push(`${at}.check: expected a check id such as polaris/hostPortSet`);
      for (const k of ['kind', 'name']) if (typeof x[k] !== 'string' || x[k] === '') problems.push(`${at}.${k}: required`);
      if (x.namespace !== undefined && typeof x.namespace !== 'string') problems.push(`${at}.namespace: expected a string`);
      if (typeof x.reason !== 'string' || x.reason.trim() === '') problems.push(`${at}.reason: required: say why`);
    });
  };
  listOf('exemptions', true);
  listOf('createdOutside', false);
  if (problems.length > 0) throw new PolicyError(source, problems);
  return c as PolicyConfig;
}

/** Reads a policy file (YAML or JSON). */
export function readPolicyFile(file: string): PolicyConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new PolicyError(file, [`cannot read: ${(e as Error).message}`]);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (e) {
    throw new PolicyError(file, [`YAML syntax error: ${(e as Error).message.split('\n')[0]}`]);
  }
  return check(data, file);
}

/** Names listed in `paas.cdk8s.io/not-secret`: a JSON list or a comma-separated list. */
export function notSecretNames(value: unknown): Set<string> {
  if (typeof value !== 'string') return new Set();
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const list = JSON.parse(text);
      if (Array.isArray(list)) return new Set(list.filter((x) => typeof x === 'string'));
    } catch {
      // not JSON: read as a comma list below
    }
  }
  return new Set(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

// Polaris v10.2.2 sensitiveContainerEnvVar / sensitiveConfigmapContent: the names and values it flags.
const SENSITIVE_NAMES = [
  /^AWS_SECRET_ACCESS_KEY$/i,
  /^GOOGLE_APPLICATION_CREDENTIALS$/i,
  /^AZURE_.+KEY$/i,
  /^OCI_CLI_KEY_CONTENT$/i,
  /password/i,
  /token/i,
  /bearer/i,
  /secret/i,
];
const PRIVATE_KEY = /\s*-BEGIN\s+.*PRIVATE KEY-\s*/i;
function sensitive(name: unknown, value: unknown): boolean {
  return (typeof name === 'string' && SENSITIVE_NAMES.some((r) => r.test(name))) || (typeof value === 'string' && PRIVATE_KEY.test(value));
}

/** The env var or ConfigMap key names a sensitive* finding is about. */
function sensitiveSubjects(m: Manifest, id: string, container: string | undefined): string[] {
  if (id === 'polaris/sensitiveConfigmapContent') {
    const data = m.data && typeof m.data === 'object' ? (m.data as Record<string, unknown>) : {};
    return Object.entries(data)
      .filter(([k, v]) => sensitive(k, v))
      .map(([k]) => k);
  }
  const spec = podSpecOf(m);
  const all = ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => (Array.isArray(spec?.[k]) ? spec[k] : []));
  const containers = all.filter((c: Manifest) => c && (container === undefined || c.name === container));
  return containers.flatMap((c: Manifest) =>
    (Array.isArray(c.env) ? c.env : []).filter((e: Manifest) => e && 'value' in e && sensitive(e.name, e.value)).map((e: Manifest) => String(e.name)),
  );
}

/** The loaded policy, applied by validate(). */
export class Policy {
  private readonly severity: Map<string, PolicySeverity>;
  private readonly exemptions: readonly PolicyExemption[];
  private readonly outside: readonly CreatedOutsideDeclaration[];

  /** `config`: a policy object, a file path, or nothing. */
  public static load(config: PolicyConfig | string | undefined, source = 'policy'): Policy {
    if (config === undefined) return new Policy({});
    if (typeof config === 'string') return new Policy(readPolicyFile(config));
    return new Policy(check(config, source));
  }

  private constructor(config: PolicyConfig) {
    this.severity = new Map(Object.entries(config.severity ?? {}));
    this.exemptions = config.exemptions ?? [];
    this.outside = config.createdOutside ?? [];
  }

  /** The severity of check `id` under this policy (`off` drops it). */
  public severityOf(id: string, byDefault: Severity): PolicySeverity {
    return this.severity.get(id) ?? this.severity.get(`${id.slice(0, id.indexOf('/'))}/*`) ?? byDefault;
  }

  /** The exemption of `m` from check `id`, if any: annotations first, then the policy file. */
  public exemptionFor(id: string, m: Manifest, container?: string): Exemption | undefined {
    const ann = (m.metadata?.annotations ?? {}) as Record<string, unknown>;
    if (id.startsWith('pod-security/')) {
      const reason = ann[POD_SECURITY_OPT_OUT];
      if (typeof reason === 'string' && reason.trim() !== '') return { reason, source: POD_SECURITY_OPT_OUT };
    }
    if (id.startsWith('polaris/')) {
      const checkId = id.slice('polaris/'.length);
      const key = `polaris.fairwinds.com/${checkId}-exempt`;
      if (String(ann[key]).toLowerCase() === 'true') return { reason: `exempted by annotation ${key}`, source: key };
      if (String(ann[POLARIS_EXEMPT]).toLowerCase() === 'true') return { reason: `exempted by annotation ${POLARIS_EXEMPT}`, source: POLARIS_EXEMPT };
      const optOut = ann[POD_SECURITY_OPT_OUT];
      if (typeof ann[HOST_ACCESS] === 'string' && typeof optOut === 'string' && optOut.trim() !== '') {
        // Host access counts only together with the opt-out reason NodeAgent writes beside it.
        const kinds = ann[HOST_ACCESS].split(',')
          .map((x) => x.trim().split(' ')[0])
          .filter((k) => (HOST_ACCESS_CHECKS[k] ?? []).includes(id));
        if (kinds.length > 0) return { reason: `declared host access (${kinds[0]}): ${optOut}`, source: HOST_ACCESS };
      }
      if (id.startsWith('polaris/sensitive') && ann[NOT_SECRET] !== undefined) {
        const marked = notSecretNames(ann[NOT_SECRET]);
        const subjects = sensitiveSubjects(m, id, container);
        if (subjects.length > 0 && subjects.every((s) => marked.has(s))) return { reason: `marked not secret: ${subjects.join(', ')}`, source: NOT_SECRET };
      }
    }
    const ns = m.metadata?.namespace ?? '';
    for (const e of this.exemptions) {
      const idMatches = e.check === id || (e.check.endsWith('/*') && id.startsWith(e.check.slice(0, -1)));
      if (idMatches && e.kind === m.kind && e.name === m.metadata?.name && (e.namespace ?? '') === ns) return { reason: e.reason, source: 'config' };
    }
    return undefined;
  }

  /**
   * Whether `target` (kind, namespace, name) is declared created outside the input: in the
   * referencing object's `paas.cdk8s.io/created-outside` annotation (a JSON map `Kind/name` →
   * reason, namespace = the referencing object's) or in the policy file.
   */
  public createdOutside(target: { kind?: string; namespace?: string; name?: string }, referencing: Manifest): Exemption | undefined {
    const raw = referencing.metadata?.annotations?.[CREATED_OUTSIDE];
    if (typeof raw === 'string') {
      try {
        const map = JSON.parse(raw) as Record<string, unknown>;
        const reason = map?.[`${target.kind}/${target.name}`];
        if (typeof reason === 'string' && reason.trim() !== '') return { reason, source: CREATED_OUTSIDE };
      } catch {
        // a malformed annotation declares nothing; the reference stays an error
      }
    }
    const d = this.outside.find((o) => o.kind === target.kind && o.name === target.name && (o.namespace ?? '') === (target.namespace ?? ''));
    return d ? { reason: d.reason, source: 'config' } : undefined;
  }
}
