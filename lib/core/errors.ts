import { IConstruct } from 'constructs';

/**
 * One problem with user input: where it is (construct path), which field, the value given and
 * what would be valid.
 */
export interface Problem {
  /** Construct path, e.g. `app/shop/web`. */
  readonly path: string;
  /** Field name as the user wrote it, e.g. `resources.cpu.request`. */
  readonly field: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What would be valid, in words. */
  readonly expected: string;
}

/** Renders a value for an error message: strings quoted, objects as JSON, short. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The one message format every check and construct uses. */
export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.field} ${describeValue(p.value)} is invalid: ${p.expected}`;
}

/**
 * The one error type for bad input. Thrown from constructors for prop rules; checks registered
 * with `node.addValidation` return the same formatted messages.
 */
export class PaasValidationError extends Error {
  public readonly problems: readonly Problem[];

  constructor(problems: Problem | readonly Problem[]) {
    const list = Array.isArray(problems) ? [...(problems as readonly Problem[])] : [problems as Problem];
    super(list.length === 1 ? formatProblem(list[0]) : `${list.length} problems:\n` + list.map((p) => `  - ${formatProblem(p)}`).join('\n'));
    this.name = 'PaasValidationError';
    this.problems = Object.freeze(list);
  }

  /** Path of the first problem. */
  public get path(): string {
    return this.problems[0].path;
  }
  /** Field of the first problem. */
  public get field(): string {
    return this.problems[0].field;
  }
}

/**
 * Collects problems for one construct and throws them together, so a user sees every mistake in
 * one synth instead of one per run.
 */
export class ProblemCollector {
  private readonly items: Problem[] = [];

  constructor(private readonly path: string) {}

  /** Construct path of `scope`, as shown in messages. */
  public static pathOf(scope: IConstruct): string {
    return scope.node.path || '<root>';
  }

  public add(field: string, value: unknown, expected: string): void {
    this.items.push({ path: this.path, field, value, expected });
  }

  /** Runs `fn`, recording a thrown PaasValidationError's problems instead of letting it escape. */
  public capture<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PaasValidationError) {
        this.items.push(...e.problems);
        return undefined;
      }
      throw e;
    }
  }

  public get problems(): readonly Problem[] {
    return [...this.items];
  }

  public get isEmpty(): boolean {
    return this.items.length === 0;
  }

  public throwIfAny(): void {
    if (this.items.length > 0) throw new PaasValidationError(this.items);
  }
}

/** Throws one problem at once. */
export function fail(path: string, field: string, value: unknown, expected: string): never {
  throw new PaasValidationError({ path, field, value, expected });
}
