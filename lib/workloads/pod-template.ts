/**
 * Common workload parts for the constructs that write their controller as plain JSON (BatchJob,
 * ScheduledJob, NodeAgent): one `PodTemplate` resolves, checks and renders everything a pod of
 * ours has, so each construct only adds its controller's own fields.
 *
 * What it gives, with the same rules and defaults as WebApp (docs/webapp.md):
 * - image rules (`checkImage`: a tag or digest, never `:latest`), one container named after the workload;
 * - resources always set, from `WorkloadDefaults` up the tree and the library defaults;
 * - `WorkloadSecurity.restricted()` by default (pod and container securityContext, read-only root
 *   filesystem), writable emptyDir paths (`['/tmp']`), the opt-out annotation on object and pods;
 * - `env` (sorted), `envFrom`, `configFiles` (ConfigMaps `<name>-<id>` plus the `checksum/config`
 *   pod annotation), `mountSecret()` (0440), `mountClaim()` (ReadWriteMany rule over `maxPods`);
 * - service account token off, service links off, `imagePullSecrets`, `serviceAccountName`;
 * - recommended labels (`app.kubernetes.io/*`, version from the image tag) and readable names;
 * - its own NetworkPolicy: ingress only from its own pods unless `network.allowFrom` asks, egress DNS only plus
 *   `network.allowEgress` / `allowEgress()` (and the policies `StatefulStore.connect()` adds);
 * - registration of every object name with `PaasRegistry` (duplicate names are synth errors);
 *   the tenant's quota and LimitRange fit read the rendered controller (lib/checks/footprint.ts).
 *
 * Use from a construct (NodeAgent does exactly this):
 * ```ts
 * const problems = new ProblemCollector(ProblemCollector.pathOf(this));
 * this.pod = new PodTemplate(this, props, { problems, defaultComponent: 'agent' });
 * // ...check the construct's own props into `problems`...
 * problems.throwIfAny();
 * new ApiObject(this, 'Resource', { apiVersion: 'apps/v1', kind: 'DaemonSet',
 *   metadata: this.pod.objectMetadata(),
 *   spec: Lazy.any({ produce: () => ({ selector: { matchLabels: this.pod.selectorLabels }, template: this.pod.render({ pod: { ... } }) }) }) });
 * this.pod.createNetworkPolicy();
 * this.pod.register('DaemonSet');
 * ```
 * Rendering is lazy (`Lazy.any`), so `addEnv()`, `mountSecret()` and `allowEgress()` after the
 * constructor (what `connect()` calls) still land in the output. Construct ids used below the
 * scope: `Config-<id>`, `NetworkPolicy`.
 *
 * The props are in pod-template-props.ts (re-exported here); their runtime shape, for plain
 * JavaScript callers, is `podWorkloadShapeFields` in batch-job-shape.ts: spread it into the
 * construct's own `S.object(...)` and call `checkPropsShape(this, props, shape)` first, as
 * BatchJob does. Implementing `IStoreClient` (kind, name, namespace, selectorLabels, security,
 * addEnv, mountSecret) makes the construct connectable with `StatefulStore.connect()`.
 */
import { CreatedOutside, createdOutsideAnnotations, CreatedOutsideOptions, createdOutsideOptions } from '../core/created-outside';
import { NotSecretMark, notSecretAnnotations } from '../core/sensitive';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, ProblemCollector } from '../core/errors';
import { assertArgs } from '../core/shape';
import { checkImage } from '../core/image';
import { checkLabelValue } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkPortName, checkPortNumber, defaultName, fitName, MAX_LABEL_NAME, truncateName } from '../core/names';
import { dnsEgressRule } from '../core/network';
import { PaasRegistry } from '../core/registry';
import { renderResources } from '../core/resources';
import { addWarning } from '../core/warnings';
import { WorkloadSecurity } from '../core/security';
import { NetworkPeer, NetworkPort, policyPorts } from '../networking/network-peer';
import { EnvValue } from './env';
import { IVolumeClaim, MountOptions } from './types';
import { ConfigFilesProps, EnvFrom } from './web-app-props';
import { PodEgressRule, PodPort, PodWorkloadProps } from './pod-template-props';
import {
  checkAddedEnv,
  configChecksum,
  configFileSets,
  optOutAnnotations,
  pullSecretRefs,
  workloadLabels,
  writableVolumeName,
  WRITABLE_SIZE_LIMIT_MIB,
} from './workload-parts';

