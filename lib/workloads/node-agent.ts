import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { NODE_COUNT_ANNOTATION } from '../checks/footprint';
import { ProblemCollector } from '../core/errors';
import { isLabelKey, isLabelValue } from '../core/labels';
import { checkDnsSubdomain, checkPortNumber } from '../core/names';
import { checkInteger } from '../core/quantities';
import { nearest } from '../core/shape';
import { addWarning } from '../core/warnings';
import { TenantNamespace } from '../tenancy/tenant-namespace';
import { CONTROL_PLANE_TAINT, LEGACY_MASTER_TAINT, NODE_AGENT_PROP_NAMES, NodeAgentProps, NodeAgentToleration } from './node-agent-props';
import { PodTemplate } from './pod-template';
import { PodWorkload } from './pod-workload';
import { spreadOverNodes } from './workload-parts';
import { Probe } from './probes';
import { IStoreClient } from './types';

/** Annotation listing the host access a node agent's pods use, next to the opt-out reason. */
export const HOST_ACCESS_ANNOTATION = 'paas.cdk8s.io/host-access';

const HOST_PATH_TYPES = ['Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket', 'CharDevice', 'BlockDevice'];
const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const INT_OR_PERCENT = 'must be an integer >= 0 or a percentage of the matching nodes such as "10%" (0-100%)';

/**
 * An agent on every matching node (apps/v1 DaemonSet): log shippers, node exporters, per-node
 * caches. It takes every default WebApp has (image rules, resources, restricted security, its own
 * NetworkPolicy, labels, names; see PodTemplate) plus node selection, tolerations and a rolling
 * update one node at a time.
 *
 * Host access (host network, PID namespace, host ports, hostPath, privileged) is never implied: each
 * kind must be allowed by the named opt-out `WorkloadSecurity.optOut({ reason, hostAccess })` and
 * then used by a prop. It shows as the opt-out annotation and `paas.cdk8s.io/host-access` on the
 * DaemonSet and its pods, and makes the pods Pod Security `privileged`, which a tenant refuses at
 * synth unless its namespace enforces `privileged`.
 *
 * Where it lives: in a chart with a namespace, either a TenantNamespace (its deployer may create
 * DaemonSets; the pods count against its quota once per node) or a cluster-level Chart. A chart
 * without a namespace, such as a tenant's `adminChart`, is a synth error.
 */
export class NodeAgent extends PodWorkload implements IStoreClient {
  public readonly kind = 'DaemonSet' as const;
  /** Nodes the quota fit counts a pod for; undefined when neither the prop nor the platform says. */
  public readonly nodeCount?: number;
  /** The DaemonSet. */
  public readonly daemonSet: ApiObject;
  /** The agent's own NetworkPolicy, unless `network.enabled` is false. */
  public readonly networkPolicy?: ApiObject;
  protected readonly pod: PodTemplate;
  private readonly hostPorts: boolean;

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    super(scope, id);
    const path = ProblemCollector.pathOf(this);
    const problems = new ProblemCollector(path);
    props = props ?? ({} as NodeAgentProps);
    if (typeof props === 'object' && props !== null) {
      const known: readonly string[] = NODE_AGENT_PROP_NAMES;
      for (const key of Object.keys(props).filter((k) => !known.includes(k))) {
        const near = nearest(key, known);
        // A misplaced credential must not be echoed into CI logs.
        const value = /password|secret|token|bearer|credential|private|key/i.test(key) ? '<not shown>' : (props as unknown as Record<string, unknown>)[key];
        problems.add(key, value, `is not a known field of NodeAgentProps${near ? `; did you mean "${near}"?` : ` (known: ${known.join(', ')})`}`);
      }
    }
    const ports = Array.isArray(props.ports) ? props.ports : [];
    if (props.ports !== undefined && !Array.isArray(props.ports))
      problems.add('ports', props.ports, 'must be an array of { name, containerPort, protocol?, hostPort? }');
    this.pod = new PodTemplate(this, props, { problems, defaultComponent: 'agent', ports: ports.map((p) => ({ ...p })) });
    const host = this.security.hostAccess;
    const needs = (kind: keyof typeof host, field: string, value: unknown): void => {
      if (!host[kind]) {
        problems.add(
          field,
          value,
          `needs host access: allow it with WorkloadSecurity.optOut({ reason, hostAccess: { ${kind}: true } }) (Pod Security "privileged")`,
        );
      }
    };

