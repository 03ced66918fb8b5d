import { App } from 'cdk8s';
import { PlatformSpec } from '../lib/platform-spec';
import { TenantNamespace } from '../lib/tenancy/tenant-namespace';
import { ScheduledJob } from '../lib/workloads/scheduled-job';

/**
 * The seeds' `echo-cj` done right: every minute a busybox pod echoes "hello world", now with a
 * pinned busybox tag (the seeds ran untagged `busybox`, i.e. whatever `:latest` was), restricted
 * security, resources set, `concurrencyPolicy: Forbid`, a starting deadline, bounded history and
 * finished Jobs deleted after 24 hours, in a tenant whose quota holds it at its worst case
 * (1 running Job + 3 successful + 1 failed kept = 5 `count/jobs.batch`).
 *
 * Tenant `batch`: `batch-admin` (Namespace, quota, RBAC; apply first) and `batch` in dist/.
 */
export function addEchoCronJob(app: App, platform: PlatformSpec): ScheduledJob {
  const tenant = new TenantNamespace(app, 'batch', {
    platform,
    quota: {
      pods: 2,
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '1', memory: '512Mi' },
      objectCounts: { 'jobs.batch': 5, 'cronjobs.batch': 1 },
    },
  });
  return new ScheduledJob(tenant, 'echo-cj', {
    image: 'busybox:1.37.0',
    schedule: '*/1 * * * *',
    command: ['/bin/echo'],
    args: ['hello', 'world'],
    // As the seeds: a failed echo restarts in its pod rather than leaving failed pods behind.
    restartPolicy: 'OnFailure',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    // echo needs nothing writable.
    writablePaths: [],
    resources: { cpu: { request: '10m', limit: '100m' }, memory: { request: '16Mi', limit: '32Mi' } },
  });
}
