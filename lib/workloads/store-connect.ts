import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ProblemCollector } from '../core/errors';
import { LABEL_NAME, recommendedLabels } from '../core/labels';
import { checkDnsSubdomain, checkEnvName, fitName, shortHash } from '../core/names';
import { checkConnectArgs } from './connect-shape';
import { PaasRegistry } from '../core/registry';
import { EnvValue } from './env';
import { ResolvedCredentials, StoreEngine } from './store-engines';
import { egressTo, ingressFrom } from './store-network';
import { IStoreClient } from './types';

/** Options of `StatefulStore.connect()`. */
export interface ConnectOptions {
  /** Prefix of the variable names. @default - the store name upper-cased plus '_', e.g. 'MARIADB_' */
  readonly prefix?: string;
  /** Full names for single variables, e.g. { database: 'WORDPRESS_DB_NAME' }. @default - prefix + HOST, PORT, USER, PASSWORD, DATABASE */
  readonly names?: { readonly host?: string; readonly port?: string; readonly user?: string; readonly password?: string; readonly database?: string };
  /** Put `host:port` into the host variable and set no port variable (WordPress reads it so). @default false */
  readonly hostIncludesPort?: boolean;
  /**
   * Mount the store's Secret read-only into the app at `credentialsPath` and set `<NAME>_FILE`
   * variables with the paths of its keys instead of `<NAME>` from the Secret, for images that read
   * `*_FILE` variables (WordPress: `WORDPRESS_DB_USER_FILE`, `_PASSWORD_FILE`, `_NAME_FILE`;
   * MariaDB and PostgreSQL clients built on the official images' entrypoints).
   * @default false (each key as an environment variable from the Secret)
   */
  readonly credentialFiles?: boolean;
  /** Where the Secret is mounted in the app with `credentialFiles`. @default '/run/secrets/<secretName>' */
  readonly credentialsPath?: string;
  /** Connect to the read Service over all members (Redis replicas) instead of the primary. @default false */
  readonly readOnly?: boolean;
}

/** What `connect()` created. */
export interface StoreConnection {
  /** Lets the app's pods in to the store's port; in the store's chart. */
  readonly ingressPolicy: k8s.KubeNetworkPolicy;
  /** Lets the app's pods out to the store's port; in the app's chart. */
  readonly egressPolicy: k8s.KubeNetworkPolicy;
  /** Names of the environment variables added to the app. */
  readonly envNames: readonly string[];
}

/** @internal What `connect()` needs of the store, private parts included. */
export interface StoreEnd {
  readonly scope: Construct;
  readonly name: string;
  readonly namespace?: string;
  readonly host: string;
  readonly readHost?: string;
  readonly port: number;
  readonly replicas: number;
  readonly engine: StoreEngine;
  readonly credentials?: ResolvedCredentials;
  /** Who creates the credentials Secret, when it is created outside the output (`credentials.createdOutside`). */
  readonly credentialsCreatedOutside?: string;
  readonly selector: Record<string, string>;
  readonly appName: string;
}

/**
 * @internal The body of `StatefulStore.connect()`: environment for host, port and credentials
 * (values from the Secret, or `*_FILE` paths into the Secret mounted in the app), and the
 * NetworkPolicies on both sides.
 */
