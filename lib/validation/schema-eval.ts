import { FORMAT_HINTS, FORMATS, hasType, jsonEqual, lookupPath, typeOf } from './schema-values';

export { jsonEqual, lookupPath } from './schema-values';

// A small JSON Schema evaluator for the generated data (Kubernetes definitions, CRD schemas,
// Polaris check schemas). Schemas are compiled once into closures, lazily per $ref, so a kind
// costs nothing until an object of that kind is validated. No dependency: the engine ships
// without ajv.

/** A schema node of the generated data (plain JSON). */
export type SchemaNode = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- schema JSON of any shape

/** One schema violation. `path` is the location in the validated value. */
export interface SchemaError {
  readonly path: readonly (string | number)[];
  /** The failing keyword, e.g. `type`, `required`, `additionalProperties`, `enum`. */
  readonly keyword: string;
  readonly message: string;
  /** For `additionalProperties`: the known property names at that place. */
  readonly known?: readonly string[];
}

/** State of one validation run. */
export interface Run {
  /** Current path (pushed and popped while descending). */
  readonly path: (string | number)[];
  /** Errors collected; `undefined` while evaluating a branch where only pass/fail matters. */
  errors: SchemaError[] | undefined;
  /** Data that `x-template-const` paths read (Polaris `{{ .metadata.name }}`). */
  readonly data?: unknown;
}

export type Check = (value: unknown, run: Run) => boolean;

export interface CompileOptions {
  /**
   * Known properties whose value is `null` count as absent, as the API server's decoder treats
   * them (`creationTimestamp: null`, `args: null`). @default false
   */
  readonly nullAsAbsent?: boolean;
  /** Resolves a `$ref` (e.g. `#/definitions/io.k8s...ObjectMeta`); undefined when unknown. */
  readonly resolve: (ref: string) => SchemaNode | undefined;
}

function fail(run: Run, keyword: string, message: string, extra?: { key?: string | number; known?: string[] }): false {
  if (run.errors) {
    const path = extra?.key !== undefined ? [...run.path, extra.key] : [...run.path];
    run.errors.push({ path, keyword, message, ...(extra?.known ? { known: extra.known } : {}) });
  }
  return false;
}

/** Evaluates a sub-check silently (branches of anyOf/oneOf/not/contains). */
function quietly(check: Check, value: unknown, run: Run): boolean {
  const saved = run.errors;
  run.errors = undefined;
  const depth = run.path.length;
  try {
    return check(value, run);
  } finally {
    run.errors = saved;
    run.path.length = depth;
  }
}

/** Collects the errors of a sub-check into a separate list. */
function collecting(check: Check, value: unknown, run: Run): SchemaError[] {
  const saved = run.errors;
  const mine: SchemaError[] = [];
  run.errors = mine;
  try {
    check(value, run);
  } finally {
    run.errors = saved;
  }
  return mine;
}

const listOf = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).join(', ');

/** A `oneOf`/`anyOf` whose branches are bare `{type}` (IntOrString, Quantity): one type union. */
function typeUnion(branches: SchemaNode[]): { types: string[]; formats: (string | undefined)[] } | undefined {
  if (branches.length < 2) return undefined;
  const types: string[] = [];
  const formats: (string | undefined)[] = [];
  for (const b of branches) {
    const keys = Object.keys(b);
    if (typeof b.type !== 'string' || keys.some((k) => k !== 'type' && k !== 'format')) return undefined;
    types.push(b.type);
    formats.push(b.format);
  }
  return { types, formats };
}

/** Compiles schema nodes into checks; one compiler per schema document (it caches by $ref). */
export class SchemaCompiler {
  private readonly refs = new Map<string, Check>();
  private readonly patterns = new Map<string, RegExp>();

  constructor(private readonly options: CompileOptions) {}

  /** The check of a `$ref`, compiled on first use (recursive schemas are fine). */
  ref(ref: string): Check {
    let c = this.refs.get(ref);
    if (!c) {
      let compiled: Check | undefined;
      c = (v, run) => {
        if (!compiled) {
          const node = this.options.resolve(ref);
          compiled = node ? this.compile(node) : (_v, r) => fail(r, '$ref', `schema reference ${ref} is unknown`);
        }
        return compiled(v, run);
      };
      this.refs.set(ref, c);
    }
    return c;
  }

  private regex(p: string): RegExp {
    let r = this.patterns.get(p);
    if (!r) {
      r = new RegExp(p);
      this.patterns.set(p, r);
    }
    return r;
  }

