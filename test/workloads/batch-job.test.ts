import { App, Chart, Testing } from 'cdk8s';
import { WorkloadSecurity } from '../../lib/core/security';
import { warningsOf } from '../../lib/core/warnings';
import { definePlatform } from '../../lib/platform-spec';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { BatchJob } from '../../lib/workloads/batch-job';
import { BatchJobProps } from '../../lib/workloads/batch-job-props';
import { DEFAULT_BACKOFF_LIMIT, DEFAULT_JOB_TTL_SECONDS } from '../../lib/workloads/job-spec';
import { expectValidManifests, synthObjects } from '../support';

const IMAGE = 'busybox:1.37.0';
const chart = (): Chart => new Chart(Testing.app(), 'test', { namespace: 'batch' });
const build =
  (props: Partial<BatchJobProps>, c: Chart = chart()) =>
  () =>
    new BatchJob(c, 'task', { image: IMAGE, ...props } as BatchJobProps);
const jobOf = (props: Partial<BatchJobProps>) => {
  const c = chart();
  new BatchJob(c, 'task', { image: IMAGE, ...props } as BatchJobProps);
  return synthObjects(c).find((o) => o.kind === 'Job');
};

describe('BatchJob defaults', () => {
  const c = chart();
  new BatchJob(c, 'Echo', { image: IMAGE, command: ['/bin/echo'], args: ['hello', 'world'] });
  const objects = synthObjects(c);
  const job = objects.find((o) => o.kind === 'Job');

  test('passes strict schema, restricted and Polaris (Jobs need no probes)', () => {
    expectValidManifests(objects);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Job/echo', 'NetworkPolicy/echo']);
  });
  test('small retry budget, 24 h TTL, restartPolicy Never, no selector of ours', () => {
    expect(DEFAULT_BACKOFF_LIMIT).toBe(3);
    expect(DEFAULT_JOB_TTL_SECONDS).toBe(86400);
    expect(job.spec).toEqual({
      parallelism: 1,
      backoffLimit: 3,
      ttlSecondsAfterFinished: 86400,
      template: expect.objectContaining({ spec: expect.objectContaining({ restartPolicy: 'Never', automountServiceAccountToken: false }) }),
    });
    expect(job.spec.template.metadata.labels['app.kubernetes.io/component']).toBe('job');
    expect(job.spec.template.spec.containers[0].args).toEqual(['hello', 'world']);
  });
});

