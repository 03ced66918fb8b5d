import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { isIPv4, isIPv6 } from 'net';
import { convertPatterns } from './go-regex';
import { apiGroup, objectRef } from './objects';
import { listUpstreamFiles, readUpstreamJson, readUpstreamYamlDocuments, upstreamDir } from './upstream';

/**
 * Strict schema validation of manifests, like `kubeconform -strict`: every object must match the
 * Kubernetes 1.28 definition of its apiVersion/kind (or the served version of a CRD from
 * `crds/`), and unknown fields are errors. CRD schemas are checked structurally only:
 * `x-kubernetes-validations` (CEL) rules are not evaluated.
 */

const K8S_DEFINITIONS = 'kubernetes-1.28/_definitions.json';
const K8S_SCHEMA_ID = 'k8s-1.28.json';
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type Schema = Record<string, any>;

/**
 * Deep-copies a schema so that unknown fields are rejected: every object schema with `properties`
 * and no `additionalProperties` gets `additionalProperties: false`. Map types (which carry an
 * `additionalProperties` schema) and CRD nodes marked `x-kubernetes-preserve-unknown-fields`
 * stay open, and so do `allOf`/`anyOf`/`oneOf`/`not` branches. `description` is dropped (it only
 * slows compilation down).
 */
export function closeSchema(schema: any, inBranch = false): any {
  if (Array.isArray(schema)) return schema.map((s) => closeSchema(s, inBranch));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (k === 'description') continue;
    if (k === 'properties' || k === 'definitions' || k === '$defs' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([name, s]) => [name, closeSchema(s, inBranch)]));
    } else if (k === 'items' || k === 'additionalProperties') {
      out[k] = closeSchema(v, inBranch);
    } else if (k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      // Branches only add constraints on fields the enclosing schema declares (a structural
      // schema rule); closing them would reject the fields the other branches or the parent name.
      out[k] = closeSchema(v, true);
    } else {
      out[k] = v;
    }
  }
  if (!inBranch && out.properties && out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: false, // tolerate x-kubernetes-* and other vendor keywords
    allErrors: true,
    unicodeRegExp: false, // Go regexes (CRD patterns) are not always valid in unicode mode
    inlineRefs: false,
    validateSchema: false,
  });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('float', { type: 'number', validate: () => true });
  ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('ipv4', { type: 'string', validate: (v: string) => isIPv4(v) });
  ajv.addFormat('ipv6', { type: 'string', validate: (v: string) => isIPv6(v) });
  ajv.addFormat('int-or-string', true);
  ajv.addFormat('duration', true);
  return ajv;
}

interface SchemaIndex {
  readonly ajv: Ajv;
  /** `group/version/Kind` -> definition name in the Kubernetes definitions. */
  readonly builtin: Map<string, string>;
  /** `group/version/Kind` -> CRD openAPIV3Schema of that served version (already closed). */
  readonly crds: Map<string, Schema>;
  readonly compiled: Map<string, ValidateFunction>;
}

let cached: { dir: string; index: SchemaIndex } | undefined;

