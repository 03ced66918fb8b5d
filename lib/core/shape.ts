import { PaasValidationError, ProblemCollector } from './errors';

/**
 * Runtime shapes of props: the boundary that holds for plain JavaScript callers, where nothing
 * checks types before our code runs.
 *
 * Design (why this and not a schema library): the exported props interfaces stay the source of
 * documentation (their JSDoc and `@default` tags are what users read in their editor and in the
 * generated `.d.ts`), and each shape is tied to its interface by a compile-time assertion
 * (`ShapeMatches<typeof shape, Props>` must be `true`), so the two cannot drift: adding, removing
 * or retyping a prop in one without the other fails `tsc`. Inferring the interfaces from shapes
 * (zod style) would have lost the JSDoc on every prop and made the `.d.ts` unreadable. zod and
 * valibot are not dependencies, and neither reports in our format (construct path, dotted field,
 * value, what is valid) nor names the nearest known key of a typo; this file is about 350 lines,
 * allocation-light (one pass, no intermediate result objects), and dependency-free.
 *
 * Every problem of one call is collected: a shape never stops at its first problem, and field
 * refinements (`refine`) are the existing `checkXxx(path, field, value)` functions, whose
 * PaasValidationErrors are captured in declaration order, so messages stay the ones users know.
 */

/** A `checkXxx(path, field, value)` function: throws a PaasValidationError when `value` is invalid. */
export type Refinement<T> = (path: string, field: string, value: T) => unknown;

/** Where a check records problems: the collector, and the construct path refinements are given. */
interface Context {
  readonly path: string;
  readonly problems: ProblemCollector;
}

/** A runtime check whose TypeScript type is `T`. */
export abstract class Shape<T> {
  /** Phantom member carrying `T` for {@link Infer}; never set at runtime. */
  declare readonly _type: T;
  /** What a valid value is, in words, e.g. `a string`, `an integer >= 0`. */
  public abstract readonly expected: string;
  // Stored contravariantly erased, so that Shape<T> stays covariant in T (a Shape<string> is a Shape<unknown>).
  private readonly refinements: Array<Refinement<never>> = [];

  /** Checks `value`, records its problems under `field`, and says whether it was valid. */
  public validate(value: unknown, field: string, ctx: Context): boolean {
    if (!this.checkType(value, field, ctx)) return false;
    let ok = true;
    for (const refine of this.refinements) {
      const before = ctx.problems.problems.length;
      ctx.problems.capture(() => refine(ctx.path, field, value as never));
      if (ctx.problems.problems.length > before) ok = false;
    }
    return ok;
  }

  /** A copy of this shape that also runs `fn` on values of the right type. */
  public refine(fn: Refinement<T>): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    (copy as unknown as { refinements: Array<Refinement<never>> }).refinements = [...this.refinements, fn as Refinement<never>];
    return copy;
  }

  /** @internal The type check proper; records problems and returns whether `value` is valid. */
  protected abstract checkType(value: unknown, field: string, ctx: Context): boolean;
}

/** A prop that may be left out (`undefined`); `null` is not leaving it out. */
export class OptionalShape<T> extends Shape<T | undefined> {
  declare readonly _optional: true;
  constructor(public readonly inner: Shape<T>) {
    super();
  }
  public get expected(): string {
    return this.inner.expected;
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    if (value === undefined) return true;
    if (value === null) {
      ctx.problems.add(field, value, `must be ${this.inner.expected}, or left out for the default`);
      return false;
    }
    return this.inner.validate(value, field, ctx);
  }
}

/** The TypeScript type a shape checks. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

type Props = Record<string, Shape<unknown>>;
type OptionalKeys<P extends Props> = { [K in keyof P]: P[K] extends OptionalShape<unknown> ? K : never }[keyof P];
type RequiredKeys<P extends Props> = Exclude<keyof P, OptionalKeys<P>>;
type Flatten<T> = { [K in keyof T]: T[K] };
/** The object type of a props declaration: optional shapes become `?` members. */
export type ObjectOf<P extends Props> = Flatten<
  { readonly [K in RequiredKeys<P>]: Infer<P[K]> } & { readonly [K in OptionalKeys<P>]?: Exclude<Infer<P[K]>, undefined> }
