import { POLARIS_DATA } from './data';
import { withoutNulls, podTemplateOf, PodTemplateRef } from './pod-security';
import { asTypedPodSpec } from './polaris-typed';
import { POLARIS_TEXT } from './polaris-messages';
import {
  containerHardened,
  hasNetworkPolicy,
  hasPodDisruptionBudget,
  hasReplicas,
  hpaCanScale,
  ofKind,
  pdbFitsHpa,
  RBAC_GATES,
  serviceAccountTokenNotMounted,
} from './polaris-native';
import { builtinClusterRoles } from './rbac-builtin';
import { Check, SchemaCompiler, SchemaNode } from './schema-eval';
import type { CheckContext, CheckFamily, Manifest, RawFinding } from './types';

// Polaris v10.2.2 without the Polaris binary: each check's schema (generated data) runs against
// the part of the object its `target` names, as Polaris' schema validator does; checks that are
// Go-template logic, Go code or cross-object lookups run natively (polaris-native.ts). Severities
// are Polaris' defaults: danger -> error, warning -> warning, ignore -> not reported.

export type PolarisLevel = 'danger' | 'warning' | 'ignore';

interface CheckData {
  readonly severity: PolarisLevel;
  readonly target: string;
  readonly schemaTarget?: string;
  readonly controllers?: { include: string[]; exclude: string[] };
  readonly containers?: { include: string[]; exclude: string[] };
  readonly schema?: SchemaNode;
  readonly native?: boolean;
  readonly additional?: Record<string, SchemaNode>;
}

interface LoadedCheck extends CheckData {
  readonly id: string;
  main?: Check;
  readonly extra: Map<string, Check>;
  compiler?: SchemaCompiler;
}

let loaded: { version: string; checks: LoadedCheck[] } | undefined;

function polaris(): { version: string; checks: LoadedCheck[] } {
  if (!loaded) {
    const data = JSON.parse(POLARIS_DATA) as { version: string; checks: Record<string, CheckData> };
    loaded = { version: data.version, checks: Object.entries(data.checks).map(([id, c]) => ({ ...c, id, extra: new Map() })) };
  }
  return loaded;
}

/** Polaris' default severity of each built-in check. */
export function polarisDefaultSeverities(): Record<string, PolarisLevel> {
  return Object.fromEntries(polaris().checks.map((c) => [c.id, c.severity]));
}

function compilerFor(check: LoadedCheck, root: SchemaNode): SchemaCompiler {
  return new SchemaCompiler({
    resolve: (ref) => {
      const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
      return m ? root[m[1]]?.[m[2]] : undefined;
    },
  });
}

function mainCheck(check: LoadedCheck): Check | undefined {
  if (!check.schema) return undefined;
  if (!check.main) check.main = compilerFor(check, check.schema).compile(check.schema);
  return check.main;
}

function extraCheck(check: LoadedCheck, kind: string): Check {
  let c = check.extra.get(kind);
  if (!c) {
    const root = check.additional![kind];
    c = compilerFor(check, root).compile(root);
    check.extra.set(kind, c);
  }
  return c;
}

function passes(check: Check, value: unknown, data: unknown): boolean {
  return check(value, { path: [], errors: undefined, data });
}

/**
 * `policy/PodDisruptionBudget`, `/ConfigMap` or `ServiceAccount` against an object. Polaris
 * compares the kind only (its own fixtures write `apiVersion: v1` PodDisruptionBudgets).
 */
function kindTargetMatches(target: string, obj: Manifest): boolean {
  return typeof obj.kind === 'string' && (target === obj.kind || target.endsWith(`/${obj.kind}`));
}

const POD_TARGETS = new Set(['Controller', 'PodSpec', 'PodTemplate', 'Container']);

function controllerApplies(check: CheckData, kind: string): boolean {
  const c = check.controllers;
  if (!c) return true;
  if (c.include.length > 0 && !c.include.includes(kind)) return false;
  return !c.exclude.includes(kind);
}

