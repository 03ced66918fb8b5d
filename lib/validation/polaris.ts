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
  ObjectIndex,
  pdbFitsHpa,
  RBAC_GATES,
  serviceAccountTokenNotMounted,
} from './polaris-native';
import { builtinClusterRoles, builtinRoles } from './rbac-builtin';
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

/** The role objects an RBAC binding check may look up: the input's, then the built-in ClusterRoles and bootstrap Roles. */
function rolesOf(objects: ObjectIndex): Map<string, Manifest[]> {
  const clusterRoles = objects.of('rbac.authorization.k8s.io', 'ClusterRole');
  const names = new Set(clusterRoles.map((r) => r.metadata?.name));
  const roles = objects.of('rbac.authorization.k8s.io', 'Role');
  const roleKeys = new Set(roles.map((r) => `${r.metadata?.namespace ?? ''}/${r.metadata?.name}`));
  return new Map([
    ['rbac.authorization.k8s.io/ClusterRole', [...clusterRoles, ...builtinClusterRoles().filter((r) => !names.has(r.metadata.name))]],
    ['rbac.authorization.k8s.io/Role', [...roles, ...builtinRoles().filter((r) => !roleKeys.has(`${r.metadata.namespace}/${r.metadata.name}`))]],
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

type Cross = (obj: Manifest, pod: PodTemplateRef, objects: ObjectIndex) => boolean;

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
  // Checks sorted once by what they apply to, so each object meets only its own checks.
  const podChecks: [LoadedCheck, PolarisLevel][] = [];
  const kindChecks = new Map<string, [LoadedCheck, PolarisLevel][]>();
  for (const check of polaris().checks) {
    if (options.only && !options.only.includes(check.id)) continue;
    const level = options.severities?.[check.id] ?? check.severity;
    if (level === 'ignore') continue;
    if (POD_TARGETS.has(check.target)) podChecks.push([check, level]);
    else {
      // Polaris compares the kind only (its own fixtures write `apiVersion: v1` PodDisruptionBudgets).
      const kind = check.target.slice(check.target.lastIndexOf('/') + 1);
      kindChecks.set(kind, [...(kindChecks.get(kind) ?? []), [check, level]]);
    }
  }
  const objects = ctx.objects.map((o) => withoutNulls(o.manifest));
  const lookup = new ObjectIndex(objects);
  const roles = rolesOf(lookup);
  const out: RawFinding[] = [];
  const fail = (check: LoadedCheck, level: PolarisLevel, objectIndex: number, base: string, container?: string): void => {
    const text = POLARIS_TEXT[check.id];
    const field = text?.field ?? '';
    out.push({
      id: `polaris/${check.id}`,
      severity: level === 'danger' ? 'error' : 'warning',
      objectIndex,
      path: field === '' ? base : base === '' ? field : `${base}.${field}`,
      message: text?.message ?? `Polaris check ${check.id} failed`,
      ...(container !== undefined ? { container } : {}),
    });
  };
  const trace = ctx.onEvaluated;
  const evaluated = trace ? (check: LoadedCheck, index: number): void => trace(`polaris/${check.id}`, index) : (): void => undefined;

  objects.forEach((obj, index) => {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const [check, level] of (typeof obj.kind === 'string' && kindChecks.get(obj.kind)) || []) {
      evaluated(check, index);
      let ok: boolean;
      if (check.id === 'hpaMaxAvailability') ok = hpaCanScale(obj);
      else {
        const main = mainCheck(check);
        ok = (!main || passes(main, obj, obj)) && (!check.additional || additionalPasses(check, obj, roles));
      }
      if (!ok) fail(check, level, index, '');
    }
    const untyped = podTemplateOf(obj);
    if (!untyped) return;
    const pod = { ...untyped, spec: asTypedPodSpec(untyped.spec) };
    const data = { ...obj, Polaris: { PodSpec: pod.spec, PodTemplate: pod.template } };
    const templatePath = pod.specPath.replace(/\.spec$/, '');
    // Container targets: init containers first, as Polaris does; ephemeral containers are not checked.
    const containers = [
      ...(Array.isArray(pod.spec.initContainers) ? pod.spec.initContainers : []).map((c: Manifest, i: number) => ({ c, isInit: true, i })),
      ...(Array.isArray(pod.spec.containers) ? pod.spec.containers : []).map((c: Manifest, i: number) => ({ c, isInit: false, i })),
    ]
      .filter(({ c }) => c !== null && typeof c === 'object')
      .map(({ c, isInit, i }) => ({
        c,
        isInit,
        path: `${pod.specPath}.${isInit ? 'initContainers' : 'containers'}[${i}]`,
        name: typeof c.name === 'string' ? (c.name as string) : undefined,
        data: { ...data, Polaris: { ...data.Polaris, Container: c } },
        // What a `schemaTarget: PodSpec` container check sees: the pod with only this container.
        alone: { ...pod.spec, initContainers: [], containers: [c] },
      }));
    for (const [check, level] of podChecks) {
      if (!controllerApplies(check, obj.kind)) continue;
      if (check.target !== 'Container') {
        evaluated(check, index);
        const native = NATIVE_POD[check.id];
        const value = check.target === 'Controller' ? obj : check.target === 'PodSpec' ? pod.spec : pod.template;
        const main = native?.replaces ? undefined : mainCheck(check);
        const ok = (!main || passes(main, value, data)) && (!native || native.fn(obj, pod, lookup));
        if (!ok) fail(check, level, index, check.target === 'Controller' ? '' : check.target === 'PodSpec' ? pod.specPath : templatePath);
        continue;
      }
      const main = check.id === 'linuxHardening' ? undefined : mainCheck(check);
      for (const k of containers) {
        if (!containerApplies(check, k.isInit)) continue;
        evaluated(check, index);
        const ok =
          check.id === 'linuxHardening'
            ? containerHardened({ ...pod.template, spec: pod.spec }, k.c)
            : !main || passes(main, check.schemaTarget === 'PodSpec' ? k.alone : k.c, k.data);
        if (!ok) fail(check, level, index, k.path, k.name);
      }
    }
  });
  return out;
}

/** The Polaris family at Polaris' default severities. Ids `polaris/<checkId>`. */
export const polarisFamily: CheckFamily = (ctx) => runPolarisChecks(ctx);
