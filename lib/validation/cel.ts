import { goRegexToJs } from './go-regex';
import type { CompactCelRule } from './schema-compact';
import type { SchemaNode } from './schema-eval';

// CRD validation rules (`x-kubernetes-validations`, kept by the data as `x-cel-rules`), evaluated the
// way the API server does on create: each rule with `self` bound to the value at its schema node
// (only where a value is present), after defaulting and pruning, with property names escaped as
// Kubernetes escapes them (`namespace` -> `__namespace__`). Evaluation is done by
// @marcbachmann/cel-js; the Kubernetes additions our CRD data uses are added here. A rule is
// skipped, never reported, when it needs `oldSelf` (a transition rule: there is no old object on
// create), uses a function outside CEL_FUNCTIONS, does not parse, or when its evaluation fails or
// gives no boolean: the validator must not report what the API server might accept.

/** Why a rule was not evaluated (or did not give a verdict). */
export type CelSkipReason = 'transition' | 'unsupported' | 'error' | 'unavailable';

/** Counts of rule evaluations (one per rule and schema-node instance), process-wide since the last reset. */
export interface CelCounters {
  /** Evaluations that gave a verdict (true or false). */
  evaluated: number;
  /** Evaluations that failed. */
  failed: number;
  /** Evaluations skipped, by reason. */
  skipped: Record<CelSkipReason, number>;
  /** Objects whose rules were not evaluated because the schema check found a blocking error (as the API server does). */
  blockedObjects: number;
}

const counters: CelCounters = { evaluated: 0, failed: 0, skipped: { transition: 0, unsupported: 0, error: 0, unavailable: 0 }, blockedObjects: 0 };

/** The counters of rule evaluations since the process started or {@link resetCelCounters} ran (a copy). */
export function celCounters(): CelCounters {
  return { ...counters, skipped: { ...counters.skipped } };
}

/** Sets every counter to zero (tests). */
export function resetCelCounters(): void {
  counters.evaluated = 0;
  counters.failed = 0;
  counters.blockedObjects = 0;
  for (const k of Object.keys(counters.skipped) as CelSkipReason[]) counters.skipped[k] = 0;
}

/** Records an object whose rules were not evaluated (blocking schema errors). */
export function countBlockedObject(): void {
  counters.blockedObjects++;
}

/**
 * Functions and macros a rule may call: the CEL standard ones @marcbachmann/cel-js implements
 * with the same meaning, the Kubernetes strings extensions it implements, `matches` with RE2
 * syntax (converted by go-regex.ts) and `isIP` (Kubernetes IP library, added here). A rule
 * calling anything else is skipped.
 */
export const CEL_FUNCTIONS: readonly string[] = [
  // macros
  'has',
  'all',
  'exists',
  'exists_one',
  'map',
  'filter',
  // standard
  'size',
  'int',
  'uint',
  'double',
  'string',
  'bool',
  'bytes',
  'dyn',
  'type',
  'duration',
  'timestamp',
  'matches',
  'startsWith',
  'endsWith',
  'contains',
  // Kubernetes strings extension (the subset cel-js implements)
  'lowerAscii',
  'upperAscii',
  'trim',
  'indexOf',
  'lastIndexOf',
  'substring',
  'split',
  'join',
  // Kubernetes IP library
  'isIP',
];
const SUPPORTED = new Set(CEL_FUNCTIONS);

/** A violated rule at one place of the object. */
export interface CelViolation {
  /** Path of the node the rule sits at, plus the rule's fieldPath when it has one. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly rule: string;
  /** The rule's `reason` (FieldValueInvalid when not set, as the API server reports). */
  readonly reason: string;
}

// ---------------------------------------------------------------------------------------------
// Loading the evaluator

interface CelModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the package's own types are ESM-only
  Environment: new (opts?: Record<string, unknown>) => any;
  evaluate: (expr: string, ctx?: Record<string, unknown>) => unknown;
}

