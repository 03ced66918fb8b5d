import { Chart, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { PaasValidationError } from '../../lib/core/errors';
import { IngressGateway } from '../../lib/networking/ingress-gateway';
import { RouteTls } from '../../lib/networking/route-options';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { referencesFamily } from '../../lib/validation/references';
import { validate } from '../../lib/validation/validate';
import { BatchJob } from '../../lib/workloads/batch-job';
import { EnvValue } from '../../lib/workloads/env';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { EnvFrom } from '../../lib/workloads/web-app-props';
import { synthObjects } from '../support';

/** The references family over a chart's output: errors as `id target`, prerequisites as `Kind/name: reason (by)`. */
function references(chart: Chart) {
  const r = validate(synthObjects(chart), { families: [referencesFamily] });
  return {
    errors: r.findings.map((f) => `${f.id} ${f.kind}/${f.name} ${f.path}`),
    prerequisites: r.summary.prerequisites.map((p) => `${p.kind}/${p.name}: ${p.reason} (${p.referencedBy.join(', ')})`),
  };
}
const chart = () => new Chart(Testing.app(), 'c', { namespace: 'shop' });
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof PaasValidationError) return e.problems.map((p) => `${p.field}: ${p.expected}`);
    throw e;
  }
  return [];
};
const EMPTY = 'must say who creates it outside this output, e.g. "synced by external-secrets from Vault" (a non-empty reason)';