export type { PodEgressRule, PodIngressRule, PodNetworkProps, PodPort, PodWorkloadProps } from './pod-template-props';

/** How the construct using PodTemplate wants it. */
export interface PodTemplateOptions {
  /** Where prop problems are collected (the construct throws them once). */
  readonly problems: ProblemCollector;
  /** `app.kubernetes.io/component` when the user gives none. */
  readonly defaultComponent: string;
  /** Longest object name (CronJobs: 52, the controller appends an 11-character suffix). @default 63 */
  readonly maxNameLength?: number;
  /** Container ports. @default [] */
  readonly ports?: PodPort[];
}

/** What `render()` adds on top of the common pod: the controller's own pod and container fields. */
export interface PodRenderOptions {
  /** Extra pod spec fields (restartPolicy, tolerations, nodeSelector, hostNetwork…). @default {} */
  readonly pod?: Record<string, unknown>;
  /** Extra fields of the container, merged over ours (e.g. a securityContext of an opt-out). @default {} */
  readonly container?: Record<string, unknown>;
}

type Mount = { name: string; mountPath: string; readOnly?: boolean; subPath?: string };

/**
 * @internal-ish: public so NodeAgent and user constructs can build on it; not a construct itself
 * (it creates its ConfigMaps and NetworkPolicy under the scope it is given).
 */
export class PodTemplate {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly appName: string;
  public readonly image: string;
  public readonly security: WorkloadSecurity;
  /** The NetworkPolicy, once `createNetworkPolicy()` ran. */
  public networkPolicy?: ApiObject;
  private readonly scope: Construct;
  private readonly path: string;
  private readonly props: PodWorkloadProps;
  private readonly _labels: Record<string, string>;
  private readonly _selector: Record<string, string>;
  private readonly resources?: { requests: Record<string, string>; limits: Record<string, string> };
  private readonly ports: PodPort[];
  private readonly env: Array<{ name: string; json: Record<string, unknown> }> = [];
  private readonly notSecretMarks: NotSecretMark[] = [];
  /** Objects declared created outside (env, envFrom), for the controller's annotation. */
  private readonly outsideObjects: CreatedOutside[] = [];
  private readonly volumes: Array<Record<string, unknown>> = [];
  private readonly mounts: Mount[] = [];
  private readonly mountKeys = new Set<string>();
  private readonly secretMounts = new Map<string, string>();
  private readonly egress: PodEgressRule[] = [];
  private readonly checksum?: string;
  /** The controller object, once the workload made it (see bindController). */
  private controller?: ApiObject;