interface Evaluator {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- AST of the package
  readonly parse: (expr: string) => ((ctx: Record<string, unknown>) => unknown) & { ast: any };
  /** The evaluator's own Array (jest runs tests in a separate realm: cel-js checks `constructor === Array`). */
  readonly ListCtor: ArrayConstructor;
}

let evaluator: Evaluator | null | undefined;

function loadModule(): CelModule {
  // The package is an ES module. Node's own require loads it (Node >= 20.19); jest's module
  // registry cannot, so the loader is Node's, from `module.createRequire`, when Node offers it.
  const builtin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('module') as
    { createRequire: (f: string) => (id: string) => unknown } | undefined;
  const req = builtin ? builtin.createRequire(__filename) : require;
  return req('@marcbachmann/cel-js') as CelModule;
}

/** RFC-free but strict IP parsing, as Go's netip.ParseAddr and the Kubernetes IP library: no zone, no IPv4-mapped IPv6. */
export function isIP(s: string): boolean {
  const v4 = (x: string): boolean => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(x);
  if (v4(s)) return true;
  if (!s.includes(':') || s.includes('%')) return false;
  let head = s;
  let tailGroups = 0;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!v4(tail)) return false;
    head = s.slice(0, lastColon + 1) + '0:0';
    tailGroups = 2;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | undefined => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const a = groups(halves[0]);
  const b = halves.length === 2 ? groups(halves[1]) : [];
  if (!a || !b) return false;
  const n = a.length + b.length;
  if (halves.length === 2 ? n > 7 : n !== 8) return false;
  if (tailGroups > 0) {
    // IPv4-mapped (::ffff:a.b.c.d) is refused by the Kubernetes library.
    const all = halves.length === 2 ? [...a, ...Array<string>(8 - n).fill('0'), ...b] : [...a, ...b];
    const mapped = all.slice(0, 5).every((x) => parseInt(x, 16) === 0) && parseInt(all[5], 16) === 0xffff;
    if (mapped) return false;
  }
  return true;
}

function getEvaluator(): Evaluator | null {
  if (evaluator !== undefined) return evaluator;
  try {
    const cel = loadModule();
    const env = new cel.Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
    env.registerFunction('isIP(string): bool', (s: string) => isIP(s));
    const ListCtor = (cel.evaluate('[]') as unknown[]).constructor as ArrayConstructor;
    evaluator = { parse: (expr) => env.parse(expr), ListCtor };
  } catch {
    evaluator = null;
  }
  return evaluator;
}

/** Whether the CEL evaluator could be loaded (it needs Node >= 20.19 to load an ES module with require). */
export function celAvailable(): boolean {
  return getEvaluator() !== null;
}

// ---------------------------------------------------------------------------------------------
// Compiling rules (once per process per rule text)

type Program = (ctx: Record<string, unknown>) => unknown;
type Compiled = { ok: true; run: Program } | { ok: false; reason: CelSkipReason; detail: string };

const compiled = new Map<string, Compiled>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AST of the package
function visit(node: any, f: (n: any) => void): void {
  if (!node || typeof node !== 'object' || typeof node.op !== 'string') return;
  f(node);
  const args = node.args;
  if (args === null || typeof args !== 'object') return; // identifiers, literals
  // Operands are nodes, lists of nodes (call arguments, list literals) or [key, value] pairs (map literals).
  const each = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(each);
    else visit(x, f);
  };
  each(args);
}

