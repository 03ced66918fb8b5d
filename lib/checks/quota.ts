/**
 * Quota fit, as pure functions over plain manifest objects (the LimitRange half is in
 * limit-range.ts). Kubernetes only checks quotas at admission time, pod by pod, so a tenant that
 * does not fit fails half-way through a rollout ("forbidden: exceeded quota"). Here the worst case
 * is counted up front: HPA maximum (or replicas) plus the surge pods of a rolling update, claim
 * size times StatefulSet replicas, and every object the tenant creates or references.
 */
import { Problem } from '../core/errors';
import { COMPUTE, concurrentRuns, containerItemOf, footprints, format, label, parse } from './footprint';
import { checkLimitRangeFit } from './limit-range';
import { Json, KubeManifest, specOf } from './manifest';
import { TenantFitInput } from './tenant-fit';

/** Plural resource name of a kind as used in `count/<resource>.<group>`. */
export function resourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The `count/...` quota field for an object. */
export function countField(obj: KubeManifest): string {
  const slash = obj.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
  return group ? `count/${resourceName(obj.kind)}.${group}` : `count/${resourceName(obj.kind)}`;
}

/** Names of ConfigMaps and Secrets that pods, Ingresses and ServiceAccounts refer to. */
function references(objects: readonly KubeManifest[]): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const walk = (node: unknown, parentKey: string): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, parentKey);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    if (parentKey === 'configMapKeyRef' || parentKey === 'configMapRef' || parentKey === 'configMap') {
      if (typeof n.name === 'string') configMaps.add(n.name);
    }
    if (parentKey === 'secretKeyRef' || parentKey === 'secretRef' || parentKey === 'imagePullSecrets') {
      if (typeof n.name === 'string') secrets.add(n.name);
    }
    if (parentKey === 'secret' && typeof n.secretName === 'string') secrets.add(n.secretName);
    if (parentKey === 'tls' && typeof n.secretName === 'string') secrets.add(n.secretName);
    for (const [k, v] of Object.entries(n)) walk(v, k);
  };
  for (const o of objects) walk(o, '');
  return { configMaps, secrets };
}

/** One contribution to a quota field. */
export interface UsagePart {
  readonly who: string;
  readonly amount: number;
  readonly detail?: string;
}

/** What the tenant uses per quota field at worst, with the contributions that make it up. */
export function tenantUsage(input: Omit<TenantFitInput, 'hard' | 'path'>): Map<string, UsagePart[]> {
  const containerLimits = containerItemOf(input.limits);
  const usage = new Map<string, UsagePart[]>();
  const add = (field: string, part: UsagePart): void => {
    const parts = usage.get(field) ?? [];
    parts.push(part);
    usage.set(field, parts);
  };
  const fps = footprints(input.objects, containerLimits);
  for (const fp of fps) {
    const who = label(fp.obj);
    add('pods', { who, amount: fp.pods, detail: fp.why });
    add('count/pods', { who, amount: fp.pods, detail: fp.why });
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of COMPUTE) {
        const per = fp.shape[kind][r];
        const amount = per === undefined ? NaN : per * fp.pods;
        const detail = per === undefined ? 'not set' : `${fp.pods} pods (${fp.why}) x ${format(r, per)}`;
        add(`${kind}.${r}`, { who, amount, detail });
        if (kind === 'requests' && r !== 'ephemeral-storage') add(r, { who, amount, detail });
      }
    }
    for (const c of fp.claims) {
      const detail = `${c.count} claims of "${c.template}" x ${format('storage', c.bytes)}`;
      add('requests.storage', { who, amount: c.bytes * c.count, detail });
      add('persistentvolumeclaims', { who, amount: c.count });
      add('count/persistentvolumeclaims', { who, amount: c.count });
      const cls = c.storageClass ?? input.defaultStorageClass;
      if (cls) {
        add(`${cls}.storageclass.storage.k8s.io/requests.storage`, { who, amount: c.bytes * c.count, detail });
        add(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, { who, amount: c.count });
      }
    }
  }
  const created = new Set<string>();
  for (const o of input.objects) {
    const who = label(o);
    created.add(`${o.kind}/${o.metadata?.name}`);
    add(countField(o), { who, amount: 1 });
    const spec = specOf(o);
    if (o.kind === 'ConfigMap') add('configmaps', { who, amount: 1 });
    if (o.kind === 'Secret') add('secrets', { who, amount: 1 });
    if (o.kind === 'ReplicationController') add('replicationcontrollers', { who, amount: 1 });
    if (o.kind === 'Deployment') {
      const history = spec.revisionHistoryLimit === undefined ? 10 : Number(spec.revisionHistoryLimit);
      add('count/replicasets.apps', { who, amount: history + 1, detail: `current + ${history} kept for rollback` });
    }
    if (o.kind === 'CronJob') {
      // Finished Jobs stay (and count) until the history limits prune them.
      const kept = Number(spec.successfulJobsHistoryLimit ?? 3) + Number(spec.failedJobsHistoryLimit ?? 1);
      const runs = concurrentRuns(o);
      const running = runs.count === Infinity ? 'unbounded' : String(runs.count);
      add('count/jobs.batch', { who, amount: runs.count + kept, detail: `${running} running (${runs.why}) + ${kept} finished kept by the history limits` });
    }
    if (o.kind === 'Service') {
      add('services', { who, amount: 1 });
      const ports = ((spec.ports ?? []) as Json[]).length;
      if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') add('services.nodeports', { who, amount: ports });
      if (spec.type === 'LoadBalancer') add('services.loadbalancers', { who, amount: 1 });
    }
    if (o.kind === 'PersistentVolumeClaim') {
      const bytes = parse('storage', spec.resources?.requests?.storage) ?? 0;
      add('requests.storage', { who, amount: bytes });
      add('persistentvolumeclaims', { who, amount: 1 });
      const cls = spec.storageClassName ?? input.defaultStorageClass;
      if (cls) {
        add(`${cls}.storageclass.storage.k8s.io/requests.storage`, { who, amount: bytes });
        add(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, { who, amount: 1 });
      }
    }
  }
  // Objects that exist in the namespace but are not ours count as well.
  const refs = references(input.objects);
  const existing = new Set(['ConfigMap/kube-root-ca.crt', ...(input.existing ?? [])]);
  for (const name of [...refs.configMaps].sort()) existing.add(`ConfigMap/${name}`);
  for (const name of [...refs.secrets].sort()) existing.add(`Secret/${name}`);
  for (const key of existing) {
    if (created.has(key)) continue;
    const [kind, name] = key.split('/');
    const who = `${kind} "${name}" (${name === 'kube-root-ca.crt' ? 'created by Kubernetes in every namespace' : 'referenced, created outside'})`;
    if (kind === 'ConfigMap') {
      add('configmaps', { who, amount: 1 });
      add('count/configmaps', { who, amount: 1 });
    }
    if (kind === 'Secret') {
      add('secrets', { who, amount: 1 });
      add('count/secrets', { who, amount: 1 });
    }
    if (kind === 'ServiceAccount') add('count/serviceaccounts', { who, amount: 1 });
  }
  return usage;
}