  constructor(scope: Construct, props: PodWorkloadProps, options: PodTemplateOptions) {
    const path = ProblemCollector.pathOf(scope);
    // A building block of the workloads (PodWorkload, BatchJob, ScheduledJob, NodeAgent): it
    // reports into the workload's own collector, so every problem of the construct comes at once.
    if (!(options?.problems instanceof ProblemCollector)) {
      fail(
        path,
        'options.problems',
        options?.problems,
        'must be the ProblemCollector of the workload being built (PodTemplate is a building block of PodWorkload, BatchJob, ScheduledJob and NodeAgent; use one of those)',
      );
    }
    const problems = options.problems;
    this.scope = scope;
    this.path = path;
    this.props = props ?? ({} as PodWorkloadProps);
    props = this.props;
    const fallback = defaultName(scope.node.id);
    const max = options.maxNameLength ?? MAX_LABEL_NAME;
    this.name = problems.capture(() => checkDnsLabel(path, 'name', props.name ?? fallback, max)) ?? truncateName(fallback, max);
    this.namespace = Chart.of(scope).namespace;
    this.image = problems.capture(() => checkImage(path, 'image', props.image)) ?? String(props.image);
    if (props.security !== undefined && !(props.security instanceof WorkloadSecurity)) {
      problems.add('security', props.security, 'must be WorkloadSecurity.restricted() or WorkloadSecurity.optOut({ reason })');
    }
    this.security = props.security instanceof WorkloadSecurity ? props.security : WorkloadSecurity.restricted();
    this.appName = props.appName ?? this.name;
    for (const field of ['appName', 'component', 'partOf'] as const) {
      if (props[field] !== undefined) problems.capture(() => checkLabelValue(path, field, props[field]!));
    }
    const input = { name: this.appName, instance: this.name, component: props.component ?? options.defaultComponent, partOf: props.partOf };
    const labels = workloadLabels(input, props.image);
    this._labels = labels.labels;
    this._selector = labels.selector;
    this.resources = problems.capture(() => renderResources(scope, path, 'resources', props.resources));
    for (const field of ['command', 'args'] as const) {
      const v = props[field];
      if (v !== undefined && (!Array.isArray(v) || v.some((a) => typeof a !== 'string'))) problems.add(field, v, 'must be an array of strings');
    }
    const pullPolicy = props.imagePullPolicy;
    if (pullPolicy !== undefined && pullPolicy !== 'Always' && pullPolicy !== 'IfNotPresent') {
      problems.add('imagePullPolicy', pullPolicy, 'must be "Always" or "IfNotPresent"');
    }
    for (const [i, s] of list(problems, 'imagePullSecrets', props.imagePullSecrets).entries())
      problems.capture(() => checkDnsSubdomain(path, `imagePullSecrets[${i}]`, s));
    if (props.serviceAccountName !== undefined) problems.capture(() => checkDnsSubdomain(path, 'serviceAccountName', props.serviceAccountName!));
    this.ports = (options.ports ?? []).map((p, i) => {
      problems.capture(() => checkPortName(path, `ports[${i}].name`, p.name));
      problems.capture(() => checkPortNumber(path, `ports[${i}].containerPort`, p.containerPort));
      return { ...p };
    });
    for (const [name, value] of Object.entries(record(problems, 'env', props.env)).sort(([a], [b]) => a.localeCompare(b))) {
      problems.capture(() => this.addEnv(name, value));
    }
    for (const [i, ref] of list(problems, 'envFrom', props.envFrom).entries()) {
      if (!(ref instanceof EnvFrom)) problems.add(`envFrom[${i}]`, ref, 'must be EnvFrom.configMap(name, prefix?) or EnvFrom.secret(name, prefix?)');
      else {
        problems.capture(() => checkDnsSubdomain(path, `envFrom[${i}]`, ref.name));
        this.declareOutside(ref.createdOutside);
      }
    }
    this.checksum = problems.capture(() => this.addConfigFiles(list(problems, 'configFiles', props.configFiles)));
    for (const [i, dir] of list(problems, 'writablePaths', props.writablePaths ?? ['/tmp']).entries()) {
      problems.capture(() =>
        this.addVolume({ name: writableVolumeName(i), emptyDir: { sizeLimit: `${WRITABLE_SIZE_LIMIT_MIB}Mi` } }, { mountPath: dir }, `writablePaths[${i}]`),
      );
    }
    for (const [i, rule] of list(problems, 'network.allowEgress', props.network?.allowEgress).entries()) {
      if (!(rule?.to instanceof NetworkPeer))
        problems.add(`network.allowEgress[${i}].to`, rule?.to, 'must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())');
      else this.egress.push(rule);
    }
    for (const [i, rule] of list(problems, 'network.allowFrom', props.network?.allowFrom).entries()) {
      if (!(rule?.from instanceof NetworkPeer))
        problems.add(`network.allowFrom[${i}].from`, rule?.from, 'must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())');
    }
  }

  /** Labels on every object and pod (a copy). */
  public get labels(): Record<string, string> {
    return { ...this._labels };
  }