function containerApplies(check: CheckData, isInit: boolean): boolean {
  const c = check.containers;
  if (!c) return true;
  const matches = (entry: string): boolean => (entry === 'initContainer' && isInit) || (entry === 'container' && !isInit);
  if (c.include.length > 0 && !c.include.some(matches)) return false;
  return !c.exclude.some(matches);
}

/** The role objects an RBAC binding check may look up: the input's, then the built-in ClusterRoles. */
function rolesOf(objects: readonly Manifest[]): Map<string, Manifest[]> {
  const clusterRoles = ofKind(objects, 'rbac.authorization.k8s.io', 'ClusterRole');
  const names = new Set(clusterRoles.map((r) => r.metadata?.name));
  return new Map([
    ['rbac.authorization.k8s.io/ClusterRole', [...clusterRoles, ...builtinClusterRoles().filter((r) => !names.has(r.metadata.name))]],
    ['rbac.authorization.k8s.io/Role', ofKind(objects, 'rbac.authorization.k8s.io', 'Role')],
  ]);
}

/** The cross-object half of an RBAC binding check, as Polaris' additional schemas do it. */
function additionalPasses(check: LoadedCheck, binding: Manifest, roles: Map<string, Manifest[]>): boolean {
  const gate = RBAC_GATES[check.id];
  for (const kind of Object.keys(check.additional ?? {})) {
    const ns = binding.metadata?.namespace ?? '';
    const candidates = (roles.get(kind) ?? []).filter((r) => (r.metadata?.namespace ?? '') === '' || r.metadata?.namespace === ns);
    // Where upstream leaves `type: object` outside its conditions, a binding the conditions
    // exempt still fails when no role of that kind is visible at all (a RoleBinding to the
    // ClusterRole `view` in a namespace without Roles fails rolebindingClusterAdminRole). That
    // judges nothing about the binding; here an exempt binding passes (docs/validation.md).
    if (gate && !gate(binding)) continue;
    const c = extraCheck(check, kind);
    if (!candidates.some((r) => passes(c, r, binding))) return false;
  }
  return true;
}

type Cross = (obj: Manifest, pod: PodTemplateRef, objects: readonly Manifest[]) => boolean;

/** Native rules for pod-level checks (replacing or completing the schema). */
const NATIVE_POD: Record<string, { replaces: boolean; fn: Cross }> = {
  deploymentMissingReplicas: { replaces: true, fn: (o, _p, all) => hasReplicas(o, all) },
  pdbMinAvailableGreaterThanHPAMinReplicas: { replaces: true, fn: (o, p, all) => pdbFitsHpa(o, p.template, all) },
  missingNetworkPolicy: { replaces: false, fn: (o, p, all) => hasNetworkPolicy(o, p.template, all) },
  missingPodDisruptionBudget: { replaces: false, fn: (o, p, all) => hasPodDisruptionBudget(o, p.template, all) },
  automountServiceAccountToken: { replaces: false, fn: (o, p, all) => serviceAccountTokenNotMounted(o, p.spec, all) },
};

/** Ids of the checks evaluated natively rather than (only) by their schema data. */
export const NATIVE_POLARIS_CHECKS: readonly string[] = [...Object.keys(NATIVE_POD), 'linuxHardening', 'hpaMaxAvailability'];

export interface PolarisOptions {
  /** Severity per check id, replacing Polaris' default (e.g. a check forced to `danger`). @default Polaris' default.yaml */
  readonly severities?: Readonly<Record<string, PolarisLevel>>;
  /** Run only these checks. @default every built-in check */
  readonly only?: readonly string[];
}

