import { App, Chart, Testing } from 'cdk8s';
import { definePlatform } from '../../lib/platform-spec';
import { StorageClassHandle } from '../../lib/storage/types';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { ScheduledJob } from '../../lib/workloads/scheduled-job';
import { ScheduledJobProps } from '../../lib/workloads/scheduled-job-props';
import { warningsOf } from '../../lib/core/warnings';
import { expectValidManifests, synthObjects } from '../support';

const IMAGE = 'busybox:1.37.0';
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'batch' });
const build = (props: Partial<ScheduledJobProps>) => () =>
  new ScheduledJob(chart(), 'report', { image: IMAGE, schedule: '@daily', ...props } as ScheduledJobProps);
const cronOf = (props: Partial<ScheduledJobProps>) => {
  const c = chart();
  new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', ...props } as ScheduledJobProps);
  return synthObjects(c).find((o) => o.kind === 'CronJob');
};

describe('ScheduledJob defaults', () => {
  const c = chart();
  new ScheduledJob(c, 'report', { image: IMAGE, schedule: '*/1 * * * *' });
  const objects = synthObjects(c);
  const cron = objects.find((o) => o.kind === 'CronJob');

  test('passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['CronJob/report', 'NetworkPolicy/report']);
  });
  test('Forbid, 60 s starting deadline, 3 and 3 kept, not suspended; the job template as BatchJob', () => {
    const { jobTemplate, ...rest } = cron.spec;
    expect(rest).toEqual({
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 60,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
    expect(jobTemplate.metadata.labels['app.kubernetes.io/instance']).toBe('report');
    const { template, ...job } = jobTemplate.spec;
    expect(job).toEqual({ parallelism: 1, backoffLimit: 3, ttlSecondsAfterFinished: 86400 });
    expect(template.spec.restartPolicy).toBe('Never');
    expect(template.spec.securityContext.runAsNonRoot).toBe(true);
  });
});

describe('ScheduledJob props', () => {
  test('timeZone, concurrencyPolicy, deadlines, history, suspend and the Job fields', () => {
    // Each CronJob field lands in the spec as given, each Job field in the job template.
    const cronFields = {
      schedule: '30 2 * * mon-fri',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace' as const,
      startingDeadlineSeconds: 10,
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 1,
      suspend: true,
    };
    const cron = cronOf({ ...cronFields, completions: 2, parallelism: 2, activeDeadlineSeconds: 600, restartPolicy: 'OnFailure' });
    const { jobTemplate, ...rest } = cron.spec;
    expect(rest).toEqual(cronFields);
    expect(jobTemplate.spec).toEqual(expect.objectContaining({ completions: 2, parallelism: 2, activeDeadlineSeconds: 600 }));
    expect(jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
  });
  test('Allow with maxConcurrentRuns writes the bound the quota fit reads', () => {
    const cron = cronOf({ concurrencyPolicy: 'Allow', maxConcurrentRuns: 3 });
    expect(cron.spec.concurrencyPolicy).toBe('Allow');
    expect(cron.metadata.annotations).toEqual({ 'paas.cdk8s.io/max-concurrent-runs': '3' });
  });
  test('descriptors and @every are schedules', () => {
    for (const schedule of ['@hourly', '@weekly', '@every 90m', '0 */6 * * ?']) expect(cronOf({ schedule }).spec.schedule).toBe(schedule);
  });
  test('a Replace run may overlap the previous one: a ReadWriteOnce claim must be read-only', () => {
    const c = chart();
    const job = new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy: 'Replace' });
    expect(() => job.mountClaim({ claimName: 'out', readWriteMany: false }, '/out')).toThrow(
      'test/report: mountClaim "out" is invalid: is not ReadWriteMany but up to 2 pods may run at once on different nodes: use a ReadWriteMany claim or mount it read-only',
    );
    const forbid = new ScheduledJob(c, 'forbid', { image: IMAGE, schedule: '@daily' });
    forbid.mountClaim({ claimName: 'out', readWriteMany: false }, '/out');
    expect(synthObjects(c).find((o) => o.kind === 'CronJob' && o.metadata.name === 'forbid').spec.jobTemplate.spec.template.spec.volumes).toContainEqual({
      name: 'claim-out',
      persistentVolumeClaim: { claimName: 'out' },
    });
  });
  test('plain JavaScript: a minimal call with untyped props works', () => {
    // What `new ScheduledJob(chart, 'report', { image, schedule })` is from a .js file: the package index, no types at all.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the untyped module, as a .js caller loads it
    const { ScheduledJob: Untyped } = require('../../lib');
    const c = chart();
    const props: unknown = JSON.parse('{"image":"busybox:1.37.0","schedule":"0 3 * * *"}');
    new Untyped(c, 'report', props);
    const objects = synthObjects(c);
    expectValidManifests(objects);
    expect(objects.find((o) => o.kind === 'CronJob').spec.schedule).toBe('0 3 * * *');
    expect(() => new Untyped(chart(), 'report')).toThrow('test/report: props undefined is invalid: must be an object (ScheduledJobProps)');
    expect(() => new Untyped(chart(), 'report', { image: IMAGE, schedul: '@daily', parallelism: '2' })).toThrow(
      [
        '3 problems:',
        '  - test/report: parallelism "2" is invalid: must be a number',
        '  - test/report: schedule undefined is invalid: is required: a string',
        '  - test/report: schedul "@daily" is invalid: is not a known field of ScheduledJobProps; did you mean "schedule"?',
      ].join('\n'),
    );
  });
});

