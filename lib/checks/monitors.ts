/**
 * Monitors Prometheus never reads: the operator selects ServiceMonitors, PodMonitors and
 * PrometheusRules by label, and one without the label is accepted by the API server and then
 * silently ignored. A pure function over what each monitor carries.
 */
import { Problem } from '../core/errors';

/** Kinds the Prometheus operator selects by label. */
export const MONITOR_KINDS = ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'] as const;

/** One monitor as the check sees it. */
export interface MonitorFacts {
  /** Construct path, for messages. */
  readonly path: string;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Problems for every monitor that lacks a label (or value) Prometheus selects on. */
export function checkMonitorLabels(monitors: readonly MonitorFacts[], selectorLabels: Readonly<Record<string, string>>): Problem[] {
  const problems: Problem[] = [];
  const wanted = Object.entries(selectorLabels).sort(([a], [b]) => a.localeCompare(b));
  for (const m of monitors) {
    const missing = wanted.filter(([k, v]) => m.labels[k] !== v);
    if (missing.length === 0) continue;
    problems.push({
      path: m.path,
      field: 'metadata.labels',
      value: m.labels,
      expected: `${m.kind} "${m.name}" must carry ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}: the platform's Prometheus selects ${m.kind}s by these labels and ignores the rest`,
    });
  }
  return problems;
}