  /** Labels that select the pods (a copy). */
  public get selectorLabels(): Record<string, string> {
    return { ...this._selector };
  }

  /**
   * Metadata of the controller object: name, labels, the opt-out annotation and the created-outside
   * declarations of the env and envFrom given so far (the props').
   */
  public objectMetadata(annotations: Record<string, string> = {}): Record<string, unknown> {
    const all = { ...optOutAnnotations(this.security), ...createdOutsideAnnotations(this.outsideObjects), ...annotations };
    return { name: this.name, labels: this.labels, ...(Object.keys(all).length > 0 ? { annotations: all } : {}) };
  }

  /**
   * The controller object whose metadata `objectMetadata()` filled: declarations made later
   * (`addEnv`, `mountSecret` after construction, as `StatefulStore.connect()` does) are written
   * into its created-outside annotation too.
   */
  public bindController(controller: ApiObject): void {
    this.controller = controller;
    this.writeOutside();
  }

  private declareOutside(d: CreatedOutside | undefined): void {
    if (!d) return;
    this.outsideObjects.push(d);
    this.writeOutside();
  }

  private writeOutside(): void {
    if (!this.controller) return;
    for (const [k, v] of Object.entries(createdOutsideAnnotations(this.outsideObjects))) this.controller.metadata.addAnnotation(k, v);
  }

  /** Adds an environment variable; each name once. */
  public addEnv(name: string, value: EnvValue): void {
    const mark = checkAddedEnv(this.path, name, value, (n) => this.env.some((e) => e.name === n), 'workload');
    if (mark) this.notSecretMarks.push(mark);
    this.declareOutside(value.createdOutside);
    this.env.push({ name, json: value.toJson() });
  }

  /** Mounts an existing Secret read-only, one file per key (0440, readable through fsGroup). */
  public mountSecret(secretName: string, mountPath: string, options?: CreatedOutsideOptions): void {
    checkDnsSubdomain(this.path, 'mountSecret', secretName);
    assertArgs(this.path, [['options', options, createdOutsideOptions]]);
    if (options?.createdOutside !== undefined) this.declareOutside({ kind: 'Secret', name: secretName, reason: options.createdOutside });
    if (this.secretMounts.get(mountPath) === secretName) return;
    // fitName: two long Secret names never cut to one volume name.
    const name = fitName(`secret-${secretName.replace(/\./g, '-')}`);
    const volume = this.volumes.some((v) => v.name === name) ? undefined : { name, secret: { secretName, defaultMode: 0o440 } };
    this.addVolume(volume, { name, mountPath, readOnly: true }, 'mountSecret');
    this.secretMounts.set(mountPath, secretName);
  }

  /**
   * Mounts a claim. With more than one pod (`maxPods`) on possibly different nodes, a claim that is
   * not ReadWriteMany can only be mounted read-only.
   */
  public mountClaim(claim: IVolumeClaim, mountPath: string, options: MountOptions = {}, maxPods = 1): void {
    if (!claim || typeof claim.claimName !== 'string')
      fail(this.path, 'mountClaim', claim, 'must be a claim handle (NfsStorage.claim(), VolumeClaim.fromClaimName())');
    if (!claim.readWriteMany && maxPods > 1 && !options.readOnly) {
      fail(
        this.path,
        'mountClaim',
        claim.claimName,
        `is not ReadWriteMany but up to ${maxPods} pods may run at once on different nodes: use a ReadWriteMany claim or mount it read-only`,
      );
    }
    const name = fitName(`claim-${claim.claimName}`);
    const volume = this.volumes.some((v) => v.name === name)
      ? undefined
      : { name, persistentVolumeClaim: { claimName: claim.claimName, ...(options.readOnly ? { readOnly: true } : {}) } };
    this.addVolume(volume, { name, mountPath, readOnly: options.readOnly, subPath: options.subPath }, 'mountClaim');
  }