describe('ScheduledJob warnings', () => {
  const warningsFor = (props: Partial<ScheduledJobProps>) => {
    const c = chart();
    new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', ...props } as ScheduledJobProps);
    return warningsOf(c);
  };
  test('a starting deadline longer than the shortest interval: a late run can meet the next one', () => {
    expect(warningsFor({ schedule: '*/15 * * * *', startingDeadlineSeconds: 1200 })).toEqual([
      'test/report: startingDeadlineSeconds 1200 is longer than the shortest interval between runs of "*/15 * * * *" (900 s): a run started late may still be running when the next is due (concurrencyPolicy "Forbid" then skips that run); give at most 900',
    ]);
    // The shortest interval counts, not the longest: 09:00 to 17:00 is 8 h, 17:00 to 09:00 is 16 h.
    expect(warningsFor({ schedule: '0 9,17 * * *', startingDeadlineSeconds: 36000, concurrencyPolicy: 'Replace' })).toEqual([
      'test/report: startingDeadlineSeconds 36000 is longer than the shortest interval between runs of "0 9,17 * * *" (28800 s): a run started late may still be running when the next is due (concurrencyPolicy "Replace" then stops the late run); give at most 28800',
    ]);
    // The default 60 s against a 30 s @every schedule warns too.
    expect(warningsFor({ schedule: '@every 30s', concurrencyPolicy: 'Allow', maxConcurrentRuns: 2 })).toEqual([
      'test/report: startingDeadlineSeconds 60 is longer than the shortest interval between runs of "@every 30s" (30 s): a run started late may still be running when the next is due (concurrencyPolicy "Allow" then runs both at once); give at most 30',
    ]);
  });
  test('a history limit the TTL never lets fill', () => {
    expect(warningsFor({ successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 })).toEqual([
      'test/report: successfulJobsHistoryLimit 5 has no effect beyond 2: finished Jobs are deleted 86400 s after they finish (ttlSecondsAfterFinished) and runs of "@daily" are at least 86400 s apart, so at most 2 finished Jobs exist at once; raise ttlSecondsAfterFinished to 345600 or more, or lower the limit',
    ]);
    expect(warningsFor({ schedule: '@weekly', ttlSecondsAfterFinished: 3600, failedJobsHistoryLimit: 3 })).toEqual([
      'test/report: failedJobsHistoryLimit 3 has no effect beyond 1: finished Jobs are deleted 3600 s after they finish (ttlSecondsAfterFinished) and runs of "@weekly" are at least 604800 s apart, so at most 1 finished Job exists at once; raise ttlSecondsAfterFinished to 1209600 or more, or lower the limit',
    ]);
    // The defaults (3 and 3) are not the user's values: no warning for them.
    expect(warningsFor({ schedule: '@weekly', ttlSecondsAfterFinished: 3600 })).toEqual([]);
    expect(warningsFor({ schedule: '@hourly', successfulJobsHistoryLimit: 10 })).toEqual([]);
  });
  test('none at the defaults or a deadline up to the interval', () => {
    expect(warningsFor({})).toEqual([]);
    expect(warningsFor({ schedule: '*/1 * * * *' })).toEqual([]);
    expect(warningsFor({ schedule: '*/15 * * * *', startingDeadlineSeconds: 900 })).toEqual([]);
  });
});

