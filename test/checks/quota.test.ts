import { checkLimitRangeFit } from '../../lib/checks/limit-range';
import { KubeManifest } from '../../lib/checks/manifest';
import { checkQuotaFit, checkTenantFit, countField, resourceName, tenantUsage } from '../../lib/checks/quota';
import { LimitRangeItem, withLimitRangeDefaults } from '../../lib/checks/tenant-fit';

/** A Deployment as `kubectl create deploy` would write it, with resources on its one container. */
function deployment(
  name: string,
  opts: {
    replicas?: number;
    cpu?: [string, string];
    memory?: [string, string];
    strategy?: Record<string, unknown>;
    revisionHistoryLimit?: number;
    containers?: number;
  } = {},
): KubeManifest {
  const resources: Record<string, Record<string, string>> = { requests: {}, limits: {} };
  if (opts.cpu) [resources.requests.cpu, resources.limits.cpu] = opts.cpu;
  if (opts.memory) [resources.requests.memory, resources.limits.memory] = opts.memory;
  const containers = Array.from({ length: opts.containers ?? 1 }, (_, i) => ({ name: i === 0 ? name : `${name}-${i}`, image: 'nginx:1.27.3', resources }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: opts.replicas,
      strategy: opts.strategy,
      revisionHistoryLimit: opts.revisionHistoryLimit,
      template: { spec: { containers } },
    },
  };
}

function hpa(target: string, max: number): KubeManifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target },
    spec: { scaleTargetRef: { kind: 'Deployment', name: target }, maxReplicas: max },
  };
}

/** The seeds' dev-qt, field for field. */
const SEEDS_HARD = {
  'requests.cpu': 10,
  'requests.memory': '10Gi',
  'limits.cpu': 10,
  'limits.memory': '20Gi',
  'requests.storage': '100Gi',
  persistentvolumeclaims: 100,
  pods: 100,
  configmaps: 100,
  secrets: 100,
  services: 10,
  'count/jobs.batch': 1,
  'count/cronjobs.batch': 1,
  'count/deployments.apps': 1,
};
/** The seeds' dev-limits. */
const SEEDS_LIMITS: LimitRangeItem[] = [
  { type: 'Container', defaultRequest: { cpu: '200m', memory: '50Mi' }, default: { cpu: '500m', memory: '100Mi' } },
  { type: 'Pod', max: { cpu: '800m', memory: '200Mi' } },
];

