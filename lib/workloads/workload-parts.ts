/**
 * @internal Pieces every workload writes (WebApp, StatefulStore, and through PodTemplate BatchJob,
 * ScheduledJob and NodeAgent): one definition each, so the workloads cannot drift apart.
 */
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail } from '../core/errors';
import { imageVersion, recommendedLabels, selectorLabels } from '../core/labels';
import { checkDnsLabel, checkEnvName } from '../core/names';
import { sortedJson } from '../core/patch';
import { SECURITY_OPT_OUT_ANNOTATION, WorkloadSecurity } from '../core/security';
import type { NotSecretMark } from '../core/sensitive';
import { checkConfigFilesSecret, checkEnvSecret, EnvValue } from './env';
import type { ConfigFilesProps } from './web-app-props';

/** L1 objects serialize quantities from `k8s.Quantity`: wraps the checked strings of `renderResources`. */
export function kubeResources(r: { requests: Record<string, string>; limits: Record<string, string> }): {
  requests: Record<string, k8s.Quantity>;
  limits: Record<string, k8s.Quantity>;
} {
  const wrap = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k8s.Quantity.fromString(v)]));
  return { requests: wrap(r.requests), limits: wrap(r.limits) };
}

/** Spreads the pods over nodes, best effort: with fewer nodes than pods they still schedule. */
export function spreadOverNodes(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...selector } } }];
}

/** The PodDisruptionBudget over a workload's pods (construct id `DisruptionBudget`). */
export function disruptionBudget(
  scope: Construct,
  p: { name: string; labels: Record<string, string>; selector: Record<string, string>; maxUnavailable: number },
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: { name: p.name, labels: p.labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(p.maxUnavailable), selector: { matchLabels: { ...p.selector } } },
  });
}

/**
 * The `checksum/config` value over a workload's generated ConfigMaps: each name and its files in
 * sorted-key JSON, so a changed file rolls the pods (subPath mounts never see ConfigMap updates).
 */
export function configChecksum(configMaps: ReadonlyArray<{ readonly name: string; readonly files: Record<string, string> }>): string {
  const hash = createHash('sha256');
  for (const cm of configMaps) hash.update(cm.name).update('\0').update(sortedJson(cm.files));
  return hash.digest('hex');
}

/** The opt-out annotation a workload's object and pods carry, or undefined for the restricted profile. */
export function optOutAnnotations(security: WorkloadSecurity): Record<string, string> | undefined {
  return security.isOptOut ? { [SECURITY_OPT_OUT_ANNOTATION]: security.optOutReason! } : undefined;
}

/** `imagePullSecrets` of a pod spec, or undefined when there are none (the field is then left out). */
export function pullSecretRefs(names: readonly string[] | undefined): Array<{ name: string }> | undefined {
  return names && names.length > 0 ? names.map((name) => ({ name })) : undefined;
}

/** Who a workload is: the recommended labels on its objects and the two that select its pods. */
export interface WorkloadLabelInput {
  readonly name: string;
  readonly instance: string;
  readonly component?: string;
  readonly partOf?: string;
}

/**
 * The recommended labels (with the image tag as `app.kubernetes.io/version`) and the selector
 * labels of a workload. The selector leaves the version out: a new tag must not orphan old pods.
 */
export function workloadLabels(input: WorkloadLabelInput, image: unknown): { labels: Record<string, string>; selector: Record<string, string> } {
  return {
    labels: recommendedLabels({ ...input, version: typeof image === 'string' ? imageVersion(image) : undefined }),
    selector: selectorLabels(input),
  };
}

/** One `configFiles` entry, checked: its ConfigMap, its volume and where its files mount. */
export interface ConfigFileSet {
  /** `configFiles[i]`, for errors about this entry. */
  readonly field: string;
  /** The checked `id` (construct ids `Config-<suffix>` and `ConfigVolume-<suffix>`). */
  readonly suffix: string;
  readonly configMapName: string;
  readonly volumeName: string;
  /** The files in key order (the ConfigMap's `data`). */
  readonly data: Record<string, string>;
  /** One mount of the whole folder, or one subPath mount per file with `asSingleFiles`. */
  readonly mounts: ReadonlyArray<{ readonly mountPath: string; readonly subPath?: string }>;
  /** The files as given, for `configChecksum`. */
  readonly files: Record<string, string>;
}

/**
 * Checks `configFiles` of a workload named `name` (ids as DNS labels, the ConfigMap and volume
 * names they give, at least one file, no secret-looking file, absolute mount paths) and lays
 * out each entry. Throws a PaasValidationError on the first problem.
 */
export function configFileSets(path: string, name: string, files: readonly ConfigFilesProps[]): ConfigFileSet[] {
  return files.map((cfg, i) => {
    const field = `configFiles[${i}]`;
    const suffix = checkDnsLabel(path, `${field}.id`, cfg?.id);
    const configMapName = checkDnsLabel(path, `${field}.id`, `${name}-${suffix}`);
    const volumeName = checkDnsLabel(path, `${field}.id`, `config-${suffix}`);
    const keys = Object.keys(cfg?.files ?? {}).sort();
    if (keys.length === 0) fail(path, `${field}.files`, cfg?.files, 'must hold at least one file');
    checkConfigFilesSecret(path, `${field}.files`, cfg.files);
    if (typeof cfg.mountPath !== 'string' || !cfg.mountPath.startsWith('/')) fail(path, `${field}.mountPath`, cfg.mountPath, 'must be an absolute path');
    const folder = cfg.mountPath.replace(/\/$/, '');
    return {
      field,
      suffix,
      configMapName,
      volumeName,
      data: Object.fromEntries(keys.map((k) => [k, cfg.files[k]])),
      mounts: cfg.asSingleFiles ? keys.map((key) => ({ mountPath: `${folder}/${key}`, subPath: key })) : [{ mountPath: cfg.mountPath }],
      files: cfg.files,
    };
  });
}

/**
 * Checks one more environment variable of a workload's main container: a valid name, an EnvValue
 * (plain JavaScript passes anything), each name once (`taken`), and the secret rule. Returns the
 * not-secret mark to record, if the value carries one. `owner` names the workload in the error.
 */
export function checkAddedEnv(
  path: string,
  name: string,
  value: unknown,
  taken: (name: string) => boolean,
  owner: 'app' | 'workload',
): NotSecretMark | undefined {
  checkEnvName(path, `env.${name}`, name);
  if (!(value instanceof EnvValue)) fail(path, `env.${name}`, value, 'must be an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()');
  if (taken(name)) fail(path, 'env', name, `is already set on this ${owner}; each variable may be set once`);
  return checkEnvSecret(path, name, value);
}

/**
 * Size limit of each `writablePaths` emptyDir of WebApp and PodTemplate workloads, in MiB: a
 * runaway temp file evicts the pod instead of filling the node's disk.
 */
export const WRITABLE_SIZE_LIMIT_MIB = 256;

/** Volume name of the `i`-th writable path of WebApp and PodTemplate workloads. */
export function writableVolumeName(i: number): string {
  return `writable-${i}`;
}