    const chart = Chart.of(this);
    if (!this.namespace) {
      problems.add(
        'scope',
        chart.node.path,
        "must be a chart with a namespace: create the NodeAgent in a TenantNamespace (its pods count against the quota once per node) or a cluster-level Chart with `namespace`; a tenant's adminChart holds only what the cluster admin applies around the namespace and has none",
      );
    }
    const tenant = TenantNamespace.tenantOf(this);
    if (props.nodeCount !== undefined) problems.capture(() => checkInteger(path, 'nodeCount', props.nodeCount!, 1));
    this.nodeCount = props.nodeCount ?? tenant?.platform.nodeCount;
    if (this.nodeCount === undefined && tenant?.resourceQuota) {
      addWarning(
        this,
        `the number of nodes is not known: the quota fit of tenant "${tenant.namespaceName}" counts one pod; set nodeCount on the platform (definePlatform) or on this NodeAgent`,
      );
    }

    const hostAccess: string[] = [];
    let hostPorts = false;
    for (const [i, p] of ports.entries()) {
      if (p?.hostPort === undefined) continue;
      hostPorts = true;
      if (problems.capture(() => checkPortNumber(path, `ports[${i}].hostPort`, p.hostPort!)) === undefined) continue;
      needs('ports', `ports[${i}].hostPort`, p.hostPort);
      // The API server requires hostPort == containerPort on the host network.
      if (props.hostNetwork && p.hostPort !== p.containerPort) {
        problems.add(
          `ports[${i}].hostPort`,
          p.hostPort,
          `must equal containerPort ${p.containerPort} with hostNetwork (the container binds the node's port itself)`,
        );
      }
      hostAccess.push(`hostPort ${p.hostPort}`);
    }
    this.hostPorts = hostPorts;
    for (const flag of ['hostNetwork', 'hostPID'] as const) {
      const v = props[flag];
      if (v !== undefined && typeof v !== 'boolean') problems.add(flag, v, 'must be true or false');
      else if (v) {
        needs(flag === 'hostNetwork' ? 'network' : 'pid', flag, v);
        hostAccess.push(flag);
      }
    }
    const hostPaths = Array.isArray(props.hostPaths) ? props.hostPaths : [];
    if (props.hostPaths !== undefined && !Array.isArray(props.hostPaths))
      problems.add('hostPaths', props.hostPaths, 'must be an array of { path, mountPath, type?, writable? }');
    for (const [i, m] of hostPaths.entries()) {
      const field = `hostPaths[${i}]`;
      if (typeof m?.path !== 'string' || !m.path.startsWith('/')) {
        problems.add(`${field}.path`, m?.path, 'must be an absolute path on the node');
        continue;
      }
      if (m.type !== undefined && !HOST_PATH_TYPES.includes(m.type))
        problems.add(`${field}.type`, m.type, `must be one of ${HOST_PATH_TYPES.map((t) => `"${t}"`).join(', ')}`);
      needs('paths', `${field}.path`, m.path);
      const volume = { name: `host-${i}`, hostPath: { path: m.path, type: m.type ?? 'Directory' } };
      problems.capture(() => this.pod.addVolume(volume, { mountPath: m.mountPath, readOnly: m.writable !== true }, `${field}.mountPath`));
      hostAccess.push(`hostPath ${m.path} (${m.writable === true ? 'writable' : 'read-only'})`);
    }
    if (host.privileged) hostAccess.push('privileged');
    const unused = (['network', 'pid', 'ports', 'paths'] as const).filter(
      (k) => host[k] && !{ network: props.hostNetwork === true, pid: props.hostPID === true, ports: hostPorts, paths: hostPaths.length > 0 }[k],
    );
    if (unused.length > 0) {
      addWarning(
        this,
        `security allows host access the agent does not use (${unused.join(', ')}): its pods still need a "privileged" namespace; drop it from hostAccess`,
      );
    }

