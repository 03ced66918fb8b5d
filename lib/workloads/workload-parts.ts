/**
 * @internal Pieces every workload writes (WebApp, StatefulStore, and through PodTemplate BatchJob,
 * ScheduledJob and NodeAgent): one definition each, so the workloads cannot drift apart.
 */
import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { sortedJson } from '../core/patch';
import { SECURITY_OPT_OUT_ANNOTATION, WorkloadSecurity } from '../core/security';

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
