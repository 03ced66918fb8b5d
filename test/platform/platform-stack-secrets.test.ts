import { deepMerge, valueAt } from '../../lib/platform';
import { readUpstreamYaml } from '../support/upstream';
import { ALTERNATIVE, EXISTING_SECRETS, platformStack, SEEDS, synthStack } from './fixtures';

// Secrets of the platform stack's add-ons: write-only variables, existing Secrets, and what
// overrides may not carry.
describe('PlatformStack: secrets in the values', () => {
  test("Grafana's admin password: write-only variable by default, else the existing Secret", () => {
    const seeds = platformStack(SEEDS);
    expect(seeds.monitoring.writeOnlyPaths).toEqual(['grafana.adminPassword']);
    expect((seeds.monitoring.values as any).grafana.admin).toBeUndefined();
    const existing = platformStack(SEEDS, { grafanaAdminSecretName: 'grafana-admin' });
    expect(existing.monitoring.writeOnlyPaths).toEqual([]);
    expect((existing.monitoring.values as any).grafana.admin).toEqual({
      existingSecret: 'grafana-admin',
      userKey: 'admin-user',
      passwordKey: 'admin-password',
    });
    expect(existing.secretVariableNames).not.toContain('grafana_admin_password');
  });

  test('Harbor secrets: every one the chart defaults comes from a write-only variable', () => {
    const stack = platformStack(SEEDS);
    expect(stack.harbor!.writeOnlyPaths).toEqual([
      'harborAdminPassword',
      'secretKey',
      'core.secret',
      'core.xsrfKey',
      'jobservice.secret',
      'registry.secret',
      'registry.credentials.password',
      'registry.credentials.htpasswdString',
      'database.internal.password',
      'core.tokenKey',
      'core.tokenCert',
    ]);
    const release = synthStack(stack).resource.helm_release.harbor;
    for (const wo of release.set_wo) expect(wo.value).toMatch(/^\$\{var\.harbor_[a-z_]+\}$/);
  });

  test('Harbor secrets from existing Secrets: only the internal database password stays a write-only variable', () => {
    const stack = platformStack(ALTERNATIVE, EXISTING_SECRETS);
    const v = stack.harbor!.values as any;
    expect(v.existingSecretAdminPassword).toBe('harbor-admin');
    expect(v.existingSecretSecretKey).toBe('harbor-secret-key');
    expect(v.core).toMatchObject({ existingSecret: 'harbor-core', existingXsrfSecret: 'harbor-xsrf', secretName: 'harbor-token' });
    expect(v.jobservice.existingSecret).toBe('harbor-jobservice');
    expect(v.registry).toMatchObject({
      existingSecret: 'harbor-registry-http',
      credentials: { username: 'harbor_registry_user', existingSecret: 'harbor-registry-credentials' },
    });
    expect(stack.harbor!.writeOnlyPaths).toEqual(['database.internal.password']);
    expect(stack.secretVariableNames).toEqual(['harbor_database_password']);
  });

  test('Harbor secrets from existing Secrets without a token Secret: the token key pair stays write-only', () => {
    const { token: _token, ...rest } = EXISTING_SECRETS.harborExistingSecrets!;
    const stack = platformStack(ALTERNATIVE, { harborExistingSecrets: rest });
    expect((stack.harbor!.values as any).core.secretName).toBeUndefined();
    expect(stack.harbor!.writeOnlyPaths).toEqual(['database.internal.password', 'core.tokenKey', 'core.tokenCert']);
  });

  describe('audit: every secret-looking key of the pinned Harbor values.yaml', () => {
    const defaults = readUpstreamYaml<Record<string, unknown>>('charts/harbor/values.yaml');
    const secretLike = (key: string): boolean => /pass|secret|key|token|cert|htpasswd|xsrf/i.test(key);
    const found: string[] = [];
    const walk = (node: unknown, at: string[]): void => {
      if (node && typeof node === 'object' && !Array.isArray(node)) {
        for (const [k, v] of Object.entries(node)) walk(v, [...at, k]);
      } else if (secretLike(at[at.length - 1])) {
        found.push(at.join('.'));
      }
    };
    walk(defaults, []);

    // A credential Harbor uses in our setup: each must come from a variable (set_wo) or an existing Secret.
    const live: Record<string, string> = {
      harborAdminPassword: 'existingSecretAdminPassword',
      secretKey: 'existingSecretSecretKey',
      'core.secret': 'core.existingSecret',
      'core.xsrfKey': 'core.existingXsrfSecret',
      'core.tokenKey': 'core.secretName',
      'core.tokenCert': 'core.secretName',
      'jobservice.secret': 'jobservice.existingSecret',
      'registry.secret': 'registry.existingSecret',
      'registry.credentials.password': 'registry.credentials.existingSecret',
      'registry.credentials.htpasswdString': 'registry.credentials.existingSecret',
      'database.internal.password': '',
    };
    // Not a credential, or one only a configuration we never set reads (why in the value).
    const notLive: Record<string, string> = {
      'expose.tls.certSource': 'we set "secret" (spec TLS Secret) or "none"',
      'expose.tls.secret.secretName': 'the spec TLS Secret name',
      'internalTLS.certSource': 'internalTLS.enabled stays false',
      caSecretName: 'a Secret name, optional',
      imagePullSecrets: 'a list of Secret names',
      'trivy.gitHubToken': 'empty default: anonymous Trivy DB download, nothing to leak',
      'registry.middleware.cloudFront.keypairid': 'middleware disabled',
      'registry.middleware.cloudFront.privateKeySecret': 'middleware disabled',
      'database.external.password': 'database.type stays internal',
      'redis.external.password': 'redis.type stays internal',
    };
    const isNotLive = (p: string): boolean =>
      p in notLive ||
      /\.automountServiceAccountToken$/.test(p) ||
      /(^|\.)existing[A-Za-z]*$/.test(p) ||
      /^existingSecret/.test(p) ||
      /\.existingSecretKey$|\.existingXsrfSecretKey$/.test(p) ||
      /^internalTLS\.[a-z]+\.(secretName|key)$/.test(p) || // internalTLS.enabled stays false
      /^persistence\.imageChartStorage\.(azure|gcs|s3|swift|oss)\./.test(p) || // we use the filesystem (NFS) driver
      p === 'core.secretName';

    test('the walk finds the known chart defaults (the audit has teeth)', () => {
      expect(found).toEqual(expect.arrayContaining(['harborAdminPassword', 'secretKey', 'core.tokenKey', 'database.internal.password']));
      expect(defaults.harborAdminPassword).toBe('Harbor12345');
      expect(defaults.secretKey).toBe('not-a-secure-key');
      expect((defaults.database as any).internal.password).toBe('changeit');
    });

    test('every key found is either a live credential we supply or explained as not live', () => {
      expect(found.filter((p) => !(p in live) && !isNotLive(p))).toEqual([]);
    });

    test('every live credential is a write-only variable by default', () => {
      expect(platformStack(SEEDS).harbor!.writeOnlyPaths.sort()).toEqual(Object.keys(live).sort());
    });

    test('with existing Secrets, each live credential is read from its Secret (database password: variable)', () => {
      const stack = platformStack(ALTERNATIVE, EXISTING_SECRETS);
      const v = stack.harbor!.values as Record<string, unknown>;
      for (const [p, existing] of Object.entries(live)) {
        if (existing === '') expect(stack.harbor!.writeOnlyPaths).toContain(p);
        else expect([p, valueAt(v, existing)]).toEqual([p, expect.stringMatching(/^harbor-/)]);
      }
    });

    test('the settings that make the "not live" ones unused hold', () => {
      const v = platformStack(SEEDS).harbor!.values as Record<string, unknown>;
      const effective = deepMerge(defaults, v);
      expect(valueAt(effective, 'internalTLS.enabled')).toBe(false);
      expect(valueAt(effective, 'persistence.imageChartStorage.type')).toBe('filesystem');
      expect(valueAt(effective, 'database.type')).toBe('internal');
      expect(valueAt(effective, 'redis.type')).toBe('internal');
      expect(valueAt(effective, 'registry.middleware.enabled')).toBe(false);
      expect(valueAt(effective, 'expose.tls.certSource')).toBe('secret');
    });
  });
});

