/**
 * Facts of the Pod Security Standards that both the constructs (lib/core/security.ts) and the
 * validator (lib/validation/pod-security.ts) need. Dependency-free on purpose: lib/validation
 * must load without cdk8s or constructs.
 */

/** The capabilities Pod Security `baseline` lets a container add (v1.28); any other one needs `privileged`. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