  /** Adds a volume (plain Kubernetes JSON; undefined to mount one already added) and mounts it. */
  public addVolume(volume: Record<string, unknown> | undefined, mount: Omit<Mount, 'name'> & { name?: string }, field = 'volumes'): void {
    const name = String(mount.name ?? volume?.name);
    const key = `${mount.mountPath}|${mount.subPath ?? ''}`;
    if (typeof mount.mountPath !== 'string' || !mount.mountPath.startsWith('/')) fail(this.path, field, mount.mountPath, 'must be an absolute path');
    if (this.mountKeys.has(key)) fail(this.path, field, mount.mountPath, 'is already a mount path of this workload');
    this.mountKeys.add(key);
    if (volume) this.volumes.push(volume);
    this.mounts.push({ name, mountPath: mount.mountPath, ...(mount.readOnly ? { readOnly: true } : {}), ...(mount.subPath ? { subPath: mount.subPath } : {}) });
  }

  /** Lets the pods out to `to` (added to the workload's own NetworkPolicy). */
  public allowEgress(to: NetworkPeer, ports?: NetworkPort[]): void {
    if (!(to instanceof NetworkPeer)) fail(this.path, 'allowEgress', to, 'must be a NetworkPeer (NetworkPeer.workload(), .namespace(), .pods(), .cidr())');
    if (this.props.network?.enabled === false) {
      addWarning(
        this.scope,
        `allowEgress(${JSON.stringify(to.toJson())}) has no effect: network.enabled is false, so the pods have no NetworkPolicy of their own (the namespace's policies alone apply)`,
      );
    }
    this.egress.push({ to, ports });
  }

