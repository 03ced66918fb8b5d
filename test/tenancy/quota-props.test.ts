import { WebApp } from '../../lib/workloads/web-app';
import { AccessRole, Subject } from '../../lib/tenancy/access';
import { TenantNamespaceProps } from '../../lib/tenancy/tenant-namespace';
import { synthObjects } from '../support';
import { SMALL, tenant } from './helpers';

describe('quota and LimitRange', () => {
  /** The seeds' dev-qt and dev-limits, field for field. */
  const seeds: Partial<TenantNamespaceProps> = {
    quota: {
      name: 'dev-qt',
      requests: { cpu: '10', memory: '10Gi' },
      limits: { cpu: '10', memory: '20Gi' },
      storage: '100Gi',
      persistentVolumeClaims: 100,
      pods: 100,
      configMaps: 100,
      secrets: 100,
      services: 10,
      objectCounts: { 'jobs.batch': 1, 'cronjobs.batch': 1, 'deployments.apps': 1 },
    },
    limits: {
      name: 'dev-limits',
      container: { defaultRequest: { cpu: '200m', memory: '50Mi' }, defaultLimit: { cpu: '500m', memory: '100Mi' } },
      pod: { max: { cpu: '800m', memory: '200Mi' } },
    },
  };

  test("renders the seeds' dev-qt and dev-limits", () => {
    const { t } = tenant(seeds);
    const admin = t.adminChart.toJson();
    expect(admin.find((o: any) => o.kind === 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '10',
      'requests.memory': '10Gi',
      'limits.cpu': '10',
      'limits.memory': '20Gi',
      'requests.storage': '100Gi',
      persistentvolumeclaims: 100,
      pods: 100,
      configmaps: 100,
      secrets: 100,
      services: 10,
      'count/cronjobs.batch': 1,
      'count/deployments.apps': 1,
      'count/jobs.batch': 1,
    });
    expect(admin.find((o: any) => o.kind === 'LimitRange').spec.limits).toEqual([
      { type: 'Container', default: { cpu: '500m', memory: '100Mi' }, defaultRequest: { cpu: '200m', memory: '50Mi' } },
      { type: 'Pod', max: { cpu: '800m', memory: '200Mi' } },
    ]);
  });

  test("fails if two Deployments are placed in the seeds' dev-ns (count/deployments.apps: 1)", () => {
    const { app, t } = tenant(seeds);
    new WebApp(t, 'wordpress', { image: 'wordpress:6.6.2-php8.2-apache', resources: SMALL });
    new WebApp(t, 'nginx', { image: 'nginx:1.27.3', resources: SMALL });
    // This one error and no other: the rest of the seeds' quota and the pod max hold.
    expect(() => synthObjects(app)).toThrow(
      new Error(
        'Validation failed with the following errors:\n  [dev-ns] dev-ns: quota["count/deployments.apps"] 1 is invalid: the tenant needs 2 at worst case (Deployment "wordpress": 1, Deployment "nginx": 1); raise the quota or shrink what the tenant holds',
      ),
    );
  });

  test("fails if a pod's limits exceed the seeds' pod max (WebApp defaults: 256Mi memory limit)", () => {
    const { app, t } = tenant(seeds);
    new WebApp(t, 'web', { image: 'nginx:1.27.3' });
    expect(() => synthObjects(app)).toThrow(
      '[dev-ns] dev-ns: limitRange.pod.max.memory "200Mi" is invalid: each pod of Deployment "web" has memory limits of 256Mi, above it; Kubernetes would reject its pods: raise the max or lower the limits',
    );
  });

  test('fails if the worst case of an autoscaled WebApp (HPA max plus surge) exceeds the pods quota', () => {
    const { app, t } = tenant({ quota: { pods: 4 } });
    new WebApp(t, 'web', { image: 'nginx:1.27.3', resources: SMALL, autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    expect(() => synthObjects(app)).toThrow(
      'dev-ns: quota["pods"] 4 is invalid: the tenant needs 5 at worst case (Deployment "web": 5 (4 at HPA max + 1 surge)); raise the quota or shrink what the tenant holds',
    );
  });

  test('fails if the quota leaves no room for kube-root-ca.crt, which every namespace holds', () => {
    const { app } = tenant({ quota: { configMaps: 0, secrets: 0 } });
    expect(() => synthObjects(app)).toThrow(
      'dev-ns: quota["configmaps"] 0 is invalid: the tenant needs 1 at worst case (ConfigMap "kube-root-ca.crt" (created by Kubernetes in every namespace): 1); raise the quota or shrink what the tenant holds',
    );
  });

  test("counts the admin chart's namespaced objects: ServiceAccounts, Roles, RoleBindings", () => {
    const { app } = tenant({
      quota: { objectCounts: { 'rolebindings.rbac.authorization.k8s.io': 1, serviceaccounts: 1 } },
      grants: [{ subject: Subject.group('qa'), role: AccessRole.VIEW }],
    });
    expect(() => synthObjects(app)).toThrow(
      [
        '[dev-ns] dev-ns: quota["count/rolebindings.rbac.authorization.k8s.io"] 1 is invalid: the tenant needs 2 at worst case (RoleBinding "deployer-sa-deployer": 1, RoleBinding "view-group-qa": 1); raise the quota or shrink what the tenant holds',
        '  [dev-ns] dev-ns: quota["count/serviceaccounts"] 1 is invalid: the tenant needs 2 at worst case (ServiceAccount "default": 1, ServiceAccount "deployer": 1); raise the quota or shrink what the tenant holds',
      ].join('\n'),
    );
  });

  test('re-checks the fit when workloads are added after a first synth', () => {
    const { app, t } = tenant({ quota: { objectCounts: { 'deployments.apps': 1 } } });
    new WebApp(t, 'one', { image: 'nginx:1.27.3' });
    expect(() => synthObjects(app)).not.toThrow();
    new WebApp(t, 'two', { image: 'nginx:1.27.3' });
    expect(() => synthObjects(app)).toThrow('dev-ns: quota["count/deployments.apps"] 1 is invalid: the tenant needs 2 at worst case');
  });

  test('fails if quota quantities or counts are invalid, all at once', () => {
    expect(() => tenant({ quota: { requests: { cpu: '1.5Gi', memory: '128MB' }, pods: -1, objectCounts: { 'count/deployments.apps': 1 } } })).toThrow(
      [
        '4 problems:',
        '  - dev-ns: quota.requests.cpu "1.5Gi" is invalid: must be a positive CPU quantity in cores ("0.5", "2") or millicores ("100m") (that looks like a memory quantity; CPU is given in cores such as "0.5" or millicores such as "500m")',
        '  - dev-ns: quota.requests.memory "128MB" is invalid: must be a positive memory quantity such as "128Mi", "1Gi" or "500M" (did you mean "128Mi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
        '  - dev-ns: quota.pods -1 is invalid: must be an integer >= 0',
        '  - dev-ns: quota.objectCounts "count/deployments.apps" is invalid: must be "<resource>.<group>" (e.g. "deployments.apps") or "<resource>" for the core group (e.g. "services"), without "count/"',
      ].join('\n'),
    );
  });

  test('fails if the quota limits nothing', () => {
    expect(() => tenant({ quota: {} })).toThrow('dev-ns: quota {} is invalid: must limit at least one field; leave `quota` out for no ResourceQuota');
  });

  test('fails if LimitRange defaults and bounds contradict each other', () => {
    expect(() =>
      tenant({
        limits: {
          container: { defaultRequest: { cpu: '1' }, defaultLimit: { cpu: '500m' } },
          pod: { min: { memory: '1Gi' }, max: { memory: '512Mi' } },
          persistentVolumeClaim: { min: '10Gi', max: '1Gi' },
        },
      }),
    ).toThrow(
      [
        '3 problems:',
        '  - dev-ns: limits.container.defaultRequest.cpu "1" is invalid: must not exceed the default limit "500m"',
        '  - dev-ns: limits.pod.min.memory "1Gi" is invalid: must not exceed the max "512Mi"',
        '  - dev-ns: limits.persistentVolumeClaim.min "10Gi" is invalid: must not exceed the max "1Gi"',
      ].join('\n'),
    );
  });

  test('fails if the LimitRange sets nothing', () => {
    expect(() => tenant({ limits: {} })).toThrow(
      'dev-ns: limits {} is invalid: must set container, pod or persistentVolumeClaim; leave `limits` out for no LimitRange',
    );
  });
});

describe('prop validation', () => {
  const SUBDOMAIN =
    "must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit";

  test('fails if a StorageClass quota names an invalid class or size', () => {
    expect(() => tenant({ quota: { storageClasses: { NFS_Client: { claims: 1 }, nfs: { storage: '10GB' } } } })).toThrow(
      [
        '2 problems:',
        `  - dev-ns: quota.storageClasses "NFS_Client" is invalid: ${SUBDOMAIN}`,
        '  - dev-ns: quota.storageClasses["nfs"].storage "10GB" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi" (did you mean "10Gi"? Kubernetes spells binary units Ki, Mi, Gi without "B")',
      ].join('\n'),
    );
  });

  test('fails if the quota name is longer than 63 characters', () => {
    const name = 'q'.repeat(64);
    expect(() => tenant({ quota: { name, pods: 1 } })).toThrow(`dev-ns: quota.name "${name}" is invalid: must be at most 63 characters`);
  });

  test('fails if Container bounds contradict the defaults', () => {
    expect(() => tenant({ limits: { container: { min: { memory: '1Gi' }, max: { memory: '512Mi', cpu: '1' }, defaultLimit: { cpu: '2' } } } })).toThrow(
      [
        '2 problems:',
        '  - dev-ns: limits.container.min.memory "1Gi" is invalid: must not exceed the max "512Mi"',
        '  - dev-ns: limits.container.defaultLimit.cpu "2" is invalid: must not exceed the max "1"',
      ].join('\n'),
    );
  });

  test('fails if the min is above a default or the default request above the max, as the API server checks them', () => {
    expect(() =>
      tenant({ limits: { container: { min: { cpu: '1' }, defaultLimit: { cpu: '500m' }, defaultRequest: { memory: '2Gi' }, max: { memory: '1Gi' } } } }),
    ).toThrow(
      [
        '2 problems:',
        '  - dev-ns: limits.container.min.cpu "1" is invalid: must not exceed the default limit "500m"',
        '  - dev-ns: limits.container.defaultRequest.memory "2Gi" is invalid: must not exceed the max "1Gi"',
      ].join('\n'),
    );
    // One message per field: the min is compared with the default request first.
    expect(() => tenant({ limits: { container: { min: { cpu: '1' }, defaultRequest: { cpu: '200m' }, defaultLimit: { cpu: '500m' } } } })).toThrow(
      'dev-ns: limits.container.min.cpu "1" is invalid: must not exceed the default request "200m"',
    );
  });
});

describe('quota and limits shapes (plain JavaScript)', () => {
  test('unknown keys and wrong types in quota and limits are named, with the nearest known key', () => {
    expect(() =>
      tenant({ quota: { pod: 10, requests: { cpu: '2', mem: '1Gi' }, secrets: '5' }, limits: { container: { max: { cpu: 2 }, maximum: {} } } } as never),
    ).toThrow(
      [
        '4 problems:',
        '  - dev-ns: quota.requests.mem "1Gi" is invalid: is not a known field of ComputeAmounts (known: cpu, memory, ephemeralStorage)',
        '  - dev-ns: quota.secrets "5" is invalid: must be a number',
        '  - dev-ns: quota.pod 10 is invalid: is not a known field of TenantQuotaProps; did you mean "pods"?',
        '  - dev-ns: limits.container.maximum {} is invalid: is not a known field of ContainerLimitProps (known: defaultLimit, defaultRequest, max, min)',
      ].join('\n'),
    );
  });
});
