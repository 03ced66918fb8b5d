import { fail } from '../core/errors';
import { checkImage } from '../core/image';
import { checkPortName, checkPortNumber } from '../core/names';
import { ResourcesProps } from '../core/resources';
import { WorkloadSecurity } from '../core/security';
import { EnvValue } from './env';
import { Probe } from './probes';
import { checkEngineOptions, checkGenericEngine } from './engine-shape';

/** Which preset a StatefulStore runs. */
export type StoreEngineKind = 'redis' | 'mariadb' | 'postgres' | 'generic';

/**
 * Reference to an existing Secret with the store's credentials (never a value: nothing we
 * write holds one). Create it before applying, e.g.
 * `kubectl -n shop create secret generic mariadb-credentials --from-literal=root-password=... --from-literal=user=wordpress --from-literal=password=... --from-literal=database=wordpress`.
 */
export interface StoreCredentials {
  /** Name of the Secret, in the store's namespace (and in each connected app's namespace). */
  readonly secretName: string;
  /**
   * The Secret is created outside this output: who creates it (e.g. "synced by external-secrets").
   * The StatefulSet then carries `paas.cdk8s.io/created-outside` and the validator lists the
   * Secret as a prerequisite.
   * @default - not declared: the output must create the Secret, or the validator reports it
   */
  readonly createdOutside?: string;
  /** Key of the password apps connect with (Redis `requirepass`, MariaDB/PostgreSQL user password). @default 'password' */
  readonly passwordKey?: string;
  /** MariaDB only: key of the root password. @default 'root-password' */
  readonly rootPasswordKey?: string;
  /** Key of the user name (MariaDB, PostgreSQL). @default 'user' */
  readonly userKey?: string;
  /** Key of the database name (MariaDB, PostgreSQL). @default 'database' */
  readonly databaseKey?: string;
}

/** Options shared by the presets. */
export interface EngineOptions {
  /** Image with a tag or digest. Presets assume the Debian variants (UID 999). @default - the preset's pinned image */
  readonly image?: string;
  /** Extra arguments for the server process. @default [] */
  readonly extraArgs?: string[];
}

export interface RedisEngineOptions extends EngineOptions {
  /** Append-only file persistence (`--appendonly yes`). @default true */
  readonly appendOnly?: boolean;
}

/** Any image with a port and a data folder: N identical members with stable identities. */
export interface GenericEngineProps {
  readonly image: string;
  /** Port the members listen on. */
  readonly port: number;
  /** Name of the port. @default 'main' */
  readonly portName?: string;
  /** Where the data volume is mounted. */
  readonly dataPath: string;
  /** UID the image's process runs as (non-root). @default 10001 */
  readonly user?: number;
  /** GID. @default same as `user` when given, else 10001 */
  readonly group?: number;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** @default - TCP on the port */
  readonly liveness?: Probe;
  /** @default - TCP on the port */
  readonly readiness?: Probe;
  /** Writable emptyDir paths (read-only root filesystem). @default ['/tmp'] */
  readonly writablePaths?: string[];
  /** `app.kubernetes.io/component`. @default 'store' */
  readonly component?: string;
}

/** @internal What the store knows when it asks its engine for the container. */
export interface EngineContext {
  readonly path: string;
  readonly storeName: string;
  readonly serviceName: string;
  readonly replicas: number;
  readonly credentials?: ResolvedCredentials;
  /** Folder the credentials Secret is mounted at when the store reads its credentials from files. */
  readonly credentialFiles?: string;
}

/** Credentials with every key the engine uses resolved. */
export interface ResolvedCredentials {
  readonly secretName: string;
  readonly passwordKey?: string;
  readonly rootPasswordKey?: string;
  readonly userKey?: string;
  readonly databaseKey?: string;
}

/** @internal The engine's part of the container. */
export interface EngineContainer {
  readonly command?: string[];
  readonly args?: string[];
  readonly env: Array<{ name: string; value: EnvValue }>;
  readonly liveness: Probe;
  readonly readiness: Probe;
  readonly startup?: Probe;
}

type Render = (ctx: EngineContext, engine: StoreEngine) => EngineContainer;

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'"'"'`)}'`;

function secretEnv(creds: ResolvedCredentials | undefined, pairs: Array<[string, string | undefined]>): Array<{ name: string; value: EnvValue }> {
  if (!creds) return [];
  return pairs.filter((p): p is [string, string] => p[1] !== undefined).map(([name, key]) => ({ name, value: EnvValue.fromSecret(creds.secretName, key) }));
}

