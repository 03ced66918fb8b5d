import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { objectsFromCdktfOut } from '../../lib/validation/namespace-levels';
import { referencesFamily } from '../../lib/validation/references';
import { validate } from '../../lib/validation/validate';

const pod = (spec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27.3' }], ...spec },
});
const opts = { families: [referencesFamily] };
const ids = (objects: unknown[], o: object = {}) => validate(objects, { ...opts, ...o }).findings.map((f) => `${f.id} ${f.path}`);

describe('references/…', () => {
  test('every kind of pod reference to a missing object is an error, once per object referenced', () => {
    const p = pod({
      serviceAccountName: 'robot',
      priorityClassName: 'high',
      imagePullSecrets: [{ name: 'pull' }],
      volumes: [
        { name: 'a', secret: { secretName: 'tls' } },
        { name: 'b', configMap: { name: 'cfg' } },
        { name: 'c', persistentVolumeClaim: { claimName: 'data' } },
        { name: 'd', secret: { secretName: 'maybe', optional: true } },
      ],
      containers: [
        {
          name: 'main',
          image: 'nginx:1.27.3',
          env: [
            { name: 'A', valueFrom: { secretKeyRef: { name: 'creds', key: 'a' } } },
            { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'b' } } },
          ],
          envFrom: [{ configMapRef: { name: 'env' } }],
        },
      ],
    });
    expect(ids([p])).toEqual([
      // Sorted by id, then path; one finding per missing object and referencing object.
      'references/configmap spec.containers[0].envFrom[0].configMapRef.name',
      'references/configmap spec.volumes[1].configMap.name',
      'references/persistentvolumeclaim spec.volumes[2].persistentVolumeClaim.claimName',
      'references/priorityclass spec.priorityClassName',
      'references/secret spec.containers[0].env[0].valueFrom.secretKeyRef.name',
      'references/secret spec.imagePullSecrets[0].name',
      'references/secret spec.volumes[0].secret.secretName',
      'references/serviceaccount spec.serviceAccountName',
    ]);
    expect(validate([p], opts).findings.find((f) => f.id === 'references/serviceaccount')!.message).toBe(
      'ServiceAccount "robot" in namespace "shop" is referenced but not created by the input: create it, or declare it created outside (annotation paas.cdk8s.io/created-outside or createdOutside in paas-checks.yaml) with who creates it',
    );
  });

  test('what Kubernetes and controllers create counts as created', () => {
    const cert = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'c', namespace: 'shop' },
      spec: { secretName: 'issued', issuerRef: { kind: 'ClusterIssuer', name: 'le' } },
    };
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' }, spec: {} };
    const p = pod({
      serviceAccountName: 'default',
      priorityClassName: 'system-cluster-critical',
      volumes: [
        { name: 'a', secret: { secretName: 'issued' } },
        { name: 'b', configMap: { name: 'kube-root-ca.crt' } },
      ],
    });
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'b', namespace: 'shop' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'default' }],
    };
    expect(ids([cert, issuer, p, binding])).toEqual([]);
  });

  test('Ingress, HTTPRoute, Gateway, claims, StatefulSet templates, bindings and Certificates', () => {
    const objects = [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'i', namespace: 'shop' },
        spec: { ingressClassName: 'nginx', tls: [{ secretName: 'i-tls' }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r', namespace: 'shop' },
        spec: { parentRefs: [{ name: 'gw', namespace: 'edge' }] },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'g', namespace: 'shop' },
        spec: { gatewayClassName: 'traefik', listeners: [{ name: 'https', tls: { certificateRefs: [{ name: 'g-tls' }] } }] },
      },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'shop' }, spec: { storageClassName: 'fast' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'static', namespace: 'shop' }, spec: { storageClassName: '' } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'shop' },
        roleRef: { kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ci' }],
      },
      {
        apiVersion: 'cert-manager.io/v1',
        kind: 'Certificate',
        metadata: { name: 'cert', namespace: 'shop' },
        spec: { secretName: 's', issuerRef: { name: 'ca' } },
      },
    ];
    expect(validate(objects, opts).findings.map((f) => `${f.kind}/${f.name} ${f.id}: ${f.message.split(' is referenced')[0]}`)).toEqual([
      'Ingress/i references/ingressclass: IngressClass "nginx"',
      'Ingress/i references/secret: Secret "i-tls" in namespace "shop"',
      'HTTPRoute/r references/gateway: Gateway "gw" in namespace "edge"',
      'Gateway/g references/gatewayclass: GatewayClass "traefik"',
      'Gateway/g references/secret: Secret "g-tls" in namespace "shop"',
      'PersistentVolumeClaim/c references/storageclass: StorageClass "fast"',
      'RoleBinding/b references/role: Role "reader" in namespace "shop"',
      'RoleBinding/b references/serviceaccount: ServiceAccount "bot" in namespace "ci"',
      'Certificate/cert references/issuer: Issuer "ca" in namespace "shop"',
    ]);
  });

  test('a reference declared created outside is a prerequisite, not an error (annotation or policy)', () => {
    const p = pod(
      { volumes: [{ name: 'a', secret: { secretName: 'tls' } }], serviceAccountName: 'robot' },
      { 'paas.cdk8s.io/created-outside': JSON.stringify({ 'Secret/tls': 'issued by the cluster wildcard Certificate' }) },
    );
    const r = validate([p], {
      ...opts,
      config: { createdOutside: [{ kind: 'ServiceAccount', namespace: 'shop', name: 'robot', reason: 'created by the tenant bootstrap' }] },
    });
    expect(r.findings).toEqual([]);
    expect(r.summary.errors).toBe(0);
    expect(r.summary.prerequisites).toEqual([
      {
        kind: 'Secret',
        namespace: 'shop',
        name: 'tls',
        reason: 'issued by the cluster wildcard Certificate',
        source: 'paas.cdk8s.io/created-outside',
        referencedBy: ['Pod shop/p'],
      },
      { kind: 'ServiceAccount', namespace: 'shop', name: 'robot', reason: 'created by the tenant bootstrap', source: 'config', referencedBy: ['Pod shop/p'] },
    ]);
  });

  test('a malformed created-outside annotation declares nothing', () => {
    const p = pod({ volumes: [{ name: 'a', secret: { secretName: 'tls' } }] }, { 'paas.cdk8s.io/created-outside': 'Secret/tls' });
    expect(ids([p])).toEqual(['references/secret spec.volumes[0].secret.secretName']);
  });

  test('references inside odd shapes (volumes as an object, env as a string) are skipped, not a crash', () => {
    expect(ids([pod({ volumes: { a: 1 }, containers: [{ name: 'm', env: 'X=1', envFrom: [null] }], imagePullSecrets: 'pull' })])).toEqual([]);
  });
});