  compile(node: SchemaNode | boolean): Check {
    if (node === true || node === undefined) return () => true;
    if (node === false) return (_v, run) => fail(run, 'false', 'no value is allowed here');
    const checks: Check[] = [];
    const s = node;
    if (typeof s.$ref === 'string') checks.push(this.ref(s.$ref));

    const union = s.oneOf ? typeUnion(s.oneOf) : s.anyOf ? typeUnion(s.anyOf) : undefined;
    if (s['x-kubernetes-int-or-string'] === true && !union) {
      checks.push((v, run) => typeof v === 'string' || hasType(v, 'integer') || fail(run, 'type', `must be an integer or a string, not ${typeOf(v)}`));
    }
    if (union) {
      const { types, formats } = union;
      checks.push((v, run) => {
        for (let i = 0; i < types.length; i++) {
          if (hasType(v, types[i])) {
            const f = formats[i] && FORMATS[formats[i]!];
            const hint = FORMAT_HINTS[formats[i]!] ? ` (${FORMAT_HINTS[formats[i]!]})` : '';
            return !f || f(v) || fail(run, 'format', `${JSON.stringify(v)} is not a valid ${formats[i]}${hint}`);
          }
        }
        return fail(run, 'type', `must be ${types.join(' or ')}, not ${typeOf(v)}`);
      });
    }
    if (s.type !== undefined) {
      const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
      const nullable = s.nullable === true;
      checks.push(
        (v, run) => (nullable && v === null) || types.some((t) => hasType(v, t)) || fail(run, 'type', `must be ${types.join(' or ')}, not ${typeOf(v)}`),
      );
    }
    if (s.enum !== undefined) {
      const values: unknown[] = s.enum;
      const scalar = values.every((x) => x === null || typeof x !== 'object');
      checks.push(
        (v, run) =>
          (scalar ? values.includes(v) : values.some((x) => jsonEqual(x, v))) ||
          fail(run, 'enum', `${JSON.stringify(v)} is not allowed; use one of ${listOf(values)}`),
      );
    }
    if (Object.prototype.hasOwnProperty.call(s, 'const')) {
      const c = s.const;
      checks.push((v, run) => jsonEqual(v, c) || fail(run, 'const', `must be ${JSON.stringify(c)}`));
    }
    if (typeof s['x-template-const'] === 'string') {
      const p: string = s['x-template-const'];
      checks.push((v, run) => {
        const want = lookupPath(run.data, p);
        const rendered = want === undefined || want === null ? '<no value>' : String(want);
        return v === rendered || fail(run, 'const', `must be ${JSON.stringify(rendered)}`);
      });
    }
    if (typeof s.format === 'string' && FORMATS[s.format] && !union) {
      const f = FORMATS[s.format];
      const name: string = s.format;
      const hint = FORMAT_HINTS[name] ? ` (${FORMAT_HINTS[name]})` : '';
      checks.push((v, run) => f(v) || fail(run, 'format', `${JSON.stringify(v)} is not a valid ${name}${hint}`));
    }
    this.stringKeywords(s, checks);
    this.numberKeywords(s, checks);
    this.objectKeywords(s, checks);
    this.arrayKeywords(s, checks);
    this.combinators(s, checks, union !== undefined);

    if (checks.length === 0) return () => true;
    if (checks.length === 1) return checks[0];
    return (v, run) => {
      let ok = true;
      for (const c of checks) {
        if (!c(v, run)) {
          ok = false;
          if (!run.errors) return false;
        }
      }
      return ok;
    };
  }

  private stringKeywords(s: SchemaNode, checks: Check[]): void {
    if (typeof s.pattern === 'string') {
      const re = this.regex(s.pattern);
      const p: string = s.pattern;
      checks.push((v, run) => typeof v !== 'string' || re.test(v) || fail(run, 'pattern', `${JSON.stringify(v)} does not match the pattern ${p}`));
    }
    if (typeof s.minLength === 'number') {
      const n: number = s.minLength;
      checks.push((v, run) => typeof v !== 'string' || [...v].length >= n || fail(run, 'minLength', `must be at least ${n} characters long`));
    }
    if (typeof s.maxLength === 'number') {
      const n: number = s.maxLength;
      checks.push((v, run) => typeof v !== 'string' || [...v].length <= n || fail(run, 'maxLength', `must be at most ${n} characters long`));
    }
  }

