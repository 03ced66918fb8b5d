import { countBlockedObject, evaluateCelRules, hasCelRules } from './cel';
import { CRD_DATA, CRD_KINDS, DEFAULT_CRD_SETS, KUBERNETES_DATA } from './data';
import { Check, Run, SchemaCompiler, SchemaError, SchemaNode } from './schema-eval';
import { compactCrd, gvkKey } from './schema-compact';
import type { CheckContext, CheckFamily, Manifest, RawFinding } from './types';

// Strict schema validation, like `kubeconform -strict`: each object against the definition of
// its apiVersion/kind in every requested Kubernetes minor (or its CRD's schema), unknown fields
// rejected, `null` in a known field treated as absent the way the API server's decoder does.
// Custom resources are also checked against their CRD's CEL rules (`x-kubernetes-validations`,
// lib/validation/cel.ts), as the API server does on create: after defaulting, and only when the
// schema check found no blocking error (type, required, enum, maxLength, maxItems, maxProperties).

interface KubernetesSchemas {
  readonly version: string;
  readonly kinds: Readonly<Record<string, string>>;
  readonly compiler: SchemaCompiler;
  readonly byKind: Map<string, Check>;
}

const kubernetes = new Map<string, KubernetesSchemas>();

/** The Kubernetes minors the engine ships definitions for, e.g. `['1.28', '1.35']`. */
export function supportedKubernetesVersions(): string[] {
  return Object.keys(KUBERNETES_DATA);
}

/** The CRD sets the engine ships, e.g. `gateway-api@v1.5.1`; the defaults are marked. */
export function shippedCrdSets(): { id: string; isDefault: boolean }[] {
  return Object.keys(CRD_DATA).map((id) => ({ id, isDefault: DEFAULT_CRD_SETS.includes(id) }));
}

function minorOf(version: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? `${m[1]}.${m[2]}` : version;
}

/** The shipped definitions of one Kubernetes minor. */
export interface KubernetesDefinitions {
  /** `group/version/Kind` -> definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  /** A definition by name, parsed on first use (do not mutate), or undefined. */
  readonly definition: (name: string) => SchemaNode | undefined;
  /** A definition's compact JSON text (to compare minors without parsing), or undefined. */
  readonly text: (name: string) => string | undefined;
}

const parsed = new Map<string, KubernetesDefinitions>();

/** The shipped definitions of a Kubernetes minor (loaded once). */
export function kubernetesDefinitions(version: string): KubernetesDefinitions {
  const minor = minorOf(version);
  let data = parsed.get(minor);
  if (!data) {
    const all = KUBERNETES_DATA[minor];
    if (all === undefined) {
      throw new Error(`No Kubernetes ${version} definitions ship with the validation engine; available: ${supportedKubernetesVersions().join(', ')}`);
    }
    const raw = JSON.parse(all) as { kinds: Record<string, string>; definitions: Record<string, string> };
    const text = (name: string): string | undefined => (Object.prototype.hasOwnProperty.call(raw.definitions, name) ? raw.definitions[name] : undefined);
    const cache = new Map<string, SchemaNode | undefined>();
    const definition = (name: string): SchemaNode | undefined => {
      if (!cache.has(name)) {
        const t = text(name);
        cache.set(name, t === undefined ? undefined : (JSON.parse(t) as SchemaNode));
      }
      return cache.get(name);
    };
    data = { kinds: raw.kinds, definition, text };
    parsed.set(minor, data);
  }
  return data;
}

const REF = /"\$ref":"#\/definitions\/([^"]+)"/g;
const sameMemo = new Map<string, boolean>();

/**
 * Whether a definition and everything it references is the same in two minors. Most kinds did not
 * change between 1.28 and 1.35: their objects are validated once and the findings hold for both.
 */
function sameDefinition(a: string, b: string, name: string): boolean {
  const key = `${a}\u0000${b}\u0000${name}`;
  const hit = sameMemo.get(key);
  if (hit !== undefined) return hit;
  const da = kubernetesDefinitions(a);
  const db = kubernetesDefinitions(b);
  const seen = new Set<string>();
  const todo = [name];
  let same = true;
  while (same && todo.length > 0) {
    const n = todo.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const ta = da.text(n);
    if (ta === undefined || ta !== db.text(n)) same = false;
    else for (const m of ta.matchAll(REF)) todo.push(m[1]);
  }
  sameMemo.set(key, same);
  return same;
}

