/**
 * @internal Pieces WebApp and StatefulStore both write, in the typed L1 shapes: one definition
 * each, so the two workloads cannot drift apart.
 */
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

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
