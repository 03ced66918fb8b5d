/** Where one environment variable's value comes from. Our own type, so callers do not depend on cdk8s-plus. */
export class EnvValue {
  /** A literal value. Never put a secret here: it would be written into `dist/`. */
  public static value(value: string): EnvValue {
    return new EnvValue({ value });
  }
  /** One key of an existing Secret (created outside the synthesized output). */
  public static fromSecret(secretName: string, key: string, optional = false): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, ...(optional ? { optional: true } : {}) } } });
  }
  /** One key of a ConfigMap. */
  public static fromConfigMap(configMapName: string, key: string, optional = false): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, ...(optional ? { optional: true } : {}) } } });
  }
  /** A field of the pod, e.g. `metadata.name` or `status.podIP`. */
  public static fromField(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly spec: Record<string, unknown>) {}

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