export function connectApp(store: StoreEnd, app: IStoreClient, options: ConnectOptions): StoreConnection {
  const path = ProblemCollector.pathOf(store.scope);
  checkConnectArgs(path, app, options);
  const problems = new ProblemCollector(path);
  let host = store.host;
  if (options.readOnly) {
    if (!store.readHost) {
      problems.add(
        'connect.readOnly',
        true,
        `needs a read Service, which only Redis stores with replicas >= 2 have (this is a ${store.engine.displayName} store with ${store.replicas} replica(s))`,
      );
    } else host = store.readHost;
  }
  const prefix = options.prefix ?? `${store.name.toUpperCase().replace(/-/g, '_')}_`;
  const n = options.names ?? {};
  const vars: Array<[string, EnvValue]> = [];
  vars.push([n.host ?? `${prefix}HOST`, EnvValue.value(options.hostIncludesPort ? `${host}:${store.port}` : host)]);
  if (!options.hostIncludesPort) vars.push([n.port ?? `${prefix}PORT`, EnvValue.value(String(store.port))]);
  const c = store.credentials;
  // The store declares its Secret created outside; so does every app that reads it.
  const outside = store.credentialsCreatedOutside !== undefined ? { createdOutside: store.credentialsCreatedOutside } : undefined;
  let filesPath: string | undefined;
  if (options.credentialFiles) {
    if (!c) problems.add('connect.credentialFiles', true, 'needs a store with credentials: this store references no Secret');
    else {
      filesPath = options.credentialsPath ?? `/run/secrets/${c.secretName}`;
      if (!filesPath.startsWith('/') || filesPath.endsWith('/') || filesPath.includes('..')) {
        problems.add('connect.credentialsPath', filesPath, 'must be an absolute folder path such as "/run/secrets/db"');
      }
    }
  } else if (options.credentialsPath !== undefined) {
    problems.add('connect.credentialsPath', options.credentialsPath, 'is only used with credentialFiles: true');
  }
  // `NAME` from the Secret, or `NAME_FILE` with the path of the key's file in the mounted Secret,
  // read from a ConfigMap (Polaris' sensitiveContainerEnvVar flags literal values of such names).
  // Derived names follow the one naming scheme (core/names fitName): also the instance label, so 63.
  const filesConfigMap = fitName(`${app.name}-${store.name}-credential-files`);
  const appName = app.selectorLabels[LABEL_NAME] ?? app.name;
  const files: Record<string, string> = {};
  const credential = (name: string, key: string): [string, EnvValue] => {
    if (!filesPath) return [name, EnvValue.fromSecret(c!.secretName, key, outside)];
    const cmKey = pathKey(`${name}_FILE`);
    if (files[cmKey] !== undefined) {
      problems.add('connect.names', name, `must not map to the same ConfigMap key "${cmKey}" as another variable (password is spelt auth there)`);
    }
    files[cmKey] = `${filesPath}/${key}`;
    return [`${name}_FILE`, EnvValue.fromConfigMap(filesConfigMap, cmKey)];
  };
  if (c) {
    const keys = store.engine.connectKeys;
    if (keys.includes('user') && c.userKey) vars.push(credential(n.user ?? `${prefix}USER`, c.userKey));
    if (keys.includes('password') && c.passwordKey) vars.push(credential(n.password ?? `${prefix}PASSWORD`, c.passwordKey));
    if (keys.includes('database') && c.databaseKey) vars.push(credential(n.database ?? `${prefix}DATABASE`, c.databaseKey));
  }
  for (const [name] of vars) problems.capture(() => checkEnvName(path, 'connect.names', name));
  problems.throwIfAny();

  if (filesPath) {
    problems.capture(() => checkDnsSubdomain(path, 'connect', filesConfigMap));
    problems.throwIfAny();
    app.mountSecret(c!.secretName, filesPath, outside);
    if (Object.keys(files).length > 0) {
      new k8s.KubeConfigMap(app as unknown as Construct, `CredentialFiles-${store.name}`, {
        metadata: {
          name: filesConfigMap,
          labels: recommendedLabels({ name: appName, instance: filesConfigMap, component: 'config' }),
        },
        data: files,
      });
      PaasRegistry.of(store.scope).registerObject({ path: app.node.path, kind: 'ConfigMap', namespace: app.namespace, name: filesConfigMap });
    }
  }
  for (const [name, value] of vars) app.addEnv(name, value);
  const crossNamespace = store.namespace !== undefined && app.namespace !== undefined && store.namespace !== app.namespace;
  const fromName = fitName(`${store.name}-from-${app.name}`);
  const toName = fitName(`${app.name}-to-${store.name}`);
  // Two apps of one name (in two namespaces) may connect: the second gets an id of its own, and the
  // registry reports the clash of their policy names as a PaasValidationError.
  const fromId = store.scope.node.tryFindChild(`From-${app.name}`) ? `From-${app.name}-${shortHash(app.node.path)}` : `From-${app.name}`;
  const ingressPolicy = ingressFrom(store.scope, fromId, {
    name: fromName,
    appName: store.appName,
    subject: store.selector,
    other: { labels: app.selectorLabels, namespace: crossNamespace ? app.namespace : undefined },
    port: store.port,
  });
  const toId = app.node.tryFindChild(`To-${store.name}`) ? `To-${store.name}-${shortHash(store.scope.node.path)}` : `To-${store.name}`;
  const egressPolicy = egressTo(app as unknown as Construct, toId, {
    name: toName,
    appName,
    subject: app.selectorLabels,
    other: { labels: store.selector, namespace: crossNamespace ? store.namespace : undefined },
    port: store.port,
  });
  const registry = PaasRegistry.of(store.scope);
  registry.registerObject({ path, kind: 'NetworkPolicy', namespace: store.namespace, name: fromName });
  registry.registerObject({ path: app.node.path, kind: 'NetworkPolicy', namespace: app.namespace, name: toName });
  return { ingressPolicy, egressPolicy, envNames: vars.map(([name]) => name) };
}

/**
 * ConfigMap key for the path a `*_FILE` variable holds: the variable name in lower case, with the
 * words Polaris' sensitiveConfigmapContent (danger) looks for in keys replaced, as the value is a
 * path and not a secret (`WORDPRESS_DB_PASSWORD_FILE` -> `wordpress-db-auth-file`). @internal
 */
export function pathKey(envName: string): string {
  return envName
    .toLowerCase()
    .replace(/password/g, 'auth')
    .replace(/secret/g, 'cred')
    .replace(/token/g, 'tkn')
    .replace(/bearer/g, 'brr')
    .replace(/_/g, '-');
}