function gvk(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function buildIndex(): SchemaIndex {
  const ajv = newAjv();
  const raw = readUpstreamJson<{ definitions: Record<string, Schema> }>(K8S_DEFINITIONS);
  const definitions = Object.fromEntries(Object.entries(raw.definitions).map(([name, def]) => [name, closeSchema(def)]));
  ajv.addSchema({ $id: K8S_SCHEMA_ID, definitions });
  const builtin = new Map<string, string>();
  for (const [name, def] of Object.entries(raw.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
    // Types shared by every group (DeleteOptions, WatchEvent, ...) are not manifests.
    if (!gvks || gvks.length !== 1) continue;
    builtin.set(gvk(gvks[0].group, gvks[0].version, gvks[0].kind), name);
  }
  const crds = new Map<string, Schema>();
  for (const rel of listUpstreamFiles('crds', '.yaml')) {
    for (const doc of readUpstreamYamlDocuments(rel) as Schema[]) {
      if (doc?.kind !== 'CustomResourceDefinition') continue;
      for (const v of doc.spec.versions ?? []) {
        if (!v.served || !v.schema?.openAPIV3Schema) continue;
        const schema = closeSchema(convertPatterns(v.schema.openAPIV3Schema));
        schema.properties = { ...(schema.properties ?? {}), metadata: { $ref: `${K8S_SCHEMA_ID}#/definitions/${OBJECT_META}` } };
        schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind'])];
        crds.set(gvk(doc.spec.group, v.name, doc.spec.names.kind), schema);
      }
    }
  }
  return { ajv, builtin, crds, compiled: new Map() };
}

function index(): SchemaIndex {
  const dir = upstreamDir();
  if (!cached || cached.dir !== dir) cached = { dir, index: buildIndex() };
  return cached.index;
}

function validatorFor(idx: SchemaIndex, key: string): ValidateFunction | undefined {
  let fn = idx.compiled.get(key);
  if (fn) return fn;
  const def = idx.builtin.get(key);
  if (def) {
    fn = idx.ajv.compile({ $ref: `${K8S_SCHEMA_ID}#/definitions/${def}` });
  } else {
    const crd = idx.crds.get(key);
    if (!crd) return undefined;
    fn = idx.ajv.compile(crd);
  }
  idx.compiled.set(key, fn);
  return fn;
}

/**
 * Readable messages for ajv errors. An IntOrString/Quantity mismatch (a `oneOf`/`anyOf` whose
 * branches only differ by type) becomes one "must be string or integer" message instead of one
 * error per branch; other combinator failures keep their branch errors.
 */
function describe(errors: ErrorObject[]): string[] {
  const branchErrors = (c: ErrorObject): ErrorObject[] =>
    errors.filter((e) => e !== c && e.instancePath === c.instancePath && e.schemaPath.startsWith(`${c.schemaPath}/`));
  const typeOnly = new Map<ErrorObject, string[]>();
  for (const c of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const branches = branchErrors(c);
    if (branches.length > 0 && branches.every((b) => b.keyword === 'type')) {
      typeOnly.set(
        c,
        branches.map((b) => String((b.params as { type: string }).type)),
      );
    }
  }
  const folded = new Set([...typeOnly.keys()].flatMap(branchErrors));
  const out: string[] = [];
  for (const e of errors) {
    if (folded.has(e)) continue;
    let p = e.instancePath;
    let msg = e.message ?? e.keyword;
    if (e.keyword === 'additionalProperties') {
      p = `${p}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    } else if (e.keyword === 'enum') {
      msg = `${msg}: ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    } else if (typeOnly.has(e)) {
      msg = `must be ${typeOnly.get(e)!.join(' or ')}`;
    }
    out.push(`${p || '/'}: ${msg}`);
  }
  return [...new Set(out)];
}

/**
 * Validates every object against the Kubernetes 1.28 schema of its apiVersion/kind, or against
 * its CRD's schema, with unknown fields rejected. Returns one message per problem, e.g.
 * `Deployment default/web: /spec/template/spec/containers/0/foo: must NOT have additional properties`.
 */
export function validateSchema(objects: any[]): string[] {
  const idx = index();
  const problems: string[] = [];
  for (const obj of objects) {
    const ref = objectRef(obj);
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      problems.push(`${ref}: must have string apiVersion and kind`);
      continue;
    }
    const version = obj.apiVersion.includes('/') ? obj.apiVersion.slice(obj.apiVersion.indexOf('/') + 1) : obj.apiVersion;
    const key = gvk(apiGroup(obj.apiVersion), version, obj.kind);
    const validate = validatorFor(idx, key);
    if (!validate) {
      problems.push(`${ref}: unknown kind ${obj.kind} in apiVersion ${obj.apiVersion} (not in Kubernetes 1.28 nor in the pinned CRDs)`);
      continue;
    }
    if (!validate(obj)) {
      for (const m of describe(validate.errors ?? [])) problems.push(`${ref}: ${m}`);
    }
  }
  return problems;
}

/** The apiVersion/kind pairs the validator knows (for documentation and tests). */
export function knownKinds(): { builtin: string[]; crds: string[] } {
  const idx = index();
  return { builtin: [...idx.builtin.keys()].sort(), crds: [...idx.crds.keys()].sort() };
}
