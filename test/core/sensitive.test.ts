import { Chart, Testing } from 'cdk8s';
import { holdsPrivateKey, NOT_SECRET_ANNOTATION, NOT_SECRET_REASON_ANNOTATION, sensitiveNameReason } from '../../lib/core/sensitive';
import { StorageClassHandle } from '../../lib/storage/types';
import { BatchJob } from '../../lib/workloads/batch-job';
import { EnvValue } from '../../lib/workloads/env';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----';
const FIX = 'use EnvValue.fromSecret("<secret>", "<key>") with the value in a Secret created outside';
const MARK = 'if it is not one, say so with EnvValue.notSecret(value, { reason })';

// Polaris sensitiveContainerEnvVar / sensitiveConfigmapContent, case-insensitive.
describe('the sensitive-name rule (Polaris)', () => {
  test.each([
    ['DB_PASSWORD', 'its name contains "password"'],
    ['github_token', 'its name contains "token"'],
    ['AUTH_BEARER', 'its name contains "bearer"'],
    ['ClientSecret', 'its name contains "secret"'],
    ['aws_secret_access_key', 'its name is AWS_SECRET_ACCESS_KEY'],
    ['GOOGLE_APPLICATION_CREDENTIALS', 'its name is GOOGLE_APPLICATION_CREDENTIALS'],
    ['oci_cli_key_content', 'its name is OCI_CLI_KEY_CONTENT'],
    ['AZURE_STORAGE_KEY', 'its name matches AZURE_.+KEY'],
  ])('%s looks sensitive: %s', (name, why) => {
    expect(sensitiveNameReason(name)).toBe(why);
  });

  test.each(['DB_HOST', 'AZURE_KEY', 'PASSWD', 'GOOGLE_APPLICATION_CREDENTIALS_PATH', 'AWS_ACCESS_KEY_ID'])('%s does not', (name) => {
    expect(sensitiveNameReason(name)).toBeUndefined();
  });

  test('private key blocks, any variant', () => {
    expect(holdsPrivateKey(PEM)).toBe(true);
    expect(holdsPrivateKey('x -BEGIN OPENSSH PRIVATE KEY- y')).toBe(true);
    expect(holdsPrivateKey('-----BEGIN CERTIFICATE-----')).toBe(false);
    expect(holdsPrivateKey(42)).toBe(false);
  });
});