    const tolerations = this.checkTolerations(problems, props);
    const selector = props.nodeSelector;
    if (selector !== undefined && (typeof selector !== 'object' || selector === null || Array.isArray(selector))) {
      problems.add('nodeSelector', selector, 'must be an object of node label keys to values');
    } else {
      for (const [k, v] of Object.entries(selector ?? {})) {
        if (!isLabelKey(k))
          problems.add('nodeSelector', k, 'must be a label key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or "."');
        else if (!isLabelValue(v))
          problems.add(
            `nodeSelector.${k}`,
            v,
            'must be a label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
          );
      }
    }
    const update = props.rollingUpdate ?? {};
    const maxUnavailable = checkIntOrPercent(problems, 'rollingUpdate.maxUnavailable', update.maxUnavailable ?? 1);
    const maxSurge = checkIntOrPercent(problems, 'rollingUpdate.maxSurge', update.maxSurge ?? 0);
    if (isZero(maxUnavailable) && isZero(maxSurge)) {
      problems.add('rollingUpdate', update, 'must let at least one node be replaced: maxUnavailable and maxSurge cannot both be 0');
    }
    if (maxSurge !== undefined && !isZero(maxSurge) && (hostPorts || props.hostNetwork === true)) {
      problems.add(
        'rollingUpdate.maxSurge',
        maxSurge,
        `must be 0 with ${props.hostNetwork === true ? 'hostNetwork' : 'host ports'}: the surge pod would need the same node port as the old one and never start; use maxUnavailable`,
      );
    }
    const minReadySeconds = problems.capture(() => checkInteger(path, 'minReadySeconds', props.minReadySeconds ?? 0, 0));
    const revisionHistoryLimit = problems.capture(() => checkInteger(path, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, 0));
    if (props.priorityClassName !== undefined) problems.capture(() => checkDnsSubdomain(path, 'priorityClassName', props.priorityClassName!));

    const portNames = ports.map((p) => p?.name).filter((n): n is string => typeof n === 'string');
    const probes = props.probes ?? {};
    const defaultProbe = portNames.length > 0 ? Probe.tcp({ port: portNames[0] }) : undefined;
    const probe = (kind: 'startup' | 'liveness' | 'readiness', p: Probe | false | undefined): Record<string, unknown> | undefined => {
      if (p === false || p === undefined) return undefined;
      if (!(p instanceof Probe)) {
        problems.add(`probes.${kind}`, p, 'must be a Probe (Probe.http(), Probe.tcp(), Probe.exec())');
        return undefined;
      }
      return problems.capture(() => plain(p.render(path, `probes.${kind}`, kind, portNames[0] ?? 0, portNames)));
    };
    const rendered = {
      startupProbe: probe('startup', probes.startup),
      livenessProbe: probe('liveness', probes.liveness ?? defaultProbe),
      readinessProbe: probe('readiness', probes.readiness ?? defaultProbe),
    };
    problems.throwIfAny();
    if (rendered.livenessProbe === undefined && probes.liveness !== false) {
      addWarning(
        this,
        'has no liveness probe (no ports to check by default): a hung agent is never restarted; give probes.liveness (Probe.exec([...])) or set it to false',
      );
    }

    const annotations: Record<string, string> = {};
    if (hostAccess.length > 0) annotations[HOST_ACCESS_ANNOTATION] = hostAccess.join(', ');
    const objectAnnotations = { ...annotations, ...(this.nodeCount !== undefined ? { [NODE_COUNT_ANNOTATION]: String(this.nodeCount) } : {}) };
    const podSpec: Record<string, unknown> = {
      ...(selector && Object.keys(selector).length > 0 ? { nodeSelector: { ...selector } } : {}),
      ...(tolerations.length > 0 ? { tolerations } : {}),
      ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
      // On the host network the pod would otherwise resolve with the node's resolv.conf and not find Services.
      ...(props.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
      ...(props.hostPID ? { hostPID: true } : {}),
      // Polaris asks every controller but Jobs for a spread constraint. A DaemonSet's pods are each
      // bound to their node, so a ScheduleAnyway spread over hostnames changes nothing: it is
      // written so the output passes Polaris without an exception.
      topologySpreadConstraints: spreadOverNodes(this.pod.selectorLabels),
    };
    this.daemonSet = new ApiObject(this, 'DaemonSet', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: this.pod.objectMetadata(objectAnnotations),
      spec: Lazy.any({
        produce: () => {
          const template = this.pod.render({ pod: podSpec, container: definedOnly(rendered) });
          if (hostAccess.length > 0) template.metadata.annotations = { ...(template.metadata.annotations as object), ...annotations };
          return {
            selector: { matchLabels: this.pod.selectorLabels },
            template,
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } },
            ...(minReadySeconds ? { minReadySeconds } : {}),
            revisionHistoryLimit,
          };
        },
      }),
    });
    this.pod.bindController(this.daemonSet);
    this.networkPolicy = this.pod.createNetworkPolicy();
    this.pod.register('DaemonSet');
  }

  /** The agent runs on every matching node at once: a claim that is not ReadWriteMany is mounted read-only. */
  protected claimPodsAtOnce(): number {
    return Math.max(2, this.nodeCount ?? 2);
  }

  /** Whether a container port is bound on the node (no surge possible). */
  public get usesHostPorts(): boolean {
    return this.hostPorts;
  }

  private checkTolerations(problems: ProblemCollector, props: NodeAgentProps): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    if (props.tolerateControlPlane !== undefined && typeof props.tolerateControlPlane !== 'boolean') {
      problems.add('tolerateControlPlane', props.tolerateControlPlane, 'must be true or false');
    } else if (props.tolerateControlPlane) {
      for (const key of [CONTROL_PLANE_TAINT, LEGACY_MASTER_TAINT]) out.push({ key, operator: 'Exists', effect: 'NoSchedule' });
    }
    if (props.tolerations !== undefined && !Array.isArray(props.tolerations)) {
      problems.add('tolerations', props.tolerations, 'must be an array of { key?, operator?, value?, effect?, tolerationSeconds? }');
      return out;
    }
    for (const [i, t] of (props.tolerations ?? []).entries()) {
      const field = `tolerations[${i}]`;
      const json = checkToleration(problems, field, t);
      if (json) out.push(json);
    }
    return out;
  }
}