describe('quota fit', () => {
  test("fails if two Deployments meet the seeds' dev-ns quota (count/deployments.apps: 1)", () => {
    // As `kubectl run`/`create deploy` in the seeds: no resources, so the LimitRange defaults apply.
    const objects = [deployment('wp'), deployment('ngx')];
    expect(checkTenantFit({ path: 'dev-ns', objects, hard: SEEDS_HARD, limits: SEEDS_LIMITS }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'quota["count/deployments.apps"] 1 the tenant needs 2 at worst case (Deployment "wp": 1, Deployment "ngx": 1); raise the quota or shrink what the tenant holds',
    ]);
  });

  test('one Deployment fits the seeds quota', () => {
    expect(checkTenantFit({ path: 'dev-ns', objects: [deployment('wp')], hard: SEEDS_HARD, limits: SEEDS_LIMITS })).toEqual([]);
  });

  test('counts HPA max replicas plus the rolling-update surge (25% rounded up)', () => {
    const objects = [deployment('web', { cpu: ['250m', '500m'] }), hpa('web', 5)];
    const [p] = checkQuotaFit({ path: 't', objects, hard: { 'requests.cpu': '1', pods: 7 } });
    // 5 at HPA max + ceil(25% of 5) = 2 surge pods = 7 pods x 250m.
    expect(p).toEqual({
      path: 't',
      field: 'quota["requests.cpu"]',
      value: '1',
      expected:
        'the tenant needs 1750m at worst case (Deployment "web": 1750m = 7 pods (5 at HPA max + 2 surge) x 250m); raise the quota or shrink what the tenant holds',
    });
  });

  test('counts an absolute maxSurge and no surge for Recreate', () => {
    const objects = [
      deployment('a', { replicas: 3, cpu: ['100m', '100m'], strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } }),
      deployment('b', { replicas: 3, cpu: ['100m', '100m'], strategy: { type: 'Recreate' } }),
    ];
    const pods = tenantUsage({ objects }).get('pods')!;
    expect(pods.map((p) => [p.who, p.amount, p.detail])).toEqual([
      ['Deployment "a"', 5, '3 replicas + 2 surge'],
      ['Deployment "b"', 3, '3 replicas'],
    ]);
  });

  test('fails if pods exceed the pods quota, naming each workload', () => {
    const objects = [deployment('a', { replicas: 2 }), deployment('b', { replicas: 1 })];
    expect(checkQuotaFit({ path: 't', objects, hard: { pods: 3 } })[0].expected).toBe(
      'the tenant needs 5 at worst case (Deployment "a": 3 (2 replicas + 1 surge), Deployment "b": 2 (1 replica + 1 surge)); raise the quota or shrink what the tenant holds',
    );
  });

  test('counts claim templates times StatefulSet replicas, in total and per StorageClass', () => {
    const sts: KubeManifest = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 3,
        template: {
          spec: { containers: [{ name: 'db', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } } }] },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'nfs-client', resources: { requests: { storage: '5Gi' } } } }],
      },
    };
    const problems = checkQuotaFit({
      path: 't',
      objects: [sts],
      hard: { 'requests.storage': '10Gi', 'nfs-client.storageclass.storage.k8s.io/persistentvolumeclaims': 2, pods: 3 },
    });
    expect(problems.map((p) => `${p.field}: ${p.expected}`)).toEqual([
      'quota["nfs-client.storageclass.storage.k8s.io/persistentvolumeclaims"]: the tenant needs 3 at worst case (StatefulSet "db": 3); raise the quota or shrink what the tenant holds',
      'quota["requests.storage"]: the tenant needs 15Gi at worst case (StatefulSet "db": 15Gi = 3 claims of "data" x 5Gi); raise the quota or shrink what the tenant holds',
    ]);
  });

  test('claims without a class count against the default class when it is known', () => {
    const pvc: KubeManifest = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { resources: { requests: { storage: '2Gi' } } },
    };
    const hard = { 'nfs.storageclass.storage.k8s.io/requests.storage': '1Gi' };
    expect(checkQuotaFit({ path: 't', objects: [pvc], hard })).toEqual([]);
    expect(checkQuotaFit({ path: 't', objects: [pvc], hard, defaultStorageClass: 'nfs' })[0].expected).toBe(
      'the tenant needs 2Gi at worst case (PersistentVolumeClaim "data": 2Gi); raise the quota or shrink what the tenant holds',
    );
  });

  test('counts kube-root-ca.crt and referenced ConfigMaps and Secrets that exist outside our output', () => {
    const d = deployment('web');
    const spec = (d.spec as any).template.spec;
    spec.imagePullSecrets = [{ name: 'harbor-pull' }];
    spec.containers[0].envFrom = [{ configMapRef: { name: 'settings' } }, { secretRef: { name: 'db' } }];
    const cm: KubeManifest = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' } };
    const problems = checkQuotaFit({ path: 't', objects: [d, cm], hard: { configmaps: 1, secrets: 1 } });
    expect(problems.map((p) => p.expected)).toEqual([
      'the tenant needs 2 at worst case (ConfigMap "settings": 1, ConfigMap "kube-root-ca.crt" (created by Kubernetes in every namespace): 1); raise the quota or shrink what the tenant holds',
      'the tenant needs 2 at worst case (Secret "db" (referenced, created outside): 1, Secret "harbor-pull" (referenced, created outside): 1); raise the quota or shrink what the tenant holds',
    ]);
  });

  test('counts NodePort and LoadBalancer ports and ReplicaSets kept for rollback', () => {
    const svc: KubeManifest = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] },
    };
    const usage = tenantUsage({ objects: [svc, deployment('web', { revisionHistoryLimit: 3 })] });
    expect(usage.get('services.nodeports')!.map((p) => p.amount)).toEqual([2]);
    expect(usage.get('count/replicasets.apps')!.map((p) => p.amount)).toEqual([4]);
    expect(usage.get('count/services')!.map((p) => p.amount)).toEqual([1]);
  });

  test("fails if a CronJob's kept Jobs exceed count/jobs.batch (the seeds' quota allows 1)", () => {
    const cron: KubeManifest = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: {
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Forbid',
        jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup' }] } } } },
      },
    };
    expect(checkQuotaFit({ path: 'dev-ns', objects: [cron], hard: { 'count/jobs.batch': 1, 'count/cronjobs.batch': 1 } })).toEqual([
      {
        path: 'dev-ns',
        field: 'quota["count/jobs.batch"]',
        value: 1,
        expected:
          'the tenant needs 5 at worst case (CronJob "backup": 5 (1 running (concurrencyPolicy Forbid) + 4 finished kept by the history limits)); raise the quota or shrink what the tenant holds',
      },
    ]);
    // Kubernetes' default concurrencyPolicy is Allow: any number of runs at once.
    const allow = { ...cron, spec: { ...(cron.spec as object), concurrencyPolicy: undefined } };
    expect(checkQuotaFit({ path: 'dev-ns', objects: [allow], hard: { 'count/jobs.batch': 10 } }).map((p) => p.expected)).toEqual([
      'cannot hold what is unbounded: CronJob "backup" (unbounded running (concurrencyPolicy Allow without maxConcurrentRuns) + 4 finished kept by the history limits); give ScheduledJob maxConcurrentRuns, or concurrencyPolicy "Forbid" or "Replace"',
    ]);
    const pruned = { ...cron, spec: { ...(cron.spec as object), successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 } };
    expect(checkQuotaFit({ path: 'dev-ns', objects: [pruned], hard: { 'count/jobs.batch': 1 } })).toEqual([]);
  });

  test('fails if a container sets no request and no LimitRange default covers it', () => {
    const problems = checkQuotaFit({ path: 't', objects: [deployment('web', { memory: ['64Mi', '64Mi'] })], hard: { 'requests.cpu': '1' } });
    expect(problems).toEqual([
      {
        path: 't',
        field: 'quota["requests.cpu"]',
        value: '1',
        expected:
          'requires every container to set a request for cpu, and no LimitRange default covers Deployment "web": Kubernetes would reject these pods; set resources or a LimitRange default',
      },
    ]);
  });

  test('resource names and count fields follow the API plural rules', () => {
    expect(['Ingress', 'NetworkPolicy', 'Deployment', 'HorizontalPodAutoscaler'].map(resourceName)).toEqual([
      'ingresses',
      'networkpolicies',
      'deployments',
      'horizontalpodautoscalers',
    ]);
    expect(countField({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' })).toBe('count/ingresses.networking.k8s.io');
    expect(countField({ apiVersion: 'v1', kind: 'Service' })).toBe('count/services');
  });
});

describe('LimitRange fit', () => {
  test("fails if a pod's limits exceed the seeds' pod max (800m, 200Mi), with the containers that add up", () => {
    const objects = [deployment('web', { cpu: ['200m', '500m'], memory: ['100Mi', '150Mi'], containers: 2 })];
    expect(checkLimitRangeFit({ path: 'dev-ns', objects, limits: SEEDS_LIMITS }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'limitRange.pod.max.cpu 800m each pod of Deployment "web" has CPU limits of 1 (web 500m + web-1 500m), above it; Kubernetes would reject its pods: raise the max or lower the limits',
      'limitRange.pod.max.memory 200Mi each pod of Deployment "web" has memory limits of 300Mi (web 150Mi + web-1 150Mi), above it; Kubernetes would reject its pods: raise the max or lower the limits',
    ]);
  });

  test('applies the Container defaults before checking the pod max', () => {
    // Three containers without resources get the seeds' default limit of 500m each: 1500m > 800m.
    const objects = [deployment('web', { containers: 3 })];
    expect(checkLimitRangeFit({ path: 'dev-ns', objects, limits: SEEDS_LIMITS }).map((p) => p.field)).toEqual([
      'limitRange.pod.max.cpu',
      'limitRange.pod.max.memory',
    ]);
  });

  test('fails if a container is outside the Container max and min', () => {
    const limits: LimitRangeItem[] = [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }];
    const objects = [deployment('web', { cpu: ['100m', '2'], memory: ['32Mi', '64Mi'] })];
    expect(checkLimitRangeFit({ path: 't', objects, limits }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'limitRange.container.max.cpu 1 container "web" of Deployment "web" has a CPU limit of 2, above it; Kubernetes would reject its pods: raise the max or lower the limits',
      'limitRange.container.min.memory 64Mi container "web" of Deployment "web" requests 32Mi of memory, below it; Kubernetes would reject its pods: lower the min or raise the requests',
    ]);
  });

  test('fails if a claim or a claim template is outside the PersistentVolumeClaim min and max', () => {
    const limits: LimitRangeItem[] = [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }];
    const pvc: KubeManifest = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'tiny' },
      spec: { resources: { requests: { storage: '500Mi' } } },
    };
    const sts: KubeManifest = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 1,
        template: { spec: { containers: [] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '20Gi' } } } }],
      },
    };
    expect(checkLimitRangeFit({ path: 't', objects: [pvc, sts], limits }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'limitRange.persistentVolumeClaim.max.storage 10Gi claim template "data" of StatefulSet "db" asks for 20Gi, above it; Kubernetes would reject the claim',
      'limitRange.persistentVolumeClaim.min.storage 1Gi PersistentVolumeClaim "tiny" asks for 500Mi, below it; Kubernetes would reject the claim',
    ]);
  });
});