/**
 * `NAME` from the Secret, or `NAME_FILE` with the path of the key's file when the Secret is
 * mounted at `files` (the MariaDB and PostgreSQL entrypoints read either).
 */
function credentialEnv(
  creds: ResolvedCredentials | undefined,
  files: string | undefined,
  pairs: Array<[string, string | undefined]>,
): Array<{ name: string; value: EnvValue }> {
  if (!files) return secretEnv(creds, pairs);
  return pairs
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([name, key]) => ({ name: `${name}_FILE`, value: EnvValue.value(`${files}/${key}`) }));
}

/** A preset's three probes, all running `command`. */
function execProbes(command: string[]): Pick<EngineContainer, 'startup' | 'liveness' | 'readiness'> {
  return {
    // The startup probe gives slow first starts (initdb, AOF loading) up to 5 minutes before liveness applies.
    startup: Probe.exec(command, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 }),
    liveness: Probe.exec(command, { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 }),
    readiness: Probe.exec(command, { periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 }),
  };
}

/** The server's extra arguments as container `args`, or undefined to keep the image's. */
function extraArgs(options: EngineOptions): string[] | undefined {
  return options.extraArgs && options.extraArgs.length > 0 ? [...options.extraArgs] : undefined;
}

/**
 * A database or cache preset: image, port, data path, probes, non-root user, credential keys.
 * Presets pin Debian-based official images, whose server user is UID/GID 999.
 */
export class StoreEngine {
  /**
   * Redis. With `replicas: N`, pod 0 is the primary and the others replicate it (`--replicaof`
   * the primary's stable name). No automatic failover: see docs/stateful-store.md.
   */
  public static redis(options: RedisEngineOptions = {}): StoreEngine {
    checkEngineOptions('redis', options);
    const appendOnly = options.appendOnly ?? true;
    const extra = [...(options.extraArgs ?? [])];
    return new StoreEngine({
      kind: 'redis',
      image: options.image ?? 'redis:7.4.2',
      port: 6379,
      portName: 'redis',
      dataPath: '/data',
      user: 999,
      group: 999,
      component: 'cache',
      writablePaths: ['/tmp'],
      maxReplicas: undefined,
      readableReplicas: true,
      requiresCredentials: false,
      defaultResources: { cpu: { request: '100m', limit: '500m' }, memory: { request: '128Mi', limit: '256Mi' } },
      connectKeys: ['password'],
      render: (ctx) => {
        const primary = `${ctx.storeName}-0.${ctx.serviceName}`;
        const c = ctx.credentials;
        const files = ctx.credentialFiles;
        const passwordFile = c?.passwordKey && files ? `${files}/${c.passwordKey}` : undefined;
        // The server reads its configuration from standard input (`redis-server -`), so the
        // password is in no process's arguments; it is written as "\xHH" escapes, which Redis'
        // config parser decodes byte for byte (quotes, spaces, backslashes and all).
        const lines = ['set -eu'];
        if (c?.passwordKey) {
          lines.push(
            passwordFile ? `pw="$(cat ${passwordFile})"` : 'pw="$REDIS_PASSWORD"',
            'if [ -z "$pw" ]; then echo "the Redis password from the Secret is empty: refusing to start without authentication" >&2; exit 1; fi',
            "auth=\"$(printf '%s' \"$pw\" | od -An -v -tx1 | tr -d ' \\n' | sed 's/../\\\\x&/g')\"",
            'if [ -z "$auth" ]; then echo "could not encode the Redis password (od, tr, sed)" >&2; exit 1; fi',
            'unset pw',
          );
        }
        lines.push(ctx.replicas > 1 ? `role=""; if [ "\${POD_NAME##*-}" != "0" ]; then role="replicaof ${primary} 6379"; fi` : 'role=""');
        lines.push(
          `exec redis-server -${extra.map((a) => ` ${shellQuote(a)}`).join('')} <<EOF`,
          'port 6379',
          'dir /data',
          'protected-mode no',
          `appendonly ${appendOnly ? 'yes' : 'no'}`,
          ...(c?.passwordKey ? ['requirepass "$auth"', 'masterauth "$auth"'] : []),
          '$role',
          'EOF',
        );
        // redis-cli reads REDISCLI_AUTH, so probes authenticate without a password on the command line.
        const cli = 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG';
        const ping = ['sh', '-c', passwordFile ? `REDISCLI_AUTH="$(cat ${passwordFile})" ${cli}` : cli];
        return {
          command: ['sh', '-c', lines.join('\n')],
          env: [
            { name: 'POD_NAME', value: EnvValue.fromField('metadata.name') },
            ...(passwordFile
              ? []
              : secretEnv(c, [
                  ['REDIS_PASSWORD', c?.passwordKey],
                  ['REDISCLI_AUTH', c?.passwordKey],
                ])),
          ],
          ...execProbes(ping),
        };
      },
    });
  }

