import { PaasValidationError, ProblemCollector } from './errors';
import type { HostAccessOptions, OptOutOptions, RestrictedOptions } from './security';
import { collectShape, S, ShapeMatches } from './shape';

/** A UID or GID the kubelet runs a non-root container as: `runAsNonRoot` refuses 0. */
const nonRootId = S.integer(1, 2147483647, 'a non-root ID: an integer from 1 to 2147483647 (restricted means non-zero UID and GID)');

export const restrictedOptionsShape = S.object('RestrictedOptions', {
  user: S.optional(nonRootId),
  group: S.optional(nonRootId),
  // The kernel takes 0-65535; above 1024 the sysctl would only take ports away.
  unprivilegedPortStart: S.optional(S.integer(0, 1024, 'a port number from 0 to 1024')),
});

export const hostAccessShape = S.object('HostAccessOptions', {
  network: S.optional(S.boolean()),
  pid: S.optional(S.boolean()),
  ports: S.optional(S.boolean()),
  paths: S.optional(S.boolean()),
  privileged: S.optional(S.boolean()),
});

export const optOutOptionsShape = S.object('OptOutOptions', {
  // An empty reason would make the opt-out invisible in review and in the annotation.
  reason: S.custom<string>('a non-empty reason (it is written into the opt-out annotation)', (v) => typeof v === 'string' && v.trim().length > 0),
  runAsRoot: S.optional(S.boolean()),
  writableRootFilesystem: S.optional(S.boolean()),
  addCapabilities: S.optional(
    S.array(
      S.custom<string>(
        'a capability name such as "NET_BIND_SERVICE" (upper case, no CAP_ prefix)',
        (v) => typeof v === 'string' && /^[A-Z][A-Z_]*$/.test(v) && !v.startsWith('CAP_'),
      ),
    ),
  ),
  user: S.optional(nonRootId),
  group: S.optional(nonRootId),
  hostAccess: S.optional(hostAccessShape),
});

const matches: [
  ShapeMatches<typeof restrictedOptionsShape, RestrictedOptions>,
  ShapeMatches<typeof hostAccessShape, HostAccessOptions>,
  ShapeMatches<typeof optOutOptionsShape, OptOutOptions>,
] = [true, true, true];
void matches;

/** Checks `WorkloadSecurity.restricted()` options; throws one PaasValidationError with every problem. */
export function checkRestrictedOptions(options: unknown): asserts options is RestrictedOptions {
  const problems = new ProblemCollector('WorkloadSecurity.restricted');
  collectShape(problems, 'WorkloadSecurity.restricted', options, restrictedOptionsShape, '');
  problems.throwIfAny();
}

/** Checks `WorkloadSecurity.optOut()` options; a user or group next to `runAsRoot` would be dropped, so it is an error. */
export function checkOptOutOptions(options: unknown): asserts options is OptOutOptions {
  const path = 'WorkloadSecurity.optOut';
  const problems = new ProblemCollector(path);
  if (collectShape(problems, path, options, optOutOptionsShape, '')) {
    const o = options as OptOutOptions;
    for (const k of ['user', 'group'] as const) {
      if (o.runAsRoot && o[k] !== undefined) problems.add(k, o[k], 'must be left out with runAsRoot: true (the pods run as UID and GID 0)');
    }
  }
  if (!problems.isEmpty) throw new PaasValidationError(problems.problems);
}
