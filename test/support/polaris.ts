import Ajv2019 from 'ajv/dist/2019';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { convertPatterns } from './go-regex';
import { Manifest, objectRef, podTemplateOf } from './objects';
import {
  clusterRoleBindingRoleOk,
  containerHardened,
  hasNetworkPolicy,
  hasPodDisruptionBudget,
  hasReplicas,
  hpaCanScale,
  pdbFitsHpa,
  roleBindingRoleOk,
  serviceAccountTokenNotMounted,
} from './polaris-native';
import { readUpstreamYaml, upstreamDir } from './upstream';

/**
 * Polaris (v10.2.2 check files from the pinned upstream folder) evaluated without the Polaris
 * binary: each check's JSON Schema runs with ajv against the part of the object its `target`
 * names, the way Polaris' schema validator does; checks written as Go templates or Go code run
 * natively (polaris-native.ts).
 */

export type PolarisSeverity = 'danger' | 'warning';

/** One failed Polaris check. */
export interface PolarisFinding {
  readonly checkId: string;
  readonly severity: PolarisSeverity;
  /** `Kind ns/name` of the object the check ran on. */
  readonly object: string;
  /** Container name, for container-level checks. */
  readonly container?: string;
  /** The check's failure message. */
  readonly message: string;
}

/** A check id with the reason it is treated specially. */
export interface PolarisCheckNote {
  readonly id: string;
  readonly reason: string;
}

/** An accepted warning-level check, with the reason we accept it. */
export interface PolarisAllowance {
  readonly checkId: string;
  readonly reason: string;
}

/**
 * The ONE list of warning-level Polaris checks the project knowingly accepts everywhere. A
 * danger-level check can never be listed: {@link assertAllowable} throws for one.
 */
export const POLARIS_ALLOWLIST: readonly PolarisAllowance[] = [
  {
    checkId: 'priorityClassNotSet',
    reason:
      'PriorityClasses are cluster-wide scheduling policy that this library does not define, and a ' +
      'pod naming a PriorityClass that does not exist is rejected at admission; tenants get the ' +
      "cluster's default priority until the platform defines classes.",
  },
];

/**
 * Checks evaluated only in part: their upstream binding schema runs, and the rules of the role the
 * binding references are checked natively when that role is among the objects. A referenced role
 * that is not (a built-in such as `view`/`edit`, or one created elsewhere) cannot be judged and
 * passes; upstream fails the binding in that case, whatever the role allows.
 */
export const SKIPPED_POLARIS_CHECKS: readonly PolarisCheckNote[] = [
  'clusterrolebindingClusterAdmin',
  'clusterrolebindingPodExecAttach',
  'rolebindingClusterAdminClusterRole',
  'rolebindingClusterAdminRole',
  'rolebindingClusterRolePodExecAttach',
  'rolebindingRolePodExecAttach',
].map((id) => ({
  id,
  reason:
    'partly: a referenced Role/ClusterRole that is not among the synthesized objects (a built-in or pre-existing role) ' +
    'is not inspected and the binding passes; upstream fails it. The binding schema and the rules of roles we synthesize are checked.',
}));

type NativeRule =
  | { readonly on: 'controller'; readonly fn: (o: Manifest, all: Manifest[]) => boolean }
  | { readonly on: 'container'; readonly fn: (template: Manifest, c: Manifest) => boolean }
  | { readonly on: 'object'; readonly fn: (o: Manifest) => boolean }
  /** Runs after the upstream schema passed, in place of its Go-template additional schema. */
  | { readonly on: 'additional'; readonly fn: (o: Manifest, all: Manifest[]) => boolean };

/** Checks evaluated natively (cross-object logic, Go templates with control flow, or Go code). */
const NATIVE: Record<string, NativeRule> = {
  missingNetworkPolicy: { on: 'controller', fn: hasNetworkPolicy },
  deploymentMissingReplicas: { on: 'controller', fn: hasReplicas },
  missingPodDisruptionBudget: { on: 'controller', fn: hasPodDisruptionBudget },
  pdbMinAvailableGreaterThanHPAMinReplicas: { on: 'controller', fn: pdbFitsHpa },
  automountServiceAccountToken: { on: 'controller', fn: serviceAccountTokenNotMounted },
  linuxHardening: { on: 'container', fn: containerHardened },
  hpaMaxAvailability: { on: 'object', fn: hpaCanScale },
};