  /** MariaDB, one instance (`replicas > 1` is a synth error until replication is supported). */
  public static mariadb(options: EngineOptions = {}): StoreEngine {
    checkEngineOptions('mariadb', options);
    return new StoreEngine({
      kind: 'mariadb',
      image: options.image ?? 'mariadb:11.4.5',
      port: 3306,
      portName: 'mysql',
      dataPath: '/var/lib/mysql',
      user: 999,
      group: 999,
      component: 'database',
      writablePaths: ['/tmp', '/run/mysqld'],
      maxReplicas: 1,
      readableReplicas: false,
      requiresCredentials: true,
      defaultResources: { cpu: { request: '250m', limit: '1' }, memory: { request: '512Mi', limit: '1Gi' } },
      connectKeys: ['user', 'password', 'database'],
      render: (ctx) => {
        const c = ctx.credentials;
        // TCP, not the socket: the entrypoint's temporary init server listens on the socket only,
        // so the pod is not ready before initialization is done. `ping` exits 0 even when access is
        // denied (the server answered), so probes need no credentials.
        const ping = ['mariadb-admin', 'ping', '--host=127.0.0.1', '--port=3306'];
        return {
          args: extraArgs(options),
          env: credentialEnv(c, ctx.credentialFiles, [
            ['MARIADB_ROOT_PASSWORD', c?.rootPasswordKey],
            ['MARIADB_USER', c?.userKey],
            ['MARIADB_PASSWORD', c?.passwordKey],
            ['MARIADB_DATABASE', c?.databaseKey],
          ]),
          ...execProbes(ping),
        };
      },
    });
  }

  /**
   * PostgreSQL, one instance. `PGDATA` is the `pgdata` sub-directory of the volume: initdb wants
   * an empty folder of its own with mode 0700, which the volume root is not (nfs-subdir creates
   * it 0777; other volumes carry `lost+found`).
   */
  public static postgres(options: EngineOptions = {}): StoreEngine {
    checkEngineOptions('postgres', options);
    const dataPath = '/var/lib/postgresql/data';
    return new StoreEngine({
      kind: 'postgres',
      image: options.image ?? 'postgres:16.6',
      port: 5432,
      portName: 'postgres',
      dataPath,
      user: 999,
      group: 999,
      component: 'database',
      writablePaths: ['/tmp', '/var/run/postgresql'],
      maxReplicas: 1,
      readableReplicas: false,
      requiresCredentials: true,
      defaultResources: { cpu: { request: '250m', limit: '1' }, memory: { request: '256Mi', limit: '1Gi' } },
      connectKeys: ['user', 'password', 'database'],
      render: (ctx) => {
        const c = ctx.credentials;
        // The user only keeps failed-login noise out of the server log: pg_isready needs no valid login.
        const user = ctx.credentialFiles && c?.userKey ? `"$(cat ${ctx.credentialFiles}/${c.userKey})"` : '"${POSTGRES_USER:-postgres}"';
        const ready = ['sh', '-c', `exec pg_isready --host=127.0.0.1 --port=5432 --username=${user} --quiet`];
        return {
          args: extraArgs(options),
          env: [
            { name: 'PGDATA', value: EnvValue.value(`${dataPath}/pgdata`) },
            ...credentialEnv(c, ctx.credentialFiles, [
              ['POSTGRES_PASSWORD', c?.passwordKey],
              ['POSTGRES_USER', c?.userKey],
              ['POSTGRES_DB', c?.databaseKey],
            ]),
          ],
          ...execProbes(ready),
        };
      },
    });
  }