describe('BatchJob props', () => {
  test('completions, parallelism, backoffLimit, deadline, TTL, OnFailure, Indexed', () => {
    const job = jobOf({
      completions: 4,
      parallelism: 2,
      backoffLimit: 0,
      activeDeadlineSeconds: 15,
      ttlSecondsAfterFinished: 0,
      restartPolicy: 'OnFailure',
      completionMode: 'Indexed',
    });
    const { template, ...rest } = job.spec;
    expect(rest).toEqual({ completions: 4, parallelism: 2, backoffLimit: 0, activeDeadlineSeconds: 15, ttlSecondsAfterFinished: 0, completionMode: 'Indexed' });
    expect(template.spec.restartPolicy).toBe('OnFailure');
  });
  test('podFailurePolicy with exit codes (sorted) and conditions', () => {
    const job = jobOf({
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'task', operator: 'In', values: [42, 3] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        ],
      },
      podReplacementPolicy: 'Failed',
    });
    expect(job.spec.podFailurePolicy).toEqual({
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'task', operator: 'In', values: [3, 42] }, onPodConditions: [] },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      ],
    });
    expect(job.spec.podReplacementPolicy).toBe('Failed');
  });
  test('at 1.35 (the platform default) backoffLimitPerIndex, maxFailedIndexes, podReplacementPolicy and FailIndex are on', () => {
    const job = jobOf({
      completions: 10,
      completionMode: 'Indexed',
      backoffLimitPerIndex: 1,
      maxFailedIndexes: 3,
      podReplacementPolicy: 'Failed',
      podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] },
    });
    expect(job.spec).toEqual(expect.objectContaining({ backoffLimitPerIndex: 1, maxFailedIndexes: 3, podReplacementPolicy: 'Failed' }));
  });
  test('the tenant platform version is used', () => {
    const app = Testing.app();
    const t = new TenantNamespace(app, 'batch', { platform: definePlatform({ kubernetesVersion: '1.35.0' }) });
    expect(new BatchJob(t, 'task', { image: IMAGE }).kubernetesVersion).toBe('1.35.0');
    expect(() => new BatchJob(t, 'other', { image: IMAGE, kubernetesVersion: '1.28' })).toThrow(
      `batch/other: kubernetesVersion "1.28" is invalid: must match the tenant's platform (1.35.0), or be left out`,
    );
  });
  test('warns when parallelism is above completions', () => {
    const c = chart();
    const job = new BatchJob(c, 'task', { image: IMAGE, completions: 2, parallelism: 5 });
    expect(job.maxPods).toBe(2);
    expect(warningsOf(c)).toEqual([
      'test/task: parallelism 5 is above completions 2: the Job controller never runs more pods than completions remain, so at most 2 run at once',
    ]);
  });
  test('warns when completions or parallelism 0 make the Job do nothing', () => {
    const zero = chart();
    new BatchJob(zero, 'task', { image: IMAGE, completions: 0 });
    expect(warningsOf(zero)).toEqual(['test/task: completions 0: the Job counts as complete at once and runs no pod; give at least 1']);
    const paused = chart();
    new BatchJob(paused, 'task', { image: IMAGE, parallelism: 0 });
    expect(warningsOf(paused)).toEqual([
      'test/task: parallelism 0: no pod runs until parallelism is raised on the live Job; give at least 1 (to pause a ScheduledJob, use suspend)',
    ]);
    const c = chart();
    new BatchJob(c, 'task', { image: IMAGE, completions: 1, parallelism: 1 });
    expect(warningsOf(c)).toEqual([]);
  });
  test('connects to a store-like peer through allowEgress and takes secrets and claims', () => {
    const c = chart();
    const job = new BatchJob(c, 'task', { image: IMAGE, parallelism: 2 });
    job.mountSecret('db', '/run/secrets/db');
    expect(() => job.mountClaim({ claimName: 'data', readWriteMany: false }, '/data')).toThrow(
      'test/task: mountClaim "data" is invalid: is not ReadWriteMany but up to 2 pods may run at once on different nodes: use a ReadWriteMany claim or mount it read-only',
    );
    job.mountClaim({ claimName: 'shared', readWriteMany: true }, '/shared');
    expect(job.selectorLabels).toEqual({ 'app.kubernetes.io/instance': 'task', 'app.kubernetes.io/name': 'task' });
    expect(job.labels['app.kubernetes.io/version']).toBe('1.37.0');
    const objects = synthObjects(c);
    expectValidManifests(objects);
    const pod = objects.find((o) => o.kind === 'Job').spec.template.spec;
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['writable-0', 'secret-db', 'claim-shared']);
  });
});

