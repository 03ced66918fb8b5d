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
    if (!this.checks.has(key)) this.checks.set(key, check);
  }

  private run(): string[] {
    const problems: Problem[] = [...this.duplicates];
    for (const key of [...this.checks.keys()].sort()) problems.push(...this.checks.get(key)!());
    return problems.map(formatProblem);
  }
}