  /** Any image: N identical members with stable identities (what the seeds' Redis StatefulSet is). */
  public static generic(props: GenericEngineProps): StoreEngine {
    checkGenericEngine(props);
    const path = 'StoreEngine.generic';
    checkImage(path, 'image', props.image);
    checkPortNumber(path, 'port', props.port);
    const portName = checkPortName(path, 'portName', props.portName ?? 'main');
    if (typeof props.dataPath !== 'string' || !props.dataPath.startsWith('/'))
      fail(path, 'dataPath', props.dataPath, 'must be an absolute path such as "/data"');
    // The IDs the store's restricted profile runs as: one defaulting rule for both.
    const { user, group } = WorkloadSecurity.restricted({ user: props.user, group: props.group });
    if (!Number.isInteger(user) || user < 1) fail(path, 'user', user, 'must be a non-root UID (an integer >= 1)');
    const tcp = Probe.tcp({ port: portName, periodSeconds: 10, timeoutSeconds: 3 });
    return new StoreEngine({
      kind: 'generic',
      image: props.image,
      port: props.port,
      portName,
      dataPath: props.dataPath,
      user,
      group,
      component: props.component ?? 'store',
      writablePaths: [...(props.writablePaths ?? ['/tmp'])],
      maxReplicas: undefined,
      readableReplicas: false,
      requiresCredentials: false,
      defaultResources: undefined,
      connectKeys: ['user', 'password', 'database'],
      render: () => ({
        command: props.command ? [...props.command] : undefined,
        args: props.args ? [...props.args] : undefined,
        env: [],
        liveness: props.liveness ?? tcp,
        readiness: props.readiness ?? tcp,
      }),
    });
  }

  public readonly kind: StoreEngineKind;
  public readonly image: string;
  public readonly port: number;
  public readonly portName: string;
  /** Where the data volume is mounted. */
  public readonly dataPath: string;
  /** UID the server runs as. */
  public readonly user: number;
  public readonly group: number;
  /** `app.kubernetes.io/component` of the store. */
  public readonly component: string;
  /** At most this many members, or undefined for no limit. */
  public readonly maxReplicas?: number;
  /** Whether members other than pod 0 serve reads (a read Service is then created). */
  public readonly readableReplicas: boolean;
  /** Whether the engine refuses to start without a credentials Secret. */
  public readonly requiresCredentials: boolean;
  /** Resources the preset defaults to, or undefined for the workload defaults. */
  public readonly defaultResources?: ResourcesProps;
  private readonly paths: string[];
  private readonly keys: Array<'user' | 'password' | 'database'>;
  private readonly renderer: Render;

  private constructor(p: {
    kind: StoreEngineKind;
    image: string;
    port: number;
    portName: string;
    dataPath: string;
    user: number;
    group: number;
    component: string;
    writablePaths: string[];
    maxReplicas: number | undefined;
    readableReplicas: boolean;
    requiresCredentials: boolean;
    defaultResources: ResourcesProps | undefined;
    connectKeys: Array<'user' | 'password' | 'database'>;
    render: Render;
  }) {
    this.kind = p.kind;
    this.image = checkImage(`StoreEngine.${p.kind}`, 'image', p.image);
    this.port = p.port;
    this.portName = p.portName;
    this.dataPath = p.dataPath;
    this.user = p.user;
    this.group = p.group;
    this.component = p.component;
    this.paths = p.writablePaths;
    this.maxReplicas = p.maxReplicas;
    this.readableReplicas = p.readableReplicas;
    this.requiresCredentials = p.requiresCredentials;
    this.defaultResources = p.defaultResources;
    this.keys = p.connectKeys;
    this.renderer = p.render;
  }

  /** Human name of the engine for messages. */
  public get displayName(): string {
    return { redis: 'Redis', mariadb: 'MariaDB', postgres: 'PostgreSQL', generic: 'generic' }[this.kind];
  }

  /** Writable emptyDir paths the engine needs with a read-only root filesystem (a copy). */
  public get writablePaths(): string[] {
    return [...this.paths];
  }

  /** Which credential keys `connect()` hands to apps (a copy). */
  public get connectKeys(): Array<'user' | 'password' | 'database'> {
    return [...this.keys];
  }

  /** Resolves credential keys: preset defaults for presets, only what was given for generic. */
  public resolveCredentials(creds: StoreCredentials): ResolvedCredentials {
    const preset = this.kind !== 'generic';
    return {
      secretName: creds.secretName,
      passwordKey: creds.passwordKey ?? 'password',
      rootPasswordKey: this.kind === 'mariadb' ? (creds.rootPasswordKey ?? 'root-password') : creds.rootPasswordKey,
      userKey: preset && this.kind !== 'redis' ? (creds.userKey ?? 'user') : creds.userKey,
      databaseKey: preset && this.kind !== 'redis' ? (creds.databaseKey ?? 'database') : creds.databaseKey,
    };
  }

  /** @internal */
  public _render(ctx: EngineContext): EngineContainer {
    return this.renderer(ctx, this);
  }
}
