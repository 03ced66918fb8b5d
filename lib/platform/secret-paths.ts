/**
 * Which Helm values are secrets, by name and by content, for every chart: the platform stack's
 * protection does not depend on a list of known paths. Every values path we or the user set is
 * classified as a secret value, a reference to a Secret (`existingSecret`, `secretName`,
 * `passwordKey`...), or other; a secret value that is a literal would land in `cdktf.out/` and in
 * the Terraform state in clear text, so HelmAddon refuses it unless it comes write-only (`set_wo`)
 * from a sensitive variable.
 */
import { holdsPrivateKey, sensitiveNameReason } from '../core/sensitive';

/** How a values path is read. */
export type SecretPathKind = 'secret' | 'secretRef' | 'other';

/** The class of one values path and the rule that decided it. */
export interface SecretPathClass {
  readonly kind: SecretPathKind;
  /** The rule, in words (shown in messages and counted by the audit). */
  readonly rule: string;
}

interface NameRule {
  readonly kind: SecretPathKind;
  readonly rule: string;
  readonly test: (name: string, parents: readonly string[]) => boolean;
}

/** Words that make a values key look like it may hold a secret; the audit checks each such key is classified by a rule. */
export const SECRET_LOOKING = /pass|secret|token|key|cred|auth|cert|webhook|url$|uri$|dsn|bearer|htpasswd|xsrf|cookie|salt|private/i;

const WEBHOOK_PARENT = /slack|webhook|discord|msteams|teams|googlechat|telegram|pagerduty|opsgenie|victorops|pushover|wechat/i;

/** First match wins: switches and file paths, then references, then secret words, then settings. */
const NAME_RULES: readonly NameRule[] = [
  { kind: 'other', rule: 'a token-mount switch', test: (n) => /^automountserviceaccounttoken$/i.test(n) },
  { kind: 'other', rule: 'a file path, not its content', test: (n) => /(file|path|mountpath|filepath|dir)$/i.test(n) },
  { kind: 'other', rule: 'a selector, not a value', test: (n) => /selector$/i.test(n) },
  {
    kind: 'secretRef',
    rule: 'inside a Secret reference (secretKeyRef, secretRef, valueFrom)',
    test: (_n, parents) => parents.some((p) => /^(secretKeyRef|secretRef|valueFrom|secretKeySelector)$/i.test(p)),
  },
  { kind: 'secretRef', rule: 'names an existing Secret or a key in it', test: (n) => /^existing/i.test(n) || /^useExistingSecret$/i.test(n) },
  { kind: 'secretRef', rule: 'names a Secret', test: (n) => /secretnames?$|secretref$|^imagePullSecrets$|^privateKeySecret$/i.test(n) },
  { kind: 'secretRef', rule: 'names a key in a referenced Secret', test: (n) => /^(password|user|username|admin-?user|admin-?password)key$/i.test(n) },
  {
    kind: 'secret',
    rule: 'a webhook URL, which carries its token',
    test: (n, parents) =>
      /^(slack_api_url|webhook_url|.*_webhook_url)$/i.test(n) || (/^(api_url|url)$/i.test(n) && WEBHOOK_PARENT.test(parents[parents.length - 1] ?? '')),
  },
  { kind: 'secret', rule: 'a password', test: (n) => /pass(word|wd)?$|password|htpasswd/i.test(n) },
  { kind: 'secret', rule: 'a token', test: (n) => /token|bearer/i.test(n) },
  { kind: 'secret', rule: 'a secret or secret key', test: (n) => /secret/i.test(n) },
  {
    kind: 'secret',
    rule: 'an API, access, account, license or signing key',
    test: (n) => /(api|access|account|license|licence|encoded|signing|encryption|private|auth|routing|service|xsrf|csrf|cookie)[-_]?key$/i.test(n),
  },
  { kind: 'secret', rule: 'credentials', test: (n) => /^credentials?$|dsn$|salt$/i.test(n) },
  { kind: 'other', rule: 'an endpoint URL (its content is still checked)', test: (n) => /(url|uri)$/i.test(n) },
  { kind: 'other', rule: 'a key or certificate by name: private keys are caught by content', test: (n) => /^(key|cert|certificate|ca|cacert|crt)$/i.test(n) },
  {
    kind: 'other',
    rule: 'a setting about keys or certificates, not one',
    test: (n) =>
      /(durationdays|source|resolver|subjects|selector|topologykey|categorykey|configmapkey|keyid|keypairid|ownerref|certificate|certificatechange|certresolver)$/i.test(
        n,
      ) || /^(key|auth|cert)/i.test(n),
  },
];

