import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { validateSchema } from './k8s-schema';
import { checkRestricted } from './pod-security';
import { assertAllowable, formatFinding, POLARIS_ALLOWLIST, runPolaris } from './polaris';

export { validateSchema, knownKinds } from './k8s-schema';
export { checkRestricted, POD_SECURITY_OPT_OUT, SAFE_SYSCTLS_V1_28 } from './pod-security';
export {
  runPolaris,
  formatFinding,
  assertAllowable,
  polarisSeverity,
  polarisCheckModes,
  POLARIS_ALLOWLIST,
  SKIPPED_POLARIS_CHECKS,
  NATIVE_POLARIS_CHECKS,
} from './polaris';
export type { PolarisFinding, PolarisAllowance, PolarisCheckNote, PolarisSeverity } from './polaris';
export { upstreamDir, readUpstreamJson, readUpstreamYaml, readUpstreamYamlDocuments, readUpstreamText, UPSTREAM_ENV } from './upstream';
export { objectRef, podTemplateOf, selectorMatches } from './objects';

/** Options of {@link validateAll} and {@link expectValidManifests}. */
export interface ValidationOptions {
  /**
   * Warning-level Polaris check ids accepted for these objects on top of POLARIS_ALLOWLIST
   * (say why in the test). Listing a danger-level check throws.
   * @default []
   */
  readonly polarisAllow?: readonly string[];
  /** Skip objects annotated `paas.cdk8s.io/pod-security-opt-out` in the restricted check. @default false */
  readonly allowOptOut?: boolean;
  /**
   * Polaris findings (danger or warning) accepted for ONE object each, with the reason, as Polaris
   * exemptions do: `{ checkId: 'rolebindingClusterRolePodExecAttach', object: 'RoleBinding dev-ns/edit-group-dev-team', reason: '...' }`.
   * An exemption that matches no finding throws, so none outlives its cause.
   * @default []
   */
  readonly polarisExempt?: readonly PolarisExemption[];
}

/** One Polaris check accepted for one object (`Kind ns/name`), with why. */
export interface PolarisExemption {
  readonly checkId: string;
  readonly object: string;
  readonly reason: string;
}

/**
 * Synthesizes a Chart (like `Testing.synth`) or every chart of an App, running the construct
 * validations (`node.addValidation`) first so synth errors surface, and returns plain objects.
 */
export function synthObjects(scope: Chart | App): any[] {
  if (scope instanceof App) {
    // cdk8s writes YAML 1.1 (Yaml.stringify); read it back with the same schema so scalars round-trip.
    const docs = parseAllDocuments(scope.synthYaml(), { version: '1.1' });
    return docs.map((d) => d.toJS()).filter((o) => o !== null && o !== undefined);
  }
  return Testing.synth(scope);
}

/**
 * Every problem of the objects: strict schema errors, Pod Security `restricted` violations,
 * Polaris dangers, and Polaris warnings not accepted by POLARIS_ALLOWLIST or `polarisAllow`.
 */
export function validateAll(objects: any[], opts: ValidationOptions = {}): string[] {
  const allow = new Set([...POLARIS_ALLOWLIST.map((a) => a.checkId), ...(opts.polarisAllow ?? [])]);
  assertAllowable([...allow]);
  const exempt = opts.polarisExempt ?? [];
  for (const e of exempt) {
    if (e.reason.trim().length < 20) throw new Error(`Polaris exemption of ${e.checkId} for ${e.object}: say why (a reason of 20 characters or more)`);
  }
  const used = new Set<PolarisExemption>();
  const problems = [...validateSchema(objects), ...checkRestricted(objects, { allowOptOut: opts.allowOptOut ?? false })];
  for (const f of runPolaris(objects)) {
    if (f.severity === 'warning' && allow.has(f.checkId)) continue;
    const e = exempt.find((x) => x.checkId === f.checkId && x.object === f.object);
    if (e) {
      used.add(e);
      continue;
    }
    problems.push(formatFinding(f));
  }
  const unused = exempt.filter((e) => !used.has(e));
  if (unused.length > 0) throw new Error(`Polaris exemption(s) matching no finding: ${unused.map((e) => `${e.checkId} ${e.object}`).join(', ')}`);
  return problems;
}

/** Throws one error listing every problem {@link validateAll} finds. */
export function expectValidManifests(objects: any[], opts: ValidationOptions = {}): void {
  const problems = validateAll(objects, opts);
  if (problems.length > 0) {
    throw new Error(`${problems.length} problem(s) in ${objects.length} synthesized object(s):\n  - ${problems.join('\n  - ')}`);
  }
}