/** The additional (cross-object) part of checks whose main schema runs as upstream wrote it. */
const ADDITIONAL: Record<string, NativeRule> = {
  clusterrolebindingClusterAdmin: { on: 'additional', fn: clusterRoleBindingRoleOk('wildcard') },
  clusterrolebindingPodExecAttach: { on: 'additional', fn: clusterRoleBindingRoleOk('exec') },
  rolebindingClusterAdminClusterRole: { on: 'additional', fn: roleBindingRoleOk('ClusterRole', 'wildcard') },
  rolebindingClusterAdminRole: { on: 'additional', fn: roleBindingRoleOk('Role', 'wildcard') },
  rolebindingClusterRolePodExecAttach: { on: 'additional', fn: roleBindingRoleOk('ClusterRole', 'exec') },
  rolebindingRolePodExecAttach: { on: 'additional', fn: roleBindingRoleOk('Role', 'exec') },
};

/** Ids of the checks evaluated natively rather than by their JSON Schema. */
export const NATIVE_POLARIS_CHECKS: readonly string[] = Object.keys(NATIVE);

const HANDLED_TARGETS = new Set(['Controller', 'Container', 'PodSpec', 'PodTemplate']);

interface LoadedCheck {
  readonly id: string;
  readonly severity: PolarisSeverity | 'ignore';
  readonly target: string;
  readonly schemaTarget?: string;
  readonly controllers: { include: string[]; exclude: string[] };
  readonly containers: { include: string[]; exclude: string[] };
  readonly message: string;
  readonly native?: NativeRule;
  /** Parsed schema (patterns converted); may hold simple `{{ .path }}` references. */
  readonly schema?: Record<string, unknown>;
  readonly templated: boolean;
}

interface Loaded {
  readonly checks: LoadedCheck[];
  readonly severities: Record<string, string>;
  readonly ajv: Ajv2019;
  readonly compiled: Map<string, ValidateFunction>;
}

let cache: { dir: string; loaded: Loaded } | undefined;

const SIMPLE_REF = /\{\{-?\s*(\.[A-Za-z0-9_.]+)\s*-?\}\}/g;

/** True when every `{{ ... }}` action in the text is a plain `.path` reference. */
function onlySimpleRefs(text: string): boolean {
  const actions = text.match(/\{\{[\s\S]*?\}\}/g) ?? [];
  return actions.every((a) => /^\{\{-?\s*\.[A-Za-z0-9_.]+\s*-?\}\}$/.test(a));
}

/** Drops `$schema` (ajv picks the draft) and null-valued keywords such as a bare `required:`. */
function tidy(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tidy);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === '$schema') continue;
    if (v === null && k !== 'const' && k !== 'default') continue;
    out[k] = tidy(v);
  }
  return out;
}

/** Keyword standing in for `const: "{{ .path }}"`, so such schemas compile once, not per object. */
const TEMPLATE_CONST = 'x-polaris-template-const';

/** Template data of the object being checked, read by the TEMPLATE_CONST keyword. */
let templateData: Record<string, any> = {};

/** Rewrites `const` values that hold `{{ .path }}` references into the TEMPLATE_CONST keyword. */
function templateConsts(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(templateConsts);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'const' && typeof v === 'string' && v.includes('{{')) out[TEMPLATE_CONST] = v;
    else out[k] = templateConsts(v);
  }
  return out;
}