function kubernetesSchemas(version: string): KubernetesSchemas {
  const minor = minorOf(version);
  let k = kubernetes.get(minor);
  if (k) return k;
  const data = kubernetesDefinitions(minor);
  const prefix = '#/definitions/';
  const compiler = new SchemaCompiler({
    nullAsAbsent: true,
    resolve: (ref) => (ref.startsWith(prefix) ? data.definition(ref.slice(prefix.length)) : undefined),
  });
  k = { version: minor, kinds: data.kinds, compiler, byKind: new Map() };
  kubernetes.set(minor, k);
  return k;
}

/** CRD schemas of one selection (shipped sets plus the caller's CRDs), parsed and compiled on first use. */
interface CrdSchemas {
  /** The schema of a group/version/Kind, or undefined when no selected CRD defines it. */
  readonly get: (gvk: string) => SchemaNode | undefined;
  /** Every group/version/Kind the selection defines (for "use apiVersion ..." hints). */
  readonly keys: () => string[];
  readonly compiled: Map<string, Check>;
  readonly compiler: SchemaCompiler;
}

const shippedSets = new Map<string, Record<string, SchemaNode>>();

function shippedSet(id: string): Record<string, SchemaNode> {
  let s = shippedSets.get(id);
  if (!s) {
    const text = CRD_DATA[id];
    if (text === undefined) throw new Error(`Unknown CRD set "${id}"; available: ${Object.keys(CRD_DATA).join(', ')}`);
    s = (JSON.parse(text) as { kinds: Record<string, SchemaNode> }).kinds;
    shippedSets.set(id, s);
  }
  return s;
}

/** Default sets, with any set of the same name the caller selects replacing the default. */
export function selectCrdSets(requested: readonly string[] = []): string[] {
  const name = (id: string): string => id.slice(0, id.lastIndexOf('@'));
  const names = new Set(requested.map(name));
  return [...DEFAULT_CRD_SETS.filter((d) => !names.has(name(d))), ...requested];
}

const crdCache = new Map<string, CrdSchemas>();

function crdSchemas(ctx: CheckContext, metaVersion: string): CrdSchemas {
  const sets = selectCrdSets(ctx.crdSets);
  const extra = ctx.customResourceDefinitions;
  // The shipped selection is cached; caller CRDs make a fresh one (compiled at run time).
  const key = extra.length === 0 ? `${metaVersion}\u0000${sets.join(',')}` : undefined;
  const hit = key ? crdCache.get(key) : undefined;
  if (hit) return hit;
  const own = new Map<string, SchemaNode>();
  for (const crd of extra) for (const [gvk, schema] of Object.entries(compactCrd(crd, { keepRuleMessages: true }))) own.set(gvk, schema);
  // A shipped set is parsed only when an object of one of its kinds shows up; a later set in the
  // selection (one the caller named) wins over an earlier one.
  const get = (gvk: string): SchemaNode | undefined => {
    const mine = own.get(gvk);
    if (mine) return mine;
    const holders = CRD_KINDS[gvk] ?? [];
    const id = [...sets].reverse().find((s) => holders.includes(s));
    return id ? shippedSet(id)[gvk] : undefined;
  };
  const keys = (): string[] => [...new Set([...own.keys(), ...Object.keys(CRD_KINDS).filter((k) => CRD_KINDS[k].some((id) => sets.includes(id)))])];
  // CR metadata refs point at the Kubernetes definitions (ObjectMeta).
  const out: CrdSchemas = { get, keys, compiled: new Map(), compiler: kubernetesSchemas(metaVersion).compiler };
  if (key) crdCache.set(key, out);
  return out;
}

function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

/** `spec.template.spec.containers[0].image` from path segments. */
export function dottedPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Levenshtein distance, case-insensitive (for "did you mean"). */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const row = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[y.length];
}

/** The known field nearest to an unknown one, when it is close enough to be a typo. */
export function nearestField(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestD || (d === bestD && best !== undefined && k < best)) {
      best = k;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(name.length / 3));
  const contains = best.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(best.toLowerCase());
  return bestD <= limit || contains ? best : undefined;
}