/**
 * cel-js accepts `has(x.f)` only when `x` is a chain of field selections from a variable; CEL
 * allows any expression (`has(self.matches[0].path)`). On the maps a rule sees, `has(e.f)` means
 * `"f" in e`: the text is rewritten so, using the source ranges of the parsed expression.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- AST of the package
function rewriteHas(expr: string, ast: any): string | undefined {
  const edits: { start: number; end: number; text: string }[] = [];
  visit(ast, (n) => {
    if (n.op !== 'call' || n.args[0] !== 'has' || n.args[1].length !== 1) return;
    const arg = n.args[1][0];
    if (arg.op !== '.') return;
    let root = arg;
    while (root.op === '.') root = root.args[0];
    if (root.op === 'id') return;
    const target = arg.args[0];
    edits.push({ start: n.start, end: n.end, text: `(${JSON.stringify(arg.args[1])} in (${expr.slice(target.start, target.end)}))` });
  });
  if (edits.length === 0) return undefined;
  // Outermost first; a nested one is rewritten on the next pass.
  edits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof edits = [];
  for (const e of edits) if (!kept.some((k) => e.start < k.end && k.start < e.end)) kept.push(e);
  let out = expr;
  for (const e of kept.reverse()) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Compiles a rule or message expression (cached by its text). */
