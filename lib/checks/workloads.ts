/**
 * Wiring checks over plain manifests: selectors that select nothing, Services whose target ports
 * no selected container has, autoscalers and budgets that point nowhere. The API server accepts
 * all of these; they surface as a Service without endpoints or an HPA reporting "unknown".
 */
import { Problem } from '../core/errors';
import { Json, KubeManifest, specOf } from './manifest';

interface PodTemplateInfo {
  readonly ref: string;
  readonly labels: Record<string, string>;
  readonly portNames: Set<string>;
  readonly portNumbers: Set<number>;
}

const CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

function refOf(m: KubeManifest): string {
  return `${m.kind} ${m.metadata?.namespace ?? '(default)'}/${m.metadata?.name ?? '?'}`;
}

function matches(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function templates(objects: readonly KubeManifest[]): Map<string, PodTemplateInfo[]> {
  const byNs = new Map<string, PodTemplateInfo[]>();
  for (const m of objects) {
    if (!CONTROLLERS.has(m.kind)) continue;
    const tpl = specOf(m).template;
    const containers: Json[] = tpl?.spec?.containers ?? [];
    const ports = containers.flatMap((c) => (c.ports ?? []) as Json[]);
    const ns = m.metadata?.namespace ?? '';
    const list = byNs.get(ns) ?? [];
    list.push({
      ref: refOf(m),
      labels: tpl?.metadata?.labels ?? {},
      portNames: new Set(ports.map((p) => p.name).filter(Boolean)),
      portNumbers: new Set(ports.map((p) => p.containerPort)),
    });
    byNs.set(ns, list);
  }
  return byNs;
}

/**
 * Checks, per namespace: every controller's selector matches its own pod template labels; every
 * Service with a selector selects some pod template and each named target port exists on it; every
 * HPA targets a controller that exists; every PDB selects some pod template. `pathOf` maps an
 * object to the construct path shown in messages.
 */
export function checkWorkloadWiring(objects: readonly KubeManifest[], pathOf: (m: KubeManifest) => string): Problem[] {
  const problems: Problem[] = [];
  const byNs = templates(objects);
  const names = new Set(objects.map((m) => `${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`));
  for (const m of objects) {
    const spec = specOf(m);
    const ns = m.metadata?.namespace ?? '';
    const pods = byNs.get(ns) ?? [];
    if (CONTROLLERS.has(m.kind)) {
      const selector = spec.selector?.matchLabels;
      const labels = spec.template?.metadata?.labels ?? {};
      if (!matches(selector, labels)) {
        problems.push({ path: pathOf(m), field: 'spec.selector.matchLabels', value: selector, expected: `must match the pod template labels of ${refOf(m)}` });
      }
    } else if (m.kind === 'Service' && spec.selector && spec.type !== 'ExternalName') {
      const selected = pods.filter((p) => matches(spec.selector, p.labels));
      if (selected.length === 0) {
        problems.push({ path: pathOf(m), field: 'spec.selector', value: spec.selector, expected: `must select the pods of a workload in namespace "${ns}"` });
        continue;
      }
      for (const port of (spec.ports ?? []) as Json[]) {
        const target = port.targetPort ?? port.port;
        const ok = typeof target === 'string' ? selected.every((p) => p.portNames.has(target)) : true;
        if (!ok) {
          const known = [...new Set(selected.flatMap((p) => [...p.portNames]))].sort();
          problems.push({
            path: pathOf(m),
            field: `spec.ports[${port.name ?? port.port}].targetPort`,
            value: target,
            expected: `must name a container port of the selected pods (${known.join(', ') || 'none named'})`,
          });
        }
      }
    } else if (m.kind === 'HorizontalPodAutoscaler') {
      const ref = spec.scaleTargetRef ?? {};
      if (!names.has(`${ref.kind}/${m.metadata?.namespace ?? ''}/${ref.name}`)) {
        problems.push({
          path: pathOf(m),
          field: 'spec.scaleTargetRef',
          value: ref,
          expected: `must name a ${ref.kind ?? 'workload'} synthesized in namespace "${ns}"`,
        });
      }
    } else if (m.kind === 'PodDisruptionBudget') {
      if (!pods.some((p) => matches(spec.selector?.matchLabels, p.labels))) {
        problems.push({ path: pathOf(m), field: 'spec.selector', value: spec.selector, expected: `must select the pods of a workload in namespace "${ns}"` });
      }
    }
  }
  return problems;
}
