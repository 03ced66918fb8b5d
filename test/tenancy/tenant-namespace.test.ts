import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { platform } from '../../apps/platform.config';
import { WorkloadSecurity } from '../../lib/core/security';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { NetworkPeer } from '../../lib/networking/network-peer';
import { definePlatform } from '../../lib/platform-spec';
import { AccessRole, Subject } from '../../lib/tenancy/access';
import { TenantNamespace, TenantNamespaceProps } from '../../lib/tenancy/tenant-namespace';
import { WebApp } from '../../lib/workloads/web-app';
import { expectValidManifests, synthObjects } from '../support';

const SMALL = { cpu: { request: '100m', limit: '500m' }, memory: { request: '64Mi', limit: '128Mi' } };

function tenant(props: Partial<TenantNamespaceProps> = {}, id = 'dev-ns'): { app: App; t: TenantNamespace } {
  const app = Testing.app();
  const t = new TenantNamespace(app, id, { platform, ...props });
  return { app, t };
}

const kinds = (objects: any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe('TenantNamespace layout', () => {
  test('the tenant chart holds what the deployer applies, the admin chart what a cluster admin applies', () => {
    const { app, t } = tenant({ quota: { pods: 10 }, limits: { pod: { max: { cpu: '800m', memory: '200Mi' } } } });
    new WebApp(t, 'web', { image: 'nginx:1.27.3', resources: SMALL });
    const all = synthObjects(app);
    expectValidManifests(all);
    expect(kinds(t.toJson())).toEqual([
      'NetworkPolicy/default-deny',
      'NetworkPolicy/allow-dns',
      'Deployment/web',
      'Service/web',
      'PodDisruptionBudget/web',
      'NetworkPolicy/web',
    ]);
    expect(kinds(t.adminChart.toJson())).toEqual([
      'Namespace/dev-ns',
      'ResourceQuota/dev-ns-quota',
      'LimitRange/dev-ns-limits',
      'ServiceAccount/default',
      'ServiceAccount/deployer',
      'Role/deployer',
      'RoleBinding/deployer-sa-deployer',
    ]);
    expect(all.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === 'dev-ns')).toBe(true);
  });

  test('dist/ gets one file for the tenant and one for the cluster admin', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenant-'));
    const app = new App({ outdir });
    new TenantNamespace(app, 'dev-ns', { platform });
    app.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual(['dev-ns-admin.k8s.yaml', 'dev-ns.k8s.yaml']);
  });

  test('workloads created inside the tenant land in its namespace', () => {
    const { t } = tenant({ namespace: 'team-a' }, 'a');
    const web = new WebApp(t, 'web', { image: 'nginx:1.27.3' });
    expect(t.namespaceName).toBe('team-a');
    expect(web.namespace).toBe('team-a');
    expect(TenantNamespace.tenantOf(web)).toBe(t);
    expect(TenantNamespace.tenantOf(t.adminChart)).toBeUndefined();
  });

  test('the Namespace enforces, audits and warns restricted, pinned to v1.28', () => {
    const { t } = tenant();
    const ns = t.adminChart.toJson().find((o: any) => o.kind === 'Namespace');
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-paas',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
    expect(ns.metadata.namespace).toBeUndefined();
  });

  test('fails if created inside a Chart', () => {
    const app = Testing.app();
    const outer = new Chart(app, 'outer');
    expect(() => new TenantNamespace(outer, 't', { platform })).toThrow(
      'outer/t: scope "outer" is invalid: must not be inside a Chart: create the TenantNamespace directly in the App (nested charts become chart dependencies, which cdk8s expands pairwise)',
    );
  });

  test('fails if the namespace is not a DNS label', () => {
    expect(() => tenant({ namespace: 'Dev_NS' })).toThrow(
      `dev-ns: namespace "Dev_NS" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  });
});

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
  const LABEL = "must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit";

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

  test('fails if the deployer, a ServiceAccount or a policy gets an invalid name', () => {
    expect(() => tenant({ deployer: { name: 'CI' } })).toThrow(`dev-ns: deployer.name "CI" is invalid: ${LABEL}`);
    const { t } = tenant();
    expect(() => t.addServiceAccount('Worker')).toThrow(`dev-ns: serviceAccount "Worker" is invalid: ${LABEL}`);
    expect(() => t.allowIngress('From Batch', NetworkPeer.namespace('batch'))).toThrow(`dev-ns: allowIngress.name "From Batch" is invalid: ${LABEL}`);
    expect(() => t.allowEgress('to_db', NetworkPeer.cidr('10.0.0.0/8'))).toThrow(`dev-ns: allowEgress.name "to_db" is invalid: ${LABEL}`);
    expect(() => t.grant(Subject.user('bob'), AccessRole.VIEW, { name: 'Bob' })).toThrow(`dev-ns: grant.name "Bob" is invalid: ${SUBDOMAIN}`);
  });
});

describe('Pod Security', () => {
  const rootApp = (t: TenantNamespace) =>
    new WebApp(t, 'legacy', { image: 'legacy:1.0.0', security: WorkloadSecurity.optOut({ reason: 'image runs as root', runAsRoot: true }) });

  test('fails if a workload that opted out of restricted is placed in a restricted tenant', () => {
    const { app, t } = tenant();
    rootApp(t);
    expect(() => synthObjects(app)).toThrow(
      '[dev-ns] dev-ns/legacy: security "baseline" is invalid: is weaker than the Pod Security level "restricted" that namespace "dev-ns" enforces (opt-out reason: "image runs as root"): Kubernetes would reject its pods; run it restricted, or give the tenant podSecurity "baseline"',
    );
  });

  test('a baseline tenant accepts it and labels its namespace baseline', () => {
    const { app, t } = tenant({ podSecurity: 'baseline' });
    rootApp(t);
    const objects = synthObjects(app);
    expect(objects.find((o) => o.kind === 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('fails if the level is unknown', () => {
    expect(() => tenant({ podSecurity: 'strict' as any })).toThrow('dev-ns: podSecurity "strict" is invalid: must be "restricted", "baseline" or "privileged"');
  });
});

describe('network isolation', () => {
  const policy = (t: TenantNamespace, name: string) => t.toJson().find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === name);

  test('denies all ingress and egress by default and allows DNS to kube-dns on 53 UDP and TCP', () => {
    const { t } = tenant();
    expect(policy(t, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] });
    expect(policy(t, 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ],
    });
    expect(policy(t, 'allow-same-namespace')).toBeUndefined();
  });

  test('optionally allows all traffic inside the namespace, and can drop the defaults', () => {
    const { t } = tenant({ network: { allowSameNamespace: true, defaultDeny: false, allowDns: false } });
    expect(kinds(t.toJson())).toEqual(['NetworkPolicy/allow-same-namespace']);
    expect(policy(t, 'allow-same-namespace').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    });
  });

  test('allows named egress to a CIDR and ingress from a namespace', () => {
    const { app, t } = tenant();
    const web = new WebApp(t, 'web', { image: 'nginx:1.27.3' });
    t.allowEgress('to-legacy-db', NetworkPeer.cidr('10.0.5.0/24', ['10.0.5.1/32']), { from: web, ports: [{ port: 5432 }] });
    t.allowIngress('from-batch', NetworkPeer.namespace('batch'), { to: web, ports: [{ port: 'http' }] });
    expect(policy(t, 'to-legacy-db').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.5.0/24', except: ['10.0.5.1/32'] } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
    });
    expect(policy(t, 'from-batch').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
    expectValidManifests(synthObjects(app));
  });

  test('lets the monitoring namespace scrape a workload', () => {
    const { t } = tenant();
    const web = new WebApp(t, 'web', {
      image: 'nginx:1.27.3',
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'metrics', containerPort: 9113 },
      ],
    });
    t.allowMonitoring(web, [{ port: 9113 }]);
    expect(policy(t, 'web-from-monitoring').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9113, protocol: 'TCP' }] },
    ]);
  });

  test('fails if monitoring is allowed on no port', () => {
    const { t } = tenant();
    const web = new WebApp(t, 'web', { image: 'nginx:1.27.3' });
    expect(() => t.allowMonitoring(web, [])).toThrow('dev-ns: allowMonitoring.ports [] is invalid: must name at least one scraped port');
  });

  test('fails if two policies get the same name', () => {
    const { app, t } = tenant();
    t.allowEgress('out', NetworkPeer.cidr('10.0.0.0/8'));
    new TenantNamespace(app, 'other', { platform });
    expect(() => t.allowIngress('allow-dns', NetworkPeer.namespace('x'))).not.toThrow();
    expect(() => synthObjects(app)).toThrow(
      'dev-ns/Policy-allow-dns: name "allow-dns" is invalid: NetworkPolicy "allow-dns" already exists in namespace "dev-ns" (created by dev-ns/AllowDns); choose a unique name',
    );
  });
});

describe('cross-namespace access', () => {
  test('an ExternalName Service points at another tenant’s app and opens both sides', () => {
    const app = Testing.app();
    const middleware = new TenantNamespace(app, 'middleware', { platform });
    const business = new TenantNamespace(app, 'business', { platform });
    const api = new WebApp(middleware, 'api', { image: 'nginx:1.27.3' });
    const svc = business.linkService(api);
    expect(svc.toJson().spec).toEqual({ type: 'ExternalName', externalName: 'api.middleware.svc.cluster.local' });
    const egress = business.toJson().find((o: any) => o.metadata.name === 'to-middleware-api');
    expect(egress.spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'middleware' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
          },
        ],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    const ingress = middleware.toJson().find((o: any) => o.metadata.name === 'api-from-business');
    expect(ingress.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'business' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expectValidManifests(synthObjects(app));
  });

  test("named egress to another tenant's workload opens that tenant's side for the sending pods only", () => {
    const app = Testing.app();
    const middleware = new TenantNamespace(app, 'middleware', { platform });
    const business = new TenantNamespace(app, 'business', { platform });
    const api = new WebApp(middleware, 'api', { image: 'nginx:1.27.3' });
    const shop = new WebApp(business, 'shop', { image: 'nginx:1.27.3' });
    business.allowEgress('shop-to-api', NetworkPeer.workload(api), { from: shop, ports: [{ port: 8080 }] });
    const ingress = middleware.toJson().find((o: any) => o.metadata.name === 'api-from-business-shop');
    expect(ingress.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'business' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop' } },
            },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    });
    // Egress to a namespace or a CIDR, or to a workload of the same tenant, adds nothing elsewhere.
    const before = middleware.toJson().length;
    business.allowEgress('to-middleware', NetworkPeer.namespace('middleware'));
    business.allowEgress('to-self', NetworkPeer.workload(shop));
    expect(middleware.toJson().length).toBe(before);
    expect(business.toJson().filter((o: any) => o.metadata.name.startsWith('shop-from-'))).toEqual([]);
    expectValidManifests(synthObjects(app));
  });

  test('fails if the target lives in the same namespace', () => {
    const { t } = tenant();
    const api = new WebApp(t, 'api', { image: 'nginx:1.27.3' });
    expect(() => t.linkService(api)).toThrow(
      'dev-ns: linkService.target "dev-ns/api" is invalid: is already in namespace "dev-ns": use its Service "api" directly',
    );
  });

  test('fails if the target has no namespace', () => {
    const { app, t } = tenant();
    const api = new WebApp(new Chart(app, 'plain'), 'api', { image: 'nginx:1.27.3' });
    expect(() => t.linkService(api)).toThrow('dev-ns: linkService.target "plain/api" is invalid: must live in a chart with a namespace (a TenantNamespace)');
  });
});

describe("the tenant's file: what its deployer can apply", () => {
  test('fails if it holds a cluster-scoped object, an object of another namespace, or a kind the deployer may not create', () => {
    const { app, t } = tenant();
    new IngressGateway(t, 'gateway', { platform: definePlatform({ ingress: { controller: 'f5-nginx' } }) });
    new k8s.KubeConfigMap(t, 'Dashboards', { metadata: { name: 'dashboards', namespace: 'monitoring' } });
    new k8s.KubeSecret(t, 'Token', { metadata: { name: 'token' } });
    expect(() => synthObjects(app)).toThrow(
      new Error(
        [
          'Validation failed with the following errors:',
          `  [dev-ns] dev-ns/gateway/IngressClass: kind "IngressClass" is invalid: is cluster-scoped, and the tenant's file is applied with rights in namespace "dev-ns" only: create it in the tenant's adminChart or a cluster-level chart`,
          `  [dev-ns] dev-ns/Dashboards: metadata.namespace "monitoring" is invalid: is not the tenant's namespace "dev-ns", the only one its deployer may write to: create it in the chart of namespace "monitoring"`,
          `  [dev-ns] dev-ns/Token: kind "Secret" is invalid: cannot be created by the tenant's deployer ServiceAccount "deployer" (Role "deployer"), which applies this file: create it in the tenant's adminChart, or give the deployer a role that may create secrets`,
        ].join('\n'),
      ),
    );
  });

  test('a deployer bound to edit may apply Secrets but not Roles; without a deployer only scope and namespace are checked', () => {
    const withEdit = tenant({ deployer: { role: AccessRole.EDIT } });
    new k8s.KubeSecret(withEdit.t, 'Token', { metadata: { name: 'token' } });
    new k8s.KubeRole(withEdit.t, 'Reader', { metadata: { name: 'reader' } });
    expect(() => synthObjects(withEdit.app)).toThrow(
      new Error(
        `Validation failed with the following errors:\n  [dev-ns] dev-ns/Reader: kind "Role" is invalid: cannot be created by the tenant's deployer ServiceAccount "deployer" (ClusterRole "edit"), which applies this file: create it in the tenant's adminChart, or give the deployer a role that may create roles.rbac.authorization.k8s.io`,
      ),
    );
    const none = tenant({ deployer: false });
    new k8s.KubeRole(none.t, 'Reader', { metadata: { name: 'reader' } });
    expect(() => synthObjects(none.app)).not.toThrow();
  });
});

