import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadSecurity } from '../lib/core/security';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { Probe } from '../lib/workloads/probes';
import { WebApp } from '../lib/workloads/web-app';

/**
 * The seeds' nginx with its `/ready` check, run as the image's own `nginx` user (UID 101) with a
 * read-only root filesystem: only the cache, run and temp paths are writable, and the server
 * listens on 8080 so no privileged port is needed.
 */
export function createNginx(scope: Construct, id = 'ngx'): WebApp {
  return new WebApp(scope, id, {
    image: 'nginx:1.27.3-alpine',
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
    writablePaths: ['/var/cache/nginx', '/var/run', '/tmp'],
    probes: {
      startup: Probe.exec(['cat', '/var/run/nginx.pid'], { periodSeconds: 1, failureThreshold: 30 }),
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