export function compileCel(expr: string): Compiled {
  const hit = compiled.get(expr);
  if (hit) return hit;
  let out: Compiled;
  const ev = getEvaluator();
  if (!ev) out = { ok: false, reason: 'unavailable', detail: 'the CEL evaluator could not be loaded' };
  else {
    try {
      let text = expr;
      let p = ev.parse(text);
      for (let pass = 0; pass < 8; pass++) {
        const next = rewriteHas(text, p.ast);
        if (next === undefined) break;
        text = next;
        p = ev.parse(text);
      }
      const problems: Compiled[] = [];
      visit(p.ast, (n) => {
        if (n.op === 'id' && n.args === 'oldSelf') problems.push({ ok: false, reason: 'transition', detail: 'uses oldSelf' });
        if (n.op === 'call' || n.op === 'rcall') {
          const name: string = n.args[0];
          if (!SUPPORTED.has(name)) problems.push({ ok: false, reason: 'unsupported', detail: `function ${name} is not supported` });
          else if (name === 'matches') {
            // cel-js matches with JavaScript's RegExp; a literal RE2 pattern is converted once here
            // ((?i) flags). A pattern computed at run time keeps JavaScript's syntax.
            const args = n.op === 'rcall' ? n.args[2] : n.args[1];
            const pat = args[args.length - 1];
            if (pat && pat.op === 'value' && typeof pat.args === 'string') pat.args = goRegexToJs(pat.args);
          }
        }
      });
      const transition = problems.find((x) => !x.ok && x.reason === 'transition');
      out = transition ?? problems[0] ?? { ok: true, run: p };
    } catch (e) {
      out = { ok: false, reason: 'unsupported', detail: e instanceof Error ? e.message.split('\n')[0] : String(e) };
    }
  }
  compiled.set(expr, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values as CEL sees them

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/** A property name as CEL expressions spell it (Kubernetes escaping). */
export function escapeProperty(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  return name.replace(/__|\.|-|\//g, (m) => (m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__'));
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function hasType(s: SchemaNode | undefined, t: string): boolean {
  if (!s) return false;
  return s.type === t || (Array.isArray(s.type) && s.type.includes(t));
}

/** An untyped value (no schema, or preserve-unknown-fields): integral numbers are CEL ints. */
function untyped(v: unknown, L: ArrayConstructor): unknown {
  if (Array.isArray(v)) return L.from(v, (x) => untyped(x, L));
  if (isObject(v)) {
    const o: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(v)) o[k] = untyped(v[k], L);
    return o;
  }
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

/**
 * The CEL value of a JSON value under its schema node: defaults applied where a value is
 * absent (or null in a non-nullable field), unknown fields pruned, integers as BigInt, property
 * names escaped, lists and maps built with the evaluator's constructors.
 */
function celValue(v: unknown, s: SchemaNode | undefined, L: ArrayConstructor): unknown {
  if (v === null || v === undefined) return v;
  if (!s || typeof s !== 'object' || s.$ref !== undefined) return untyped(v, L);
  if (Array.isArray(v)) {
    const item = isObject(s.items) ? (s.items as SchemaNode) : undefined;
    return L.from(v, (x) => celValue(x, item, L));
  }
  if (isObject(v)) {
    const props: Record<string, SchemaNode> | undefined = s.properties;
    const addl = isObject(s.additionalProperties) ? (s.additionalProperties as SchemaNode) : undefined;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const o: Record<string, unknown> = Object.create(null);
    if (props) {
      for (const [name, sub] of Object.entries(props)) {
        let x = own(v, name) ? v[name] : undefined;
        if (x === null && sub.nullable !== true) x = undefined;
        if (x === undefined && sub['x-cel-default'] !== undefined) x = sub['x-cel-default'];
        if (x === undefined) continue;
        o[escapeProperty(name)] = celValue(x, sub, L);
      }
    }
    if (addl || preserve || !props) {
      for (const k of Object.keys(v)) {
        if (props && own(props, k)) continue;
        o[k] = addl ? celValue(v[k], addl, L) : untyped(v[k], L);
      }
    }
    return o;
  }
  if (typeof v === 'number') {
    if (hasType(s, 'integer') || (s['x-kubernetes-int-or-string'] === true && Number.isInteger(v))) return Number.isInteger(v) ? BigInt(v) : v;
    if (hasType(s, 'number')) return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Walking the schema and the value

const rulesMemo = new WeakMap<object, boolean>();

/** Whether a schema node or one below it carries CEL rules (memoised per node). */
export function hasCelRules(s: unknown): boolean {
  if (!isObject(s)) return false;
  const hit = rulesMemo.get(s);
  if (hit !== undefined) return hit;
  rulesMemo.set(s, false); // recursion guard
  let found = Array.isArray(s['x-cel-rules']) && s['x-cel-rules'].length > 0;
  if (!found && isObject(s.properties)) found = Object.values(s.properties).some(hasCelRules);
  if (!found) found = hasCelRules(s.items) || hasCelRules(s.additionalProperties);
  rulesMemo.set(s, found);
  return found;
}

/** `.a.b`, `.a['b.c']`, `['x']` (relative to the rule's node); undefined when not of that form. */
export function parseFieldPath(p: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;
  let i = 0;
  while (i < p.length) {
    re.lastIndex = i;
    const m = re.exec(p);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : Number(m[3])));
    i = re.lastIndex;
  }
  return out;
}

function messageOf(rule: CompactCelRule, self: unknown): string {
  if (rule.messageExpression) {
    const c = compileCel(rule.messageExpression);
    if (c.ok) {
      try {
        const m = c.run({ self });
        if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m.trim();
      } catch {
        // falls back to message, as the API server does
      }
    }
  }
  return rule.message ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

function evaluateAt(rules: readonly CompactCelRule[], self: unknown, path: (string | number)[], out: CelViolation[]): void {
  for (const rule of rules) {
    const c = compileCel(rule.rule);
    if (!c.ok) {
      counters.skipped[c.reason]++;
      continue;
    }
    let verdict: unknown;
    try {
      verdict = c.run({ self });
    } catch (e) {
      // A rule reading a field the object does not have (without has()) fails to evaluate, and
      // the API server rejects the object for it ("no such key"); so do we, after the same
      // defaulting. Other evaluation errors may come from our conversions: skipped, never reported.
      // (cel-js is loaded by Node's own loader: under jest its errors come from another realm, so no instanceof.)
      const text = (e as { message?: unknown } | null)?.message;
      const missing = /^No such key: ([^\s]+)/.exec(typeof text === 'string' ? text : '');
      if (!missing) {
        counters.skipped.error++;
        continue;
      }
      counters.evaluated++;
      counters.failed++;
      out.push({
        path: [...path],
        message: `${messageOf(rule, self)} (the rule cannot be evaluated: no such key: ${missing[1]})`,
        rule: rule.rule,
        reason: rule.reason ?? 'FieldValueInvalid',
      });
      continue;
    }
    if (typeof verdict !== 'boolean') {
      counters.skipped.error++;
      continue;
    }
    counters.evaluated++;
    if (verdict) continue;
    counters.failed++;
    const extra = rule.fieldPath ? parseFieldPath(rule.fieldPath) : undefined;
    out.push({ path: extra ? [...path, ...extra] : [...path], message: messageOf(rule, self), rule: rule.rule, reason: rule.reason ?? 'FieldValueInvalid' });
  }
}

function walk(s: SchemaNode, raw: unknown, view: unknown, path: (string | number)[], out: CelViolation[]): void {
  if (view === undefined || view === null) return;
  const rules = s['x-cel-rules'] as CompactCelRule[] | undefined;
  if (rules && rules.length > 0) evaluateAt(rules, view, path, out);
  if (Array.isArray(view)) {
    const item = s.items;
    if (!isObject(item) || !hasCelRules(item)) return;
    for (let i = 0; i < view.length; i++) {
      path.push(i);
      walk(item, Array.isArray(raw) ? raw[i] : undefined, view[i], path, out);
      path.pop();
    }
    return;
  }
  if (!isObject(view)) return;
  const props: Record<string, SchemaNode> | undefined = s.properties;
  if (props) {
    for (const [name, sub] of Object.entries(props)) {
      if (!hasCelRules(sub)) continue;
      const key = escapeProperty(name);
      if (!own(view, key)) continue;
      path.push(name);
      walk(sub, isObject(raw) ? raw[name] : undefined, view[key], path, out);
      path.pop();
    }
  }
  const addl = s.additionalProperties;
  if (isObject(addl) && hasCelRules(addl)) {
    for (const k of Object.keys(view)) {
      if (props && own(props, k)) continue;
      path.push(k);
      walk(addl, isObject(raw) ? raw[k] : undefined, view[k], path, out);
      path.pop();
    }
  }
}

/**
 * Evaluates every CEL rule of a compact schema (a CRD version's) against an object: the rules
 * violated, with the path of their node. Rules that cannot be evaluated are counted as skipped
 * (see {@link celCounters}), never returned.
 */
export function evaluateCelRules(schema: SchemaNode, obj: unknown): CelViolation[] {
  if (!hasCelRules(schema)) return [];
  const ev = getEvaluator();
  if (!ev) {
    counters.skipped.unavailable++;
    return [];
  }
  const out: CelViolation[] = [];
  walk(schema, obj, celValue(obj, schema, ev.ListCtor), [], out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inventory of the shipped data (docs and tests)

/** The rules of a compact schema: each with the schema path of its node. */
export function listCelRules(schema: SchemaNode, at = ''): { path: string; rule: CompactCelRule }[] {
  const out: { path: string; rule: CompactCelRule }[] = [];
  const seen = new Set<object>();
  const go = (s: unknown, p: string): void => {
    if (!isObject(s) || seen.has(s)) return;
    seen.add(s);
    for (const r of (s['x-cel-rules'] as CompactCelRule[] | undefined) ?? []) out.push({ path: p, rule: r });
    if (isObject(s.properties)) for (const [k, sub] of Object.entries(s.properties)) go(sub, `${p}.${k}`);
    go(s.items, `${p}[]`);
    go(s.additionalProperties, `${p}{}`);
  };
  go(schema, at);
  return out;
}

/** The functions and macros a rule calls (sorted), or undefined when it does not parse. */
export function celFunctionsOf(expr: string): string[] | undefined {
  const ev = getEvaluator();
  if (!ev) return undefined;
  try {
    const names = new Set<string>();
    visit(ev.parse(expr).ast, (n) => {
      if (n.op === 'call' || n.op === 'rcall') names.add(n.args[0]);
    });
    return [...names].sort();
  } catch {
    return undefined;
  }
}
