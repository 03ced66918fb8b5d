import { ApiObject, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CreatedOutside, createdOutsideAnnotations, CreatedOutsideOptions, createdOutsideOptions } from '../core/created-outside';
import { fail, ProblemCollector } from '../core/errors';
import { checkDnsLabel, checkDnsSubdomain, checkPortName, checkPortNumber, defaultName, truncateName } from '../core/names';
import { checkInteger } from '../core/quantities';
import { patchFields, pointerKey, removeFields } from '../core/patch';
import { PaasRegistry } from '../core/registry';
import { assertArgs } from '../core/shape';
import { renderResources, WorkloadDefaults } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { checkImage } from '../core/image';
import { dnsEgressRule } from '../core/network';
import { NotSecretMark, notSecretAnnotations } from '../core/sensitive';
import { EnvValue } from './env';
import { Probe } from './probes';
import { IVolumeClaim, IWebApp, MountOptions, WorkloadPort } from './types';
import { WebAppProps } from './web-app-props';
import { validateWebAppProps } from './web-app-shape';
import {
  checkAddedEnv,
  configChecksum,
  configFileSets,
  disruptionBudget,
  kubeResources,
  optOutAnnotations,
  pullSecretRefs,
  spreadOverNodes,
  workloadLabels,
  writableVolumeName,
  WRITABLE_SIZE_LIMIT_MIB,
} from './workload-parts';

const CONTAINER = '/spec/template/spec/containers/0';
const PERCENT_OR_INT = /^(\d+)%$/;

/**
 * A stateless web app: Deployment, Service, and where they apply a HorizontalPodAutoscaler,
 * PodDisruptionBudget and NetworkPolicy. `new WebApp(scope, id, { image })` alone is production-shaped:
 * two replicas spread over nodes, resources set, probes on the main port, restricted security.
 */
export class WebApp extends Construct implements IWebApp {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly kind = 'Deployment' as const;
  public readonly security: WorkloadSecurity;
  public readonly serviceName: string;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;
  public readonly autoscalerName?: string;
  /** The underlying cdk8s-plus Deployment (escape hatch). */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the pods. */
  public readonly service: kplus.Service;
  /** The autoscaler, when `autoscaling` is set. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The disruption budget, when replicas (or autoscaling min) >= 2. */
  public readonly disruptionBudget?: ApiObject;
  /** The app's own NetworkPolicy, unless disabled. */
  public readonly networkPolicy?: ApiObject;

  private readonly _ports: WorkloadPort[];
  private readonly _selector: Record<string, string>;
  private readonly _labels: Record<string, string>;
  private readonly container: kplus.Container;
  private readonly envNames = new Set<string>();
  private readonly notSecretMarks: NotSecretMark[] = [];
  private readonly outsideObjects: CreatedOutside[] = [];
  private readonly mountPaths = new Set<string>();
  private readonly secretMounts = new Map<string, string>();

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    // Plain JavaScript reaches here with anything: every problem of the props, at once, before building.
    validateWebAppProps(this, id, props);
    const path = this.node.path;
    const problems = new ProblemCollector(path);
    this.name = problems.capture(() => checkDnsLabel(path, 'name', props.name ?? defaultName(id))) ?? defaultName(id);
    this.namespace = Chart.of(this).namespace;
    problems.capture(() => checkImage(path, 'image', props.image));
    this.security = props.security ?? WorkloadSecurity.restricted();