describe('created-outside declarations on the constructs that reference an object', () => {
  test('WebApp: env, envFrom, mountSecret and imagePullSecrets declared outside are prerequisites, undeclared ones errors', () => {
    const c = chart();
    const web = new WebApp(c, 'web', {
      image: 'nginx:1.27.3',
      env: {
        DB_PASSWORD: EnvValue.fromSecret('db', 'password', { createdOutside: 'synced by external-secrets' }),
        MODE: EnvValue.fromConfigMap('settings', 'mode', { createdOutside: 'written by the config operator' }),
        PLAIN: EnvValue.fromConfigMap('other', 'x'),
        OPTIONAL: EnvValue.fromSecret('maybe', 'x', { optional: true }),
      },
      envFrom: [
        EnvFrom.secret('api-keys', 'API_', { createdOutside: 'sealed-secrets' }),
        EnvFrom.configMap('flags', undefined, { createdOutside: 'the flags team' }),
      ],
      imagePullSecrets: ['harbor'],
      imagePullSecretsCreatedOutside: 'copied into every namespace by the registry operator',
    });
    web.mountSecret('tls-files', '/etc/tls', { createdOutside: 'issued by the cluster CA' });
    web.mountSecret('undeclared', '/etc/other');
    expect(references(c)).toEqual({
      errors: [
        'references/configmap Deployment/web spec.template.spec.containers[0].env[3].valueFrom.configMapKeyRef.name',
        'references/secret Deployment/web spec.template.spec.volumes[2].secret.secretName',
      ],
      prerequisites: [
        'ConfigMap/flags: the flags team (Deployment shop/web)',
        'ConfigMap/settings: written by the config operator (Deployment shop/web)',
        'Secret/api-keys: sealed-secrets (Deployment shop/web)',
        'Secret/db: synced by external-secrets (Deployment shop/web)',
        'Secret/harbor: copied into every namespace by the registry operator (Deployment shop/web)',
        'Secret/tls-files: issued by the cluster CA (Deployment shop/web)',
      ],
    });
    const deployment = synthObjects(c).find((o) => o.kind === 'Deployment');
    expect(JSON.parse(deployment.metadata.annotations['paas.cdk8s.io/created-outside'])).toEqual({
      'ConfigMap/flags': 'the flags team',
      'ConfigMap/settings': 'written by the config operator',
      'Secret/api-keys': 'sealed-secrets',
      'Secret/db': 'synced by external-secrets',
      'Secret/harbor': 'copied into every namespace by the registry operator',
      'Secret/tls-files': 'issued by the cluster CA',
    });
  });

  test('RouteTls.fromSecret: the Ingress carries the declaration', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const gateway = new IngressGateway(cluster, 'gateway', { platform });
    const web = new WebApp(c, 'web', { image: 'nginx:1.27.3' });
    gateway.route(web, { host: 'shop.test', tls: RouteTls.fromSecret('shop-tls', { createdOutside: 'issued by the cluster wildcard Certificate' }) });
    gateway.route(web, { host: 'admin.shop.test', tls: RouteTls.fromSecret('admin-tls') });
    const r = references(c);
    expect(r.prerequisites).toEqual([expect.stringMatching(/^Secret\/shop-tls: issued by the cluster wildcard Certificate \(Ingress shop\/.+\)$/)]);
    expect(r.errors.filter((e) => e.startsWith('references/secret'))).toEqual([
      expect.stringMatching(/^references\/secret Ingress\/.+ spec\.tls\[0\]\.secretName$/),
    ]);
  });

  test('StatefulStore credentials and BatchJob env declared outside', () => {
    const app = Testing.app();
    const nfs = NfsStorage.fromPlatform(new Chart(app, 'cluster'), 'nfs', platform);
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new StatefulStore(c, 'db', {
      engine: StoreEngine.mariadb(),
      storage: nfs.storageClass,
      credentials: { secretName: 'db-credentials', createdOutside: 'synced by external-secrets from Vault shop/db' },
    });
    new BatchJob(c, 'migrate', { image: 'nginx:1.27.3', env: { TOKEN: EnvValue.fromSecret('migrate-token', 'token', { createdOutside: 'the CI pipeline' }) } });
    const r = references(c);
    // The StorageClass is the NFS chart's, not in this chart's output: only the Secrets matter here.
    expect(r.errors.filter((e) => !e.startsWith('references/storageclass'))).toEqual([]);
    expect(r.prerequisites).toEqual([
      'Secret/db-credentials: synced by external-secrets from Vault shop/db (StatefulSet shop/db)',
      'Secret/migrate-token: the CI pipeline (Job shop/migrate)',
    ]);
  });

  test("a store's created-outside credentials stay declared on everything that reads them: connect(), credential files, backups, jobs connected after construction", () => {
    const app = Testing.app();
    const nfs = NfsStorage.fromPlatform(new Chart(app, 'cluster'), 'nfs', platform);
    const c = new Chart(app, 'c', { namespace: 'shop' });
    const db = new StatefulStore(c, 'db', {
      engine: StoreEngine.mariadb(),
      storage: nfs.storageClass,
      credentials: { secretName: 'db-credentials', createdOutside: 'synced by external-secrets from Vault shop/db' },
    });
    db.connect(new WebApp(c, 'web', { image: 'nginx:1.27.3' }));
    db.connect(new WebApp(c, 'files', { image: 'nginx:1.27.3' }), { credentialFiles: true });
    // connect() adds env to a job that already exists: the Job's declaration follows.
    db.connect(new BatchJob(c, 'report', { image: 'nginx:1.27.3' }));
    db.backup({ schedule: '0 3 * * *', to: nfs.claim(c, 'dumps', { size: '5Gi', accessModes: ['ReadWriteMany'] }) });
    const r = references(c);
    expect(r.errors.filter((e) => !e.startsWith('references/storageclass'))).toEqual([]);
    expect(r.prerequisites).toEqual([
      'Secret/db-credentials: synced by external-secrets from Vault shop/db (CronJob shop/db-backup, Deployment shop/files, Deployment shop/web, Job shop/report, StatefulSet shop/db)',
    ]);
  });

  test('PodWorkload.mountSecret declares a Secret created outside, also after construction', () => {
    const c = chart();
    const job = new BatchJob(c, 'job', { image: 'nginx:1.27.3' });
    job.mountSecret('certs', '/etc/certs', { createdOutside: 'issued by the cluster CA' });
    job.mountSecret('other', '/etc/other');
    const r = references(c);
    expect(r.errors).toEqual(['references/secret Job/job spec.template.spec.volumes[2].secret.secretName']);
    expect(r.prerequisites).toEqual(['Secret/certs: issued by the cluster CA (Job shop/job)']);
  });

  test('an empty reason is an error, wherever it is given', () => {
    expect(problemsOf(() => RouteTls.fromSecret('tls', { createdOutside: ' ' }))).toEqual([`createdOutside: ${EMPTY}`]);
    expect(problemsOf(() => EnvValue.fromSecret('db', 'password', { createdOutside: '' }))).toEqual([`optional.createdOutside: ${EMPTY}`]);
    expect(problemsOf(() => EnvFrom.configMap('flags', undefined, { createdOutside: '' }))).toEqual([`createdOutside: ${EMPTY}`]);
    expect(problemsOf(() => new WebApp(chart(), 'web', { image: 'nginx:1.27.3' }).mountSecret('s', '/s', { createdOutside: '' }))).toEqual([
      `createdOutside: ${EMPTY}`,
    ]);
    expect(problemsOf(() => new WebApp(chart(), 'web', { image: 'nginx:1.27.3', imagePullSecrets: ['h'], imagePullSecretsCreatedOutside: '' }))).toEqual([
      `imagePullSecretsCreatedOutside: ${EMPTY}`,
    ]);
    const nfs = NfsStorage.fromPlatform(new Chart(Testing.app(), 'cluster'), 'nfs', platform);
    expect(
      problemsOf(
        () =>
          new StatefulStore(chart(), 'db', { engine: StoreEngine.mariadb(), storage: nfs.storageClass, credentials: { secretName: 'x', createdOutside: '' } }),
      ),
    ).toEqual([`credentials.createdOutside: ${EMPTY}`]);
    expect(problemsOf(() => RouteTls.fromSecret('tls', { createdOutsde: 'x' } as never))).toEqual([
      'createdOutsde: is not a known field of CreatedOutsideOptions; did you mean "createdOutside"?',
    ]);
  });
});
