import { podSecurityFamily, podTemplateOf, withoutNulls } from '../../lib/validation/pod-security';
import type { CheckContext, Manifest, PodSecurityLevel, RawFinding } from '../../lib/validation/types';

const ctx = (objects: Manifest[], level: PodSecurityLevel = 'restricted', namespaces: [string, PodSecurityLevel][] = []): CheckContext => ({
  objects: objects.map((manifest) => ({ manifest, origin: {} })),
  kubernetesVersions: ['1.28'],
  podSecurityLevel: level,
  namespaceLevels: new Map(namespaces),
  customResourceDefinitions: [],
});
const brief = (fs: RawFinding[]): string[] => fs.map((f) => `${f.objectIndex} ${f.id} ${f.path}${f.container ? ` [${f.container}]` : ''}`);

const pod = (namespace: string, sc: Manifest | null): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace },
  spec: { template: { metadata: {}, spec: { containers: [{ name: 'main', image: 'nginx:1.27.3', securityContext: sc }] } } },
});
const hardened = { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };

describe('podSecurityFamily', () => {
  test('reports each control with its id, the field path in the object and the container', () => {
    expect(brief(podSecurityFamily(ctx([pod('shop', { ...hardened, privileged: true, allowPrivilegeEscalation: null })])))).toEqual([
      '0 pod-security/privileged spec.template.spec.containers[0].securityContext.privileged [main]',
      '0 pod-security/allowPrivilegeEscalation spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation [main]',
    ]);
  });

  test('judges each pod at its namespace level, else at the default level', () => {
    const objects = [pod('legacy', { privileged: true }), pod('tools', null), pod('shop', null)];
    const found = podSecurityFamily(
      ctx(objects, 'restricted', [
        ['legacy', 'privileged'],
        ['tools', 'baseline'],
      ]),
    );
    expect([...new Set(found.map((f) => f.objectIndex))]).toEqual([2]);
    expect(brief(podSecurityFamily(ctx([pod('tools', { privileged: true })], 'restricted', [['tools', 'baseline']])))).toEqual([
      '0 pod-security/privileged spec.template.spec.containers[0].securityContext.privileged [main]',
    ]);
  });

  test('treats null as unset: securityContext: null is a missing context, capabilities.add: null adds nothing', () => {
    expect(podSecurityFamily(ctx([pod('shop', { ...hardened, capabilities: { drop: ['ALL'], add: null } })]))).toEqual([]);
    expect(brief(podSecurityFamily(ctx([pod('shop', null)])))).toEqual([
      '0 pod-security/capabilities spec.template.spec.containers[0].securityContext.capabilities.drop [main]',
      '0 pod-security/allowPrivilegeEscalation spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation [main]',
      '0 pod-security/runAsNonRoot spec.template.spec.containers[0].securityContext.runAsNonRoot [main]',
      '0 pod-security/seccomp spec.template.spec.containers[0].securityContext.seccompProfile.type [main]',
    ]);
  });

  test('reports an opted-out object like any other (the front end turns the annotation into an exemption)', () => {
    const d = pod('shop', { ...hardened, runAsUser: 0 });
    d.metadata.annotations = { 'paas.cdk8s.io/pod-security-opt-out': 'vendor image runs as root' };
    expect(brief(podSecurityFamily(ctx([d])))).toEqual(['0 pod-security/runAsUser spec.template.spec.containers[0].securityContext.runAsUser [main]']);
  });

  test('finds the pod template of CronJobs and bare Pods, and paths point into it', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'shop' },
      spec: { jobTemplate: { spec: { template: pod('shop', hardened).spec.template } } },
    };
    const bare = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'shop' },
      spec: { hostNetwork: true, containers: [{ name: 'main', image: 'x:1', securityContext: hardened }] },
    };
    expect(brief(podSecurityFamily(ctx([cron, bare])))).toEqual(['1 pod-security/hostNamespaces spec.hostNetwork']);
    expect(podTemplateOf(cron)?.specPath).toBe('spec.jobTemplate.spec.template.spec');
  });

  test('bad shapes are findings or nothing, never a crash', () => {
    const odd: Manifest[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: { name: 'main' } } } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'y' }, spec: { template: 'nope' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: null, spec: null },
    ];
    expect(() => podSecurityFamily(ctx(odd))).not.toThrow();
  });

  test('withoutNulls copies only what holds a null', () => {
    const clean = { a: { b: [1, { c: 2 }] } };
    expect(withoutNulls(clean)).toBe(clean);
    const dirty = { a: { b: null, c: [null, { d: null }] }, e: clean };
    const out = withoutNulls(dirty);
    expect(out).toEqual({ a: { c: [null, {}] }, e: clean });
    expect(out.e).toBe(clean);
    expect(dirty.a.b).toBeNull();
  });
});