const CHECK_OF_KEYWORD: Record<string, string> = {
  additionalProperties: 'unknown-field',
  type: 'type',
  required: 'required',
  enum: 'enum',
  const: 'enum',
  format: 'format',
  pattern: 'pattern',
  minimum: 'range',
  maximum: 'range',
  multipleOf: 'range',
  minLength: 'length',
  maxLength: 'length',
  minItems: 'items',
  maxItems: 'items',
  uniqueItems: 'items',
  minProperties: 'fields',
  maxProperties: 'fields',
  oneOf: 'alternatives',
  anyOf: 'alternatives',
  not: 'not-allowed',
  false: 'not-allowed',
  $ref: 'internal',
};

function messageOf(e: SchemaError): string {
  if (e.keyword === 'additionalProperties') {
    const name = String(e.path[e.path.length - 1]);
    const known = e.known ?? [];
    const near = nearestField(name, known);
    if (near !== undefined) return `${e.message}; did you mean "${near}"? Rename or remove it`;
    const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, ...` : known.join(', ');
    return `${e.message}: the schema has no such field here; remove it (known fields: ${list})`;
  }
  return e.message;
}

interface Located {
  readonly id: string;
  readonly path: string;
  readonly message: string;
}

/** Schema errors after which the API server does not evaluate CEL rules (apiextensions' hasBlockingErr). */
const BLOCKING = new Set(['type', 'required', 'enum', 'const', 'maxLength', 'maxItems', 'maxProperties']);

function validateWith(check: Check, obj: Manifest, blocking?: { found: boolean }): Located[] {
  const run: Run = { path: [], errors: [] };
  check(obj, run);
  if (blocking) blocking.found = (run.errors ?? []).some((e) => BLOCKING.has(e.keyword));
  return (run.errors ?? []).map((e) => ({ id: `schema/${CHECK_OF_KEYWORD[e.keyword] ?? e.keyword}`, path: dottedPath(e.path), message: messageOf(e) }));
}

/** Expands `kind: List` objects into their items, as kubectl and kubeconform do. */
export function expandLists(objects: readonly Manifest[]): Manifest[] {
  const out: Manifest[] = [];
  for (const o of objects) {
    if (o && typeof o === 'object' && o.apiVersion === 'v1' && typeof o.kind === 'string' && o.kind.endsWith('List') && Array.isArray(o.items)) {
      out.push(...expandLists(o.items));
    } else out.push(o);
  }
  return out;
}

/** Where the schema of a kind comes from, or undefined when no schema knows it. */
function kindCheck(key: string, version: string): Check | undefined {
  const k = kubernetesSchemas(version);
  const def = k.kinds[key];
  if (def === undefined) return undefined;
  let c = k.byKind.get(key);
  if (!c) {
    c = k.compiler.ref(`#/definitions/${def}`);
    k.byKind.set(key, c);
  }
  return c;
}

function servedAs(kind: string, versions: readonly string[], crds: CrdSchemas): string[] {
  const out = new Set<string>();
  for (const v of versions) {
    for (const key of Object.keys(kubernetesSchemas(v).kinds)) {
      const [g, ver, k] = key.split('/');
      if (k === kind) out.add(g === '' ? ver : `${g}/${ver}`);
    }
  }
  for (const key of crds.keys()) {
    const parts = key.split('/');
    if (parts[2] === kind) out.add(`${parts[0]}/${parts[1]}`);
  }
  return [...out].sort();
}

