/**
 * What a Role rule may grant, and how we read it: the rules the API server's RBAC authorizer
 * applies (`rbac.ResourceMatches`, `VerbMatches`, `APIGroupMatches` in
 * plugin/pkg/auth/authorizer/rbac), so a rule either grants what it says or is an error.
 */
import { describeValue, ProblemCollector } from '../core/errors';

/** Annotation on a Role that holds risky grants on purpose: JSON `{"allow":[...],"reason":"..."}`. */
export const RBAC_OPT_OUT_ANNOTATION = 'paas.cdk8s.io/rbac-opt-out';

/**
 * Verbs the API server checks for namespaced resources. Authorization is string matching: any
 * other word (`read`, `Get`, `all`) matches no request and grants nothing.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb
 */
export const KNOWN_VERBS: ReadonlySet<string> = new Set([
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'use',
  'bind',
  'escalate',
  'impersonate',
  'approve',
  'sign',
]);

/** Verbs that raise the holder's own rights: bind or escalate Roles, act as another user or account. */
const RISKY_VERBS: Record<string, string> = {
  '*': 'every verb, including escalate, bind and impersonate',
  escalate: 'lets the holder write Roles with rights it does not have',
  bind: 'lets the holder bind Roles with rights it does not have',
  impersonate: 'lets the holder act as another user, group or ServiceAccount',
};

/** Subresources that run code in, or open a tunnel to, a pod, node or Service, or mint credentials. */
const RISKY_RESOURCES: Record<string, string> = {
  '*': 'every resource, including Secrets and pods/exec',
  '*/exec': 'runs commands in every pod',
  '*/attach': 'attaches to every running container',
  '*/portforward': 'opens tunnels into every pod',
  '*/proxy': 'proxies into every pod, Service and node',
  'pods/exec': 'runs commands in the pods (and reads their Secrets and tokens)',
  'pods/attach': 'attaches to running containers',
  'pods/portforward': 'opens tunnels into the pods, past NetworkPolicies',
  'pods/ephemeralcontainers': 'adds debug containers to running pods (code execution)',
  'pods/proxy': 'proxies HTTP into the pods, past NetworkPolicies',
  'services/proxy': 'proxies HTTP into the Services, past NetworkPolicies',
  'nodes/proxy': 'reaches the kubelet API (exec in any pod on the node)',
  'serviceaccounts/token': 'mints tokens of the ServiceAccounts (acts as them)',
};

const READ_VERBS = ['get', 'list', 'watch'];
const RULE_KEYS = ['apiGroups', 'resources', 'verbs', 'resourceNames'];
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A rule as a user may write it (plain JavaScript included). */
export interface RuleInput {
  readonly apiGroups?: unknown;
  readonly resources?: unknown;
  readonly verbs?: unknown;
  readonly resourceNames?: unknown;
}

/** An opt-out for grants that are refused by default. */
export interface RbacOptOut {
  /**
   * The grants allowed, each as written in a rule: a resource (`pods/exec`, `*`), a verb
   * (`impersonate`), or `secrets` for reading Secrets.
   */
  readonly allow: readonly string[];
  /** Why: written onto the Role as annotation `paas.cdk8s.io/rbac-opt-out`. */
  readonly reason: string;
}

function stringList(problems: ProblemCollector, field: string, value: unknown, allowEmptyString: boolean): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(field, value, 'must be a non-empty array of strings');
    return undefined;
  }
  const bad = value.filter((x) => typeof x !== 'string' || (!allowEmptyString && x === ''));
  if (bad.length > 0) {
    problems.add(field, value, `must hold only ${allowEmptyString ? '' : 'non-empty '}strings (got ${bad.map(describeValue).join(', ')})`);
    return undefined;
  }
  return value as string[];
}

/** Why a resource string grants nothing, or undefined when RBAC understands it. */
function resourceSyntaxProblem(r: string): string | undefined {
  if (r === '*') return undefined;
  const [resource, sub, ...more] = r.split('/');
  if (more.length > 0) return 'has more than one "/": RBAC matches "<resource>" or "<resource>/<subresource>" only, so it grants nothing';
  if (sub === '*') {
    return `is not a wildcard: RBAC treats "*" only as the whole string or as "*/<subresource>", so "${r}" grants nothing; list the subresources (e.g. "${resource}/log", "${resource}/status")`;
  }
  if (resource !== '*' && !DNS_1035.test(resource)) {
    return 'is not a resource name: RBAC compares lower-case plural names ("deployments", "pods/log"), so it grants nothing';
  }
  if (sub !== undefined && !DNS_1035.test(sub)) return 'has a subresource that is not a lower-case name ("log", "status", "scale"), so it grants nothing';
  return undefined;
}

/**
 * Checks the rules of a custom Role: syntax RBAC understands (a rule that matches nothing is an
 * error, not a silent no-op), and no risky grant unless `optOut.allow` names it. Problems go to
 * `problems`; every allow entry must match a risky grant.
 */
