import { ProblemCollector } from '../../core/errors';
import type { PlatformSpec } from '../../platform-spec';

/**
 * How metrics-server trusts the kubelets' serving certificates.
 * - `'verify'`: the kubelets serve certificates signed by the cluster CA (most managed clusters).
 * - `'serverTlsBootstrap'`: a kubeadm cluster whose KubeletConfiguration has
 *   `serverTLSBootstrap: true`; each kubelet asks for a serving certificate with a CSR (signer
 *   `kubernetes.io/kubelet-serving`) that Kubernetes never approves by itself: approve them before
 *   the platform stack is applied (docs/platform.md). metrics-server verifies them.
 * - `{ insecure: { reason } }`: `--kubelet-insecure-tls`, what the seeds did; metrics-server then
 *   accepts any certificate a kubelet (or whoever answers on its address) presents. A visible
 *   opt-out: the reason is required and synth warns.
 */
export type KubeletTlsInput = 'verify' | 'serverTlsBootstrap' | { readonly insecure: { readonly reason: string } };

/** The resolved choice. */
export interface KubeletTls {
  readonly mode: 'verify' | 'serverTlsBootstrap' | 'insecure';
  /** Why verification is off (insecure only). */
  readonly reason?: string;
}

const FIELD = 'metricsServer.kubeletTls';

/**
 * Resolves the kubelet certificate choice. `kubeletInsecureTls: true` (the earlier boolean) is
 * read as `{ insecure }` with a reason saying so; giving both is an error.
 */
export function resolveKubeletTls(path: string, input: KubeletTlsInput | undefined, legacyInsecure: boolean | undefined): KubeletTls {
  const problems = new ProblemCollector(path);
  let out: KubeletTls = { mode: 'verify' };
  if (legacyInsecure !== undefined && typeof legacyInsecure !== 'boolean') {
    problems.add('metricsServer.kubeletInsecureTls', legacyInsecure, 'must be true or false (prefer kubeletTls)');
  } else if (legacyInsecure && input !== undefined) {
    problems.add('metricsServer.kubeletInsecureTls', legacyInsecure, 'cannot be combined with kubeletTls: give only kubeletTls');
  } else if (legacyInsecure) {
    out = { mode: 'insecure', reason: 'kubeletInsecureTls: true' };
  }
  if (input === 'verify' || input === 'serverTlsBootstrap') {
    out = { mode: input };
  } else if (input !== undefined) {
    const reason = typeof input === 'object' && input !== null ? (input as { insecure?: { reason?: unknown } }).insecure?.reason : undefined;
    if (typeof reason !== 'string' || reason.trim() === '') {
      problems.add(FIELD, input, "must be 'verify', 'serverTlsBootstrap' or { insecure: { reason } } with a non-empty reason");
    } else {
      out = { mode: 'insecure', reason: reason.trim() };
    }
  }
  problems.throwIfAny();
  return out;
}

/** Synth warnings of the metrics-server choice. */
export function metricsServerWarnings(spec: PlatformSpec['metricsServer']): string[] {
  if (!spec.enabled || spec.kubeletTls?.mode !== 'insecure') return [];
  return [
    `metrics-server does not verify kubelet serving certificates (--kubelet-insecure-tls; reason: ${spec.kubeletTls.reason}): ` +
      "anyone answering on a node's kubelet port can feed it metrics. Prefer kubeletTls: 'serverTlsBootstrap' (docs/platform.md)",
  ];
}

/** Values we set on metrics-server. */
export interface MetricsServerValues {
  readonly [key: string]: unknown;
  /** Extra container arguments, appended to the chart's `defaultArgs`. */
  readonly args: readonly string[];
}

/**
 * metrics-server values. Secure by default: metrics-server verifies the kubelets' serving
 * certificates, which must then be signed by the cluster CA (kubeadm: `serverTLSBootstrap: true`
 * and approved CSRs). `--kubelet-insecure-tls` only when the spec opts out with a reason.
 */
export function metricsServerValues(spec: PlatformSpec['metricsServer']): MetricsServerValues {
  const insecure = spec.kubeletTls ? spec.kubeletTls.mode === 'insecure' : spec.kubeletInsecureTls;
  return { args: insecure ? ['--kubelet-insecure-tls'] : [] };
}
