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
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { WebApp } from '../../lib/workloads/web-app';
import { expectValidManifests, synthObjects } from '../support';
import { SMALL, tenant } from './helpers';

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

describe('prop validation', () => {
  const SUBDOMAIN =
    "must be a DNS-1123 subdomain: at most 253 characters of lower-case letters, digits, '-' and '.', each part starting and ending with a letter or digit";
  const LABEL = "must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit";

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
    // Polaris judges bindings to the built-in roles by their rules: edit and admin allow pods/exec.
    const why = 'this test grants the built-in edit/admin roles on purpose; both include pods/exec (AccessRole docs say so)';
    expectValidManifests(synthObjects(app), {
      polarisExempt: [
        { checkId: 'rolebindingClusterRolePodExecAttach', object: 'RoleBinding dev-ns/edit-group-dev-team', reason: why },
        { checkId: 'rolebindingClusterRolePodExecAttach', object: 'RoleBinding dev-ns/admin-user-alice', reason: why },
      ],
    });
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
