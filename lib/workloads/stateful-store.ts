import { createdOutsideAnnotations } from '../core/created-outside';
import { NotSecretMark, notSecretAnnotations } from '../core/sensitive';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, ProblemCollector } from '../core/errors';
import { LABEL_INSTANCE } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkEnvName, defaultName, MAX_STATEFULSET_NAME } from '../core/names';
import { checkInteger, checkStorage } from '../core/quantities';
import { PaasRegistry } from '../core/registry';
import { renderResources } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { addWarning } from '../core/warnings';
import { checkAccessModes, checkModesOffered } from '../storage/types';
import { checkEnvSecret, EnvValue } from './env';
import { Probe } from './probes';
import { ResolvedCredentials, StoreEngine } from './store-engines';
import { createStoreBackup, StoreBackup, StoreBackupOptions } from './store-backup';
import { ConnectOptions, connectApp, pathKey, StoreConnection, StoreEnd } from './store-connect';
import { storePolicy } from './store-network';
import { disruptionBudget, kubeResources, optOutAnnotations, pullSecretRefs, spreadOverNodes, workloadLabels } from './workload-parts';

import { StatefulStoreProps } from './stateful-store-props';
import { validateStatefulStoreProps, writableVolumeNames } from './stateful-store-shape';
import { checkConnectArgs } from './connect-shape';
import { IStoreClient, IWorkload } from './types';

// Part of StatefulStore's public API; they live beside connect()'s implementation.
export type { ConnectOptions, StoreConnection } from './store-connect';
export type { StoreBackup, StoreBackupOptions } from './store-backup';

const CLAIM_TEMPLATE = 'data';
const CREDENTIALS_VOLUME = 'store-credentials';

/**
 * A database or cache as a StatefulSet: a headless governing Service, one claim per member from a
 * storage handle (kept when the set is deleted or scaled down), a PDB from 2 members, restricted
 * security, probes and resources from the engine preset, and NetworkPolicies.
 */
export class StatefulStore extends Construct implements IWorkload {
  public readonly kind = 'StatefulSet' as const;
  public readonly name: string;
  public readonly serviceName: string;
  public readonly namespace?: string;
  public readonly engine: StoreEngine;
  public readonly replicas: number;
  public readonly port: number;
  public readonly portName: string;
  public readonly security: WorkloadSecurity;
  /** The primary's stable DNS name, `<name>-0.<service>.<namespace>.svc.cluster.local` (`<name>-0.<service>` without a namespace). */
  public readonly host: string;
  /** Name of the client Service over all members, for engines with readable replicas and replicas >= 2. */
  public readonly readHost?: string;
  /** Folder the credentials Secret is mounted at in the store's pods (`credentialFiles`), else undefined. */
  public readonly credentialsPath?: string;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly readService?: k8s.KubeService;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  private readonly selector: Record<string, string>;
  private readonly appName: string;
  private readonly credentials?: ResolvedCredentials;
  /** Who creates the credentials Secret (`credentials.createdOutside`), for the apps and backups that read it. */
  private readonly credentialsCreatedOutside?: string;
  private readonly memberHosts: string[];
  private readonly connected = new Set<string>();