describe('BatchJob errors', () => {
  test('fails on what the API server refuses, all at once', () => {
    expect(
      build({
        completions: -1,
        parallelism: 1.5,
        backoffLimit: -2,
        activeDeadlineSeconds: 0,
        ttlSecondsAfterFinished: -1,
        restartPolicy: 'Always' as 'Never',
        completionMode: 'Sometimes' as 'Indexed',
      }),
    ).toThrow(
      [
        '7 problems:',
        '  - test/task: completions -1 is invalid: must be an integer >= 0',
        '  - test/task: parallelism 1.5 is invalid: must be an integer >= 0',
        '  - test/task: backoffLimit -2 is invalid: must be an integer >= 0',
        '  - test/task: activeDeadlineSeconds 0 is invalid: must be an integer >= 1: the API server refuses a deadline of 0 or less',
        '  - test/task: ttlSecondsAfterFinished -1 is invalid: must be an integer >= 0',
        '  - test/task: restartPolicy "Always" is invalid: must be "Never" or "OnFailure": the API server refuses "Always" for Jobs (a pod that always restarts never completes)',
        '  - test/task: completionMode "Sometimes" is invalid: must be "NonIndexed" or "Indexed"',
      ].join('\n'),
    );
  });
  test('fails on an Indexed Job without completions and on per-index fields without their prerequisites', () => {
    expect(build({ completionMode: 'Indexed', backoffLimitPerIndex: 1 })).toThrow(
      'test/task: completionMode "Indexed" is invalid: needs completions: an Indexed Job runs indexes 0 to completions - 1',
    );
    expect(build({ backoffLimitPerIndex: 1, maxFailedIndexes: 2 })).toThrow('test/task: backoffLimitPerIndex 1 is invalid: needs completionMode "Indexed"');
    expect(build({ maxFailedIndexes: 2 })).toThrow('test/task: maxFailedIndexes 2 is invalid: needs backoffLimitPerIndex');
    expect(build({ completions: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1, maxFailedIndexes: 3 })).toThrow(
      'test/task: maxFailedIndexes 3 is invalid: must not exceed completions (2)',
    );
    expect(build({ podReplacementPolicy: 'Sometimes' as 'Failed' })).toThrow(
      'test/task: podReplacementPolicy "Sometimes" is invalid: must be "TerminatingOrFailed" or "Failed"',
    );
  });
  test('refuses fields that are alpha and off at 1.28, naming the version that has them', () => {
    expect(
      build({
        kubernetesVersion: '1.28',
        completions: 4,
        completionMode: 'Indexed',
        backoffLimitPerIndex: 1,
        maxFailedIndexes: 1,
        podReplacementPolicy: 'Failed',
      }),
    ).toThrow(
      [
        '3 problems:',
        '  - test/task: backoffLimitPerIndex 1 is invalid: needs Kubernetes 1.29 or newer: feature JobBackoffLimitPerIndex is alpha and off by default in 1.28, and the API server would drop the field silently',
        '  - test/task: maxFailedIndexes 1 is invalid: needs Kubernetes 1.29 or newer: feature JobBackoffLimitPerIndex is alpha and off by default in 1.28, and the API server would drop the field silently',
        '  - test/task: podReplacementPolicy "Failed" is invalid: needs Kubernetes 1.29 or newer: feature JobPodReplacementPolicy is alpha and off by default in 1.28, and the API server would drop the field silently',
      ].join('\n'),
    );
    expect(build({ kubernetesVersion: 'one.two' })).toThrow(
      'test/task: kubernetesVersion "one.two" is invalid: must be a Kubernetes version such as "1.35" or "1.35.1"',
    );
  });
  test('podFailurePolicy rules are checked as the API server does', () => {
    expect(build({ restartPolicy: 'OnFailure', podFailurePolicy: { rules: [{ action: 'Count', onPodConditions: [{ type: 'DisruptionTarget' }] }] } })).toThrow(
      'test/task: podFailurePolicy "restartPolicy OnFailure" is invalid: needs restartPolicy "Never": with "OnFailure" the container restarts in place and the pod never fails',
    );
    expect(build({ podFailurePolicy: { rules: [] } })).toThrow('test/task: podFailurePolicy.rules [] is invalid: must hold 1 to 20 rules');
    expect(
      build({
        podFailurePolicy: {
          rules: [
            { action: 'Stop' as 'FailJob', onExitCodes: { operator: 'In', values: [0] } },
            { action: 'FailIndex', onExitCodes: { operator: 'Has' as 'In', values: [1, 1] } },
            { action: 'Ignore' },
            { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [256] } },
            { action: 'Ignore', onPodConditions: [] },
          ],
        },
      }),
    ).toThrow(
      [
        '8 problems:',
        '  - test/task: podFailurePolicy.rules[0].action "Stop" is invalid: must be "FailJob", "Ignore", "Count" or "FailIndex"',
        '  - test/task: podFailurePolicy.rules[0].onExitCodes.values [0] is invalid: must not contain 0 with operator "In": exit code 0 is a success',
        '  - test/task: podFailurePolicy.rules[1].action "FailIndex" is invalid: needs backoffLimitPerIndex',
        '  - test/task: podFailurePolicy.rules[1].onExitCodes.operator "Has" is invalid: must be "In" or "NotIn"',
        '  - test/task: podFailurePolicy.rules[1].onExitCodes.values [1,1] is invalid: must not repeat an exit code',
        '  - test/task: podFailurePolicy.rules[2] {"action":"Ignore"} is invalid: must give exactly one of onExitCodes and onPodConditions',
        '  - test/task: podFailurePolicy.rules[3].onExitCodes.values [256] is invalid: must hold 1 to 255 exit codes, integers 0-255',
        '  - test/task: podFailurePolicy.rules[4].onPodConditions [] is invalid: must hold at least one condition',
      ].join('\n'),
    );
    expect(
      build({
        podFailurePolicy: {
          rules: [
            { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [1] } },
            { action: 'Ignore', onPodConditions: [{ type: '', status: 'Maybe' as 'True' }] },
          ],
        },
      }),
    ).toThrow(
      [
        '3 problems:',
        '  - test/task: podFailurePolicy.rules[0].onExitCodes.containerName "main" is invalid: must name the pod\'s container "task", or be left out',
        '  - test/task: podFailurePolicy.rules[1].onPodConditions[0].type "" is invalid: must be a pod condition type such as "DisruptionTarget"',
        '  - test/task: podFailurePolicy.rules[1].onPodConditions[0].status "Maybe" is invalid: must be "True", "False" or "Unknown"',
      ].join('\n'),
    );
    expect(
      build({
        podReplacementPolicy: 'TerminatingOrFailed',
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      }),
    ).toThrow(
      'test/task: podReplacementPolicy "TerminatingOrFailed" is invalid: must be "Failed" with a podFailurePolicy (the API server refuses anything else)',
    );
  });
  test('Job names up to 63 characters', () => {
    expect(build({ name: 'a'.repeat(64) })).toThrow(
      `test/task: name "${'a'.repeat(64)}" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
    expect(() => new BatchJob(chart(), 'task', { image: IMAGE, name: 'a'.repeat(63) })).not.toThrow();
  });
  test('plain JavaScript without props or image gets a PaasValidationError, not a TypeError', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the untyped module, as a .js caller loads it
    const { BatchJob: Untyped } = require('../../lib/workloads/batch-job');
    expect(() => new Untyped(chart(), 'task')).toThrow('test/task: props undefined is invalid: must be an object (BatchJobProps)');
    expect(() => new Untyped(chart(), 'task', { image: IMAGE, completion: 3, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCode: {} }] } })).toThrow(
      [
        '2 problems:',
        '  - test/task: podFailurePolicy.rules[0].onExitCode {} is invalid: is not a known field of PodFailureRule; did you mean "onExitCodes"?',
        '  - test/task: completion 3 is invalid: is not a known field of BatchJobProps; did you mean "completions"?',
      ].join('\n'),
    );
    expect(() => new Untyped(chart(), 'task', { image: IMAGE, env: { A: 'x' }, network: { allowEgress: [{ to: '10.0.0.0/8' }] } })).toThrow(
      [
        '2 problems:',
        '  - test/task: env.A "x" is invalid: must be an EnvValue: EnvValue.value(), .fromSecret(), .fromConfigMap() or .fromField()',
        '  - test/task: network.allowEgress[0].to "10.0.0.0/8" is invalid: must be a NetworkPeer: NetworkPeer.workload(), .namespace(), .pods() or .cidr()',
      ].join('\n'),
    );
  });
});

describe('BatchJob in a tenant', () => {
  const platform = definePlatform({ kubernetesVersion: '1.35.0' });
  test('an opt-out is refused by a restricted tenant, with the level that would admit it', () => {
    const app = new App();
    const t = new TenantNamespace(app, 'batch', { platform });
    new BatchJob(t, 'task', { image: IMAGE, security: WorkloadSecurity.optOut({ reason: 'needs root to chown', runAsRoot: true }) });
    expect(() => app.synth()).toThrow(
      'batch/task: security "baseline" is invalid: is weaker than the Pod Security level "restricted" that namespace "batch" enforces (opt-out reason: "needs root to chown"): Kubernetes would reject its pods; run it restricted, or give the tenant podSecurity "baseline"',
    );
  });
  test('containers must fit the LimitRange', () => {
    const app = new App();
    const t = new TenantNamespace(app, 'batch', { platform, limits: { container: { max: { cpu: '200m', memory: '1Gi' } } } });
    new BatchJob(t, 'task', { image: IMAGE });
    expect(() => app.synth()).toThrow(
      'batch: limitRange.container.max.cpu "200m" is invalid: container "task" of Job "task" has a CPU limit of 500m, above it; Kubernetes would reject its pods: raise the max or lower the limits',
    );
  });
  test('pods, CPU and count/jobs.batch counted at parallelism', () => {
    const app = new App();
    const t = new TenantNamespace(app, 'batch', { platform, quota: { pods: 2, requests: { cpu: '150m' }, objectCounts: { 'jobs.batch': 0 } } });
    new BatchJob(t, 'task', { image: IMAGE, parallelism: 2, completions: 4 });
    // Both problems at once, each line exact.
    expect(() => app.synth()).toThrow(
      '[batch] batch: quota["count/jobs.batch"] 0 is invalid: the tenant needs 1 at worst case (Job "task": 1); raise the quota or shrink what the tenant holds',
    );
    expect(() => app.synth()).toThrow(
      '[batch] batch: quota["requests.cpu"] "150m" is invalid: the tenant needs 200m at worst case (Job "task": 200m = 2 pods (parallelism 2) x 100m); raise the quota or shrink what the tenant holds',
    );
  });
});