describe('LimitRange fit: unset values and ratios', () => {
  const bare: KubeManifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh' }] } };

  test('a Container max and min become the default limit and request of containers that set none, as the API server defaults them', () => {
    const limits: LimitRangeItem[] = [{ type: 'Container', max: { memory: '1Gi' }, min: { cpu: '10m' } }];
    // default.memory <- max; defaultRequest.memory <- default; defaultRequest.cpu <- min.
    expect(withLimitRangeDefaults(limits[0])).toEqual({
      type: 'Container',
      max: { memory: '1Gi' },
      min: { cpu: '10m' },
      default: { memory: '1Gi' },
      defaultRequest: { cpu: '10m', memory: '1Gi' },
    });
    expect(checkLimitRangeFit({ path: 't', objects: [bare], limits })).toEqual([]);
    const usage = tenantUsage({ objects: [bare], limits });
    expect(usage.get('requests.cpu')!.map((p) => p.amount)).toEqual([10]);
    expect(usage.get('requests.memory')!.map((p) => p.amount)).toEqual([1024 ** 3]);
    expect(usage.get('limits.memory')!.map((p) => p.amount)).toEqual([1024 ** 3]);
    // Given values are kept; Pod and PersistentVolumeClaim items are not defaulted.
    const given: LimitRangeItem = { type: 'Container', max: { cpu: '2' }, default: { cpu: '1' }, defaultRequest: { cpu: '100m' } };
    expect(withLimitRangeDefaults(given)).toEqual({ ...given, default: { cpu: '1' }, defaultRequest: { cpu: '100m' } });
    expect(withLimitRangeDefaults({ type: 'Pod', max: { cpu: '2' } })).toEqual({ type: 'Pod', max: { cpu: '2' } });
  });

  test('fails if a container requests more than the default limit it gets for setting none', () => {
    const limits: LimitRangeItem[] = [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }];
    const d = deployment('web');
    (d.spec as any).template.spec.containers[0].resources = { requests: { cpu: '1' } };
    expect(checkLimitRangeFit({ path: 't', objects: [d], limits }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'limitRange.container.default.cpu 500m container "web" of Deployment "web" requests 1 of CPU and sets no limit, so it gets this default limit, below its request; Kubernetes would reject its pods: set a limit or raise the default',
    ]);
    // A request without a limit under the default, and a limit without a request (the request becomes the limit), fit.
    (d.spec as any).template.spec.containers[0].resources = { requests: { cpu: '200m' } };
    expect(checkLimitRangeFit({ path: 't', objects: [d], limits })).toEqual([]);
    (d.spec as any).template.spec.containers[0].resources = { limits: { cpu: '2' } };
    expect(checkLimitRangeFit({ path: 't', objects: [d], limits })).toEqual([]);
    expect(
      tenantUsage({ objects: [d], limits })
        .get('requests.cpu')!
        .map((p) => p.amount),
    ).toEqual([2 * 2000]);
  });

  test('fails if a pod sets no limit under a Pod max, or requests less than a Pod min', () => {
    const limits: LimitRangeItem[] = [{ type: 'Pod', max: { cpu: '1' }, min: { memory: '64Mi' } }];
    expect(checkLimitRangeFit({ path: 't', objects: [bare], limits }).map((p) => `${p.field} ${p.value} ${p.expected}`)).toEqual([
      'limitRange.pod.max.cpu 1 requires a CPU limit on every container, but a container of Pod "debug" sets none: Kubernetes would reject its pods',
      'limitRange.pod.min.memory 64Mi requires a memory request on every container, but a container of Pod "debug" sets none: Kubernetes would reject its pods',
    ]);
    const small = [deployment('web', { memory: ['32Mi', '64Mi'] })];
    expect(checkLimitRangeFit({ path: 't', objects: small, limits: [{ type: 'Pod', min: { memory: '64Mi' } }] })[0].expected).toBe(
      'each pod of Deployment "web" requests 32Mi of memory, below it; Kubernetes would reject its pods: lower the min or raise the requests',
    );
  });

  test('fails if a container exceeds the limit/request ratio', () => {
    const limits: LimitRangeItem[] = [{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }];
    expect(
      checkLimitRangeFit({ path: 't', objects: [deployment('web', { cpu: ['100m', '500m'] })], limits }).map((p) => `${p.field} ${p.value} ${p.expected}`),
    ).toEqual([
      'limitRange.container.maxLimitRequestRatio.cpu 2 container "web" of Deployment "web" has a CPU limit/request ratio of 500m / 100m, above it; Kubernetes would reject its pods',
    ]);
  });
});