describe('PlatformStack: secrets in overrides', () => {
  test('fails if an override sets a secret that travels write-only', () => {
    expect(() => platformStack(SEEDS, { overrides: { harbor: { harborAdminPassword: 'Harbor12345' } } }, 'lit')).toThrow(
      'lit/harbor: values.harborAdminPassword "<redacted>" is invalid: is a secret delivered as a write-only value: do not set it in values or overrides',
    );
  });

  test('fails if an override puts a secret in the values that an existing Secret supplies', () => {
    expect(() =>
      platformStack(
        ALTERNATIVE,
        {
          ...EXISTING_SECRETS,
          overrides: { harbor: { harborAdminPassword: 'x', core: { tokenKey: 'x' } }, kubePrometheusStack: { grafana: { adminPassword: 'x' } } },
        },
        'lit2',
      ),
    ).toThrow(
      [
        '3 problems:',
        '  - lit2: overrides.kubePrometheusStack.grafana.adminPassword "<redacted>" is invalid: is a secret: keep it in the existing Secret you named, never a literal in the values',
        '  - lit2: overrides.harbor.harborAdminPassword "<redacted>" is invalid: is a secret: keep it in the existing Secret you named, never a literal in the values',
        '  - lit2: overrides.harbor.core.tokenKey "<redacted>" is invalid: is a secret: keep it in the existing Secret you named, never a literal in the values',
      ].join('\n'),
    );
  });

  test('a secret path delivered write-only is reported once, by the release', () => {
    const { token: _token, ...noToken } = EXISTING_SECRETS.harborExistingSecrets!;
    expect(() => platformStack(ALTERNATIVE, { harborExistingSecrets: noToken, overrides: { harbor: { core: { tokenKey: 'x' } } } }, 'lit3')).toThrow(
      /^lit3\/harbor: values\.core\.tokenKey "<redacted>" is invalid: is a secret delivered as a write-only value: do not set it in values or overrides$/,
    );
  });
});