describe('what the platform stack creates (a cdktf output)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-refs-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const stack = (name: string, resource: Record<string, unknown>) => {
    fs.mkdirSync(path.join(tmp, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'stacks', name, 'cdk.tf.json'), JSON.stringify({ resource }));
  };
  stack('platform', {
    helm_release: {
      ingress: { chart: 'ingress-nginx', namespace: 'ingress-nginx', values: ['controller:\n  ingressClassResource:\n    name: public\n'] },
      nfs: { chart: 'nfs-subdir-external-provisioner', namespace: 'nfs', values: [] },
      certs: {
        chart: 'cert-manager',
        namespace: 'cert-manager',
        values: ['extraObjects:\n  - |\n    apiVersion: cert-manager.io/v1\n    kind: ClusterIssuer\n    metadata:\n      name: platform-ca\n'],
      },
      traefik: { chart: 'traefik', namespace: 'traefik', values: ['gateway:\n  name: edge\n', 'gatewayClass:\n  name: traefik\n'] },
    },
    kubernetes_manifest: { gc: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: 'shop' } } } },
  });
  stack('credentials', {
    kubernetes_secret_v1: { db: { metadata: { name: 'db', namespace: 'shop' } }, later: { metadata: { name: '${var.name}', namespace: 'shop' } } },
  });

  test('objectsFromCdktfOut: typed resources, kubernetes_manifest and the catalog charts (values merged in order)', () => {
    expect(objectsFromCdktfOut(tmp)).toEqual([
      { kind: 'Secret', name: 'db', namespace: 'shop' },
      { kind: 'IngressClass', name: 'public' },
      { kind: 'StorageClass', name: 'nfs-client' },
      { kind: 'ClusterIssuer', name: 'platform-ca', namespace: 'cert-manager' },
      { kind: 'Gateway', name: 'edge', namespace: 'traefik' },
      { kind: 'GatewayClass', name: 'traefik' },
      { kind: 'ConfigMap', name: 'shared', namespace: 'shop' },
    ]);
  });

  test('references to them are satisfied; others still fail', () => {
    const objects = [
      pod({
        volumes: [
          { name: 'a', secret: { secretName: 'db' } },
          { name: 'b', configMap: { name: 'shared' } },
          { name: 'c', secret: { secretName: 'other' } },
        ],
      }),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'i', namespace: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'platform-ca' } },
        spec: { ingressClassName: 'public' },
      },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r', namespace: 'shop' },
        spec: { parentRefs: [{ name: 'edge', namespace: 'traefik' }] },
      },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'shop' }, spec: { storageClassName: 'nfs-client' } },
    ];
    expect(ids(objects, { cdktfOut: tmp })).toEqual(['references/secret spec.volumes[2].secret.secretName']);
  });

  test('a claim naming the storageClassName of a PersistentVolume in the input binds statically', () => {
    const pv = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv' },
      spec: { storageClassName: 'static-nfs', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteMany'], nfs: { server: 'x', path: '/' } },
    };
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'shop' }, spec: { storageClassName: 'static-nfs' } };
    expect(ids([pv, pvc])).toEqual([]);
    expect(ids([pvc])).toEqual(['references/storageclass spec.storageClassName']);
  });
});
