import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadSecurity } from '../lib/core/security';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { Probe } from '../lib/workloads/probes';
import { WebApp } from '../lib/workloads/web-app';

/**
 * The seeds' nginx with its `/ready` check, on the unprivileged build of the same nginx release:
 * it runs as its own `nginx` user (UID 101), listens on 8080 and keeps its pid file and temp
 * folders in `/tmp` (docs/images.md), so with a read-only root filesystem only `/tmp` is
 * writable. The stock `nginx` image would crash-loop here: it listens on 80, starts as root and
 * writes `/var/cache/nginx` and `/var/run`.
 */
export function createNginx(scope: Construct, id = 'ngx'): WebApp {
  return new WebApp(scope, id, {
    image: 'nginxinc/nginx-unprivileged:1.27.3-alpine',
    ports: [{ name: 'http', containerPort: 8080, servicePort: 80 }],
    configFiles: [
      {
        id: 'conf',
        mountPath: '/etc/nginx/conf.d',
        files: {
          'default.conf': ['server {', '  listen 8080;', '  location = /ready {', "    return 200 'I am ready';", '  }', '}', ''].join('\n'),
        },
      },
    ],
    security: WorkloadSecurity.restricted({ user: 101, group: 101 }),
    writablePaths: ['/tmp'],
    probes: {
      startup: Probe.exec(['cat', '/tmp/nginx.pid'], { periodSeconds: 1, failureThreshold: 30 }),
      liveness: Probe.tcp({ periodSeconds: 10 }),
      readiness: Probe.http('/ready', { periodSeconds: 5 }),
    },
    resources: { cpu: { request: '50m', limit: '200m' }, memory: { request: '32Mi', limit: '64Mi' } },
    minReadySeconds: 15,
    changeCause: 'v1, ngx=1.27.3',
  });
}

/** Example: nginx on its own, in tenant `web` (files `web-admin` and `web`). */
export function addNginxApp(app: App, platform: PlatformSpec): TenantNamespace {
  const tenant = new TenantNamespace(app, 'web', { platform });
  createNginx(tenant);
  return tenant;
}
