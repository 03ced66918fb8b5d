import { podSecurityFamily, POD_SECURITY_OPT_OUT } from '../../lib/validation/pod-security';
import type { PodSecurityLevel } from '../../lib/validation/types';
import { objectRef, podTemplateOf } from './objects';

// Test glue over the shipped engine (lib/validation/pod-security.ts).

export { POD_SECURITY_OPT_OUT, SAFE_SYSCTLS_V1_28 } from '../../lib/validation/pod-security';

export interface RestrictedOptions {
  /** Skip objects annotated `paas.cdk8s.io/pod-security-opt-out`. @default false - they are reported */
  readonly allowOptOut?: boolean;
  /** Level to judge at. @default 'restricted' */
  readonly level?: PodSecurityLevel;
}

/**
 * Checks every pod template against Pod Security Standards `restricted` v1.28. Returns messages
 * such as `Deployment shop/web: restricted: container "main" must set securityContext.allowPrivilegeEscalation to false (...)`.
 * Objects annotated `paas.cdk8s.io/pod-security-opt-out` are skipped only with `allowOptOut`.
 */
export function checkRestricted(objects: any[], options: RestrictedOptions = {}): string[] {
  const level = options.level ?? 'restricted';
  const findings = podSecurityFamily({
    objects: objects.map((manifest) => ({ manifest, origin: {} })),
    kubernetesVersions: ['1.28'],
    podSecurityLevel: level,
    namespaceLevels: new Map(),
    customResourceDefinitions: [],
  });
  const out: string[] = [];
  objects.forEach((obj, i) => {
    const pod = podTemplateOf(obj);
    if (!pod) return;
    const mine = findings.filter((f) => f.objectIndex === i);
    const optOut = obj.metadata?.annotations?.[POD_SECURITY_OPT_OUT] ?? pod.template.metadata?.annotations?.[POD_SECURITY_OPT_OUT];
    if (optOut !== undefined) {
      if (options.allowOptOut) return;
      out.push(`${objectRef(obj)}: ${level}: opted out ("${optOut}") but this check was not called with allowOptOut`);
    }
    for (const f of mine) out.push(`${objectRef(obj)}: ${level}: ${f.message}`);
  });
  return out;
}