  constructor(scope: Construct, id: string, props: StatefulStoreProps) {
    super(scope, id);
    // Plain JavaScript reaches here with anything: every type problem at once, before building.
    validateStatefulStoreProps(this, id, props);
    const path = ProblemCollector.pathOf(this);
    const problems = new ProblemCollector(path);
    const engine = props.engine;
    this.engine = engine;
    this.name = problems.capture(() => checkDnsLabel(path, 'name', props.name ?? defaultName(id), MAX_STATEFULSET_NAME)) ?? defaultName(id);
    this.serviceName = problems.capture(() => checkDnsLabel(path, 'serviceName', props.serviceName ?? this.name)) ?? this.name;
    // Service names are DNS-1035 labels: a leading digit passes the StatefulSet but not its Service.
    if (/^[0-9]/.test(this.serviceName)) {
      problems.add(
        props.serviceName !== undefined ? 'serviceName' : 'name',
        this.serviceName,
        'must start with a letter: the headless Service takes this name, and Service names are DNS-1035 labels',
      );
    }
    if (/^[0-9]/.test(this.name) && engine.readableReplicas && (props.replicas ?? 1) >= 2) {
      problems.add('name', this.name, `must start with a letter: the read Service "${this.name}-read" takes it, and Service names are DNS-1035 labels`);
    }
    this.appName = props.appName ?? this.name;
    this.replicas = props.replicas ?? 1;
    problems.capture(() => checkInteger(path, 'replicas', this.replicas, 1));
    if (engine.maxReplicas !== undefined && this.replicas > engine.maxReplicas) {
      problems.add(
        'replicas',
        this.replicas,
        `must be 1: ${engine.displayName} replication is not supported yet (run one instance, or StoreEngine.generic with your own replication setup)`,
      );
    }
    const size = problems.capture(() => checkStorage(path, 'storageSize', props.storageSize ?? '1Gi')) ?? '1Gi';
    const modes = problems.capture(() => checkAccessModes(path, 'accessModes', props.accessModes ?? ['ReadWriteOnce'])) ?? [];
    if (modes.length > 0) {
      problems.capture(() => checkModesOffered(path, 'accessModes', modes, props.storage.accessModes, `storage class "${props.storage.storageClassName}"`));
    }
    if (props.credentials) {
      problems.capture(() => checkDnsSubdomain(path, 'credentials.secretName', props.credentials!.secretName));
      this.credentials = engine.resolveCredentials(props.credentials);
      this.credentialsCreatedOutside = props.credentials.createdOutside;
      for (const k of ['passwordKey', 'rootPasswordKey', 'userKey', 'databaseKey'] as const) {
        const key = this.credentials[k];
        if (key !== undefined && !/^[-._a-zA-Z0-9]+$/.test(key))
          problems.add(`credentials.${k}`, key, "must be a Secret key: letters, digits, '-', '_' or '.'");
      }
      if (props.credentialFiles && engine.kind === 'generic') {
        problems.add(
          'credentialFiles',
          true,
          'must be false for the generic engine: no preset reads its files (set the variables your image reads with env and EnvValue.fromSecret)',
        );
      }
    } else if (engine.requiresCredentials) {
      problems.add(
        'credentials',
        undefined,
        `must reference an existing Secret: ${engine.displayName} does not initialize without a password (see docs/stateful-store.md for the kubectl command)`,
      );
    }
    if (props.credentialFiles && !props.credentials) problems.add('credentialFiles', true, 'needs credentials: a Secret to mount');
    // Typed unions, but plain JavaScript callers reach the API server with anything.
    const oneOf = (field: string, value: string | undefined, allowed: string[]): void => {
      if (value !== undefined && !allowed.includes(value)) problems.add(field, value, `must be ${allowed.map((v) => `"${v}"`).join(' or ')}`);
    };
    oneOf('podManagementPolicy', props.podManagementPolicy, ['OrderedReady', 'Parallel']);
    oneOf('updateStrategy', props.updateStrategy, ['RollingUpdate', 'OnDelete']);
    oneOf('claimRetention.whenDeleted', props.claimRetention?.whenDeleted, ['Retain', 'Delete']);
    oneOf('claimRetention.whenScaled', props.claimRetention?.whenScaled, ['Retain', 'Delete']);
    oneOf('imagePullPolicy', props.imagePullPolicy, ['Always', 'IfNotPresent']);
    const maxUnavailable = props.maxUnavailable ?? 1;
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
      problems.add('maxUnavailable', maxUnavailable, 'must be an integer >= 1: 0 blocks every node drain (Polaris pdbDisruptionsIsZero)');
    }
    for (const s of props.imagePullSecrets ?? []) problems.capture(() => checkDnsSubdomain(path, 'imagePullSecrets', s));
    for (const n of Object.keys(props.env ?? {})) problems.capture(() => checkEnvName(path, `env.${n}`, n));
    const notSecretMarks: NotSecretMark[] = [];
    for (const [n, v] of Object.entries(props.env ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const mark = v instanceof EnvValue ? problems.capture(() => checkEnvSecret(path, n, v)) : undefined;
      if (mark) notSecretMarks.push(mark);
    }
    const grace = props.terminationGracePeriodSeconds ?? 60;
    problems.capture(() => checkInteger(path, 'terminationGracePeriodSeconds', grace, 0));
    const history = props.revisionHistoryLimit ?? 5;
    problems.capture(() => checkInteger(path, 'revisionHistoryLimit', history, 0));
    const writable = props.writablePaths ?? engine.writablePaths;
    for (const w of writable) {
      if (!w.startsWith('/') || w === engine.dataPath) problems.add('writablePaths', w, `must be absolute paths other than the data path "${engine.dataPath}"`);
    }
    const resources = problems.capture(() =>
      renderResources(this, path, 'resources', {
        cpu: { ...engine.defaultResources?.cpu, ...props.resources?.cpu },
        memory: { ...engine.defaultResources?.memory, ...props.resources?.memory },
        ephemeralStorage: props.resources?.ephemeralStorage,
      }),
    );
    problems.throwIfAny();
    if (props.storage.onDelete === 'delete') {
      addWarning(
        this,
        `storage class "${props.storage.storageClassName}" deletes a volume's data when its claim is deleted (also when the namespace is deleted): prefer a class that archives or retains for a ${engine.displayName} store`,
      );
    }

    this.namespace = Chart.of(this).namespace;
    this.port = engine.port;
    this.portName = engine.portName;
    this.security = props.security ?? WorkloadSecurity.restricted({ user: engine.user, group: engine.group });
    const input = { name: this.appName, instance: this.name, component: props.component ?? engine.component, partOf: props.partOf };
    const { labels, selector } = workloadLabels(input, engine.image);
    this.selector = selector;
    const dnsSuffix = this.namespace ? `.${this.namespace}.svc.cluster.local` : '';
    this.memberHosts = Array.from({ length: this.replicas }, (_, i) => `${this.name}-${i}.${this.serviceName}${dnsSuffix}`);
    this.host = this.memberHosts[0];
    const optOut = optOutAnnotations(this.security);

    this.credentialsPath = props.credentialFiles && this.credentials ? `/run/secrets/${this.credentials.secretName}` : undefined;
    const rendered = engine._render({
      path,
      storeName: this.name,
      serviceName: this.serviceName,
      replicas: this.replicas,
      credentials: this.credentials,
      credentialFiles: this.credentialsPath,
    });
    const probe = (p: Probe, kind: 'startup' | 'liveness' | 'readiness'): k8s.Probe =>
      p.render(path, `probes.${kind}`, kind, this.portName, [this.portName]) as k8s.Probe;
    // `*_FILE` paths go through a ConfigMap: a literal value in a variable named like a password is
    // what Polaris' sensitiveContainerEnvVar (danger) looks for, path or not.
    const filesConfigMap = `${this.name}-credential-files`;
    const fileEnv = this.credentialsPath
      ? rendered.env.filter((e) => e.name.endsWith('_FILE') && String(e.value.toJson().value ?? '').startsWith(`${this.credentialsPath}/`))
      : [];
    const engineEnv = rendered.env.map((e) => (fileEnv.includes(e) ? { name: e.name, value: EnvValue.fromConfigMap(filesConfigMap, pathKey(e.name)) } : e));
    const env = [...engineEnv, ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value }))];
    const volumeNames = writableVolumeNames(writable);
    const emptyDirs = writable.map((mountPath, i) => ({ name: volumeNames[i], mountPath }));
    const startup = props.probes?.startup ?? rendered.startup;
    const volumes: k8s.Volume[] = emptyDirs.map((d) => ({ name: d.name, emptyDir: {} }));
    // 0440: readable by the pod's group (fsGroup), which Kubernetes gives the Secret's files.
    if (this.credentialsPath) volumes.push({ name: CREDENTIALS_VOLUME, secret: { secretName: this.credentials!.secretName, defaultMode: 0o440 } });

    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, labels },
      spec: {
        clusterIp: 'None',
        selector: { ...this.selector },
        ports: [{ name: this.portName, port: this.port, targetPort: k8s.IntOrString.fromString(this.portName), protocol: 'TCP' }],
      },
    });

    const outside = createdOutsideAnnotations([
      props.credentials?.createdOutside !== undefined
        ? { kind: 'Secret', name: props.credentials.secretName, reason: props.credentials.createdOutside }
        : undefined,
      ...env.map((e) => e.value.createdOutside),
    ]);
    const objectAnnotations = { ...optOut, ...notSecretAnnotations(notSecretMarks), ...outside };
    this.statefulSet = new k8s.KubeStatefulSet(this, 'Resource', {
      metadata: {
        name: this.name,
        labels,
        ...(Object.keys(objectAnnotations).length ? { annotations: objectAnnotations } : {}),
      },
      spec: {
        serviceName: this.serviceName,
        replicas: this.replicas,
        selector: { matchLabels: { ...this.selector } },
        podManagementPolicy: props.podManagementPolicy ?? 'OrderedReady',
        updateStrategy: { type: props.updateStrategy ?? 'RollingUpdate' },
        revisionHistoryLimit: history,
        persistentVolumeClaimRetentionPolicy: {
          whenDeleted: props.claimRetention?.whenDeleted ?? 'Retain',
          whenScaled: props.claimRetention?.whenScaled ?? 'Retain',
        },
        template: {
          metadata: { labels, ...(optOut ? { annotations: optOut } : {}) },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: grace,
            securityContext: this.security.podSecurityContext() as k8s.PodSecurityContext,
            topologySpreadConstraints: spreadOverNodes(this.selector),
            ...(pullSecretRefs(props.imagePullSecrets) ? { imagePullSecrets: pullSecretRefs(props.imagePullSecrets) } : {}),
            containers: [
              {
                name: engine.kind === 'generic' ? 'main' : engine.kind,
                image: engine.image,
                imagePullPolicy: props.imagePullPolicy ?? 'Always',
                ...(rendered.command ? { command: rendered.command } : {}),
                ...(rendered.args ? { args: rendered.args } : {}),
                ports: [{ name: this.portName, containerPort: this.port, protocol: 'TCP' }],
                ...(env.length > 0 ? { env: env.map((e) => ({ name: e.name, ...e.value.toJson() }) as k8s.EnvVar) } : {}),
                resources: kubeResources(resources!),
                ...(startup ? { startupProbe: probe(startup, 'startup') } : {}),
                livenessProbe: probe(props.probes?.liveness ?? rendered.liveness, 'liveness'),
                readinessProbe: probe(props.probes?.readiness ?? rendered.readiness, 'readiness'),
                securityContext: this.security.containerSecurityContext() as k8s.SecurityContext,
                volumeMounts: [
                  { name: CLAIM_TEMPLATE, mountPath: engine.dataPath },
                  ...emptyDirs.map((d) => ({ name: d.name, mountPath: d.mountPath })),
                  ...(this.credentialsPath ? [{ name: CREDENTIALS_VOLUME, mountPath: this.credentialsPath, readOnly: true }] : []),
                ],
              },
            ],
            ...(volumes.length > 0 ? { volumes } : {}),
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: CLAIM_TEMPLATE, labels: { ...this.selector } },
            spec: {
              accessModes: [...modes],
              storageClassName: props.storage.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(size) } },
            },
          },
        ],
      },
    });

    if (engine.readableReplicas && this.replicas >= 2) {
      const readName = `${this.name}-read`;
      this.readHost = `${readName}${dnsSuffix}`;
      this.readService = new k8s.KubeService(this, 'ReadService', {
        metadata: { name: readName, labels: { ...labels, [LABEL_INSTANCE]: readName } },
        spec: {
          type: 'ClusterIP',
          selector: { ...this.selector },
          ports: [{ name: this.portName, port: this.port, targetPort: k8s.IntOrString.fromString(this.portName), protocol: 'TCP' }],
        },
      });
    }

    if (this.replicas >= 2) {
      this.disruptionBudget = disruptionBudget(this, { name: this.name, labels, selector: this.selector, maxUnavailable });
    }

    if (fileEnv.length > 0) {
      new k8s.KubeConfigMap(this, 'CredentialFiles', {
        metadata: { name: filesConfigMap, labels },
        data: Object.fromEntries(fileEnv.map((e) => [pathKey(e.name), String(e.value.toJson().value)])),
      });
    }

    this.networkPolicy = storePolicy(this, 'NetworkPolicy', { name: this.name, appName: this.appName, selector: this.selector, port: this.port });

    const registry = PaasRegistry.of(this);
    const ns = this.namespace;
    registry.registerObject({ path, kind: 'StatefulSet', namespace: ns, name: this.name });
    registry.registerObject({ path, kind: 'Service', namespace: ns, name: this.serviceName });
    if (this.readService) registry.registerObject({ path, kind: 'Service', namespace: ns, name: `${this.name}-read` });
    if (this.disruptionBudget) registry.registerObject({ path, kind: 'PodDisruptionBudget', namespace: ns, name: this.name });
    registry.registerObject({ path, kind: 'NetworkPolicy', namespace: ns, name: this.name });
    if (fileEnv.length > 0) registry.registerObject({ path, kind: 'ConfigMap', namespace: ns, name: filesConfigMap });
  }

  /** Labels that select the store's pods (a copy). */
  public get selectorLabels(): Record<string, string> {
    return { ...this.selector };
  }

  /** The credentials Secret's name and key names the store's pods read (a copy), or undefined without credentials. */
  public get credentialsSecret(): ResolvedCredentials | undefined {
    return this.credentials ? { ...this.credentials } : undefined;
  }

  /** Stable DNS name of every member, pod 0 first (a copy). */
  public get hosts(): string[] {
    return [...this.memberHosts];
  }

  /** Name of the claim of member `ordinal`, as the StatefulSet controller creates it. */
  public claimName(ordinal: number): string {
    return `${CLAIM_TEMPLATE}-${this.name}-${ordinal}`;
  }

  /**
   * Wires an app to the store: environment variables for host, port and the Secret's keys (or,
   * with `credentialFiles`, the Secret mounted and `<NAME>_FILE` paths to its keys), and
   * the NetworkPolicies that let the app's pods reach the store's port (one on each side, so a
   * default-deny in either namespace is covered).
   */
  public connect(app: IStoreClient, options: ConnectOptions = {}): StoreConnection {
    const path = ProblemCollector.pathOf(this);
    checkConnectArgs(path, app, options);
    if (this.connected.has(app.node.path)) fail(path, 'connect', app.node.path, 'must be called once per app: this app is already connected');
    const connection = connectApp(this.end(), app, options);
    this.connected.add(app.node.path);
    return connection;
  }

  /**
   * A nightly-style backup: a ScheduledJob dumping the store with the engine's own client from the
   * engine's image (`mariadb-dump`, `pg_dump`, `redis-cli --rdb`) onto `to`, keeping the newest
   * `retain` dumps, credentials from the store's Secret by reference, NetworkPolicies both ways.
   * A dump on the same NFS server as the data does not survive losing that server: see docs/batch.md.
   */
  public backup(options: StoreBackupOptions): StoreBackup {
    return createStoreBackup(this.end(), options);
  }

  /** What connect() and backup() need of the store, private parts included. */
  private end(): StoreEnd {
    return {
      scope: this,
      name: this.name,
      namespace: this.namespace,
      host: this.host,
      readHost: this.readHost,
      port: this.port,
      replicas: this.replicas,
      engine: this.engine,
      credentials: this.credentials,
      credentialsCreatedOutside: this.credentialsCreatedOutside,
      selector: this.selector,
      appName: this.appName,
    };
  }
}