>;

/** `true` when `A` and `B` are the same type (not merely assignable one way). */
export type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
/** `true` when the shape `S` checks exactly the interface `T`: `const ok: ShapeMatches<typeof s, T> = true`. */
export type ShapeMatches<S, T> = Equals<Infer<S>, T>;
/**
 * `true` when the shape `S` checks the same keys as `T` and what passes it is a `T`: for
 * interfaces that take readonly lists or maps (callers may pass frozen ones), where shapes infer
 * mutable ones and {@link ShapeMatches} cannot hold.
 */
export type ShapeFits<S, T> = Equals<keyof Infer<S>, keyof T> extends true ? (Infer<S> extends T ? true : false) : false;

class PrimitiveShape<T> extends Shape<T> {
  constructor(
    public readonly expected: string,
    private readonly test: (value: unknown) => boolean,
  ) {
    super();
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    if (this.test(value)) return true;
    ctx.problems.add(field, value, `must be ${this.expected}`);
    return false;
  }
}

class ArrayShape<T> extends Shape<T[]> {
  constructor(
    private readonly item: Shape<T>,
    private readonly minLength: number,
  ) {
    super();
  }
  public get expected(): string {
    return `an array${this.minLength > 0 ? ` of at least ${this.minLength}` : ''}, each item ${this.item.expected}`;
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    if (!Array.isArray(value)) {
      ctx.problems.add(field, value, `must be ${this.expected}`);
      return false;
    }
    let ok = true;
    if (value.length < this.minLength) {
      ctx.problems.add(field, value, `must be ${this.expected}`);
      ok = false;
    }
    for (let i = 0; i < value.length; i++) ok = this.item.validate(value[i], `${field}[${i}]`, ctx) && ok;
    return ok;
  }
}

class RecordShape<T> extends Shape<Record<string, T>> {
  constructor(
    private readonly value: Shape<T>,
    private readonly key?: Refinement<string>,
  ) {
    super();
  }
  public get expected(): string {
    return `an object, each value ${this.value.expected}`;
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    if (!isPlainObject(value)) {
      ctx.problems.add(field, value, `must be ${this.expected}`);
      return false;
    }
    let ok = true;
    for (const k of Object.keys(value)) {
      const f = join(field, k);
      if (this.key) {
        const before = ctx.problems.problems.length;
        ctx.problems.capture(() => this.key!(ctx.path, f, k));
        if (ctx.problems.problems.length > before) ok = false;
      }
      ok = this.value.validate(value[k], f, ctx) && ok;
    }
    return ok;
  }
}

/** A props object: known keys only, each checked by its shape. */
export class ObjectShape<P extends Props> extends Shape<ObjectOf<P>> {
  public readonly expected: string;
  private readonly keys: string[];
  constructor(
    public readonly props: P,
    private readonly typeName: string,
  ) {
    super();
    this.expected = `an object (${typeName})`;
    this.keys = Object.keys(props);
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    if (!isPlainObject(value)) {
      ctx.problems.add(field || 'props', value, `must be ${this.expected}`);
      return false;
    }
    let ok = true;
    for (const k of this.keys) {
      const shape = this.props[k];
      const v = value[k];
      if (v === undefined && !(shape instanceof OptionalShape)) {
        ctx.problems.add(join(field, k), undefined, `is required: ${shape.expected}`);
        ok = false;
        continue;
      }
      ok = shape.validate(v, join(field, k), ctx) && ok;
    }
    for (const k of Object.keys(value)) {
      // An unknown key holding undefined changes nothing (`{ ...props, extra: undefined }` is common).
      if (Object.prototype.hasOwnProperty.call(this.props, k) || value[k] === undefined) continue;
      // A misspelt prop in plain JavaScript would otherwise be dropped without a word.
      const near = nearest(k, this.keys);
      const hint = near ? `; did you mean "${near}"?` : ` (known: ${this.keys.join(', ')})`;
      ctx.problems.add(join(field, k), redact(k, value[k]), `is not a known field of ${this.typeName}${hint}`);
      ok = false;
    }
    return ok;
  }
}

