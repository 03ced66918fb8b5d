import { createdOutsideReason } from '../core/created-outside';
import { Construct } from 'constructs';
import { PaasValidationError, ProblemCollector } from '../core/errors';
import { checkImage } from '../core/image';
import { checkLabelValue } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkEnvName, checkPortName, defaultName } from '../core/names';
import { resourcesShape } from '../core/resources-shape';
import { WorkloadSecurity } from '../core/security';
import { collectShape, S, ShapeMatches } from '../core/shape';
import { EnvValue } from './env';
import { Probe } from './probes';
import {
  AutoscalingProps,
  ConfigFilesProps,
  DisruptionBudgetProps,
  EnvFrom,
  RollingUpdateProps,
  WebAppNetworkProps,
  WebAppPortProps,
  WebAppProbes,
  WebAppProps,
} from './web-app-props';

/** ConfigMap data keys as the API server accepts them (`IsConfigMapKey`). */
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** The API server refuses a ConfigMap whose data exceeds 1 MiB (`MaxSecretSize` applies to both). */
const CONFIG_MAP_MAX_BYTES = 1024 * 1024;
const PERCENT_OR_INT = /^(\d+)%$/;

/** Shared by WebApp and StatefulStore: `EnvValue` instances made by its factories. */
export const envValueShape = S.instance(EnvValue, 'an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()');
/** Shared: a probe made by `Probe.http()`, `.tcp()` or `.exec()`. */
export const probeShape = S.instance(Probe, 'a Probe: Probe.http(), Probe.tcp() or Probe.exec()');
/** Shared: `WorkloadSecurity.restricted()` or `.optOut()`. */
export const securityShape = S.instance(WorkloadSecurity, 'a WorkloadSecurity: WorkloadSecurity.restricted() or WorkloadSecurity.optOut({ reason })');
/** Shared: environment variables by name. */
export const envShape = S.record(envValueShape, checkEnvName);
/** Shared: absolute paths of writable emptyDirs. */
export const writablePathsShape = S.array(S.string({ minLength: 1 }));

export const webAppPortShape = S.object('WebAppPortProps', {
  name: S.string().refine(checkPortName),
  containerPort: S.integer(1, 65535, 'a port number 1-65535'),
  servicePort: S.optional(S.integer(1, 65535, 'a port number 1-65535')),
  protocol: S.optional(S.oneOf('TCP', 'UDP')),
  nodePort: S.optional(S.integer(30000, 32767, 'in the NodePort range 30000-32767')),
});

export const configFilesShape = S.object('ConfigFilesProps', {
  id: S.string().refine(checkDnsLabel),
  files: S.record(S.string(), (path, field, key) => {
    if (!CONFIG_MAP_KEY.test(key) || key.length > 253 || key === '.' || key === '..') {
      throw new PaasValidationError({
        path,
        field,
        value: key,
        expected: "must be a file name of letters, digits, '-', '_' and '.' (a ConfigMap key), at most 253",
      });
    }
  }),
  mountPath: S.string({ minLength: 1 }),
  asSingleFiles: S.optional(S.boolean()),
});

export const webAppProbesShape = S.object('WebAppProbes', {
  startup: S.optional(probeShape),
  liveness: S.optional(S.union(probeShape, S.oneOf(false))),
  readiness: S.optional(S.union(probeShape, S.oneOf(false))),
});

const percentage = S.integer(1, 100, 'an integer percentage 1-100');
export const autoscalingShape = S.object('AutoscalingProps', {
  minReplicas: S.optional(S.integer(1)),
  maxReplicas: S.integer(1),
  cpuUtilization: S.optional(percentage),
  memoryUtilization: S.optional(percentage),
});

const percentOrAbsolute = S.custom<number | string>(
  'an integer >= 0 or a percentage from "0%" to "100%"',
  (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && PERCENT_OR_INT.test(v) && Number(v.slice(0, -1)) <= 100),
);
export const rollingUpdateShape = S.object('RollingUpdateProps', {
  maxSurge: S.optional(percentOrAbsolute),
  maxUnavailable: S.optional(percentOrAbsolute),
});

export const disruptionBudgetShape = S.object('DisruptionBudgetProps', { maxUnavailable: S.optional(S.integer(1)) });

export const webAppNetworkShape = S.object('WebAppNetworkProps', {
  enabled: S.optional(S.boolean()),
  allowFromSameNamespace: S.optional(S.boolean()),
  allowAllEgress: S.optional(S.boolean()),
});