describe('WebApp and StatefulStore: literal env values that look like secrets', () => {
  const app = (env: Record<string, EnvValue>) => new WebApp(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'web', { image: 'nginx:1.27.3', env });

  test('fails if a literal sits under a sensitive name, without showing the value', () => {
    expect(() => app({ DB_PASSWORD: EnvValue.value('hunter2') })).toThrow(
      `c/web: env.DB_PASSWORD "<redacted>" is invalid: looks like a secret (its name contains "password") and would be written into dist/ in clear text: ${FIX}; ${MARK}`,
    );
    expect(() => app({ AWS_SECRET_ACCESS_KEY: EnvValue.value('x') })).toThrow('looks like a secret (its name is AWS_SECRET_ACCESS_KEY)');
  });

  test('fails if a literal holds a private key, even marked not secret', () => {
    const why = `holds a private key block, which would be written into dist/ in clear text (and cannot be marked not secret): ${FIX}`;
    expect(() => app({ TLS_KEY: EnvValue.value(PEM) })).toThrow(`c/web: env.TLS_KEY "<redacted>" is invalid: ${why}`);
    expect(() => app({ TLS_KEY: EnvValue.notSecret(PEM, { reason: 'test key' }) })).toThrow(`c/web: env.TLS_KEY "<redacted>" is invalid: ${why}`);
  });

  test('a Secret reference under a sensitive name is what we want', () => {
    expect(() => app({ DB_PASSWORD: EnvValue.fromSecret('db', 'password') })).not.toThrow();
  });

  test('notSecret: accepted with a reason and written onto the Deployment as a JSON list of names', () => {
    const web = app({
      DB_PASSWORD_FILE: EnvValue.notSecret('/run/secrets/db/password', { reason: 'a path to the mounted Secret' }),
      API_TOKEN_URL: EnvValue.notSecret('https://auth.test/token', { reason: 'an endpoint' }),
    });
    const dep = Testing.synth(Chart.of(web)).find((o) => o.kind === 'Deployment');
    expect(dep.metadata.annotations[NOT_SECRET_ANNOTATION]).toBe('["API_TOKEN_URL","DB_PASSWORD_FILE"]');
    expect(NOT_SECRET_ANNOTATION).toBe('paas.cdk8s.io/not-secret');
    expect(JSON.parse(dep.metadata.annotations[NOT_SECRET_REASON_ANNOTATION])).toEqual({
      API_TOKEN_URL: 'an endpoint',
      DB_PASSWORD_FILE: 'a path to the mounted Secret',
    });
    expect(dep.spec.template.spec.containers[0].env).toContainEqual({ name: 'DB_PASSWORD_FILE', value: '/run/secrets/db/password' });
  });

  test('fails if notSecret has no reason, or marks a name that does not look sensitive', () => {
    expect(() => app({ DB_PASSWORD_FILE: EnvValue.notSecret('/x', { reason: ' ' }) })).toThrow(
      'c/web: env.DB_PASSWORD_FILE "<redacted>" is invalid: is marked not secret without a reason: say why (it is written onto the object)',
    );
    expect(() => app({ DB_HOST: EnvValue.notSecret('db', { reason: 'host' }) })).toThrow(
      'c/web: env.DB_HOST "<redacted>" is invalid: is marked not secret, but its name does not look sensitive: use EnvValue.value()',
    );
  });

  test('StatefulStore: the same rule for its env, the mark on the StatefulSet', () => {
    const store = (env: Record<string, EnvValue>) =>
      new StatefulStore(new Chart(Testing.app(), 'c', { namespace: 'shop' }), 'db', {
        engine: StoreEngine.redis(),
        storage: StorageClassHandle.fromName('nfs-client'),
        env,
      });
    expect(() => store({ REDIS_PASSWORD: EnvValue.value('x') })).toThrow(
      `c/db: env.REDIS_PASSWORD "<redacted>" is invalid: looks like a secret (its name contains "password") and would be written into dist/ in clear text: ${FIX}; ${MARK}`,
    );
    const ok = store({ REDIS_PASSWORD_PATH: EnvValue.notSecret('/run/x', { reason: 'a path' }) });
    const sts = Testing.synth(Chart.of(ok)).find((o) => o.kind === 'StatefulSet');
    expect(sts.metadata.annotations[NOT_SECRET_ANNOTATION]).toBe('["REDIS_PASSWORD_PATH"]');
  });
});

describe('WebApp config files: ConfigMap keys and contents (Polaris sensitiveConfigmapContent)', () => {
  test('fails on a sensitive file name or a private key in a file, each reported', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
    expect(
      () =>
        new WebApp(chart, 'web', {
          image: 'nginx:1.27.3',
          configFiles: [{ id: 'conf', mountPath: '/etc/app', files: { 'app.yaml': 'a: 1', 'tls.pem': PEM, 'token.txt': 'abc' } }],
        }),
    ).toThrow(
      [
        '2 problems:',
        '  - c/web: configFiles[0].files["tls.pem"] "<redacted>" is invalid: holds a private key block, which would be written into dist/ in clear text (and cannot be marked not secret): keep the file in a Secret created outside and mount it with mountSecret()',
        '  - c/web: configFiles[0].files["token.txt"] "<redacted>" is invalid: looks like a secret (its name contains "token") and would be written into dist/ in clear text: keep the file in a Secret created outside and mount it with mountSecret(); if it is not one, say so with a file name without those words (Polaris flags the ConfigMap key as well)',
      ].join('\n'),
    );
  });
});

describe('PodTemplate workloads (BatchJob, ScheduledJob, NodeAgent): the same rule', () => {
  test('a literal under a sensitive name fails; notSecret lands on the pod template', () => {
    const chart = () => new Chart(Testing.app(), 'c', { namespace: 'batch' });
    expect(() => new BatchJob(chart(), 'task', { image: 'busybox:1.37.0', env: { API_TOKEN: EnvValue.value('x') } })).toThrow(
      `c/task: env.API_TOKEN "<redacted>" is invalid: looks like a secret (its name contains "token") and would be written into dist/ in clear text: ${FIX}; ${MARK}`,
    );
    const c = chart();
    new BatchJob(c, 'task', { image: 'busybox:1.37.0', env: { TOKEN_URL: EnvValue.notSecret('https://auth.test/token', { reason: 'an endpoint' }) } });
    const job = Testing.synth(c).find((o) => o.kind === 'Job');
    expect(job.spec.template.metadata.annotations[NOT_SECRET_ANNOTATION]).toBe('["TOKEN_URL"]');
  });
});