class UnionShape<T> extends Shape<T> {
  constructor(private readonly options: Array<Shape<unknown>>) {
    super();
  }
  public get expected(): string {
    return this.options.map((o) => o.expected).join(' or ');
  }
  protected checkType(value: unknown, field: string, ctx: Context): boolean {
    // The first option whose type fits reports its own problems (a number port out of range says
    // so, rather than "must be a string or a number").
    for (const option of this.options) {
      const probe = new ProblemCollector(ctx.path);
      if (option.validate(value, field, { path: ctx.path, problems: probe })) return true;
      if (!probe.problems.every((p) => p.field === field && p.expected.startsWith('must be '))) {
        for (const p of probe.problems) ctx.problems.add(p.field, p.value, p.expected);
        return false;
      }
    }
    ctx.problems.add(field, value, `must be ${this.expected}`);
    return false;
  }
}

/** Options of a string shape. */
export interface StringOptions {
  /** Smallest length. @default 0 */
  readonly minLength?: number;
  /** Largest length. @default - no limit */
  readonly maxLength?: number;
}

/** Options of a number shape. */
export interface NumberOptions {
  /** Whole numbers only. @default false */
  readonly integer?: boolean;
  /** Smallest value. @default - no limit */
  readonly min?: number;
  /** Largest value. @default - no limit */
  readonly max?: number;
  /** What is valid, when the range alone does not say it well. @default - from the options, e.g. "an integer >= 0" */
  readonly expected?: string;
}

/** A class whose instances a shape accepts (its constructor may be private). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyClass<T> = abstract new (...args: any[]) => T;
type PrivateClass<T> = { prototype: T; name: string };

/** Builders of shapes. */
export const S = {
  string(options: StringOptions = {}): Shape<string> {
    const { minLength = 0, maxLength } = options;
    const expected = maxLength !== undefined ? `a string of ${minLength}-${maxLength} characters` : minLength > 0 ? `a non-empty string` : 'a string';
    return new PrimitiveShape<string>(expected, (v) => typeof v === 'string' && v.length >= minLength && (maxLength === undefined || v.length <= maxLength));
  },
  number(options: NumberOptions = {}): Shape<number> {
    const { integer = false, min, max } = options;
    const noun = integer ? 'an integer' : 'a number';
    const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
    return new PrimitiveShape<number>(
      options.expected ?? `${noun}${range}`,
      (v) =>
        typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)) && (min === undefined || v >= min) && (max === undefined || v <= max),
    );
  },
  /** An integer `>= min` (the message is checkInteger's). */
  integer(min?: number, max?: number, expected?: string): Shape<number> {
    return S.number({ integer: true, min, max, expected });
  },
  boolean(): Shape<boolean> {
    return new PrimitiveShape<boolean>('true or false', (v) => typeof v === 'boolean');
  },
  /** One of a fixed set of values (a string union or an enum-like string). */
  oneOf<const V extends readonly (string | number | boolean)[]>(...values: V): Shape<V[number]> {
    const expected =
      values.length <= 1 ? values.map(describe).join('') : `${values.slice(0, -1).map(describe).join(', ')} or ${describe(values[values.length - 1])}`;
    return new PrimitiveShape<V[number]>(expected, (v) => values.includes(v as V[number]));
  },
  array<T>(item: Shape<T>, options: { readonly minLength?: number } = {}): Shape<T[]> {
    return new ArrayShape(item, options.minLength ?? 0);
  },
  /** An object used as a map (`env: { NAME: value }`), each key checked by `key`. */
  record<T>(value: Shape<T>, key?: Refinement<string>): Shape<Record<string, T>> {
    return new RecordShape(value, key);
  },
  /** A props object. `typeName` names it in messages about unknown keys. */
  object<P extends Props>(typeName: string, props: P): ObjectShape<P> {
    return new ObjectShape(props, typeName);
  },
  optional<T>(inner: Shape<T>): OptionalShape<T> {
    return new OptionalShape(inner);
  },
  union<U extends Array<Shape<unknown>>>(...options: U): Shape<Infer<U[number]>> {
    return new UnionShape<Infer<U[number]>>(options);
  },
  /**
   * An instance of one of our classes, made by its factories. `instanceof` first; then, so that
   * two copies of this package in one project still work, duck typing on the class brand: same
   * class name and every method of its prototype present.
   */
  instance<T>(cls: AnyClass<T> | PrivateClass<T>, expected: string): Shape<T> {
    const proto = cls.prototype as object;
    const methods = Object.getOwnPropertyNames(proto).filter(
      (n) => n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, n)?.value === 'function',
    );
    return new PrimitiveShape<T>(expected, (v) => {
      if (typeof v !== 'object' || v === null) return false;
      if (v instanceof (cls as unknown as { new (): object })) return true;
      const o = v as Record<string, unknown>;
      return (v.constructor as { name?: string } | undefined)?.name === cls.name && methods.every((m) => typeof o[m] === 'function');
    });
  },
  /**
   * A handle implementing one of our interfaces (`IStorageClassHandle`, `IWebApp`): duck typed on
   * the members we read, as interfaces have no runtime trace.
   */
  handle<T>(expected: string, members: Record<string, 'string' | 'number' | 'boolean' | 'function' | 'object'>): Shape<T> {
    const entries = Object.entries(members);
    return new PrimitiveShape<T>(expected, (v) => {
      if (typeof v !== 'object' || v === null) return false;
      const o = v as Record<string, unknown>;
      return entries.every(([k, t]) => (t === 'object' ? typeof o[k] === 'object' && o[k] !== null : typeof o[k] === t));
    });
  },
  /** Anything `test` accepts; for values no other builder describes. */
  custom<T>(expected: string, test: (value: unknown) => boolean): Shape<T> {
    return new PrimitiveShape<T>(expected, test);
  },
};

