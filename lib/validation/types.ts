// The contract between the check families and the validate() front end. No cdk8s import here:
// the engine works on plain manifest objects from any source.

/** Severity of a finding. A Polaris `danger` and every schema or Pod Security failure is an `error`. */
export type Severity = 'error' | 'warning';

/** A plain Kubernetes object as read from YAML/JSON or synthesized (never mutated by a check). */
// Manifests are untyped input from any source; checks narrow each field they read at run time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

/** Where an input object came from, when known. */
export interface ObjectOrigin {
  /** Source file, relative to the working directory when read from disk. */
  readonly file?: string;
  /** 1-based line of the document's first line in `file`. */
  readonly line?: number;
  /** Index of the document in `file` (0-based). */
  readonly documentIndex?: number;
  /** cdk8s construct path, when known. */
  readonly constructPath?: string;
}

/** One input object with its origin. */
export interface InputObject {
  readonly manifest: Manifest;
  readonly origin: ObjectOrigin;
}

/** Identity of the object a finding is about. */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A check result before the front end applies policy (severity overrides, exemptions). */
export interface RawFinding {
  /** Stable id `family/check`, e.g. `schema/unknown-field`, `pod-security/runAsNonRoot`, `polaris/hostPIDSet`. */
  readonly id: string;
  /** The check's default severity. */
  readonly severity: Severity;
  /** Index into `CheckContext.objects` of the object concerned. */
  readonly objectIndex: number;
  /** Field path inside the object, dotted with [n] for arrays, e.g. `spec.template.spec.containers[0].image`. Empty for the whole object. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Container name, for container-level checks. */
  readonly container?: string;
  /**
   * The object this finding says is missing (wiring and references families), so the front end can
   * list it as a prerequisite when the user declares it created outside the input.
   */
  readonly target?: ObjectRef;
}

/** Pod Security level. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** What every check family receives. */
export interface CheckContext {
  readonly objects: readonly InputObject[];
  /** Kubernetes minor versions to check the schema against, e.g. ['1.28', '1.35']. */
  readonly kubernetesVersions: readonly string[];
  /** Level for pod templates whose namespace level is not known from the input. @default 'restricted' */
  readonly podSecurityLevel: PodSecurityLevel;
  /** Namespace name → enforced level (from Namespaces in the input or a cdktf.out folder). */
  readonly namespaceLevels: ReadonlyMap<string, PodSecurityLevel>;
  /** Extra CustomResourceDefinition objects whose schemas apply (input CRDs are added by the front end). */
  readonly customResourceDefinitions: readonly Manifest[];
  /**
   * Shipped CRD sets to use instead of the default of the same name, e.g. `['gateway-api@v1.6.1']`.
   * @default the shipped defaults (prometheus-operator, cert-manager, gateway-api@v1.5.1)
   */
  readonly crdSets?: readonly string[];
  /**
   * Called each time a check evaluates an object (fidelity tests prove a passing fixture was
   * really judged, not skipped). `check` is the finding id the check would report.
   * @default no tracing
   */
  readonly onEvaluated?: (check: string, objectIndex: number) => void;
  /**
   * Objects that exist before the input is applied: those the platform stack in a cdktf output
   * creates (`kubernetes_secret_v1`, `kubernetes_manifest`, ...). The references family counts them
   * as created.
   * @default none
   */
  readonly existingObjects?: readonly ObjectRef[];
}

/** A check family: pure function from context to raw findings. */
export type CheckFamily = (ctx: CheckContext) => RawFinding[];