/** Schema findings of one object (no apiVersion/kind, unknown kind, or schema violations). */
function checkObject(obj: Manifest, index: number, versions: readonly string[], crds: CrdSchemas, evaluated: () => void): RawFinding[] {
  const finding = (id: string, path: string, message: string): RawFinding => ({ id, severity: 'error', objectIndex: index, path, message });
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [
      finding('schema/not-an-object', '', `a manifest must be an object with apiVersion and kind, not ${Array.isArray(obj) ? 'a list' : JSON.stringify(obj)}`),
    ];
  }
  const missing: RawFinding[] = [];
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
    missing.push(finding('schema/missing-apiversion', 'apiVersion', 'apiVersion is missing or not a string; set it, e.g. "apps/v1"'));
  }
  if (typeof obj.kind !== 'string' || obj.kind === '') {
    missing.push(finding('schema/missing-kind', 'kind', 'kind is missing or not a string; set it, e.g. "Deployment"'));
  }
  if (missing.length > 0) return missing;
  const [group, version] = groupVersion(obj.apiVersion);
  const key = gvkKey(group, version, obj.kind);

  const crdSchema = crds.get(key);
  if (crdSchema) {
    let c = crds.compiled.get(key);
    if (!c) {
      c = crds.compiler.compile(crdSchema);
      crds.compiled.set(key, c);
    }
    evaluated();
    const blocking = { found: false };
    const out = validateWith(c, obj, blocking).map((l) => finding(l.id, l.path, l.message));
    if (blocking.found) {
      if (hasCelRules(crdSchema)) countBlockedObject();
    } else for (const v of evaluateCelRules(crdSchema, obj)) out.push(finding('schema/cel', dottedPath(v.path), v.message));
    return out;
  }

  const perVersion = new Map<string, { l: Located; versions: string[] }>();
  const unknownIn: string[] = [];
  const done: { version: string; def: string; found: Located[] }[] = [];
  for (const v of versions) {
    const c = kindCheck(key, v);
    if (!c) {
      unknownIn.push(v);
      continue;
    }
    evaluated();
    const def = kubernetesSchemas(v).kinds[key];
    const twin = done.find((d) => d.def === def && sameDefinition(d.version, v, def));
    const found = twin ? twin.found : validateWith(c, obj);
    done.push({ version: v, def, found });
    for (const l of found) {
      const k = `${l.id}\u0000${l.path}\u0000${l.message}`;
      const e = perVersion.get(k);
      if (e) e.versions.push(v);
      else perVersion.set(k, { l, versions: [v] });
    }
  }
  const out: RawFinding[] = [];
  if (unknownIn.length > 0) {
    const served = servedAs(obj.kind, versions, crds);
    const hint =
      served.length > 0 ? `use apiVersion ${served.join(' or ')}` : 'check the spelling of kind, or pass the CustomResourceDefinition that defines it';
    const scope = unknownIn.length === versions.length ? `Kubernetes ${versions.join(' and ')}` : `Kubernetes ${unknownIn.join(' and ')}`;
    out.push(finding('schema/unknown-kind', 'kind', `${obj.kind} is not served as ${obj.apiVersion} by ${scope} nor by a known CRD; ${hint}`));
  }
  for (const { l, versions: vs } of perVersion.values()) {
    const only = vs.length < versions.length - unknownIn.length ? ` (Kubernetes ${vs.join(' and ')})` : '';
    out.push(finding(l.id, l.path, `${l.message}${only}`));
  }
  return out;
}

/**
 * The strict schema family. Finding ids: `schema/unknown-field`, `schema/type`,
 * `schema/required`, `schema/enum`, `schema/format`, `schema/pattern`, `schema/range`,
 * `schema/length`, `schema/items`, `schema/alternatives`, `schema/cel` (a CRD validation rule), `schema/unknown-kind`,
 * `schema/missing-kind`, `schema/missing-apiversion`, `schema/not-an-object`.
 */
export const schemaFamily: CheckFamily = (ctx) => {
  const versions = ctx.kubernetesVersions.length > 0 ? ctx.kubernetesVersions.map(minorOf) : ['1.28'];
  const crds = crdSchemas(ctx, versions[0]);
  const out: RawFinding[] = [];
  ctx.objects.forEach((o, i) => out.push(...checkObject(o.manifest, i, versions, crds, () => ctx.onEvaluated?.('schema', i))));
  return out;
};

/** The group/version/Kind keys the engine knows for these versions and CRD sets (docs and tests). */
export function knownSchemaKinds(versions: readonly string[] = ['1.28'], crdSets: readonly string[] = []): { builtin: string[]; crds: string[] } {
  const builtin = new Set<string>();
  for (const v of versions) for (const k of Object.keys(kubernetesSchemas(v).kinds)) builtin.add(k);
  const crds = new Set<string>();
  for (const id of selectCrdSets(crdSets)) for (const k of Object.keys(shippedSet(id))) crds.add(k);
  return { builtin: [...builtin].sort(), crds: [...crds].sort() };
}