function resourceOfField(field: string): string {
  if (field.endsWith('cpu')) return 'cpu';
  if (field.endsWith('memory')) return 'memory';
  if (field.endsWith('storage')) return 'storage';
  return 'count';
}

/** Quota fit: every `spec.hard` field we can count must hold the tenant's worst case. */
export function checkQuotaFit(input: TenantFitInput): Problem[] {
  const problems: Problem[] = [];
  if (!input.hard) return problems;
  const usage = tenantUsage(input);
  for (const field of Object.keys(input.hard).sort()) {
    const parts = usage.get(field);
    if (!parts) continue;
    const resource = resourceOfField(field);
    const hardValue = input.hard[field];
    const hard = resource === 'count' ? Number(hardValue) : parse(resource === 'cpu' ? 'cpu' : 'memory', hardValue);
    if (hard === undefined || Number.isNaN(hard)) continue;
    const unset = parts.filter((p) => Number.isNaN(p.amount));
    if (unset.length > 0) {
      const what = field.split('.').slice(-1)[0];
      problems.push({
        path: input.path,
        field: `quota["${field}"]`,
        value: hardValue,
        expected: `requires every container to set ${field.startsWith('limits') ? 'a limit' : 'a request'} for ${what}, and no LimitRange default covers ${unset
          .map((p) => p.who)
          .join(', ')}: Kubernetes would reject these pods; set resources or a LimitRange default`,
      });
      continue;
    }
    const unbounded = parts.filter((p) => p.amount === Infinity);
    if (unbounded.length > 0) {
      problems.push({
        path: input.path,
        field: `quota["${field}"]`,
        value: hardValue,
        expected: `cannot hold what is unbounded: ${unbounded.map((p) => `${p.who} (${p.detail})`).join(', ')}; give ScheduledJob maxConcurrentRuns, or concurrencyPolicy "Forbid" or "Replace"`,
      });
      continue;
    }
    const total = parts.reduce((s, p) => s + p.amount, 0);
    if (total <= hard) continue;
    const show = (n: number) => (resource === 'count' ? String(n) : format(resource, n));
    const breakdown = parts
      .filter((p) => p.amount > 0)
      .map((p) => `${p.who}: ${show(p.amount)}${p.detail && resource !== 'count' ? ` = ${p.detail}` : p.detail ? ` (${p.detail})` : ''}`)
      .join(', ');
    problems.push({
      path: input.path,
      field: `quota["${field}"]`,
      value: hardValue,
      expected: `the tenant needs ${show(total)} at worst case (${breakdown}); raise the quota or shrink what the tenant holds`,
    });
  }
  return problems;
}

/** Both checks, quota first. */
export function checkTenantFit(input: TenantFitInput): Problem[] {
  return [...checkQuotaFit(input), ...checkLimitRangeFit(input)];
}
