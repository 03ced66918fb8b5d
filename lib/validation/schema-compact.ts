import { convertPatterns } from './go-regex';
import type { SchemaNode } from './schema-eval';

// Turns upstream schemas into the compact, prose-free form the engine evaluates. Used by the
// data generator (scripts/gen-validation-data.ts) and at run time for CRDs the user passes in,
// so both get exactly the same treatment.

/** Keywords kept: constraints only (names, types, enums, required lists, formats, patterns). */
const KEEP = new Set([
  'type',
  'properties',
  'required',
  'enum',
  'format',
  'items',
  'additionalProperties',
  '$ref',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
  'minProperties',
  'maxProperties',
  'const',
  'contains',
  'propertyNames',
  'patternProperties',
  '$defs',
  'definitions',
  'if',
  'then',
  'else',
  'nullable',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-template-const',
  // Written by celKeywords below (CRDs only): the CEL rules and the defaults they read.
  'x-cel-rules',
  'x-cel-default',
]);

/** Keywords whose value is a map of name -> schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);
/** Keywords whose value is a schema or a list of schemas. */
const SCHEMA_VALUES = new Set(['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'not', 'contains', 'propertyNames', 'if', 'then', 'else']);

/**
 * Drops every keyword that is not a constraint (`description`, `title`, `example`, `default`,
 * `x-kubernetes-validations` with its messages, list/patch hints, `$schema`, `$comment`) and
 * null-valued keywords such as a bare `required:`. CRD schemas go through {@link celKeywords}
 * first, which keeps their CEL rules and the defaults those read under names of our own.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema JSON of any shape
export function stripSchema(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(schema as SchemaNode)) {
    if (!KEEP.has(k)) continue;
    if (v === null && k !== 'const') continue;
    if (SCHEMA_MAPS.has(k)) {
      out[k] = Object.fromEntries(Object.entries(v as SchemaNode).map(([name, s]) => [name, stripSchema(s)]));
    } else if (SCHEMA_VALUES.has(k)) {
      out[k] = typeof v === 'boolean' ? v : stripSchema(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/**
 * Closes object schemas so unknown fields are rejected (`kubeconform -strict`, the API server's
 * strict field validation): every schema with `properties` and no `additionalProperties` gets
 * `additionalProperties: false`. Maps (an `additionalProperties` schema) and nodes marked
 * `x-kubernetes-preserve-unknown-fields` stay open, and so do `allOf`/`anyOf`/`oneOf`/`not`
 * branches: in a structural schema they only constrain fields the enclosing schema declares.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema JSON of any shape
export function closeSchema(schema: any, inBranch = false): any {
  if (Array.isArray(schema)) return schema.map((s) => closeSchema(s, inBranch));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(schema as SchemaNode)) {
    if (SCHEMA_MAPS.has(k)) {
      out[k] = Object.fromEntries(Object.entries(v as SchemaNode).map(([name, s]) => [name, closeSchema(s, inBranch)]));
    } else if (k === 'items' || k === 'additionalProperties') {
      out[k] = closeSchema(v, inBranch);
    } else if (k === 'not' || k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
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

/**
 * One CEL validation rule as the compact data keeps it (`x-cel-rules`). CRDs in the user's own
 * input keep `message` and `messageExpression` (their data, not ours); the shipped data drops
 * them: they are upstream prose, so a shipped rule is reported as the API server reports a rule
 * without a message (`failed rule: <rule>`).
 */
export interface CompactCelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** What the shipped data keeps of a rule: the expression and where it reports, facts only. */
const SHIPPED_RULE_FIELDS = ['rule', 'fieldPath', 'reason', 'optionalOldSelf'] as const;
/** What a CRD of the user's input keeps. */
const INPUT_RULE_FIELDS = ['rule', 'message', 'messageExpression', 'fieldPath', 'reason', 'optionalOldSelf'] as const;

function hasRules(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(hasRules);
  if (node === null || typeof node !== 'object') return false;
  for (const [k, v] of Object.entries(node as SchemaNode)) {
    if (k === 'x-kubernetes-validations' && Array.isArray(v) && v.length > 0) return true;
    if (k !== 'default' && k !== 'example' && k !== 'enum' && hasRules(v)) return true;
  }
  return false;
}

/**
 * Carries what the CEL evaluation (lib/validation/cel.ts) needs through {@link stripSchema}, under
 * names of our own since the forms differ from upstream's: each `x-kubernetes-validations` entry
 * becomes an `x-cel-rules` entry with the rule, fieldPath, reason and optionalOldSelf (and, for a
 * CRD of the user's input, `keepMessages`, its message and messageExpression); a `default` becomes
 * `x-cel-default` only where a rule can read it (under or above a node with rules), since the API
 * server applies defaults before it evaluates the rules. Other defaults are dropped as before.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema JSON of any shape
export function celKeywords(schema: any, underRule = false, keepMessages = false): any {
  if (Array.isArray(schema)) return schema.map((s) => celKeywords(s, underRule, keepMessages));
  if (schema === null || typeof schema !== 'object') return schema;
  const rules = Array.isArray(schema['x-kubernetes-validations']) ? (schema['x-kubernetes-validations'] as SchemaNode[]) : [];
  const inside = underRule || rules.length > 0;
  const out: SchemaNode = {};
  for (const [k, v] of Object.entries(schema as SchemaNode)) {
    if (k === 'x-kubernetes-validations') {
      const kept = rules
        .filter((r) => r && typeof r.rule === 'string')
        .map((r) =>
          Object.fromEntries(
            (keepMessages ? INPUT_RULE_FIELDS : SHIPPED_RULE_FIELDS).filter((f) => r[f] !== undefined && r[f] !== null && r[f] !== '').map((f) => [f, r[f]]),
          ),
        );
      if (kept.length > 0) out['x-cel-rules'] = kept;
    } else if (k === 'default') {
      if (v !== undefined && (inside || hasRules(schema))) out['x-cel-default'] = v;
    } else if (SCHEMA_MAPS.has(k) && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as SchemaNode).map(([name, s]) => [name, celKeywords(s, inside, keepMessages)]));
    } else if (SCHEMA_VALUES.has(k)) {
      out[k] = typeof v === 'boolean' ? v : celKeywords(v, inside, keepMessages);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function dropDefaults(node: SchemaNode): SchemaNode {
  if (Array.isArray(node)) return node.map(dropDefaults) as unknown as SchemaNode;
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'x-cel-default')
      .map(([k, v]) => [k, dropDefaults(v as SchemaNode)]),
  );
}

/** The definition every object's `metadata` is checked against. */
export const OBJECT_META_REF = '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** `group/version/Kind` key of the schema index. */
export function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/**
 * The compact schemas of a CustomResourceDefinition, one per served version, keyed by
 * `group/version/Kind`: prose stripped, Go patterns converted, objects closed, `metadata` checked
 * as Kubernetes ObjectMeta, apiVersion and kind allowed and required, CEL rules and the defaults
 * they read kept ({@link celKeywords}; the rules' messages only with `keepRuleMessages`, for CRDs
 * of the user's input: the shipped data carries no upstream prose). Versions without a schema are skipped.
 */
export function compactCrd(crd: SchemaNode, options: { readonly keepRuleMessages?: boolean } = {}): Record<string, SchemaNode> {
  const out: Record<string, SchemaNode> = {};
  const spec = crd?.spec ?? {};
  const group = spec.group;
  const kind = spec.names?.kind;
  if (typeof group !== 'string' || typeof kind !== 'string' || !Array.isArray(spec.versions)) return out;
  for (const v of spec.versions) {
    const raw = v?.schema?.openAPIV3Schema;
    if (v?.served === false || !raw || typeof v.name !== 'string') continue;
    const schema = closeSchema(stripSchema(convertPatterns(celKeywords(raw, false, options.keepRuleMessages ?? false))));
    // A custom resource's status is the controller's (the API server ignores it on create with a
    // status subresource): no defaults there, whose texts ("Waiting for controller") are prose.
    if (schema.properties?.status) schema.properties.status = dropDefaults(schema.properties.status);
    // The API server accepts apiVersion, kind and metadata at the root of every custom resource,
    // whether the CRD's schema lists them or not.
    schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...(schema.properties ?? {}), metadata: { $ref: OBJECT_META_REF } };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind'])];
    out[gvkKey(group, v.name, kind)] = schema;
  }
  return out;
}
