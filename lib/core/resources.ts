import { IConstruct } from 'constructs';
import { fail } from './errors';
import { checkCpu, checkMemory, checkStorage, parseBytes, parseCpuMillis } from './quantities';

/** A request and a limit for one resource. */
export interface ResourceRange {
  /** What the scheduler reserves. */
  readonly request?: string;
  /** The hard cap. */
  readonly limit?: string;
}

/**
 * Container resources. Requests and limits are always rendered: what is not given comes from the
 * nearest `WorkloadDefaults` up the tree, then from the library defaults.
 */
export interface ResourcesProps {
  /** CPU in cores ("0.5") or millicores ("100m"). @default { request: '100m', limit: '500m' } */
  readonly cpu?: ResourceRange;
  /** Memory ("128Mi", "1Gi"). @default { request: '128Mi', limit: '256Mi' } */
  readonly memory?: ResourceRange;
  /** Ephemeral storage (emptyDir, logs). @default - not set */
  readonly ephemeralStorage?: ResourceRange;
}

/** Settings applied to every workload below a scope (a Chart, a TenantNamespace or the App). */
export interface WorkloadDefaultsProps {
  /** Default container resources. @default the library defaults above */
  readonly resources?: ResourcesProps;
  /**
   * Whether workloads' own NetworkPolicies admit pods of the same namespace by default. A tenant
   * that does not allow traffic inside its namespace sets this to false for what it holds.
   * @default true
   */
  readonly allowFromSameNamespace?: boolean;
}

export const LIBRARY_RESOURCES = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
} as const;

const DEFAULTS = new WeakMap<IConstruct, WorkloadDefaultsProps>();

/** App-wide (or chart-wide) overridable defaults for workloads. */
export class WorkloadDefaults {
  /** Sets defaults for all workloads created below `scope` afterwards (merged over earlier calls on the same scope). */
  public static set(scope: IConstruct, props: WorkloadDefaultsProps): void {
    const before = DEFAULTS.get(scope);
    DEFAULTS.set(scope, { ...before, ...props, resources: props.resources || before?.resources ? { ...before?.resources, ...props.resources } : undefined });
  }

  /** Whether workloads below `scope` admit same-namespace pods by default: the nearest setting wins. */
  public static allowFromSameNamespaceAt(scope: IConstruct): boolean {
    const scopes = scope.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const v = DEFAULTS.get(scopes[i])?.allowFromSameNamespace;
      if (v !== undefined) return v;
    }
    return true;
  }

  /** The resources in force at `scope`: the nearest defaults, merged field by field over the library's. */
  public static resourcesAt(scope: IConstruct): ResourcesProps {
    let cpu: ResourceRange = LIBRARY_RESOURCES.cpu;
    let memory: ResourceRange = LIBRARY_RESOURCES.memory;
    let ephemeralStorage: ResourceRange | undefined;
    for (const s of scope.node.scopes) {
      const d = DEFAULTS.get(s)?.resources;
      if (!d) continue;
      if (d.cpu) cpu = { ...cpu, ...d.cpu };
      if (d.memory) memory = { ...memory, ...d.memory };
      if (d.ephemeralStorage) ephemeralStorage = { ...ephemeralStorage, ...d.ephemeralStorage };
    }
    return { cpu, memory, ephemeralStorage };
  }
}

/**
 * Resolves resources against the defaults in force, checks the quantities and that each request
 * is within its limit, and returns the Kubernetes `resources` object.
 */
export function renderResources(
  scope: IConstruct,
  path: string,
  field: string,
  given: ResourcesProps | undefined,
): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const base = WorkloadDefaults.resourcesAt(scope);
  const cpu = { ...base.cpu, ...given?.cpu };
  const memory = { ...base.memory, ...given?.memory };
  const eph = given?.ephemeralStorage || base.ephemeralStorage ? { ...base.ephemeralStorage, ...given?.ephemeralStorage } : undefined;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  requests.cpu = checkCpu(path, `${field}.cpu.request`, cpu.request!);
  limits.cpu = checkCpu(path, `${field}.cpu.limit`, cpu.limit!);
  requests.memory = checkMemory(path, `${field}.memory.request`, memory.request!);
  limits.memory = checkMemory(path, `${field}.memory.limit`, memory.limit!);
  if (parseCpuMillis(requests.cpu)! > parseCpuMillis(limits.cpu)!) {
    fail(path, `${field}.cpu.request`, requests.cpu, `must not exceed the CPU limit ${JSON.stringify(limits.cpu)}`);
  }
  if (parseBytes(requests.memory)! > parseBytes(limits.memory)!) {
    fail(path, `${field}.memory.request`, requests.memory, `must not exceed the memory limit ${JSON.stringify(limits.memory)}`);
  }
  if (eph) {
    if (eph.request) requests['ephemeral-storage'] = checkStorage(path, `${field}.ephemeralStorage.request`, eph.request);
    if (eph.limit) limits['ephemeral-storage'] = checkStorage(path, `${field}.ephemeralStorage.limit`, eph.limit);
    if (eph.request && eph.limit && parseBytes(eph.request)! > parseBytes(eph.limit)!) {
      fail(path, `${field}.ephemeralStorage.request`, eph.request, `must not exceed the ephemeral-storage limit ${JSON.stringify(eph.limit)}`);
    }
  }
  return { requests, limits };
}
