import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WorkloadSecurity } from '../lib/core/security';
import { PlatformSpec } from '../lib/platform-spec';
import { EnvValue } from '../lib/workloads/env';
import { Probe } from '../lib/workloads/probes';
import { WebApp } from '../lib/workloads/web-app';
import { EnvFrom } from '../lib/workloads/web-app-props';

export interface WordPressWebOptions {
  /** Database host; the seeds hard-code a pod IP, a Service name is what survives restarts. */
  readonly dbHost: string;
  /** Existing Secret with the database password under key `password` (created with kubectl). */
  readonly dbSecretName: string;
  readonly replicas?: number;
}

/**
 * The seeds' WordPress web tier: non-secret database settings from a ConfigMap with the
 * `WORDPRESS_DB_` prefix (as the seeds' `envFrom`), the password from a Secret instead of the
 * seeds' ConfigMap. Runs as `www-data` (UID 33 on the Debian images) and binds port 80 through the
 * safe sysctl `net.ipv4.ip_unprivileged_port_start`, as the php image documents for arbitrary users.
 */
export function createWordPressWeb(scope: Construct, options: WordPressWebOptions): WebApp {
  new kplus.ConfigMap(scope, 'wordpress-db-config', {
    metadata: { name: 'wordpress-db' },
    data: { HOST: options.dbHost, USER: 'wp', NAME: 'db' },
  });
  return new WebApp(scope, 'wordpress', {
    image: 'wordpress:6.6.2-php8.2-apache',
    replicas: options.replicas ?? 2,
    ports: [{ name: 'http', containerPort: 80, servicePort: 80 }],
    envFrom: [EnvFrom.configMap('wordpress-db', 'WORDPRESS_DB_')],
    env: { WORDPRESS_DB_PASSWORD: EnvValue.fromSecret(options.dbSecretName, 'password') },
    security: WorkloadSecurity.restricted({ user: 33, group: 33, unprivilegedPortStart: 80 }),
    // Apache writes its pid and locks; the entrypoint copies WordPress into /var/www/html.
    writablePaths: ['/tmp', '/var/run/apache2', '/var/lock/apache2', '/var/www/html'],
    probes: {
      startup: Probe.tcp({ periodSeconds: 2, failureThreshold: 60 }),
      liveness: Probe.tcp(),
      readiness: Probe.http('/wp-login.php', { periodSeconds: 10, timeoutSeconds: 3 }),
    },
    resources: { cpu: { request: '200m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
    autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70 },
    partOf: 'wordpress',
  });
}

/** Example: the WordPress web tier alone (its database comes with StatefulStore). */
export function addWordPressWeb(app: App, _platform: PlatformSpec): void {
  const chart = new Chart(app, 'wordpress-web', { namespace: 'wordpress-web', disableResourceNameHashes: true });
  createWordPressWeb(chart, { dbHost: 'mariadb-0.mariadb.wordpress.svc.cluster.local', dbSecretName: 'wordpress-db' });
}
