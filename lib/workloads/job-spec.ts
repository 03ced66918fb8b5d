/**
 * What a batch/v1 Job and a CronJob's job template share: the Job's own fields, checked as the
 * API server checks them (errors for what it refuses, a warning for what it accepts but does not
 * do), and refused where the feature behind a field is alpha or off by default at the cluster's
 * Kubernetes version (the API server would drop the field silently).
 */
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { addWarning } from '../core/warnings';
import { DEFAULT_KUBERNETES_VERSION } from '../platform-spec';
import { TenantNamespace } from '../tenancy/tenant-namespace';

/**
 * Finished Jobs are deleted after 24 hours by default. The "Job failed" alert of
 * `MonitoringStack.alertOn()` must fire well within that window (its range and `for` are minutes),
 * or the failure could be gone, with its pods and logs, before anyone is told.
 */
export const DEFAULT_JOB_TTL_SECONDS = 86_400;
/** Retries before a Job is marked failed (Kubernetes' own default is 6, about 6 minutes of back-off). */
export const DEFAULT_BACKOFF_LIMIT = 3;

/** Exit codes a pod failure policy rule matches. */
export interface PodFailureExitCodes {
  /** Only this container's exit code. @default - any container */
  readonly containerName?: string;
  /** `In`: the code is one of `values`; `NotIn`: it is none of them. */
  readonly operator: 'In' | 'NotIn';
  /** Exit codes, 1 to 255 of them, no duplicates (0 is not allowed with `In`). */
  readonly values: number[];
}

/** A pod condition a pod failure policy rule matches (e.g. `DisruptionTarget` for evictions). */
export interface PodFailureCondition {
  readonly type: string;
  /** @default 'True' */
  readonly status?: 'True' | 'False' | 'Unknown';
}

/** One rule of `podFailurePolicy`; give exactly one of `onExitCodes` and `onPodConditions`. */
export interface PodFailureRule {
  /**
   * `FailJob` ends the Job, `Ignore` does not count the failure against `backoffLimit`, `Count`
   * counts it, `FailIndex` fails the pod's index (needs `backoffLimitPerIndex`).
   */
  readonly action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  /** @default - rule matches by condition */
  readonly onExitCodes?: PodFailureExitCodes;
  /** @default - rule matches by exit code */
  readonly onPodConditions?: PodFailureCondition[];
}

/** The Job fields BatchJob and ScheduledJob both take. */
export interface JobSpecProps {
  /** Successful pods needed to complete the Job. @default - not set: one success completes it (with parallelism > 1: a work queue) */
  readonly completions?: number;
  /** Pods running at once. @default 1 */
  readonly parallelism?: number;
  /** Failed retries before the Job fails. @default 3 */
  readonly backoffLimit?: number;
  /** Seconds the Job may run in total (retries included) before it is failed; must be > 0. @default - no deadline */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job (and its pods and logs) is kept before Kubernetes deletes it; finished
   * Jobs count against a `count/jobs.batch` quota until then. Longer than the "Job failed" alert
   * window, so a failure is seen before its Job is gone.
   * @default 86400 (24 hours)
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * `Never`: a failed pod stays (its logs readable) and a new one is started; `OnFailure`: the
   * container restarts in the same pod. `Always` is refused by the API server for Jobs.
   * @default 'Never'
   */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  /** `Indexed` gives each pod `JOB_COMPLETION_INDEX` 0..completions-1 (needs `completions`). @default 'NonIndexed' */
  readonly completionMode?: 'NonIndexed' | 'Indexed';
  /** How pod failures count (exit codes, evictions). Requires `restartPolicy: 'Never'`. @default - every failure counts against backoffLimit */
  readonly podFailurePolicy?: { readonly rules: PodFailureRule[] };
  /** Retries per index of an Indexed Job (Kubernetes 1.29+). @default - backoffLimit applies to the whole Job */
  readonly backoffLimitPerIndex?: number;
  /** With backoffLimitPerIndex: failed indexes after which the whole Job fails (Kubernetes 1.29+). @default - not set */
  readonly maxFailedIndexes?: number;
  /** When a replacement pod starts: `Failed` waits until the old pod is fully terminated (Kubernetes 1.29+). @default - Kubernetes' (`TerminatingOrFailed`) */
  readonly podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
  /**
   * Kubernetes version of the cluster, for fields behind feature gates. In a TenantNamespace the
   * platform's `kubernetesVersion` is used and this must match it if given.
   * @default - the tenant's platform, else the platform default (DEFAULT_KUBERNETES_VERSION)
   */
  readonly kubernetesVersion?: string;
}

/** A field whose feature gate turned on by default in `since` (beta); alpha and off before. */
const GATED: ReadonlyArray<{ field: keyof JobSpecProps; gate: string; since: number }> = [
  { field: 'backoffLimitPerIndex', gate: 'JobBackoffLimitPerIndex', since: 29 },
  { field: 'maxFailedIndexes', gate: 'JobBackoffLimitPerIndex', since: 29 },
  { field: 'podReplacementPolicy', gate: 'JobPodReplacementPolicy', since: 29 },
];