    const autoscaling = props.autoscaling;
    const replicas = props.replicas ?? 2;
    problems.capture(() => checkInteger(path, 'replicas', replicas, 0));
    if (autoscaling) {
      const min = autoscaling.minReplicas ?? 2;
      problems.capture(() => checkInteger(path, 'autoscaling.minReplicas', min, 1));
      if (!Number.isInteger(autoscaling.maxReplicas) || autoscaling.maxReplicas < min) {
        problems.add('autoscaling.maxReplicas', autoscaling.maxReplicas, `must be an integer >= minReplicas (${min})`);
      }
      for (const key of ['cpuUtilization', 'memoryUtilization'] as const) {
        const v = autoscaling[key];
        if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) problems.add(`autoscaling.${key}`, v, 'must be an integer percentage 1-100');
      }
      this.minReplicas = min;
      this.maxReplicas = autoscaling.maxReplicas;
    } else {
      this.minReplicas = replicas;
      this.maxReplicas = replicas;
    }

    this._ports = problems.capture(() => this.resolvePorts(props)) ?? [];
    const appName = props.appName ?? this.name;
    const labels = workloadLabels({ name: appName, instance: this.name, component: props.component ?? 'web', partOf: props.partOf }, props.image);
    this._labels = labels.labels;
    this._selector = labels.selector;
    const resources = problems.capture(() => renderResources(this, path, 'resources', props.resources));
    problems.throwIfAny();
    const mainPort = this._ports[0];

    const annotations: Record<string, string> = {};
    if (props.changeCause) annotations['kubernetes.io/change-cause'] = props.changeCause;
    Object.assign(annotations, optOutAnnotations(this.security));
    const strategy = kplus.DeploymentStrategy.rollingUpdate({
      maxSurge: toPercentOrAbsolute(path, 'rollingUpdate.maxSurge', props.rollingUpdate?.maxSurge ?? '25%'),
      maxUnavailable: toPercentOrAbsolute(path, 'rollingUpdate.maxUnavailable', props.rollingUpdate?.maxUnavailable ?? '25%'),
    });
    const minReadySeconds = props.minReadySeconds ?? 0;
    checkInteger(path, 'minReadySeconds', minReadySeconds, 0);

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: this.name, labels: this._labels, annotations },
      replicas: autoscaling ? undefined : replicas,
      select: false,
      podMetadata: { labels: { ...this._labels } },
      strategy,
      minReady: Duration.seconds(minReadySeconds),
      automountServiceAccountToken: false,
      serviceAccount: props.serviceAccountName ? kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', props.serviceAccountName) : undefined,
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this._selector }));
    this.container = this.deployment.addContainer({
      name: this.name,
      image: props.image,
      command: props.command,
      args: props.args,
      ports: this._ports.map((p) => ({ name: p.name, number: p.containerPort, protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP })),
    });
    for (const s of props.imagePullSecrets ?? [])
      if (props.imagePullSecretsCreatedOutside !== undefined) this.declareOutside({ kind: 'Secret', name: s, reason: props.imagePullSecretsCreatedOutside });
    for (const [i, ref] of (props.envFrom ?? []).entries()) {
      this.declareOutside(ref.createdOutside);
      // By position: a ConfigMap and a Secret may share a name.
      const id = `EnvFrom${i}-${ref.name}`;
      this.container.env.copyFrom(
        ref.source === 'configMapRef'
          ? new kplus.EnvFrom(kplus.ConfigMap.fromConfigMapName(this, id, ref.name), ref.prefix)
          : new kplus.EnvFrom(undefined, ref.prefix, kplus.Secret.fromSecretName(this, id, ref.name)),
      );
    }
    for (const [key, value] of Object.entries(props.env ?? {}).sort(([a], [b]) => a.localeCompare(b))) this.addEnv(key, value);
    const checksums = this.addConfigFiles(props);
    for (const [i, dir] of (props.writablePaths ?? ['/tmp']).entries()) {
      this.mountVolume(
        kplus.Volume.fromEmptyDir(this, `Writable${i}`, writableVolumeName(i), { sizeLimit: Size.mebibytes(WRITABLE_SIZE_LIMIT_MIB) }),
        dir,
        {},
        `writablePaths[${i}]`,
      );
    }
    if (checksums) this.deployment.podMetadata.addAnnotation('checksum/config', checksums);
    // cdk8s-plus labels pods with its own address label even when it does not select on it.
    removeFields(ApiObject.of(this.deployment), [`/spec/template/metadata/labels/${pointerKey(kplus.Pod.ADDRESS_LABEL)}`]);

    const portNames = this._ports.map((p) => p.name);
    const probe = (kind: 'startup' | 'liveness' | 'readiness', p: Probe | undefined) =>
      p ? p.render(path, `probes.${kind}`, kind, mainPort.name, portNames) : undefined;
    const probes = props.probes ?? {};
    const defaultProbe = Probe.tcp({ port: mainPort.name });
    patchFields(ApiObject.of(this.deployment), {
      '/spec/revisionHistoryLimit': checkInteger(path, 'revisionHistoryLimit', props.revisionHistoryLimit ?? 5, 0),
      '/spec/template/spec/securityContext': this.security.podSecurityContext(),
      '/spec/template/spec/topologySpreadConstraints': (props.spreadOverNodes ?? true) && this.maxReplicas >= 2 ? spreadOverNodes(this._selector) : undefined,
      '/spec/template/spec/imagePullSecrets': pullSecretRefs(props.imagePullSecrets),
      [`${CONTAINER}/securityContext`]: this.security.containerSecurityContext(),
      [`${CONTAINER}/resources`]: kubeResources(resources!),
      [`${CONTAINER}/startupProbe`]: probe('startup', probes.startup),
      [`${CONTAINER}/livenessProbe`]: probes.liveness === false ? undefined : probe('liveness', probes.liveness ?? defaultProbe),
      [`${CONTAINER}/readinessProbe`]: probes.readiness === false ? undefined : probe('readiness', probes.readiness ?? defaultProbe),
    });

    this.serviceName = this.name;
    this.service = this.createService(props);
    if (autoscaling) {
      this.autoscalerName = this.name;
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: { name: this.name, labels: this._labels },
        target: this.deployment,
        minReplicas: this.minReplicas,
        maxReplicas: this.maxReplicas,
        metrics: [
          ...(autoscaling.cpuUtilization !== undefined || autoscaling.memoryUtilization === undefined
            ? [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(autoscaling.cpuUtilization ?? 70))]
            : []),
          ...(autoscaling.memoryUtilization !== undefined
            ? [kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(autoscaling.memoryUtilization))]
            : []),
        ],
      });
    }
    if (this.minReplicas >= 2) this.disruptionBudget = this.createDisruptionBudget(props);
    if (props.network?.enabled ?? true) this.networkPolicy = this.createNetworkPolicy(props);
    this.register();
  }

  public get selectorLabels(): Record<string, string> {
    return { ...this._selector };
  }
  /** Labels on every object of the app (a copy). */
  public get labels(): Record<string, string> {
    return { ...this._labels };
  }
  public get serviceLabels(): Record<string, string> {
    return { ...this._labels };
  }
  public get ports(): readonly WorkloadPort[] {
    return this._ports.map((p) => ({ ...p }));
  }
  public get mainPort(): WorkloadPort {
    return { ...this._ports[0] };
  }

  public port(name: string): WorkloadPort {
    const found = this._ports.find((p) => p.name === name);
    if (!found) fail(this.node.path, 'port', name, `must be one of the app's port names: ${this._ports.map((p) => `"${p.name}"`).join(', ')}`);
    return { ...found };
  }

  public addEnv(name: string, value: EnvValue): void {
    const mark = checkAddedEnv(this.node.path, name, value, (n) => this.envNames.has(n), 'app');
    if (mark) {
      this.notSecretMarks.push(mark);
      for (const [k, v] of Object.entries(notSecretAnnotations(this.notSecretMarks)!)) this.deployment.metadata.addAnnotation(k, v);
    }
    this.envNames.add(name);
    this.declareOutside(value.createdOutside);
    this.container.env.addVariable(name, toPlusEnv(this, value));
  }

  /** Records that a referenced object is created outside, in the Deployment's annotation. */
  private declareOutside(d: CreatedOutside | undefined): void {
    if (!d) return;
    this.outsideObjects.push(d);
    for (const [k, v] of Object.entries(createdOutsideAnnotations(this.outsideObjects))) this.deployment.metadata.addAnnotation(k, v);
  }

  public mountClaim(claim: IVolumeClaim, mountPath: string, options: MountOptions = {}): void {
    if (!claim.readWriteMany && this.maxReplicas > 1 && !options.readOnly) {
      fail(
        this.node.path,
        'mountClaim',
        claim.claimName,
        `is not ReadWriteMany but the app runs up to ${this.maxReplicas} replicas that may land on different nodes: use a ReadWriteMany claim or mount it read-only`,
      );
    }
    const pvc = kplus.PersistentVolumeClaim.fromClaimName(this, `Claim-${claim.claimName}`, claim.claimName);
    const volume = kplus.Volume.fromPersistentVolumeClaim(this, `ClaimVolume-${claim.claimName}`, pvc, {
      name: truncateName(`claim-${claim.claimName}`),
      readOnly: options.readOnly,
    });
    this.mountVolume(volume, mountPath, options, 'mountClaim');
  }

  /**
   * Mounts an existing Secret read-only (files 0440). `{ createdOutside: 'who creates it' }`
   * declares the Secret a prerequisite for the validator (`paas.cdk8s.io/created-outside`).
   */
  public mountSecret(secretName: string, mountPath: string, options?: CreatedOutsideOptions): void {
    checkDnsSubdomain(this.node.path, 'mountSecret', secretName);
    assertArgs(this.node.path, [['options', options, createdOutsideOptions]]);
    if (options?.createdOutside !== undefined) this.declareOutside({ kind: 'Secret', name: secretName, reason: options.createdOutside });
    if (this.secretMounts.get(mountPath) === secretName) return;
    const id = `SecretVolume-${secretName}`;
    const volume =
      (this.node.tryFindChild(id) as kplus.Volume | undefined) ??
      kplus.Volume.fromSecret(this, id, importedSecret(this, secretName), {
        name: truncateName(`secret-${secretName.replace(/\./g, '-')}`),
        defaultMode: 0o440,
      });
    this.mountVolume(volume, mountPath, { readOnly: true }, 'mountSecret');
    this.secretMounts.set(mountPath, secretName);
  }

  private mountVolume(volume: kplus.Volume, mountPath: string, options: MountOptions, field: string): void {
    const key = `${mountPath}|${options.subPath ?? ''}`;
    if (!mountPath.startsWith('/')) fail(this.node.path, field, mountPath, 'must be an absolute path');
    if (this.mountPaths.has(key)) fail(this.node.path, field, mountPath, 'is already a mount path of this app');
    this.mountPaths.add(key);
    this.container.mount(mountPath, volume, { readOnly: options.readOnly, subPath: options.subPath });
  }

  private resolvePorts(props: WebAppProps): WorkloadPort[] {
    const path = this.node.path;
    const given = props.ports ?? [{ name: 'http', containerPort: 8080, servicePort: 80 }];
    if (given.length === 0) fail(path, 'ports', given, 'must name at least one port: the first is the main port');
    const seen = new Set<string>();
    return given.map((p, i) => {
      checkPortName(path, `ports[${i}].name`, p.name);
      if (seen.has(p.name)) fail(path, `ports[${i}].name`, p.name, "must be unique among the app's ports");
      seen.add(p.name);
      checkPortNumber(path, `ports[${i}].containerPort`, p.containerPort);
      checkPortNumber(path, `ports[${i}].servicePort`, p.servicePort ?? p.containerPort);
      if (p.nodePort !== undefined) {
        if ((props.serviceType ?? 'ClusterIP') !== 'NodePort') fail(path, `ports[${i}].nodePort`, p.nodePort, 'is only valid with serviceType "NodePort"');
        if (!Number.isInteger(p.nodePort) || p.nodePort < 30000 || p.nodePort > 32767)
          fail(path, `ports[${i}].nodePort`, p.nodePort, 'must be in the NodePort range 30000-32767');
      }
      if (p.containerPort < 1024 && this.security.unprivilegedPortStart === undefined && !this.security.runAsRoot) {
        fail(
          path,
          `ports[${i}].containerPort`,
          p.containerPort,
          'is below 1024, which a non-root process cannot bind: use a port >= 1024, or WorkloadSecurity.restricted({ unprivilegedPortStart: ' +
            p.containerPort +
            ' })',
        );
      }
      return {
        name: p.name,
        containerPort: p.containerPort,
        servicePort: p.servicePort ?? p.containerPort,
        protocol: p.protocol ?? 'TCP',
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
      };
    });
  }

  private addConfigFiles(props: WebAppProps): string | undefined {
    const sets = configFileSets(this.node.path, this.name, props.configFiles ?? []);
    if (sets.length === 0) return undefined;
    for (const set of sets) {
      const configMap = new kplus.ConfigMap(this, `Config-${set.suffix}`, { metadata: { name: set.configMapName, labels: this._labels }, data: set.data });
      PaasRegistry.of(this).registerObject({ path: this.node.path, kind: 'ConfigMap', namespace: this.namespace, name: set.configMapName });
      const volume = kplus.Volume.fromConfigMap(this, `ConfigVolume-${set.suffix}`, configMap, { name: set.volumeName });
      for (const m of set.mounts) this.mountVolume(volume, m.mountPath, { readOnly: true, subPath: m.subPath }, `${set.field}.mountPath`);
    }
    return configChecksum(sets.map((set) => ({ name: set.configMapName, files: set.files })));
  }

  private createService(props: WebAppProps): kplus.Service {
    const type = props.serviceType ?? 'ClusterIP';
    if (type !== 'ClusterIP' && type !== 'NodePort')
      fail(this.node.path, 'serviceType', type, 'must be "ClusterIP" or "NodePort" (expose HTTP through an IngressGateway route instead of a LoadBalancer)');
    const service = new kplus.Service(this, 'Service', {
      metadata: { name: this.serviceName, labels: this._labels },
      type: type === 'NodePort' ? kplus.ServiceType.NODE_PORT : kplus.ServiceType.CLUSTER_IP,
      selector: kplus.Pods.select(this, 'Pods', { labels: this._selector }),
      ports: this._ports.map((p) => ({
        name: p.name,
        port: p.servicePort,
        targetPort: p.containerPort,
        protocol: p.protocol === 'UDP' ? kplus.Protocol.UDP : kplus.Protocol.TCP,
        nodePort: (p as { nodePort?: number }).nodePort,
      })),
    });
    // Target ports by name: a changed container port number then needs no Service change.
    patchFields(
      ApiObject.of(service),
      Object.fromEntries(this._ports.map((p, i) => [`/spec/ports/${i}/targetPort`, kplus.k8s.IntOrString.fromString(p.name)])),
    );
    return service;
  }

  private createDisruptionBudget(props: WebAppProps): ApiObject {
    const maxUnavailable = props.disruptionBudget?.maxUnavailable ?? 1;
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable >= this.minReplicas) {
      fail(
        this.node.path,
        'disruptionBudget.maxUnavailable',
        maxUnavailable,
        `must be an integer from 1 to ${this.minReplicas - 1} (below the minimum of ${this.minReplicas} replicas, and above 0 so nodes can drain)`,
      );
    }
    return disruptionBudget(this, { name: this.name, labels: this._labels, selector: this._selector, maxUnavailable });
  }

  private createNetworkPolicy(props: WebAppProps): ApiObject {
    const ingress =
      (props.network?.allowFromSameNamespace ?? WorkloadDefaults.allowFromSameNamespaceAt(this))
        ? [{ from: [{ podSelector: {} }], ports: this._ports.map((p) => ({ port: kplus.k8s.IntOrString.fromString(p.name), protocol: p.protocol })) }]
        : [];
    const egress = props.network?.allowAllEgress ? [{}] : [dnsEgressRule()];
    return new kplus.k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: { name: this.name, labels: this._labels },
      spec: { podSelector: { matchLabels: { ...this._selector } }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
    });
  }

  private register(): void {
    const registry = PaasRegistry.of(this);
    const add = (kind: string) => registry.registerObject({ path: this.node.path, kind, namespace: this.namespace, name: this.name });
    add('Deployment');
    add('Service');
    if (this.autoscaler) add('HorizontalPodAutoscaler');
    if (this.disruptionBudget) add('PodDisruptionBudget');
    if (this.networkPolicy) add('NetworkPolicy');
  }
}