/**
 * Checks `value` against `shape` and records every problem in `problems` (fields under `field`,
 * e.g. `''` for constructor props, `'options'` for a factory's options). Returns whether it was valid.
 */
export function collectShape<T>(problems: ProblemCollector, path: string, value: unknown, shape: Shape<T>, field = ''): value is T {
  return shape.validate(value, field, { path, problems });
}

/** Checks `value` against `shape` and throws one PaasValidationError with every problem. */
export function assertShape<T>(path: string, value: unknown, shape: Shape<T>, field = ''): asserts value is T {
  const problems = new ProblemCollector(path);
  if (!shape.validate(value, field, { path, problems })) {
    // A refinement that failed records its own problem; a type mismatch with none is impossible.
    throw new PaasValidationError(problems.problems);
  }
}

/**
 * Checks a factory's positional arguments (`Probe.http(path, options)`): each under its own field
 * name, every problem collected, one PaasValidationError. Object arguments named `props` or
 * `options` report their fields unprefixed (`port`, not `options.port`), as users wrote them;
 * others under their name (`grant.name`).
 */
export function assertArgs(path: string, args: ReadonlyArray<readonly [field: string, value: unknown, shape: Shape<unknown>]>): void {
  const problems = new ProblemCollector(path);
  for (const [field, value, shape] of args) {
    const object = shape instanceof ObjectShape || (shape instanceof OptionalShape && shape.inner instanceof ObjectShape);
    shape.validate(value, object && (field === 'props' || field === 'options') ? '' : field, { path, problems });
  }
  problems.throwIfAny();
}

/** The known key closest to `key` (Levenshtein, case-insensitive), if close enough to be a typo. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const k = key.toLowerCase();
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    // A key that is part of a known one (`password` of `passwordKey`) is a likely slip too.
    const d = k.length >= 4 && (c.startsWith(k) || c.endsWith(k)) ? Math.min(2, levenshtein(k, c)) : levenshtein(k, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance < key.length && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Edit distance (insertions, deletions, substitutions), two rows of memory. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(field: string, key: string): string {
  return field ? `${field}.${key}` : key;
}

function describe(v: string | number | boolean): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** Error messages end up in CI logs: the value of an unknown key named like a secret is not shown. */
function redact(key: string, value: unknown): unknown {
  return /password|secret|token|bearer|credential|private|key/i.test(key) && value !== undefined ? '<not shown>' : value;
}