describe('access', () => {
  test('binds users, groups and ServiceAccounts to built-in and custom roles', () => {
    const { app, t } = tenant({ grants: [{ subject: Subject.group('dev-team'), role: AccessRole.EDIT }] });
    t.grant(Subject.user('alice'), AccessRole.ADMIN);
    t.grant(
      Subject.serviceAccount('runner', 'ci'),
      AccessRole.custom('read-logs', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]),
    );
    const admin = t.adminChart.toJson();
    const binding = (name: string) => admin.find((o: any) => o.kind === 'RoleBinding' && o.metadata.name === name);
    expect(binding('edit-group-dev-team')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'dev-team', apiGroup: 'rbac.authorization.k8s.io' }],
    });
    expect(binding('admin-user-alice').subjects).toEqual([{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }]);
    expect(binding('read-logs-sa-runner')).toMatchObject({
      roleRef: { kind: 'Role', name: 'read-logs' },
      subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'ci' }],
    });
    expect(admin.find((o: any) => o.kind === 'Role' && o.metadata.name === 'read-logs').rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
    ]);
    expectValidManifests(synthObjects(app));
  });

  test('the deployer can apply what tenant charts hold, but no Secrets, RBAC or exec', () => {
    const { t } = tenant();
    const role = t.adminChart.toJson().find((o: any) => o.kind === 'Role' && o.metadata.name === 'deployer');
    const resources = role.rules.flatMap((r: any) => r.resources);
    expect(resources).toEqual(expect.arrayContaining(['deployments', 'services', 'ingresses', 'networkpolicies', 'httproutes', 'servicemonitors']));
    expect(resources).not.toEqual(expect.arrayContaining(['secrets']));
    expect(resources.filter((r: string) => /exec|attach|roles|rolebindings|resourcequotas/.test(r))).toEqual([]);
    expect(t.deployerServiceAccountName).toBe('deployer');
  });

  test('the deployer can be bound to edit instead, or left out', () => {
    const edit = tenant({ deployer: { name: 'ci', role: AccessRole.EDIT } }).t;
    expect(kinds(edit.adminChart.toJson())).toContain('RoleBinding/edit-sa-ci');
    const none = tenant({ deployer: false }).t;
    expect(kinds(none.adminChart.toJson()).filter((k) => k.startsWith('Role'))).toEqual([]);
    expect(none.deployerServiceAccountName).toBeUndefined();
  });

  test('the registry pull secret is attached to the default and added ServiceAccounts, whose tokens are not mounted', () => {
    const { t } = tenant();
    t.addServiceAccount('worker');
    const sas = t.adminChart.toJson().filter((o: any) => o.kind === 'ServiceAccount');
    expect(sas.map((o: any) => [o.metadata.name, o.imagePullSecrets, o.automountServiceAccountToken])).toEqual([
      ['default', [{ name: 'harbor-pull' }], false],
      ['deployer', undefined, false],
      ['worker', [{ name: 'harbor-pull' }], false],
    ]);
  });

  test('fails if a workload runs as a ServiceAccount the tenant does not have; addServiceAccount() makes it pass', () => {
    const { app, t } = tenant();
    const web = new WebApp(t, 'worker', { image: 'harbor.test/team/worker:1.0.0', serviceAccountName: 'worker' });
    expect(() => synthObjects(app)).toThrow(
      '[dev-ns] dev-ns/worker: serviceAccountName "worker" is invalid: is not a ServiceAccount of namespace "dev-ns": Kubernetes would not create the pods; add it with addServiceAccount("worker") on the tenant, which also attaches the registry pull secret',
    );
    t.addServiceAccount('worker');
    const objects = synthObjects(app);
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === web.name).spec.template.spec.serviceAccountName).toBe('worker');
    expectValidManifests(objects);
  });

  test('without a registry in the platform no pull secret is attached', () => {
    const { t } = tenant({ platform: definePlatform({}) });
    expect(t.pullSecretName).toBeUndefined();
    expect(t.adminChart.toJson().find((o: any) => o.metadata.name === 'default').imagePullSecrets).toBeUndefined();
  });
});
