/**
 * The one rule for "this literal looks like a secret", shared by env variables (WebApp,
 * StatefulStore, PodTemplate) and the ConfigMaps we emit. It mirrors Polaris's
 * `sensitiveContainerEnvVar` and `sensitiveConfigmapContent` checks (names and values), so what
 * synth accepts the shipped validator accepts too.
 */

/**
 * Annotation on an object (Deployment, StatefulSet, ConfigMap...) listing env variable names or
 * ConfigMap keys whose literal values only look sensitive: a JSON array of names, e.g.
 * `["DB_PASSWORD_FILE"]`. The validator skips Polaris's sensitive-name findings for exactly these
 * names on this object (never for a private-key value).
 */
export const NOT_SECRET_ANNOTATION = 'paas.cdk8s.io/not-secret';
/** Companion annotation with the reasons: a JSON object name -> reason. */
export const NOT_SECRET_REASON_ANNOTATION = 'paas.cdk8s.io/not-secret-reason';

/** Names Polaris matches exactly (case-insensitive). */
const EXACT = ['AWS_SECRET_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'OCI_CLI_KEY_CONTENT'];
/** Words Polaris matches anywhere in a name (case-insensitive). */
const WORDS = ['password', 'token', 'bearer', 'secret'];
/** A PEM private key block (`-----BEGIN RSA PRIVATE KEY-----`, `-BEGIN PRIVATE KEY-`, ...). */
const PRIVATE_KEY = /-BEGIN\s+.*PRIVATE KEY-/i;

/** Why a name looks sensitive (Polaris's rule), or undefined. */
export function sensitiveNameReason(name: string): string | undefined {
  const upper = name.toUpperCase();
  if (EXACT.includes(upper)) return `its name is ${upper}`;
  if (/^AZURE_.+KEY$/.test(upper)) return 'its name matches AZURE_.+KEY';
  const word = WORDS.find((w) => name.toLowerCase().includes(w));
  return word ? `its name contains "${word}"` : undefined;
}

/** Whether a value holds a private key block. */
export function holdsPrivateKey(value: unknown): boolean {
  return typeof value === 'string' && PRIVATE_KEY.test(value);
}

/** A literal that is marked as not secret, with the reason. */
export interface NotSecretMark {
  readonly name: string;
  readonly reason: string;
}

/** How to fix a literal, in the words of the API it came from. */
export interface SecretFixes {
  /** How to reference a Secret instead, e.g. `use EnvValue.fromSecret("<secret>", "<key>")`. */
  readonly reference: string;
  /** How to mark it not secret, e.g. `EnvValue.notSecret(value, { reason })`. */
  readonly mark: string;
  /** How to write a plain literal, e.g. `EnvValue.value()`. */
  readonly plain: string;
}

/**
 * What is wrong with a literal `value` under `name` (an env variable or a ConfigMap key), or
 * undefined: a private key value always; a sensitive name unless `notSecretReason` is given. A
 * not-secret mark on a name that does not look sensitive is an error too: the annotation would
 * say something untrue.
 */
export function literalSecretProblem(name: string, value: unknown, notSecretReason: unknown, fixes: SecretFixes): string | undefined {
  if (holdsPrivateKey(value)) {
    return `holds a private key block, which would be written into dist/ in clear text (and cannot be marked not secret): ${fixes.reference}`;
  }
  const why = sensitiveNameReason(name);
  if (notSecretReason !== undefined) {
    if (typeof notSecretReason !== 'string' || notSecretReason.trim() === '') {
      return 'is marked not secret without a reason: say why (it is written onto the object)';
    }
    return why ? undefined : `is marked not secret, but its name does not look sensitive: use ${fixes.plain}`;
  }
  if (!why) return undefined;
  return `looks like a secret (${why}) and would be written into dist/ in clear text: ${fixes.reference}; if it is not one, say so with ${fixes.mark}`;
}

/** The not-secret annotations for `marks` (sorted by name), or undefined when there are none. */
export function notSecretAnnotations(marks: readonly NotSecretMark[]): Record<string, string> | undefined {
  if (marks.length === 0) return undefined;
  const sorted = [...marks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    [NOT_SECRET_ANNOTATION]: JSON.stringify(sorted.map((m) => m.name)),
    [NOT_SECRET_REASON_ANNOTATION]: JSON.stringify(Object.fromEntries(sorted.map((m) => [m.name, m.reason]))),
  };
}