function toPercentOrAbsolute(path: string, field: string, value: number | string): kplus.PercentOrAbsolute {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) fail(path, field, value, 'must be an integer >= 0 or a percentage such as "25%"');
    return kplus.PercentOrAbsolute.absolute(value);
  }
  const m = PERCENT_OR_INT.exec(value);
  if (!m || Number(m[1]) > 100) fail(path, field, value, 'must be an integer >= 0 or a percentage from "0%" to "100%"');
  return kplus.PercentOrAbsolute.percent(Number(m[1]));
}

function toPlusEnv(scope: Construct, value: EnvValue): kplus.EnvValue {
  const json = value.toJson() as { value?: string; valueFrom?: Record<string, { name?: string; key?: string; optional?: boolean; fieldPath?: string }> };
  if (json.valueFrom === undefined) return kplus.EnvValue.fromValue(json.value ?? '');
  const secretRef = json.valueFrom.secretKeyRef;
  if (secretRef)
    return kplus.EnvValue.fromSecretValue({ secret: importedSecret(scope, secretRef.name!), key: secretRef.key! }, { optional: secretRef.optional });
  const cmRef = json.valueFrom.configMapKeyRef;
  if (cmRef) {
    const id = `ConfigMapRef-${cmRef.name}`;
    const cm = (scope.node.tryFindChild(id) as kplus.IConfigMap | undefined) ?? kplus.ConfigMap.fromConfigMapName(scope, id, cmRef.name!);
    return kplus.EnvValue.fromConfigMap(cm, cmRef.key!, { optional: cmRef.optional });
  }
  return kplus.EnvValue.fromFieldRef(json.valueFrom.fieldRef!.fieldPath as kplus.EnvFieldPaths);
}

/** The existing Secret `name`, imported once per app (env values and mounts share the handle). */
function importedSecret(scope: Construct, name: string): kplus.ISecret {
  const id = `Secret-${name}`;
  return (scope.node.tryFindChild(id) as kplus.ISecret | undefined) ?? kplus.Secret.fromSecretName(scope, id, name);
}