export function checkRules(problems: ProblemCollector, role: string, rules: unknown, optOut: RbacOptOut | undefined): void {
  if (!Array.isArray(rules) || rules.length === 0) {
    problems.add(`${role}.rules`, rules, 'must hold at least one rule');
    return;
  }
  let allow = new Set<string>();
  if (optOut !== undefined) {
    if (typeof optOut !== 'object' || optOut === null) problems.add(`${role}.optOut`, optOut, 'must be { allow: [...], reason: "..." }');
    else {
      if (typeof optOut.reason !== 'string' || optOut.reason.trim() === '')
        problems.add(`${role}.optOut.reason`, optOut.reason, 'must say why the risky grants are needed (written onto the Role)');
      const list = stringList(problems, `${role}.optOut.allow`, optOut.allow, false);
      for (const k of Object.keys(optOut))
        if (k !== 'allow' && k !== 'reason')
          problems.add(`${role}.optOut.${k}`, (optOut as unknown as Record<string, unknown>)[k], 'is not a field of optOut: use allow, reason');
      allow = new Set(list ?? []);
    }
  }
  const used = new Set<string>();
  const risky = (field: string, value: string, token: string, why: string) => {
    if (allow.has(token)) {
      used.add(token);
      return;
    }
    problems.add(field, value, `${why}: list exactly what is needed, or allow it knowingly with optOut: { allow: [${JSON.stringify(token)}], reason: "..." }`);
  };
  for (const [i, rule] of rules.entries()) {
    const field = `${role}.rules[${i}]`;
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      problems.add(field, rule, 'must be { apiGroups, resources, verbs }');
      continue;
    }
    const r = rule as RuleInput;
    // A misspelt key is dropped by the API server: `resourceName` would widen the grant to every object.
    for (const k of Object.keys(r)) {
      if (!RULE_KEYS.includes(k))
        problems.add(`${field}.${k}`, (r as Record<string, unknown>)[k], `is not a field of a Role rule: use ${RULE_KEYS.join(', ')}`);
    }
    const groups = stringList(problems, `${field}.apiGroups`, r.apiGroups, true);
    const resources = stringList(problems, `${field}.resources`, r.resources, false);
    const verbs = stringList(problems, `${field}.verbs`, r.verbs, false);
    if (r.resourceNames !== undefined) stringList(problems, `${field}.resourceNames`, r.resourceNames, false);
    for (const g of groups ?? []) {
      if (g === '*') risky(`${field}.apiGroups`, g, '*', 'matches every API group, including ones added later');
      else if (g === 'v1' || g === 'core') problems.add(`${field}.apiGroups`, g, 'is not an API group: the core group (pods, services, secrets) is ""');
      else if (g !== '' && !DNS_SUBDOMAIN.test(g)) problems.add(`${field}.apiGroups`, g, 'must be "" (core) or a group such as "apps" or "networking.k8s.io"');
    }
    for (const res of resources ?? []) {
      const syntax = resourceSyntaxProblem(res);
      if (syntax) problems.add(`${field}.resources`, res, syntax);
      else if (RISKY_RESOURCES[res]) risky(`${field}.resources`, res, res, RISKY_RESOURCES[res]);
    }
    for (const v of verbs ?? []) {
      if (RISKY_VERBS[v]) risky(`${field}.verbs`, v, v, RISKY_VERBS[v]);
      else if (!KNOWN_VERBS.has(v)) {
        problems.add(`${field}.verbs`, v, `is not a verb the API server checks, so it grants nothing: use ${[...KNOWN_VERBS].slice(0, 8).join(', ')}`);
      }
    }
    // Reading a Secret is reading its value; "*" resources are reported above already.
    const coreGroup = (groups ?? []).some((g) => g === '' || g === '*');
    const readsSecrets = (resources ?? []).includes('secrets') && (verbs ?? []).some((v) => READ_VERBS.includes(v));
    if (coreGroup && readsSecrets) {
      const read = (verbs ?? []).filter((v) => READ_VERBS.includes(v));
      risky(`${field}.verbs`, read.join(','), 'secrets', `${read.join(', ')} on secrets reads every Secret value in the namespace`);
    }
  }
  for (const a of allow) {
    if (!used.has(a)) problems.add(`${role}.optOut.allow`, a, 'matches no risky grant in the rules: remove it, so the opt-out says exactly what is allowed');
  }
}

/** What the built-in ClusterRoles grant beyond their name's promise (Kubernetes 1.28 bootstrap policy). */
export const BUILTIN_ROLE_GRANTS: Readonly<Record<string, string>> = {
  edit: "pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, read and write of every Secret, and impersonation of the namespace's ServiceAccounts",
  admin:
    "pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, read and write of every Secret, impersonation of the namespace's ServiceAccounts, and Roles and RoleBindings (it can grant all of this to others)",
};