/** Runs the built-in Polaris checks over the context's objects. */
export function runPolarisChecks(ctx: CheckContext, options: PolarisOptions = {}): RawFinding[] {
  const all = polaris().checks.filter((c) => !options.only || options.only.includes(c.id));
  const objects = ctx.objects.map((o) => withoutNulls(o.manifest));
  const roles = rolesOf(objects);
  const out: RawFinding[] = [];
  objects.forEach((obj, index) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
    const untyped = podTemplateOf(obj);
    const pod = untyped ? { ...untyped, spec: asTypedPodSpec(untyped.spec) } : undefined;
    const data = pod ? { ...obj, Polaris: { PodSpec: pod.spec, PodTemplate: pod.template } } : obj;
    for (const check of all) {
      const level = options.severities?.[check.id] ?? check.severity;
      if (level === 'ignore') continue;
      const text = POLARIS_TEXT[check.id];
      const fail = (path: string, container?: string): void => {
        out.push({
          id: `polaris/${check.id}`,
          severity: level === 'danger' ? 'error' : 'warning',
          objectIndex: index,
          path,
          message: text?.message ?? `Polaris check ${check.id} failed`,
          ...(container !== undefined ? { container } : {}),
        });
      };
      const field = text?.field ?? '';
      const join = (base: string, f: string): string => (f === '' ? base : base === '' ? f : `${base}.${f}`);
      const evaluated = (): void => ctx.onEvaluated?.(`polaris/${check.id}`, index);

      if (!POD_TARGETS.has(check.target)) {
        if (!kindTargetMatches(check.target, obj)) continue;
        evaluated();
        let ok: boolean;
        if (check.id === 'hpaMaxAvailability') ok = hpaCanScale(obj);
        else {
          const main = mainCheck(check);
          ok = (!main || passes(main, obj, obj)) && (!check.additional || additionalPasses(check, obj, roles));
        }
        if (!ok) fail(field);
        continue;
      }
      if (!pod || !controllerApplies(check, obj.kind)) continue;
      if (check.target !== 'Container') {
        evaluated();
        const native = NATIVE_POD[check.id];
        const value = check.target === 'Controller' ? obj : check.target === 'PodSpec' ? pod.spec : pod.template;
        const main = native?.replaces ? undefined : mainCheck(check);
        const ok = (!main || passes(main, value, data)) && (!native || native.fn(obj, pod, objects));
        const base = check.target === 'Controller' ? '' : check.target === 'PodSpec' ? pod.specPath : pod.specPath.replace(/\.spec$/, '') || '';
        if (!ok) fail(join(base, field));
        continue;
      }
      // Container target: init containers first, as Polaris does; ephemeral containers are not checked.
      const containers: [Manifest, boolean, number][] = [
        ...(Array.isArray(pod.spec.initContainers) ? pod.spec.initContainers : []).map((c: Manifest, i: number): [Manifest, boolean, number] => [c, true, i]),
        ...(Array.isArray(pod.spec.containers) ? pod.spec.containers : []).map((c: Manifest, i: number): [Manifest, boolean, number] => [c, false, i]),
      ];
      for (const [c, isInit, i] of containers) {
        if (c === null || typeof c !== 'object' || !containerApplies(check, isInit)) continue;
        evaluated();
        const cData = { ...data, Polaris: { ...(data as Manifest).Polaris, Container: c } };
        let ok: boolean;
        if (check.id === 'linuxHardening') ok = containerHardened({ ...pod.template, spec: pod.spec }, c);
        else {
          const main = mainCheck(check);
          const value = check.schemaTarget === 'PodSpec' ? { ...pod.spec, initContainers: [], containers: [c] } : c;
          ok = !main || passes(main, value, cData);
        }
        if (!ok) fail(join(`${pod.specPath}.${isInit ? 'initContainers' : 'containers'}[${i}]`, field), typeof c.name === 'string' ? c.name : undefined);
      }
    }
  });
  return out;
}

/** The Polaris family at Polaris' default severities. Ids `polaris/<checkId>`. */
export const polarisFamily: CheckFamily = (ctx) => runPolarisChecks(ctx);