describe('ScheduledJob errors', () => {
  test('schedules the API server refuses, naming the field', () => {
    expect(build({ schedule: '61 * * * *' })).toThrow(
      'test/report: schedule "61 * * * *" is invalid: minute "61": 61 is above the maximum 59; minute takes 0-59, written as a value, a range a-b, a step */n, a-b/n or a/n, or a comma-separated list of these',
    );
    expect(build({ schedule: '* * * * 7' })).toThrow(
      'test/report: schedule "* * * * 7" is invalid: day-of-week "7": 7 is above the maximum 6; day-of-week takes 0-6 (0 is Sunday) or sun-sat, written as a value, a range a-b, a step */n, a-b/n or a/n, or a comma-separated list of these',
    );
    expect(build({ schedule: 'TZ=UTC 0 * * * *' })).toThrow(
      'test/report: schedule "TZ=UTC 0 * * * *" is invalid: schedule must not set a time zone (TZ= or CRON_TZ=): the API server refuses it on create; use the timeZone field instead',
    );
    expect(build({ schedule: '0 0 * * * *' })).toThrow(
      'test/report: schedule "0 0 * * * *" is invalid: schedule has 6 fields: give exactly five (minute hour day-of-month month day-of-week) or a descriptor such as @daily; a seconds field is not supported',
    );
  });
  test('time zones as the API server loads them', () => {
    expect(build({ timeZone: 'Local' })).toThrow(
      'test/report: timeZone "Local" is invalid: must name an explicit IANA time zone such as "Europe/Berlin" or "UTC": "Local" (the kube-controller-manager\'s own zone) is refused by the API server',
    );
    expect(build({ timeZone: 'europe/berlin' })).toThrow(
      'test/report: timeZone "europe/berlin" is invalid: must be an IANA time zone name (a zone or an alias) such as "Europe/Berlin" or "UTC", checked against tzdata 2025b (names are case-sensitive: did you mean "Europe/Berlin"?)',
    );
  });
  test('policy, deadlines, history limits, suspend and the bound', () => {
    expect(
      build({
        concurrencyPolicy: 'Queue' as 'Allow',
        startingDeadlineSeconds: 5,
        successfulJobsHistoryLimit: -1,
        failedJobsHistoryLimit: 1.5,
      }),
    ).toThrow(
      [
        '4 problems:',
        '  - test/report: concurrencyPolicy "Queue" is invalid: must be "Forbid", "Replace" or "Allow"',
        '  - test/report: startingDeadlineSeconds 5 is invalid: must be an integer >= 10: the CronJob controller checks schedules every 10 seconds, so a shorter deadline can skip runs that were on time',
        '  - test/report: successfulJobsHistoryLimit -1 is invalid: must be an integer >= 0',
        '  - test/report: failedJobsHistoryLimit 1.5 is invalid: must be an integer >= 0',
      ].join('\n'),
    );
    expect(build({ suspend: 'yes' as unknown as boolean })).toThrow('test/report: suspend "yes" is invalid: must be true or false');
    expect(build({ maxConcurrentRuns: 2 })).toThrow(
      'test/report: maxConcurrentRuns 2 is invalid: is only used with concurrencyPolicy "Allow" (this is "Forbid")',
    );
    expect(build({ concurrencyPolicy: 'Allow', maxConcurrentRuns: 0 })).toThrow('test/report: maxConcurrentRuns 0 is invalid: must be an integer >= 1');
  });
  test('the job template fields are checked as for BatchJob', () => {
    expect(build({ restartPolicy: 'Always' as 'Never', backoffLimitPerIndex: 1, kubernetesVersion: '1.28' })).toThrow(
      [
        '3 problems:',
        '  - test/report: restartPolicy "Always" is invalid: must be "Never" or "OnFailure": the API server refuses "Always" for Jobs (a pod that always restarts never completes)',
        '  - test/report: backoffLimitPerIndex 1 is invalid: needs Kubernetes 1.29 or newer: feature JobBackoffLimitPerIndex is alpha and off by default in 1.28, and the API server would drop the field silently',
        '  - test/report: backoffLimitPerIndex 1 is invalid: needs completionMode "Indexed"',
      ].join('\n'),
    );
  });
  test('CronJob names up to 52 characters (the controller appends 11)', () => {
    expect(build({ name: 'a'.repeat(53) })).toThrow(
      `test/report: name "${'a'.repeat(53)}" is invalid: must be a DNS-1123 label: 1-52 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
    expect(() => new ScheduledJob(chart(), 'r', { image: IMAGE, schedule: '@daily', name: 'a'.repeat(52) })).not.toThrow();
  });
});

describe('ScheduledJob quota fit at worst case', () => {
  const platform = definePlatform({ kubernetesVersion: '1.35.0' });
  const tenant = (quota: Record<string, unknown>) => {
    const app = new App();
    const t = new TenantNamespace(app, 'batch', { platform, quota });
    return { app, t };
  };
  test('Forbid: one run x parallelism; running plus kept Jobs against count/jobs.batch', () => {
    const { app, t } = tenant({ pods: 2, objectCounts: { 'jobs.batch': 4 } });
    new ScheduledJob(t, 'report', { image: IMAGE, schedule: '@daily', parallelism: 2 });
    expect(() => app.synth()).toThrow(
      'batch: quota["count/jobs.batch"] 4 is invalid: the tenant needs 7 at worst case (CronJob "report": 7 (1 running (concurrencyPolicy Forbid) + 6 finished kept by the history limits)); raise the quota or shrink what the tenant holds',
    );
  });
  test('Replace: two runs briefly', () => {
    const { app, t } = tenant({ pods: 3 });
    new ScheduledJob(t, 'report', { image: IMAGE, schedule: '@daily', parallelism: 2, concurrencyPolicy: 'Replace' });
    expect(() => app.synth()).toThrow(
      'batch: quota["pods"] 3 is invalid: the tenant needs 4 at worst case (CronJob "report": 4 (2 runs at once (concurrencyPolicy Replace: old and new run overlap briefly) x parallelism 2)); raise the quota or shrink what the tenant holds',
    );
  });
  test('Allow without a bound is a synth error in a tenant with a pod quota; with a bound it counts', () => {
    const { app, t } = tenant({ pods: 10 });
    new ScheduledJob(t, 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy: 'Allow' });
    expect(() => app.synth()).toThrow(
      'batch: quota["pods"] 10 is invalid: cannot hold what is unbounded: CronJob "report" (unbounded runs at once (concurrencyPolicy Allow without maxConcurrentRuns) x parallelism 1); give ScheduledJob maxConcurrentRuns, or concurrencyPolicy "Forbid" or "Replace"',
    );
    const bounded = tenant({ pods: 10, requests: { cpu: '250m' } });
    new ScheduledJob(bounded.t, 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy: 'Allow', maxConcurrentRuns: 3 });
    expect(() => bounded.app.synth()).toThrow(
      'batch: quota["requests.cpu"] "250m" is invalid: the tenant needs 300m at worst case (CronJob "report": 300m = 3 pods (3 runs at once (concurrencyPolicy Allow, paas.cdk8s.io/max-concurrent-runs 3) x parallelism 1) x 100m); raise the quota or shrink what the tenant holds',
    );
  });
});

describe('ScheduledJob connected to a store', () => {
  test('connect() puts host, port and Secret references into the job template and opens the policies', () => {
    const c = chart();
    const store = new StatefulStore(c, 'cache', {
      engine: StoreEngine.redis(),
      storage: StorageClassHandle.fromName('nfs-client'),
      credentials: { secretName: 'redis-auth' },
    });
    const job = new ScheduledJob(c, 'warm', { image: 'redis:7.4.2', schedule: '*/5 * * * *', command: ['sh', '-c', 'redis-cli -h "$CACHE_HOST" ping'] });
    const connection = store.connect(job);
    expect(connection.envNames).toEqual(['CACHE_HOST', 'CACHE_PORT', 'CACHE_PASSWORD']);
    const objects = synthObjects(c);
    expectValidManifests(objects);
    const env = objects.find((o) => o.kind === 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env;
    expect(env).toEqual([
      { name: 'CACHE_HOST', value: 'cache-0.cache.batch.svc.cluster.local' },
      { name: 'CACHE_PORT', value: '6379' },
      { name: 'CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } },
    ]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining(['NetworkPolicy/cache-from-warm', 'NetworkPolicy/warm-to-cache']),
    );
  });
});
