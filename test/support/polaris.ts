import { NATIVE_POLARIS_CHECKS, polarisDefaultSeverities, runPolarisChecks } from '../../lib/validation/polaris';
import { objectRef } from './objects';

// Test glue over the shipped engine (lib/validation/polaris.ts): every Polaris v10.2.2 built-in
// check at its default severity, null treated as absent, bindings to the built-in ClusterRoles
// judged with their rules.

export { NATIVE_POLARIS_CHECKS } from '../../lib/validation/polaris';

export type PolarisSeverity = 'danger' | 'warning';

/** One failed Polaris check. */
export interface PolarisFinding {
  readonly checkId: string;
  readonly severity: PolarisSeverity;
  /** `Kind ns/name` of the object the check ran on. */
  readonly object: string;
  /** Container name, for container-level checks. */
  readonly container?: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A check id with the reason it is treated specially. */
export interface PolarisCheckNote {
  readonly id: string;
  readonly reason: string;
}

/** An accepted warning-level check, with the reason we accept it. */
export interface PolarisAllowance {
  readonly checkId: string;
  readonly reason: string;
}

/**
 * The ONE list of warning-level Polaris checks the project knowingly accepts everywhere. A
 * danger-level check can never be listed: {@link assertAllowable} throws for one.
 */
export const POLARIS_ALLOWLIST: readonly PolarisAllowance[] = [
  {
    checkId: 'priorityClassNotSet',
    reason:
      'PriorityClasses are cluster-wide scheduling policy that this library does not define, and a ' +
      'pod naming a PriorityClass that does not exist is rejected at admission; tenants get the ' +
      "cluster's default priority until the platform defines classes.",
  },
];

/**
 * Checks not evaluated, or evaluated only in part. Empty: since the engine carries the rules of
 * the built-in ClusterRoles (admin, edit, view, cluster-admin), every RBAC binding check judges
 * the role it references, as upstream does (a role that exists nowhere fails the binding).
 */
export const SKIPPED_POLARIS_CHECKS: readonly PolarisCheckNote[] = [];

/** Severity Polaris' default configuration gives a check, or undefined for an unknown id. */
export function polarisSeverity(checkId: string): string | undefined {
  return polarisDefaultSeverities()[checkId];
}

/** How each check of the default configuration is evaluated: by its schema data or natively. */
export function polarisCheckModes(): Record<string, 'schema' | 'native' | 'partial'> {
  return Object.fromEntries(Object.keys(polarisDefaultSeverities()).map((id) => [id, NATIVE_POLARIS_CHECKS.includes(id) ? 'native' : 'schema'] as const));
}

/** Throws unless every id is a known check of warning severity: dangers cannot be allowlisted. */
export function assertAllowable(checkIds: readonly string[]): void {
  for (const id of checkIds) {
    const sev = polarisSeverity(id);
    if (sev === undefined) throw new Error(`Polaris allowlist: unknown check "${id}"`);
    if (sev !== 'warning') throw new Error(`Polaris allowlist: "${id}" is a ${sev}-level check; only warnings can be allowed`);
  }
}

/**
 * Runs every Polaris check of the default configuration over the objects and returns the
 * failures, sorted. `polaris.fairwinds.com/*-exempt` annotations are not honoured here (the
 * validate() front end turns them into exemptions); accepted warnings go through
 * {@link POLARIS_ALLOWLIST} or a test's `polarisAllow`.
 */
export function runPolaris(objects: any[]): PolarisFinding[] {
  const findings = runPolarisChecks({
    objects: objects.map((manifest) => ({ manifest, origin: {} })),
    kubernetesVersions: ['1.28'],
    podSecurityLevel: 'restricted',
    namespaceLevels: new Map(),
    customResourceDefinitions: [],
  }).map((f): PolarisFinding => ({
    checkId: f.id.slice('polaris/'.length),
    severity: f.severity === 'error' ? 'danger' : 'warning',
    object: objectRef(objects[f.objectIndex]),
    ...(f.container !== undefined ? { container: f.container } : {}),
    message: f.message,
  }));
  const sortKey = (f: PolarisFinding): string => `${f.object}\u0000${f.container ?? ''}\u0000${f.checkId}`;
  return findings.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

/** One line per finding: `polaris warning livenessProbeMissing: Deployment shop/web container "main": ...`. */
export function formatFinding(f: PolarisFinding): string {
  const where = f.container !== undefined ? `${f.object} container "${f.container}"` : f.object;
  return `polaris ${f.severity} ${f.checkId}: ${where}: ${f.message}`;
}
