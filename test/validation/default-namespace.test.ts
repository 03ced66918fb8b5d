import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { validate } from '../../lib/validation/validate';

// A small "rendered" sample written for this test (not chart output): two releases as
// `helm template --namespace X` prints them, most objects without metadata.namespace.
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        serviceAccountName: name,
        automountServiceAccountToken: false,
        containers: [
          {
            name: 'main',
            image: 'registry.example/app:1.0.0',
            resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 8080 } },
            readinessProbe: { httpGet: { path: '/', port: 8080 } },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }],
            ...extra,
          },
        ],
        volumes: [{ name: 'cfg', configMap: { name: `${name}-cfg` } }],
      },
    },
  },
});
const docs = (...objects: unknown[]): string => objects.map((o) => stringify(o)).join('---\n');

let dir: string;
let alpha: string;
let beta: string;
beforeAll(() => {
  // Inside the checkout, so the CLI finds tsx and yaml as `npx cdk8s-paas` would.
  dir = fs.mkdtempSync(path.join(__dirname, '..', '..', '.cli-test-dns-'));
  fs.mkdirSync(path.join(dir, 'render'));
  alpha = path.join(dir, 'render', 'alpha.yaml');
  beta = path.join(dir, 'render', 'beta.yaml');
  fs.writeFileSync(
    path.join(dir, 'namespaces.yaml'),
    docs(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'alpha', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'beta', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } },
    ),
  );
  fs.writeFileSync(
    alpha,
    docs(
      pod('a'),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a-cfg' }, data: { x: '1' } },
      // Cluster-scoped: must stay without a namespace.
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'a-read' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'a:system:auth-delegator' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
        subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'alpha' }],
      },
      // Names its namespace, as charts do for objects in kube-system: it keeps it.
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'a-auth-reader', namespace: 'kube-system' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'a', namespace: 'alpha' }],
      },
    ),
  );
  // beta keeps its capabilities (baseline allows it; restricted wants them all dropped).
  fs.writeFileSync(
    beta,
    docs(
      pod('b', {
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          seccompProfile: { type: 'RuntimeDefault' },
        },
      }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'b' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b-cfg' }, data: { x: '1' } },
    ),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const errors = (r: ReturnType<typeof validate>) =>
  r.findings.filter((f) => f.severity === 'error' && !f.exemption).map((f) => `${f.id} ${f.kind} ${f.namespace}/${f.name}`);
const input = () => [path.join(dir, 'namespaces.yaml'), alpha, beta];

describe('defaultNamespace (helm template output)', () => {
  test('without it, namespace-less objects are judged where they stand: references are looked up in no namespace, the pods at the fallback level', () => {
    const r = validate(input(), { kubernetesVersions: ['1.35'] });
    expect(errors(r).filter((e) => e.startsWith('pod-security/'))).toEqual(['pod-security/capabilities Deployment null/b']);
  });

  test('per file: each release in its namespace, at its level; cluster-scoped kinds and objects naming a namespace keep theirs', () => {
    const r = validate(input(), { kubernetesVersions: ['1.35'], defaultNamespace: { [alpha]: 'alpha', [beta]: 'beta' } });
    expect(errors(r)).toEqual([]);
    const where = new Map(r.findings.map((f) => [`${f.kind}/${f.name}`, f.namespace]));
    expect(r.findings.filter((f) => f.name === 'b').every((f) => f.namespace === 'beta')).toBe(true);
    expect(where.get('ClusterRole/a-read') ?? null).toBeNull();
  });

  test('a folder path applies to every file below it; the longest matching path wins', () => {
    const r = validate(input(), { kubernetesVersions: ['1.35'], defaultNamespace: { [path.join(dir, 'render')]: 'beta', [alpha]: 'alpha' } });
    expect(errors(r)).toEqual([]);
    const one = validate(input(), { kubernetesVersions: ['1.35'], defaultNamespace: { [path.join(dir, 'render')]: 'alpha' } });
    // b is judged at restricted in alpha now, where kept capabilities are refused.
    expect(errors(one)).toEqual(['pod-security/capabilities Deployment alpha/b']);
  });

  test('one namespace for the whole input', () => {
    const r = validate([path.join(dir, 'namespaces.yaml'), beta], { kubernetesVersions: ['1.35'], defaultNamespace: 'beta' });
    expect(errors(r)).toEqual([]);
  });

  test('bad values are a clear input error', () => {
    expect(() => validate(input(), { defaultNamespace: 'Beta_1' })).toThrow(
      'validate(): defaultNamespace: "Beta_1" is invalid: expected a namespace name (lowercase RFC 1123 label, at most 63 characters)',
    );
    expect(() => validate(input(), { defaultNamespace: { [alpha]: '' } })).toThrow(
      `validate(): defaultNamespace[${JSON.stringify(alpha)}]: "" is invalid: expected a namespace name (lowercase RFC 1123 label, at most 63 characters)`,
    );
    expect(() => validate(input(), { defaultNamespace: 3 as unknown as string })).toThrow(
      'validate(): defaultNamespace: 3 is invalid: expected a namespace name or an object of input path → namespace',
    );
  });
});

describe('bootstrap roles', () => {
  test('a binding to system:auth-delegator or kube-system/extension-apiserver-authentication-reader refers to an existing, narrow role', () => {
    const r = validate([alpha], { kubernetesVersions: ['1.35'], defaultNamespace: 'alpha' });
    const rbac = r.findings.filter((f) => f.kind === 'RoleBinding' || f.kind === 'ClusterRoleBinding').map((f) => f.id);
    expect(rbac).toEqual([]);
  });

  test('a binding to an unknown Role in kube-system still fails', () => {
    const r = validate(
      [
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'x', namespace: 'kube-system' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-such-role' },
          subjects: [{ kind: 'User', name: 'u' }],
        },
      ],
      { kubernetesVersions: ['1.35'] },
    );
    expect(r.findings.map((f) => f.id)).toContain('references/role');
  });
});

describe('cdk8s-paas check --default-namespace', () => {
  const cli = path.resolve(__dirname, '..', '..', 'lib', 'validation', 'cli.ts');
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'check', ...args, '--kubernetes-version', '1.35'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.resolve(__dirname, '..', '..', 'node_modules') },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('PATH=NS per release file: exit 0', () => {
    const r = run([
      'namespaces.yaml',
      'render/alpha.yaml',
      'render/beta.yaml',
      '--default-namespace',
      'render/alpha.yaml=alpha',
      '--default-namespace=render/beta.yaml=beta',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('without it the pod of beta fails restricted: exit 1', () => {
    expect(run(['namespaces.yaml', 'render/beta.yaml']).code).toBe(1);
  });

  test('NS twice is a usage error', () => {
    const r = run(['render/beta.yaml', '--default-namespace', 'beta', '--default-namespace', 'alpha']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'cdk8s-paas check: --default-namespace NS is given twice or with PATH=NS: give one namespace, or PATH=NS for each input',
    );
  });
});