function checkToleration(problems: ProblemCollector, field: string, t: NodeAgentToleration): Record<string, unknown> | undefined {
  if (typeof t !== 'object' || t === null) {
    problems.add(field, t, 'must be an object { key?, operator?, value?, effect?, tolerationSeconds? }');
    return undefined;
  }
  const before = problems.problems.length;
  const operator = t.operator ?? 'Equal';
  if (operator !== 'Equal' && operator !== 'Exists') problems.add(`${field}.operator`, t.operator, 'must be "Equal" or "Exists"');
  if (t.key !== undefined && t.key !== '' && !isLabelKey(t.key)) {
    problems.add(`${field}.key`, t.key, 'must be a taint key: an optional DNS subdomain prefix and "/", then 1-63 letters, digits, "-", "_" or "."');
  }
  if ((t.key === undefined || t.key === '') && operator !== 'Exists') {
    problems.add(`${field}.operator`, t.operator, 'must be "Exists" when no key is given (a toleration of every taint)');
  }
  if (operator === 'Exists' && t.value !== undefined && t.value !== '') {
    problems.add(`${field}.value`, t.value, 'must be empty with operator "Exists" (it matches any value)');
  } else if (t.value !== undefined && t.value !== '' && !isLabelValue(t.value)) {
    problems.add(`${field}.value`, t.value, 'must be a taint value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit');
  }
  if (t.effect !== undefined && !EFFECTS.includes(t.effect))
    problems.add(`${field}.effect`, t.effect, `must be one of ${EFFECTS.map((e) => `"${e}"`).join(', ')}`);
  if (t.tolerationSeconds !== undefined) {
    if (t.effect !== 'NoExecute')
      problems.add(`${field}.tolerationSeconds`, t.tolerationSeconds, 'needs effect "NoExecute": only NoExecute taints evict after a delay');
    else if (!Number.isInteger(t.tolerationSeconds) || t.tolerationSeconds < 0)
      problems.add(`${field}.tolerationSeconds`, t.tolerationSeconds, 'must be an integer >= 0');
  }
  if (problems.problems.length > before) return undefined;
  return {
    ...(t.key ? { key: t.key } : {}),
    operator,
    ...(t.value ? { value: t.value } : {}),
    ...(t.effect ? { effect: t.effect } : {}),
    ...(t.tolerationSeconds !== undefined ? { tolerationSeconds: t.tolerationSeconds } : {}),
  };
}

function checkIntOrPercent(problems: ProblemCollector, field: string, value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value) && Number(value.slice(0, -1)) <= 100) return value;
  problems.add(field, value, INT_OR_PERCENT);
  return undefined;
}

function isZero(v: number | string | undefined): boolean {
  return v === 0 || (typeof v === 'string' && Number(v.slice(0, -1)) === 0);
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Probe JSON with the L1 `IntOrString` ports unwrapped, for a plain ApiObject. */
function plain(o: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o, (_k, v: unknown) => (v instanceof k8s.IntOrString ? v.value : v)));
}