  private numberKeywords(s: SchemaNode, checks: Check[]): void {
    const num = (v: unknown): v is number => typeof v === 'number';
    if (typeof s.minimum === 'number') {
      const m: number = s.minimum;
      const excl = s.exclusiveMinimum === true;
      checks.push((v, run) => !num(v) || (excl ? v > m : v >= m) || fail(run, 'minimum', `must be ${excl ? 'greater than' : 'at least'} ${m}`));
    }
    if (typeof s.exclusiveMinimum === 'number') {
      const m: number = s.exclusiveMinimum;
      checks.push((v, run) => !num(v) || v > m || fail(run, 'minimum', `must be greater than ${m}`));
    }
    if (typeof s.maximum === 'number') {
      const m: number = s.maximum;
      const excl = s.exclusiveMaximum === true;
      checks.push((v, run) => !num(v) || (excl ? v < m : v <= m) || fail(run, 'maximum', `must be ${excl ? 'less than' : 'at most'} ${m}`));
    }
    if (typeof s.exclusiveMaximum === 'number') {
      const m: number = s.exclusiveMaximum;
      checks.push((v, run) => !num(v) || v < m || fail(run, 'maximum', `must be less than ${m}`));
    }
    if (typeof s.multipleOf === 'number') {
      const m: number = s.multipleOf;
      checks.push((v, run) => !num(v) || Number.isInteger(v / m) || fail(run, 'multipleOf', `must be a multiple of ${m}`));
    }
  }

  private objectKeywords(s: SchemaNode, checks: Check[]): void {
    const nullAsAbsent = this.options.nullAsAbsent === true;
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    const present = (o: Record<string, unknown>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k) && !(nullAsAbsent && o[k] === null);
    if (Array.isArray(s.required) && s.required.length > 0) {
      const req: string[] = s.required;
      checks.push((v, run) => {
        if (!isObj(v)) return true;
        let ok = true;
        for (const k of req) {
          if (!present(v, k)) {
            ok = fail(run, 'required', `required field "${k}" is missing`, { key: k });
            if (!run.errors) return false;
          }
        }
        return ok;
      });
    }
    const props: Record<string, SchemaNode> | undefined = s.properties;
    const propChecks = new Map<string, Check>();
    if (props) for (const [k, sub] of Object.entries(props)) propChecks.set(k, this.compile(sub));
    const patternProps: [RegExp, Check][] = Object.entries((s.patternProperties ?? {}) as Record<string, SchemaNode>).map(([p, sub]) => [
      this.regex(p),
      this.compile(sub),
    ]);
    const addl = s.additionalProperties;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const addlCheck: Check | undefined = addl !== undefined && addl !== false && addl !== true ? this.compile(addl) : undefined;
    const closed = addl === false && !preserve;
    const known = props ? Object.keys(props) : [];
    const propertyNames: Check | undefined = s.propertyNames ? this.compile(s.propertyNames) : undefined;
    if (propChecks.size > 0 || patternProps.length > 0 || addlCheck || closed || propertyNames) {
      checks.push((v, run) => {
        if (!isObj(v)) return true;
        let ok = true;
        for (const k in v) {
          if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
          const val = v[k];
          if (propertyNames) {
            run.path.push(k);
            const good = propertyNames(k, run);
            run.path.pop();
            if (!good) {
              ok = false;
              if (!run.errors) return false;
            }
          }
          const pc = propChecks.get(k);
          let matched = pc !== undefined;
          if (pc) {
            if (nullAsAbsent && val === null) continue;
            run.path.push(k);
            const good = pc(val, run);
            run.path.pop();
            if (!good) {
              ok = false;
              if (!run.errors) return false;
            }
          }
          for (const [re, c] of patternProps) {
            if (!re.test(k)) continue;
            matched = true;
            run.path.push(k);
            const good = c(val, run);
            run.path.pop();
            if (!good) {
              ok = false;
              if (!run.errors) return false;
            }
          }
          if (matched) continue;
          if (addlCheck) {
            if (nullAsAbsent && val === null) continue;
            run.path.push(k);
            const good = addlCheck(val, run);
            run.path.pop();
            if (!good) {
              ok = false;
              if (!run.errors) return false;
            }
          } else if (closed) {
            ok = fail(run, 'additionalProperties', `unknown field "${k}"`, { key: k, known });
            if (!run.errors) return false;
          }
        }
        return ok;
      });
    }
    if (typeof s.minProperties === 'number') {
      const n: number = s.minProperties;
      checks.push((v, run) => !isObj(v) || Object.keys(v).length >= n || fail(run, 'minProperties', `must have at least ${n} field(s)`));
    }
    if (typeof s.maxProperties === 'number') {
      const n: number = s.maxProperties;
      checks.push((v, run) => !isObj(v) || Object.keys(v).length <= n || fail(run, 'maxProperties', `must have at most ${n} field(s)`));
    }
  }