/** The resolved Job spec, without its pod template, and what quota and claims need to know. */
export interface ResolvedJobSpec {
  readonly spec: Record<string, unknown>;
  readonly restartPolicy: 'OnFailure' | 'Never';
  readonly parallelism: number;
  readonly kubernetesVersion: string;
  readonly ttlSecondsAfterFinished: number;
}

/** The Kubernetes version in force for `scope`: the tenant's platform, else `given`, else the default. */
function versionOf(scope: Construct, problems: ProblemCollector, given: string | undefined): string {
  const tenant = TenantNamespace.tenantOf(scope);
  const fromTenant = tenant?.platform.kubernetesVersion;
  const parse = (v: string) => /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
  if (given !== undefined && (typeof given !== 'string' || !parse(given))) {
    problems.add('kubernetesVersion', given, 'must be a Kubernetes version such as "1.35" or "1.35.1"');
    return fromTenant ?? DEFAULT_KUBERNETES_VERSION;
  }
  if (given !== undefined && fromTenant !== undefined && parse(given)!.slice(1, 3).join('.') !== parse(fromTenant)!.slice(1, 3).join('.')) {
    problems.add('kubernetesVersion', given, `must match the tenant's platform (${fromTenant}), or be left out`);
  }
  return fromTenant ?? given ?? DEFAULT_KUBERNETES_VERSION;
}

function minorOf(version: string): number {
  return Number(/^v?\d+\.(\d+)/.exec(version)![1]);
}

/**
 * Checks the Job fields into `problems` and renders them. `prefix` names the fields in messages
 * (`''` for a BatchJob, the same for a ScheduledJob: its props are flat).
 */
export function resolveJobSpec(scope: Construct, problems: ProblemCollector, p: JobSpecProps, containerName: string): ResolvedJobSpec {
  const kubernetesVersion = versionOf(scope, problems, p.kubernetesVersion);
  const minor = minorOf(kubernetesVersion);
  const int = (field: keyof JobSpecProps, min: number, what: string): number | undefined => {
    const v = p[field] as unknown;
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      problems.add(field, v, `must be an integer >= ${min}${what}`);
      return undefined;
    }
    return v;
  };
  const completions = int('completions', 0, '');
  const parallelism = int('parallelism', 0, '') ?? 1;
  const backoffLimit = int('backoffLimit', 0, '') ?? DEFAULT_BACKOFF_LIMIT;
  const deadline = int('activeDeadlineSeconds', 1, ': the API server refuses a deadline of 0 or less');
  const ttl = int('ttlSecondsAfterFinished', 0, '') ?? DEFAULT_JOB_TTL_SECONDS;
  const perIndex = int('backoffLimitPerIndex', 0, '');
  const maxFailed = int('maxFailedIndexes', 0, '');
  const restartPolicy = p.restartPolicy ?? 'Never';
  if (restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
    problems.add(
      'restartPolicy',
      restartPolicy,
      'must be "Never" or "OnFailure": the API server refuses "Always" for Jobs (a pod that always restarts never completes)',
    );
  }
  const mode = p.completionMode ?? 'NonIndexed';
  if (mode !== 'NonIndexed' && mode !== 'Indexed') problems.add('completionMode', mode, 'must be "NonIndexed" or "Indexed"');
  if (mode === 'Indexed' && p.completions === undefined)
    problems.add('completionMode', mode, 'needs completions: an Indexed Job runs indexes 0 to completions - 1');
  for (const g of GATED) {
    if (p[g.field] !== undefined && minor < g.since) {
      problems.add(
        g.field,
        p[g.field],
        `needs Kubernetes 1.${g.since} or newer: feature ${g.gate} is alpha and off by default in ${kubernetesVersion}, and the API server would drop the field silently`,
      );
    }
  }
  if (perIndex !== undefined && mode !== 'Indexed') problems.add('backoffLimitPerIndex', perIndex, 'needs completionMode "Indexed"');
  if (maxFailed !== undefined) {
    if (p.backoffLimitPerIndex === undefined) problems.add('maxFailedIndexes', maxFailed, 'needs backoffLimitPerIndex');
    else if (completions !== undefined && maxFailed > completions) problems.add('maxFailedIndexes', maxFailed, `must not exceed completions (${completions})`);
  }
  const replacement = p.podReplacementPolicy;
  if (replacement !== undefined && replacement !== 'TerminatingOrFailed' && replacement !== 'Failed') {
    problems.add('podReplacementPolicy', replacement, 'must be "TerminatingOrFailed" or "Failed"');
  }
  const podFailurePolicy = p.podFailurePolicy === undefined ? undefined : checkPodFailurePolicy(problems, p, restartPolicy, containerName);
  if (podFailurePolicy && replacement === 'TerminatingOrFailed') {
    problems.add('podReplacementPolicy', replacement, 'must be "Failed" with a podFailurePolicy (the API server refuses anything else)');
  }
  // Both are valid to the API server, and both make the Job do nothing without a word.
  if (completions === 0) addWarning(scope, 'completions 0: the Job counts as complete at once and runs no pod; give at least 1');
  else if (p.parallelism === 0) {
    addWarning(scope, 'parallelism 0: no pod runs until parallelism is raised on the live Job; give at least 1 (to pause a ScheduledJob, use suspend)');
  }
  if (completions !== undefined && parallelism > completions && completions > 0) {
    addWarning(
      scope,
      `parallelism ${parallelism} is above completions ${completions}: the Job controller never runs more pods than completions remain, so at most ${completions} run at once`,
    );
  }
  const spec: Record<string, unknown> = {
    ...(completions !== undefined ? { completions } : {}),
    parallelism,
    backoffLimit,
    ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
    ttlSecondsAfterFinished: ttl,
    ...(mode === 'Indexed' ? { completionMode: 'Indexed' } : {}),
    ...(perIndex !== undefined ? { backoffLimitPerIndex: perIndex } : {}),
    ...(maxFailed !== undefined ? { maxFailedIndexes: maxFailed } : {}),
    ...(replacement !== undefined ? { podReplacementPolicy: replacement } : {}),
    ...(podFailurePolicy ? { podFailurePolicy } : {}),
  };
  const perRun = completions !== undefined ? Math.min(parallelism, Math.max(completions, 0)) : parallelism;
  return { spec, restartPolicy, parallelism: perRun, kubernetesVersion, ttlSecondsAfterFinished: ttl };
}