function load(): Loaded {
  const def = readUpstreamYaml<{ checks: Record<string, string> }>('polaris/default.yaml');
  const checks: LoadedCheck[] = [];
  for (const [id, severity] of Object.entries(def.checks)) {
    const file = readUpstreamYaml<Record<string, any>>(`polaris/checks/${id}.yaml`);
    const native = NATIVE[id];
    let schema: Record<string, unknown> | undefined;
    let templated = false;
    if (!native) {
      const text = file.schemaString ?? (file.schema ? JSON.stringify(file.schema) : undefined);
      if (text === undefined || !onlySimpleRefs(text)) {
        throw new Error(`Polaris check ${id} has no plain JSON Schema; implement it in polaris-native.ts`);
      }
      const additional = { ...(file.additionalSchemaStrings ?? {}), ...(file.additionalSchemas ?? {}) };
      if (Object.keys(additional).length > 0 && !ADDITIONAL[id]) {
        throw new Error(`Polaris check ${id} has additional schemas; implement them in polaris-native.ts`);
      }
      schema = templateConsts(tidy(convertPatterns(file.schemaString !== undefined ? parseYaml(file.schemaString) : file.schema))) as Record<string, unknown>;
      templated = JSON.stringify(schema, (k, v) => (k === TEMPLATE_CONST ? undefined : v)).includes('{{');
    }
    checks.push({
      id,
      severity: severity as LoadedCheck['severity'],
      target: file.target,
      schemaTarget: file.schemaTarget,
      controllers: { include: file.controllers?.include ?? [], exclude: file.controllers?.exclude ?? [] },
      containers: { include: file.containers?.include ?? [], exclude: file.containers?.exclude ?? [] },
      message: file.failureMessage ?? file.FailureMessage ?? `${id} failed`,
      native: native ?? ADDITIONAL[id],
      schema,
      templated,
    });
  }
  const ajv = new Ajv2019({ strict: false, allErrors: false, unicodeRegExp: false, validateSchema: false });
  ajv.addKeyword({
    keyword: TEMPLATE_CONST,
    schemaType: 'string',
    errors: false,
    validate: (tmpl: string, value: unknown) => value === render(tmpl, templateData),
  });
  return { checks, severities: def.checks, ajv, compiled: new Map() };
}

function loaded(): Loaded {
  const dir = upstreamDir();
  if (!cache || cache.dir !== dir) cache = { dir, loaded: load() };
  return cache.loaded;
}

/** Severity Polaris' default configuration gives a check, or undefined for an unknown id. */
export function polarisSeverity(checkId: string): string | undefined {
  return loaded().severities[checkId];
}

/** How each check of the default configuration is evaluated: upstream schema, natively, or in part. */
export function polarisCheckModes(): Record<string, 'schema' | 'native' | 'partial'> {
  const partial = new Set(SKIPPED_POLARIS_CHECKS.map((s) => s.id));
  return Object.fromEntries(loaded().checks.map((c) => [c.id, NATIVE[c.id] ? 'native' : partial.has(c.id) ? 'partial' : 'schema'] as const));
}

/** Throws unless every id is a known check of warning severity: dangers cannot be allowlisted. */
export function assertAllowable(checkIds: readonly string[]): void {
  for (const id of checkIds) {
    const sev = polarisSeverity(id);
    if (sev === undefined) throw new Error(`Polaris allowlist: unknown check "${id}"`);
    if (sev !== 'warning') throw new Error(`Polaris allowlist: "${id}" is a ${sev}-level check; only warnings can be allowed`);
  }
}

function lookup(data: Record<string, any>, path: string): unknown {
  let cur: any = data;
  for (const part of path.split('.').filter((p) => p !== '')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Fills `{{ .path }}` references in string values, printing a missing value as Go does. */
function render(schema: unknown, data: Record<string, any>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => render(s, data));
  if (typeof schema === 'string') {
    return schema.replace(SIMPLE_REF, (_m, p: string) => {
      const v = lookup(data, p);
      return v === undefined || v === null ? '<no value>' : String(v);
    });
  }
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema as Record<string, unknown>).map(([k, v]) => [k, render(v, data)]));
}

function validatorFor(l: Loaded, check: LoadedCheck, data: Record<string, any>): ValidateFunction {
  const schema = check.templated ? render(check.schema, data) : check.schema;
  const key = check.templated ? `${check.id}\u0000${JSON.stringify(schema)}` : check.id;
  let fn = l.compiled.get(key);
  if (!fn) {
    fn = l.ajv.compile(schema as object);
    l.compiled.set(key, fn);
  }
  return fn;
}

function controllerApplies(check: LoadedCheck, kind: string): boolean {
  if (check.controllers.include.length > 0 && !check.controllers.include.includes(kind)) return false;
  return !check.controllers.exclude.includes(kind);
}

