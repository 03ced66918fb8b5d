import { Construct, IConstruct } from 'constructs';
import { formatProblem, Problem } from './errors';

const REGISTRY_ID = 'PaasRegistry';

/** A named object we emit, as recorded for cross-construct checks. */
export interface RegisteredObject {
  /** Construct path of the construct that asked for it. */
  readonly path: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/**
 * One per construct tree (a child of the root): collects facts from our constructs while they are
 * built and runs the cross-construct checks once at synth time (`node.addValidation` on itself),
 * instead of every construct scanning the whole tree (quadratic on large apps).
 */
export class PaasRegistry extends Construct {
  /** The registry of the tree `scope` belongs to, created on first use. */
  public static of(scope: IConstruct): PaasRegistry {
    const root = scope.node.root;
    return (root.node.tryFindChild(REGISTRY_ID) as PaasRegistry | undefined) ?? new PaasRegistry(root as Construct);
  }

  private readonly objects = new Map<string, RegisteredObject>();
  private readonly duplicates: Problem[] = [];
  private readonly checks = new Map<string, () => Problem[]>();
  private changes = 0;
  private lastRun?: { readonly version: number; readonly messages: string[] };
  private validatedAt?: number;

  private constructor(scope: Construct) {
    super(scope, REGISTRY_ID);
    this.node.addValidation({ validate: () => this.run() });
  }

  /**
   * Records an object name; a second object of the same kind, namespace and name is a synth error
   * naming both construct paths.
   */
  public registerObject(obj: RegisteredObject): void {
    const key = `${obj.kind}/${obj.namespace ?? ''}/${obj.name}`;
    this.changes++;
    const existing = this.objects.get(key);
    if (existing) {
      this.duplicates.push({
        path: obj.path,
        field: 'name',
        value: obj.name,
        expected: `${obj.kind} "${obj.name}" already exists in namespace "${obj.namespace ?? '(chart default)'}" (created by ${existing.path}); choose a unique name`,
      });
      return;
    }
    this.objects.set(key, obj);
  }

  /** All registered objects, in registration order (a copy). */
  public get registeredObjects(): RegisteredObject[] {
    return [...this.objects.values()];
  }

  /**
   * Adds a check that runs once at synth time. Checks with the same key are registered once, so
   * every construct of a kind can call this without multiplying the work.
   */
  public addCheck(key: string, check: () => Problem[]): void {
    this.changes++;
    if (!this.checks.has(key)) this.checks.set(key, check);
  }

  /**
   * Grows whenever one of our constructs records an object or a check: a cheap sign that the tree
   * changed, for results cached across the validation passes of one synth.
   */
  public get version(): number {
    return this.changes;
  }

  /**
   * Whether a whole-app validation reached this registry in the current synchronous run, and our
   * constructs have not changed the tree since (see `renderChart`).
   */
  public get validatedInThisRun(): boolean {
    return this.validatedAt === this.changes;
  }

  /**
   * cdk8s validates the whole app once per synth and again for every chart it renders, so checks
   * over the whole tree would run (1 + charts) times: quadratic in the number of tenants. Results
   * are kept until our constructs change the tree or the current synchronous run ends (a microtask
   * clears them).
   */
  private run(): string[] {
    if (this.validatedAt === undefined) queueMicrotask(() => (this.validatedAt = undefined));
    this.validatedAt = this.changes;
    if (this.lastRun && this.lastRun.version === this.changes) return this.lastRun.messages;
    const problems: Problem[] = [...this.duplicates];
    for (const key of [...this.checks.keys()].sort()) problems.push(...this.checks.get(key)!());
    const messages = problems.map(formatProblem);
    this.lastRun = { version: this.changes, messages };
    queueMicrotask(() => (this.lastRun = undefined));
    return messages;
  }
}