/** Content that is a secret whatever the key is called. */
const CONTENT_RULES: ReadonlyArray<{ readonly rule: string; readonly test: (v: string) => boolean }> = [
  { rule: 'a private key block', test: holdsPrivateKey },
  { rule: 'a URL with a password (user:pass@)', test: (v) => /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i.test(v) },
  { rule: 'a Slack webhook URL', test: (v) => /hooks\.slack\.com\/(services|workflows|triggers)\//i.test(v) },
  { rule: 'a Discord webhook URL', test: (v) => /discord(app)?\.com\/api\/webhooks\//i.test(v) },
  { rule: 'a Microsoft Teams or Google Chat webhook URL', test: (v) => /webhook\.office\.com\/|chat\.googleapis\.com\/.*[?&]key=/i.test(v) },
  { rule: 'a URL carrying a token in its query', test: (v) => /^https?:\/\/\S*[?&](token|access_token|api_key|apikey|key|sig|signature)=[^&\s]{8,}/i.test(v) },
  { rule: 'a bearer token', test: (v) => /^bearer\s+\S{8,}/i.test(v) },
  { rule: 'a JSON Web Token', test: (v) => /^eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+$/.test(v) },
  { rule: 'a vendor token (GitHub, GitLab, Slack, AWS)', test: (v) => /^(ghp_|gho_|ghs_|github_pat_|glpat-|xox[abprs]-)\S{10,}|^AKIA[0-9A-Z]{16}$/.test(v) },
];

/** Splits `a.b[0].c` into segments, dropping array indices. */
function names(path: string): string[] {
  return path
    .split('.')
    .flatMap((s) => s.split(/\[\d+\]/))
    .filter((s) => s !== '' && !/^\d+$/.test(s));
}

/**
 * Classifies one values path (dotted, `[i]` for list items) with its value: booleans and numbers
 * are never secrets; then content rules, then name rules on the last key (first match). An env
 * style `{ name, value }` item is judged by its `name` (`siblingName`). A secret-looking key no rule
 * names is a secret by default, so a chart added to the catalog is protected without a list.
 */
export function classifyValuesPath(path: string, value?: unknown, siblingName?: string): SecretPathClass {
  if (typeof value === 'boolean' || typeof value === 'number') return { kind: 'other', rule: 'not a string' };
  if (typeof value === 'string') {
    const content = CONTENT_RULES.find((r) => r.test(value));
    if (content) return { kind: 'secret', rule: `by content: ${content.rule}` };
  }
  const segs = names(path);
  const last = segs[segs.length - 1] ?? '';
  if (last === 'value' && typeof siblingName === 'string' && sensitiveNameReason(siblingName)) {
    return { kind: 'secret', rule: `an env value whose name ${sensitiveNameReason(siblingName)!.replace(/^its name /, '')}` };
  }
  const rule = NAME_RULES.find((r) => r.test(last, segs.slice(0, -1)));
  if (rule) return { kind: rule.kind, rule: rule.rule };
  if (SECRET_LOOKING.test(last)) return { kind: 'secret', rule: 'a secret-looking key no rule names (treated as a secret)' };
  return { kind: 'other', rule: 'no secret-looking word' };
}

/** One literal secret found in values. */
export interface LiteralSecret {
  readonly path: string;
  readonly rule: string;
}

/**
 * Every literal secret value in `values` (strings that are not empty), by the classification
 * above. Terraform references count too: a value in `values` lands in the state whatever it is.
 */
export function literalSecretsIn(values: unknown): LiteralSecret[] {
  const out: LiteralSecret[] = [];
  const walk = (node: unknown, path: string, siblingName: string | undefined): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${path}[${i}]`, undefined));
      return;
    }
    if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      const name = typeof obj.name === 'string' ? obj.name : undefined;
      for (const key of Object.keys(obj).sort()) walk(obj[key], path ? `${path}.${key}` : key, name);
      return;
    }
    if (typeof node !== 'string' || node.trim() === '') return;
    const c = classifyValuesPath(path, node, siblingName);
    if (c.kind === 'secret') out.push({ path, rule: c.rule });
  };
  walk(values, '', undefined);
  return out;
}

/** The fix for a literal secret in the values, in words. */
export function literalSecretFix(rule: string): string {
  return `is a secret value (${rule}) and would be written into cdktf.out and the Terraform state in clear text: deliver it write-only from a sensitive variable (writeOnlyValues, set_wo), or keep it in an existing Secret and set the chart's reference to it (existingSecret and the like)`;
}
