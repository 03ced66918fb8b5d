import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { WorkloadSecurity } from '../lib/core/security';
import { Probe } from '../lib/workloads/probes';
import { WebApp } from '../lib/workloads/web-app';
import { EnvFrom } from '../lib/workloads/web-app-props';

export interface WordPressWebOptions {
  /** @default 2 to 4 replicas, autoscaled on CPU */
  readonly maxReplicas?: number;
}

/**
 * The seeds' WordPress web tier. Non-secret settings come from a ConfigMap as environment with the
 * `WORDPRESS_` prefix (the seeds' `envFrom` pattern); the database settings come from
 * `StatefulStore.connect()` with the password as a Secret reference, never from a ConfigMap as in
 * the seeds. Runs as `www-data` (UID 33 on the Debian images) and binds port 80 through the safe
 * sysctl `net.ipv4.ip_unprivileged_port_start`, as the php image documents for arbitrary users.
 */
export function createWordPressWeb(scope: Construct, options: WordPressWebOptions = {}): WebApp {
  new kplus.ConfigMap(scope, 'wordpress-config', {
    metadata: { name: 'wordpress-config' },
    data: { TABLE_PREFIX: 'wp_', DEBUG: '' },
  });
  return new WebApp(scope, 'wordpress', {
    image: 'wordpress:6.6.2-php8.2-apache',
    ports: [{ name: 'http', containerPort: 80, servicePort: 80 }],
    envFrom: [EnvFrom.configMap('wordpress-config', 'WORDPRESS_')],
    security: WorkloadSecurity.restricted({ user: 33, group: 33, unprivilegedPortStart: 80 }),
    // Apache writes its pid and locks; the entrypoint copies WordPress into /var/www/html.
    writablePaths: ['/tmp', '/var/run/apache2', '/var/lock/apache2', '/var/www/html'],
    probes: {
      startup: Probe.tcp({ periodSeconds: 2, failureThreshold: 60 }),
      liveness: Probe.tcp(),
      readiness: Probe.http('/wp-login.php', { periodSeconds: 10, timeoutSeconds: 3 }),
    },
    resources: { cpu: { request: '200m', limit: '1' }, memory: { request: '256Mi', limit: '512Mi' } },
    autoscaling: { minReplicas: 2, maxReplicas: options.maxReplicas ?? 4, cpuUtilization: 70 },
    partOf: 'wordpress',
  });
}