function containerApplies(check: LoadedCheck, isInit: boolean): boolean {
  const matches = (entry: string): boolean => (entry === 'initContainer' && isInit) || (entry === 'container' && !isInit);
  if (check.containers.include.length > 0 && !check.containers.include.some(matches)) return false;
  return !check.containers.exclude.some(matches);
}

function kindTargetMatches(target: string, kind: string): boolean {
  return !HANDLED_TARGETS.has(target) && (target === kind || target.endsWith(`/${kind}`));
}

/**
 * Runs every Polaris check of the default configuration (severity danger or warning) over the
 * objects and returns the failures, sorted. Exemptions of the upstream default configuration and
 * `polaris.fairwinds.com/*-exempt` annotations are not honoured: accepted warnings go through
 * {@link POLARIS_ALLOWLIST} or a test's `polarisAllow`.
 */
export function runPolaris(objects: any[]): PolarisFinding[] {
  const l = loaded();
  const findings: PolarisFinding[] = [];
  const fail = (check: LoadedCheck, obj: Manifest, container?: string): void => {
    if (check.severity === 'ignore') return;
    findings.push({
      checkId: check.id,
      severity: check.severity,
      object: objectRef(obj),
      ...(container !== undefined ? { container } : {}),
      message: check.message,
    });
  };
  const schemaPasses = (check: LoadedCheck, value: unknown, data: Record<string, any>): boolean => {
    templateData = data;
    return validatorFor(l, check, data)(value) as boolean;
  };

  for (const obj of objects) {
    if (!obj || typeof obj !== 'object') continue;
    const kind: string = obj.kind;
    const pod = podTemplateOf(obj);
    const data = pod ? { ...obj, Polaris: { PodSpec: pod.spec, PodTemplate: pod.template } } : obj;
    for (const check of l.checks) {
      if (check.severity === 'ignore') continue;
      const n = check.native;
      // Top-level checks aimed at a kind (PDBs, HPAs, RBAC, Ingress, ConfigMap, ...).
      if (kindTargetMatches(check.target, kind)) {
        let ok: boolean;
        if (n?.on === 'object') ok = n.fn(obj);
        else ok = schemaPasses(check, obj, data) && (n?.on !== 'additional' || n.fn(obj, objects));
        if (!ok) fail(check, obj);
        continue;
      }
      if (!pod || !HANDLED_TARGETS.has(check.target) || !controllerApplies(check, kind)) continue;
      if (check.target === 'Controller' || check.target === 'PodSpec' || check.target === 'PodTemplate') {
        if (n?.on === 'controller') {
          if (!n.fn(obj, objects)) fail(check, obj);
          continue;
        }
        const value = check.target === 'Controller' ? obj : check.target === 'PodSpec' ? pod.spec : pod.template;
        if (!schemaPasses(check, value, data)) fail(check, obj);
        continue;
      }
      // Container target: init containers first, as Polaris does; ephemeral containers are not checked.
      const all: [Manifest, boolean][] = [
        ...((pod.spec.initContainers ?? []) as Manifest[]).map((c): [Manifest, boolean] => [c, true]),
        ...((pod.spec.containers ?? []) as Manifest[]).map((c): [Manifest, boolean] => [c, false]),
      ];
      for (const [c, isInit] of all) {
        if (!containerApplies(check, isInit)) continue;
        let ok: boolean;
        if (n?.on === 'container') ok = n.fn(pod.template, c);
        else if (check.schemaTarget === 'PodSpec') {
          ok = schemaPasses(check, { ...pod.spec, initContainers: [], containers: [c] }, { ...data, Polaris: { ...data.Polaris, Container: c } });
        } else ok = schemaPasses(check, c, { ...data, Polaris: { ...data.Polaris, Container: c } });
        if (!ok) fail(check, obj, c.name);
      }
    }
  }
  const sortKey = (f: PolarisFinding): string => `${f.object}\u0000${f.container ?? ''}\u0000${f.checkId}`;
  return findings.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

/** One line per finding: `warning livenessProbeMissing Deployment shop/web container "main": ...`. */
export function formatFinding(f: PolarisFinding): string {
  const where = f.container !== undefined ? `${f.object} container "${f.container}"` : f.object;
  return `polaris ${f.severity} ${f.checkId}: ${where}: ${f.message}`;
}