  private arrayKeywords(s: SchemaNode, checks: Check[]): void {
    if (s.items !== undefined && !Array.isArray(s.items)) {
      const item = this.compile(s.items);
      checks.push((v, run) => {
        if (!Array.isArray(v)) return true;
        let ok = true;
        for (let i = 0; i < v.length; i++) {
          run.path.push(i);
          const good = item(v[i], run);
          run.path.pop();
          if (!good) {
            ok = false;
            if (!run.errors) return false;
          }
        }
        return ok;
      });
    }
    if (typeof s.minItems === 'number') {
      const n: number = s.minItems;
      checks.push((v, run) => !Array.isArray(v) || v.length >= n || fail(run, 'minItems', `must have at least ${n} item(s)`));
    }
    if (typeof s.maxItems === 'number') {
      const n: number = s.maxItems;
      checks.push((v, run) => !Array.isArray(v) || v.length <= n || fail(run, 'maxItems', `must have at most ${n} item(s)`));
    }
    if (s.uniqueItems === true) {
      checks.push((v, run) => {
        if (!Array.isArray(v)) return true;
        for (let i = 0; i < v.length; i++) {
          for (let j = i + 1; j < v.length; j++) {
            if (jsonEqual(v[i], v[j])) return fail(run, 'uniqueItems', `items ${i} and ${j} are equal; items must be unique`);
          }
        }
        return true;
      });
    }
    if (s.contains !== undefined) {
      const c = this.compile(s.contains);
      checks.push((v, run) => !Array.isArray(v) || v.some((x) => quietly(c, x, run)) || fail(run, 'contains', 'must contain a matching item'));
    }
  }

  private combinators(s: SchemaNode, checks: Check[], unionDone: boolean): void {
    if (Array.isArray(s.allOf)) {
      for (const sub of s.allOf) checks.push(this.compile(sub));
    }
    if (Array.isArray(s.anyOf) && !(unionDone && !s.oneOf)) {
      const subs = s.anyOf.map((x: SchemaNode) => this.compile(x));
      checks.push((v, run) => {
        if (!run.errors) return subs.some((c: Check) => c(v, run));
        const all: SchemaError[][] = [];
        for (const c of subs) {
          const errs = collecting(c, v, run);
          if (errs.length === 0) return true;
          all.push(errs);
        }
        return this.alternatives(run, 'anyOf', all);
      });
    }
    if (Array.isArray(s.oneOf) && !unionDone) {
      const subs = s.oneOf.map((x: SchemaNode) => this.compile(x));
      checks.push((v, run) => {
        const all: SchemaError[][] = [];
        let passed = 0;
        for (const c of subs) {
          if (run.errors) {
            const errs = collecting(c, v, run);
            if (errs.length === 0) passed++;
            else all.push(errs);
          } else if (quietly(c, v, run)) passed++;
        }
        if (passed === 1) return true;
        if (passed > 1) return fail(run, 'oneOf', `matches ${passed} of the ${subs.length} mutually exclusive alternatives; set only one`);
        return this.alternatives(run, 'oneOf', all);
      });
    }
    if (s.not !== undefined) {
      const c = this.compile(s.not);
      checks.push((v, run) => !quietly(c, v, run) || fail(run, 'not', 'matches a shape that is not allowed here'));
    }
    if (s.if !== undefined) {
      const cond = this.compile(s.if);
      const then = s.then !== undefined ? this.compile(s.then) : undefined;
      const els = s.else !== undefined ? this.compile(s.else) : undefined;
      checks.push((v, run) => {
        if (quietly(cond, v, run)) return then ? then(v, run) : true;
        return els ? els(v, run) : true;
      });
    }
  }

  /**
   * Reports a failed anyOf/oneOf through the alternative that got furthest: the one whose first
   * problem lies deepest in the value (fewest problems on a tie, then the first). Listing every
   * branch buries the one problem the author meant, e.g. an IPAddress that is not an IPv4.
   */
  private alternatives(run: Run, keyword: string, all: SchemaError[][]): false {
    if (!run.errors || all.length === 0) return fail(run, keyword, 'matches none of the allowed alternatives');
    let best = all[0];
    const depth = (errs: SchemaError[]): number => Math.max(...errs.map((e) => e.path.length));
    for (const errs of all.slice(1)) {
      if (depth(errs) > depth(best) || (depth(errs) === depth(best) && errs.length < best.length)) best = errs;
    }
    run.errors.push(...best);
    return false;
  }
}
