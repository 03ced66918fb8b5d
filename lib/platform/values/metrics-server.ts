import type { PlatformSpec } from '../../platform-spec';

/** Values we set on metrics-server. */
export interface MetricsServerValues {
  readonly [key: string]: unknown;
  /** Extra container arguments, appended to the chart's `defaultArgs`. */
  readonly args: readonly string[];
}

/**
 * metrics-server values. Secure by default: metrics-server verifies the kubelets' serving
 * certificates, which must then be signed by the cluster CA (kubeadm: `serverTLSBootstrap: true`
 * and approved CSRs). `--kubelet-insecure-tls` (what the seeds do) only when the spec opts in.
 */
export function metricsServerValues(spec: PlatformSpec['metricsServer']): MetricsServerValues {
  return { args: spec.kubeletInsecureTls ? ['--kubelet-insecure-tls'] : [] };
}