/** Runtime shape of {@link WebAppProps}, in the interface's order (messages come in this order). */
export const webAppPropsShape = S.object('WebAppProps', {
  image: S.string().refine(checkImage),
  name: S.optional(S.string().refine(checkDnsLabel)),
  appName: S.optional(S.string().refine(checkLabelValue)),
  component: S.optional(S.string().refine(checkLabelValue)),
  partOf: S.optional(S.string().refine(checkLabelValue)),
  replicas: S.optional(S.integer(0)),
  command: S.optional(S.array(S.string())),
  args: S.optional(S.array(S.string())),
  ports: S.optional(S.array(webAppPortShape, { minLength: 1 })),
  serviceType: S.optional(
    S.custom<'ClusterIP' | 'NodePort'>(
      '"ClusterIP" or "NodePort" (expose HTTP through an IngressGateway route instead of a LoadBalancer)',
      (v) => v === 'ClusterIP' || v === 'NodePort',
    ),
  ),
  env: S.optional(envShape),
  envFrom: S.optional(S.array(S.instance(EnvFrom, 'an EnvFrom: EnvFrom.configMap() or EnvFrom.secret()'))),
  configFiles: S.optional(S.array(configFilesShape)),
  resources: S.optional(resourcesShape),
  probes: S.optional(webAppProbesShape),
  rollingUpdate: S.optional(rollingUpdateShape),
  minReadySeconds: S.optional(S.integer(0)),
  revisionHistoryLimit: S.optional(S.integer(0)),
  changeCause: S.optional(S.string({ maxLength: 65536 })),
  autoscaling: S.optional(autoscalingShape),
  disruptionBudget: S.optional(disruptionBudgetShape),
  spreadOverNodes: S.optional(S.boolean()),
  security: S.optional(securityShape),
  writablePaths: S.optional(writablePathsShape),
  imagePullSecrets: S.optional(S.array(S.string().refine(checkDnsSubdomain))),
  imagePullSecretsCreatedOutside: S.optional(createdOutsideReason),
  serviceAccountName: S.optional(S.string().refine(checkDnsSubdomain)),
  network: S.optional(webAppNetworkShape),
});

// Compile-time ties between each shape and its documented interface.
const matches: [
  ShapeMatches<typeof webAppPropsShape, WebAppProps>,
  ShapeMatches<typeof webAppPortShape, WebAppPortProps>,
  ShapeMatches<typeof configFilesShape, ConfigFilesProps>,
  ShapeMatches<typeof webAppProbesShape, WebAppProbes>,
  ShapeMatches<typeof autoscalingShape, AutoscalingProps>,
  ShapeMatches<typeof rollingUpdateShape, RollingUpdateProps>,
  ShapeMatches<typeof disruptionBudgetShape, DisruptionBudgetProps>,
  ShapeMatches<typeof webAppNetworkShape, WebAppNetworkProps>,
] = [true, true, true, true, true, true, true, true];
void matches;

/**
 * Checks WebApp props before anything is built: first the shape (every type problem at once),
 * then, when the types hold, every rule between props, so one synth reports every mistake.
 * Throws one PaasValidationError.
 */
export function validateWebAppProps(scope: Construct, id: string, props: unknown): asserts props is WebAppProps {
  const path = ProblemCollector.pathOf(scope);
  const problems = new ProblemCollector(path);
  if (!collectShape(problems, path, props, webAppPropsShape)) problems.throwIfAny();
  const p = props as WebAppProps;
  const name = p.name ?? defaultName(id);
  if (p.name === undefined) problems.capture(() => checkDnsLabel(path, 'name', name));
  // The Service takes the app's name, and Service names are DNS-1035 labels.
  if (/^[0-9]/.test(name)) problems.add('name', name, 'must start with a letter: the Service takes this name, and Service names are DNS-1035 labels');
  replicaRules(problems, p);
  portRules(problems, p);
  mountRules(problems, path, p, name);
  const ports = p.ports ?? [{ name: 'http', containerPort: 8080 }];
  const probes = p.probes ?? {};
  const names = ports.map((port) => port.name);
  for (const kind of ['startup', 'liveness', 'readiness'] as const) {
    const probe = probes[kind];
    if (probe) problems.capture(() => probe.render(path, `probes.${kind}`, kind, ports[0].name, names));
  }
  const surge = p.rollingUpdate?.maxSurge ?? '25%';
  const unavailable = p.rollingUpdate?.maxUnavailable ?? '25%';
  if (isZero(surge) && isZero(unavailable)) {
    problems.add('rollingUpdate.maxUnavailable', unavailable, 'must not be 0 when maxSurge is 0: the rollout could never replace a pod');
  }
  problems.throwIfAny();
}