  /** The pod template (`metadata` and `spec`) as plain Kubernetes JSON. Call at synth time (inside `Lazy`). */
  public render(options: PodRenderOptions = {}): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
    const p = this.props;
    const annotations = {
      ...optOutAnnotations(this.security),
      ...(this.checksum ? { 'checksum/config': this.checksum } : {}),
      // On the pod template, rendered at synth: addEnv() may come after the object's metadata.
      ...notSecretAnnotations(this.notSecretMarks),
    };
    const container: Record<string, unknown> = {
      name: this.name,
      image: this.image,
      imagePullPolicy: p.imagePullPolicy ?? 'Always',
      ...(p.command ? { command: [...p.command] } : {}),
      ...(p.args ? { args: [...p.args] } : {}),
      ...(this.ports.length > 0
        ? {
            ports: this.ports.map((port) => ({
              name: port.name,
              containerPort: port.containerPort,
              protocol: port.protocol ?? 'TCP',
              ...(port.hostPort ? { hostPort: port.hostPort } : {}),
            })),
          }
        : {}),
      ...(this.env.length > 0 ? { env: this.env.map((e) => ({ name: e.name, ...e.json })) } : {}),
      ...(p.envFrom && p.envFrom.length > 0 ? { envFrom: p.envFrom.map((e) => e.toJson()) } : {}),
      resources: this.resources,
      securityContext: this.security.containerSecurityContext(),
      ...(this.mounts.length > 0 ? { volumeMounts: this.mounts.map((m) => ({ ...m })) } : {}),
      ...options.container,
    };
    const spec: Record<string, unknown> = {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: this.security.podSecurityContext(),
      ...(p.serviceAccountName ? { serviceAccountName: p.serviceAccountName } : {}),
      ...(pullSecretRefs(p.imagePullSecrets) ? { imagePullSecrets: pullSecretRefs(p.imagePullSecrets) } : {}),
      containers: [container],
      ...(this.volumes.length > 0 ? { volumes: this.volumes.map((v) => JSON.parse(JSON.stringify(v))) } : {}),
      ...options.pod,
    };
    return { metadata: { labels: this.labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) }, spec };
  }

  /** The workload's own NetworkPolicy (id `NetworkPolicy`, name = the workload's), unless `network.enabled` is false. */
  public createNetworkPolicy(): ApiObject | undefined {
    const net = this.props.network ?? {};
    if (net.enabled === false) {
      // Rules for a policy that is not created would be dropped without a word.
      const given = (['allowFrom', 'allowEgress', 'allowAllEgress'] as const).filter((k) =>
        Array.isArray(net[k]) ? (net[k] as unknown[]).length > 0 : net[k] !== undefined,
      );
      if (given.length > 0) {
        addWarning(
          this.scope,
          `network.${given.join(', network.')} ${given.length === 1 ? 'has' : 'have'} no effect: network.enabled is false, so the pods have no NetworkPolicy of their own (the namespace's policies alone apply)`,
        );
      }
      return undefined;
    }
    // Only the workload's own pods (parallel workers, the indexes of an Indexed Job) may reach each
    // other; nobody else unless `allowFrom` says so. One rule also keeps Polaris' missingNetworkPolicy
    // satisfied, which wants a policy with both ingress and egress rules.
    const self = { from: [{ podSelector: { matchLabels: this.selectorLabels } }] };
    const ingress = [
      self,
      ...(Array.isArray(net.allowFrom) ? net.allowFrom : []).map((r) => ({
        from: [r.from.toJson()],
        ...(r.ports?.length ? { ports: plainPorts(r.ports) } : {}),
      })),
    ];
    this.networkPolicy = new ApiObject(this.scope, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: this.name, labels: this.labels },
      spec: Lazy.any({
        produce: () => ({
          podSelector: { matchLabels: this.selectorLabels },
          policyTypes: ['Ingress', 'Egress'],
          ingress,
          egress: net.allowAllEgress
            ? [{}]
            : [
                JSON.parse(JSON.stringify(k8s.toJson_NetworkPolicyEgressRule(dnsEgressRule()))),
                ...this.egress.map((r) => ({ to: [r.to.toJson()], ...(r.ports?.length ? { ports: plainPorts(r.ports) } : {}) })),
              ],
        }),
      }),
    });
    return this.networkPolicy;
  }

  /** Registers the names of the controller (`kind`), the NetworkPolicy and the ConfigMaps with the registry. */
  public register(kind: string): void {
    const registry = PaasRegistry.of(this.scope);
    registry.registerObject({ path: this.path, kind, namespace: this.namespace, name: this.name });
    if (this.networkPolicy) registry.registerObject({ path: this.path, kind: 'NetworkPolicy', namespace: this.namespace, name: this.name });
  }

  private addConfigFiles(files: readonly ConfigFilesProps[]): string | undefined {
    const sets = configFileSets(this.path, this.name, files);
    if (sets.length === 0) return undefined;
    for (const set of sets) {
      new ApiObject(this.scope, `Config-${set.suffix}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: set.configMapName, labels: this.labels },
        data: set.data,
      });
      PaasRegistry.of(this.scope).registerObject({ path: this.path, kind: 'ConfigMap', namespace: this.namespace, name: set.configMapName });
      const volume = { name: set.volumeName, configMap: { name: set.configMapName } };
      for (const [j, m] of set.mounts.entries()) {
        this.addVolume(
          j === 0 ? volume : undefined,
          { name: volume.name, mountPath: m.mountPath, readOnly: true, subPath: m.subPath },
          `${set.field}.mountPath`,
        );
      }
    }
    return configChecksum(sets.map((set) => ({ name: set.configMapName, files: set.files })));
  }
}

/** `value` when it is an array (or undefined: empty), else a recorded problem and an empty list: plain JavaScript passes anything. */
function list<T>(problems: ProblemCollector, field: string, value: readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  problems.add(field, value, 'must be an array');
  return [];
}

/** `value` when it is a plain object (or undefined: empty), else a recorded problem. */
function record<T>(problems: ProblemCollector, field: string, value: Record<string, T> | undefined): Record<string, T> {
  if (value === undefined) return {};
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  problems.add(field, value, 'must be an object of name -> EnvValue');
  return {};
}

function plainPorts(ports: readonly NetworkPort[]): Array<Record<string, unknown>> {
  return policyPorts(ports).map((p) => JSON.parse(JSON.stringify(k8s.toJson_NetworkPolicyPort(p))));
}