function checkPodFailurePolicy(problems: ProblemCollector, p: JobSpecProps, restartPolicy: string, containerName: string): Record<string, unknown> | undefined {
  const policy = p.podFailurePolicy!;
  const before = problems.problems.length;
  if (restartPolicy !== 'Never') {
    problems.add(
      'podFailurePolicy',
      'restartPolicy ' + restartPolicy,
      'needs restartPolicy "Never": with "OnFailure" the container restarts in place and the pod never fails',
    );
  }
  const rules = policy?.rules;
  if (!Array.isArray(rules) || rules.length === 0 || rules.length > 20) {
    problems.add('podFailurePolicy.rules', rules, 'must hold 1 to 20 rules');
    return undefined;
  }
  const out = rules.map((r, i) => {
    const field = `podFailurePolicy.rules[${i}]`;
    if (!['FailJob', 'Ignore', 'Count', 'FailIndex'].includes(r?.action))
      problems.add(`${field}.action`, r?.action, 'must be "FailJob", "Ignore", "Count" or "FailIndex"');
    if (r?.action === 'FailIndex' && p.backoffLimitPerIndex === undefined) problems.add(`${field}.action`, r.action, 'needs backoffLimitPerIndex');
    if ((r?.onExitCodes === undefined) === (r?.onPodConditions === undefined)) {
      problems.add(field, r, 'must give exactly one of onExitCodes and onPodConditions');
      return {};
    }
    if (r.onExitCodes) {
      const e = r.onExitCodes;
      const values = e.values;
      if (e.containerName !== undefined && e.containerName !== containerName) {
        problems.add(`${field}.onExitCodes.containerName`, e.containerName, `must name the pod's container "${containerName}", or be left out`);
      }
      if (e.operator !== 'In' && e.operator !== 'NotIn') problems.add(`${field}.onExitCodes.operator`, e.operator, 'must be "In" or "NotIn"');
      if (!Array.isArray(values) || values.length === 0 || values.length > 255 || values.some((v) => !Number.isInteger(v) || v < 0 || v > 255)) {
        problems.add(`${field}.onExitCodes.values`, values, 'must hold 1 to 255 exit codes, integers 0-255');
      } else if (new Set(values).size !== values.length) {
        problems.add(`${field}.onExitCodes.values`, values, 'must not repeat an exit code');
      } else if (e.operator === 'In' && values.includes(0)) {
        problems.add(`${field}.onExitCodes.values`, values, 'must not contain 0 with operator "In": exit code 0 is a success');
      }
      return {
        action: r.action,
        onExitCodes: {
          ...(e.containerName ? { containerName: e.containerName } : {}),
          operator: e.operator,
          values: Array.isArray(values) ? [...values].sort((a, b) => a - b) : values,
        },
        // Kubernetes 1.28's schema requires onPodConditions in every rule (optional since); an
        // empty list means "no condition" to every version's API server.
        onPodConditions: [],
      };
    }
    const conditions = r.onPodConditions!;
    if (!Array.isArray(conditions) || conditions.length === 0) problems.add(`${field}.onPodConditions`, conditions, 'must hold at least one condition');
    for (const [j, c] of (Array.isArray(conditions) ? conditions : []).entries()) {
      if (typeof c?.type !== 'string' || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(c.type)) {
        problems.add(`${field}.onPodConditions[${j}].type`, c?.type, 'must be a pod condition type such as "DisruptionTarget"');
      }
      if (c?.status !== undefined && !['True', 'False', 'Unknown'].includes(c.status)) {
        problems.add(`${field}.onPodConditions[${j}].status`, c.status, 'must be "True", "False" or "Unknown"');
      }
    }
    return { action: r.action, onPodConditions: (Array.isArray(conditions) ? conditions : []).map((c) => ({ type: c?.type, status: c?.status ?? 'True' })) };
  });
  return problems.problems.length > before ? undefined : { rules: out };
}