function replicaRules(problems: ProblemCollector, p: WebAppProps): void {
  const a = p.autoscaling;
  if (a && p.replicas !== undefined) {
    problems.add('replicas', p.replicas, 'must be left out with autoscaling: the autoscaler sets the replicas (use autoscaling.minReplicas)');
  }
  const min = a ? (a.minReplicas ?? 2) : (p.replicas ?? 2);
  if (a && a.maxReplicas < min) problems.add('autoscaling.maxReplicas', a.maxReplicas, `must be an integer >= minReplicas (${min})`);
  if (p.disruptionBudget !== undefined) {
    const maxUnavailable = p.disruptionBudget.maxUnavailable ?? 1;
    if (min < 2) {
      problems.add(
        'disruptionBudget',
        p.disruptionBudget,
        `must be left out with ${min} replica(s): a PodDisruptionBudget is only emitted from 2 replicas (with 1 it would block every node drain)`,
      );
    } else if (maxUnavailable >= min) {
      problems.add(
        'disruptionBudget.maxUnavailable',
        maxUnavailable,
        `must be an integer from 1 to ${min - 1} (below the minimum of ${min} replicas, and above 0 so nodes can drain)`,
      );
    }
  }
}

function portRules(problems: ProblemCollector, p: WebAppProps): void {
  const security = p.security ?? WorkloadSecurity.restricted();
  const seenNames = new Set<string>();
  const seenService = new Set<string>();
  const seenContainer = new Set<string>();
  for (const [i, port] of (p.ports ?? []).entries()) {
    const protocol = port.protocol ?? 'TCP';
    if (seenNames.has(port.name)) problems.add(`ports[${i}].name`, port.name, "must be unique among the app's ports");
    seenNames.add(port.name);
    const service = `${port.servicePort ?? port.containerPort}/${protocol}`;
    if (seenService.has(service))
      problems.add(
        `ports[${i}].servicePort`,
        port.servicePort ?? port.containerPort,
        `must be unique per protocol among the Service's ports (${service} is taken)`,
      );
    seenService.add(service);
    const container = `${port.containerPort}/${protocol}`;
    if (seenContainer.has(container))
      problems.add(`ports[${i}].containerPort`, port.containerPort, `must be unique per protocol among the container's ports (${container} is taken)`);
    seenContainer.add(container);
    if (port.nodePort !== undefined && (p.serviceType ?? 'ClusterIP') !== 'NodePort') {
      problems.add(`ports[${i}].nodePort`, port.nodePort, 'is only valid with serviceType "NodePort"');
    }
    if (port.containerPort < 1024 && security.unprivilegedPortStart === undefined && !security.runAsRoot) {
      problems.add(
        `ports[${i}].containerPort`,
        port.containerPort,
        `is below 1024, which a non-root process cannot bind: use a port >= 1024, or WorkloadSecurity.restricted({ unprivilegedPortStart: ${port.containerPort} })`,
      );
    }
  }
}

function mountRules(problems: ProblemCollector, path: string, p: WebAppProps, name: string): void {
  const mounts = new Set<string>();
  const mount = (field: string, mountPath: string): void => {
    if (!mountPath.startsWith('/')) problems.add(field, mountPath, 'must be an absolute path');
    else if (mounts.has(mountPath)) problems.add(field, mountPath, 'is already a mount path of this app');
    mounts.add(mountPath);
  };
  for (const [i, dir] of (p.writablePaths ?? ['/tmp']).entries()) mount(`writablePaths[${i}]`, dir);
  const ids = new Set<string>();
  for (const [i, cfg] of (p.configFiles ?? []).entries()) {
    const field = `configFiles[${i}]`;
    if (ids.has(cfg.id)) problems.add(`${field}.id`, cfg.id, "must be unique among the app's configFiles");
    ids.add(cfg.id);
    problems.capture(() => checkDnsLabel(path, `${field}.id`, `${name}-${cfg.id}`));
    problems.capture(() => checkDnsLabel(path, `${field}.id`, `config-${cfg.id}`));
    const keys = Object.keys(cfg.files);
    if (keys.length === 0) problems.add(`${field}.files`, cfg.files, 'must hold at least one file');
    const bytes = keys.reduce((n, k) => n + Buffer.byteLength(k) + Buffer.byteLength(cfg.files[k]), 0);
    if (bytes > CONFIG_MAP_MAX_BYTES)
      problems.add(`${field}.files`, `${bytes} bytes`, 'must hold at most 1 MiB in all: the API server refuses larger ConfigMaps');
    if (cfg.asSingleFiles) for (const k of keys.sort()) mount(`${field}.mountPath`, `${cfg.mountPath.replace(/\/$/, '')}/${k}`);
    else mount(`${field}.mountPath`, cfg.mountPath);
  }
  const envFrom = new Set<string>();
  for (const [i, ref] of (p.envFrom ?? []).entries()) {
    const key = `${ref.source}/${ref.name}/${ref.prefix ?? ''}`;
    if (envFrom.has(key)) problems.add(`envFrom[${i}]`, ref.name, 'must not repeat an envFrom source with the same prefix');
    envFrom.add(key);
  }
}

function isZero(v: number | string): boolean {
  return v === 0 || v === '0%';
}
