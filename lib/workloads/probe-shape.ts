import { checkPortName } from '../core/names';
import { assertArgs, S, ShapeMatches } from '../core/shape';
import type { HttpProbeOptions, ProbeTiming, TcpProbeOptions } from './probes';

const timing = {
  initialDelaySeconds: S.optional(S.integer(0)),
  periodSeconds: S.optional(S.integer(1)),
  timeoutSeconds: S.optional(S.integer(1)),
  successThreshold: S.optional(S.integer(1)),
  failureThreshold: S.optional(S.integer(1)),
};
const port = S.optional(S.union(S.integer(1, 65535, 'a port number 1-65535'), S.string().refine(checkPortName)));

export const probeTimingShape = S.object('ProbeTiming', timing);
export const httpProbeOptionsShape = S.object('HttpProbeOptions', { ...timing, port, scheme: S.optional(S.oneOf('HTTP', 'HTTPS')) });
export const tcpProbeOptionsShape = S.object('TcpProbeOptions', { ...timing, port });

const matches: [
  ShapeMatches<typeof probeTimingShape, ProbeTiming>,
  ShapeMatches<typeof httpProbeOptionsShape, HttpProbeOptions>,
  ShapeMatches<typeof tcpProbeOptionsShape, TcpProbeOptions>,
] = [true, true, true];
void matches;

const httpPath = S.custom<string>('an absolute HTTP path such as "/ready"', (v) => typeof v === 'string' && v.startsWith('/') && !/\s/.test(v));

/** @internal Checks `Probe.http()` arguments. */
export function checkHttpProbe(path: unknown, options: unknown): void {
  assertArgs('Probe.http', [
    ['path', path, httpPath],
    ['options', options, httpProbeOptionsShape],
  ]);
}
/** @internal Checks `Probe.tcp()` arguments. */
export function checkTcpProbe(options: unknown): void {
  assertArgs('Probe.tcp', [['options', options, tcpProbeOptionsShape]]);
}
/** @internal Checks `Probe.exec()` arguments. */
export function checkExecProbe(command: unknown, options: unknown): void {
  assertArgs('Probe.exec', [
    ['command', command, S.array(S.string(), { minLength: 1 })],
    ['options', options, probeTimingShape],
  ]);
}
