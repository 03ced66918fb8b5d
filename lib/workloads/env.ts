import { CreatedOutside, CreatedOutsideOptions } from '../core/created-outside';
import { fail, ProblemCollector } from '../core/errors';
import { literalSecretProblem, NotSecretMark } from '../core/sensitive';

import { checkEnvField, checkEnvLiteral, checkEnvRef } from './env-shape';

/** Where one environment variable's value comes from. Our own type, so callers do not depend on cdk8s-plus. */
export class EnvValue {
  /**
   * A literal value. Never put a secret here: it would be written into `dist/`. A literal under a
   * name that looks sensitive (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*BEARER*`,
   * `AWS_SECRET_ACCESS_KEY`...) or holding a private key block is a synth error: use `fromSecret`,
   * or `notSecret` when it only looks like one.
   */
  public static value(value: string): EnvValue {
    checkEnvLiteral(value);
    return new EnvValue({ value });
  }

  /**
   * A literal whose name only looks sensitive, e.g. `DB_PASSWORD_FILE: EnvValue.notSecret('/run/secrets/db/password', { reason: 'a path' })`.
   * The name lands in annotation `paas.cdk8s.io/not-secret` (a JSON list of names) and the reason
   * in `paas.cdk8s.io/not-secret-reason` on the workload, which the validator honours. A private
   * key block is refused whatever the reason.
   */
  public static notSecret(value: string, options: { readonly reason: string }): EnvValue {
    return new EnvValue({ value }, options?.reason ?? '');
  }
  /**
   * One key of an existing Secret (created outside the synthesized output). The third argument is
   * `optional` (a missing Secret or key leaves the variable unset) or options; with
   * `{ createdOutside: 'who creates it' }` the workload carries the declaration
   * (`paas.cdk8s.io/created-outside`) and the validator lists the Secret as a prerequisite.
   */
  public static fromSecret(secretName: string, key: string, options: boolean | EnvRefOptions = false): EnvValue {
    checkEnvRef('fromSecret', secretName, key, options);
    const { optional, outside } = refOptions('Secret', secretName, options);
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, ...(optional ? { optional: true } : {}) } } }, undefined, outside);
  }
  /** One key of a ConfigMap; options as for `fromSecret`. */
  public static fromConfigMap(configMapName: string, key: string, options: boolean | EnvRefOptions = false): EnvValue {
    checkEnvRef('fromConfigMap', configMapName, key, options);
    const { optional, outside } = refOptions('ConfigMap', configMapName, options);
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, ...(optional ? { optional: true } : {}) } } }, undefined, outside);
  }
  /** A field of the pod, e.g. `metadata.name` or `status.podIP`. */
  public static fromField(fieldPath: string): EnvValue {
    checkEnvField(fieldPath);
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(
    private readonly spec: Record<string, unknown>,
    /** Set by `notSecret`: why the literal only looks sensitive. */
    public readonly notSecretReason?: string,
    /** Set by `{ createdOutside }`: the referenced object is created outside the output. */
    public readonly createdOutside?: CreatedOutside,
  ) {}

  /** The `EnvVar` body without its name, as Kubernetes JSON. */
  public toJson(): Record<string, unknown> {
    return JSON.parse(JSON.stringify(this.spec));
  }

  /** The Secret this value reads, if any (used by checks and docs; never its value). */
  public get secretRef(): { name: string; key: string } | undefined {
    const ref = (this.spec.valueFrom as { secretKeyRef?: { name: string; key: string } } | undefined)?.secretKeyRef;
    return ref ? { name: ref.name, key: ref.key } : undefined;
  }
}

/** Options of `EnvValue.fromSecret` and `EnvValue.fromConfigMap`. */
export interface EnvRefOptions extends CreatedOutsideOptions {
  /** A missing object or key leaves the variable unset instead of blocking the pod. @default false */
  readonly optional?: boolean;
}

function refOptions(kind: string, name: string, options: boolean | EnvRefOptions): { optional: boolean; outside?: CreatedOutside } {
  if (typeof options === 'boolean') return { optional: options };
  const reason = options?.createdOutside;
  return { optional: options?.optional === true, outside: reason !== undefined ? { kind, name, reason } : undefined };
}

const ENV_FIXES = {
  reference: 'use EnvValue.fromSecret("<secret>", "<key>") with the value in a Secret created outside',
  mark: 'EnvValue.notSecret(value, { reason })',
  plain: 'EnvValue.value()',
};

/**
 * Checks one env variable against the secret rule (core/sensitive.ts); throws a
 * PaasValidationError at `path` (the value is never shown). Returns the not-secret mark for the
 * workload's annotation, if any.
 */
export function checkEnvSecret(path: string, name: string, value: EnvValue): NotSecretMark | undefined {
  const literal = value.toJson().value;
  if (literal === undefined && value.notSecretReason === undefined) return undefined;
  const why = literalSecretProblem(name, literal, value.notSecretReason, ENV_FIXES);
  if (why) fail(path, `env.${name}`, '<redacted>', why);
  return value.notSecretReason !== undefined ? { name, reason: value.notSecretReason } : undefined;
}

const FILE_FIXES = {
  reference: 'keep the file in a Secret created outside and mount it with mountSecret()',
  mark: 'a file name without those words (Polaris flags the ConfigMap key as well)',
  plain: 'the file as it is',
};

/**
 * Checks the files of a ConfigMap we emit (keys and contents) against the secret rule, as
 * Polaris's `sensitiveConfigmapContent` does; throws one PaasValidationError for all of them.
 */
export function checkConfigFilesSecret(path: string, field: string, files: Readonly<Record<string, unknown>>): void {
  const problems = new ProblemCollector(path);
  for (const key of Object.keys(files).sort()) {
    const why = literalSecretProblem(key, files[key], undefined, FILE_FIXES);
    if (why) problems.add(`${field}["${key}"]`, '<redacted>', why);
  }
  problems.throwIfAny();
}
