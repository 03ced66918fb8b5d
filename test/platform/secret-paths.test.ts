import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { parse } from 'yaml';
import { AddonNamespace, ChartPin, HelmAddon } from '../../lib/platform';
import { classifyValuesPath, literalSecretFix, literalSecretsIn, SECRET_LOOKING } from '../../lib/platform/secret-paths';
import { platformStack, SEEDS } from './fixtures';

const CHARTS = path.resolve(__dirname, '../../../shared/upstream/charts');
const kind = (p: string, v?: unknown, name?: string) => classifyValuesPath(p, v, name).kind;

describe('classifyValuesPath: secret values, Secret references, other', () => {
  test.each([
    ['database.external.password', 'x'],
    ['harborAdminPassword', 'x'],
    ['alertmanager.config.global.slack_api_url', 'https://hooks.slack.com/services/T0/B0/xyz'],
    ['alertmanager.config.receivers[0].slack_configs[0].api_url', 'https://example.test/hook'],
    ['trivy.gitHubToken', 'x'],
    ['hub.providers.ec2.secretAccessKey', 'x'],
    ['core.tokenKey', 'x'],
    ['persistence.imageChartStorage.azure.accountkey', 'x'],
    ['controller.maxmindLicenseKey', 'x'],
    ['someChart.fooCredentials', 'x'],
  ])('%s is a secret value', (p, v) => {
    expect(kind(p, v)).toBe('secret');
  });

  test.each([
    'grafana.admin.existingSecret',
    'grafana.admin.passwordKey',
    'existingSecretPasswordKey',
    'core.secretName',
    'env[0].valueFrom.secretKeyRef.key',
    'imagePullSecrets[0]',
  ])('%s refers to a Secret', (p) => {
    expect(kind(p, 'x')).toBe('secretRef');
  });

  test.each([
    ['serviceAccount.automountServiceAccountToken', 'x'],
    ['coreDns.serviceMonitor.bearerTokenFile', '/var/run/secrets/token'],
    ['externalURL', 'https://harbor.test'],
    ['tolerations[0].key', 'CriticalAddonsOnly'],
    ['prometheusOperator.secretFieldSelector', 'type!=x'],
    ['replicas', 3],
    ['enableSecret', true],
  ])('%s is other', (p, v) => {
    expect(kind(p, v)).toBe('other');
  });

  test('by content, whatever the key: private keys, URLs with passwords, webhooks, tokens', () => {
    expect(classifyValuesPath('tls.key', '-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----').rule).toBe('by content: a private key block');
    expect(classifyValuesPath('db.uri', 'postgres://app:s3cr3t@db:5432/app').rule).toBe('by content: a URL with a password (user:pass@)');
    expect(classifyValuesPath('notify.target', 'https://hooks.slack.com/services/T0/B0/abc').rule).toBe('by content: a Slack webhook URL');
    expect(classifyValuesPath('notify.target', 'https://discord.com/api/webhooks/1/abc').rule).toBe('by content: a Discord webhook URL');
    expect(classifyValuesPath('hook', 'https://example.test/x?token=abcdefgh12').rule).toBe('by content: a URL carrying a token in its query');
    expect(classifyValuesPath('auth.header', 'Bearer abcdefgh1234').rule).toBe('by content: a bearer token');
    expect(kind('externalURL', 'https://user@harbor.test')).toBe('other');
  });

  test('an env-style { name, value } item is judged by its name', () => {
    expect(
      literalSecretsIn({
        extraEnv: [
          { name: 'DB_PASSWORD', value: 'x' },
          { name: 'DB_HOST', value: 'db' },
        ],
      }),
    ).toEqual([{ path: 'extraEnv[0].value', rule: 'an env value whose name contains "password"' }]);
  });

  test('empty strings and non-strings are not literal secrets', () => {
    expect(literalSecretsIn({ password: '', token: null, secret: { enabled: true } })).toEqual([]);
  });
});

// Every pinned chart's values.yaml, walked mechanically: each key that looks secret-like must be
// classified by a named rule, not by the fail-safe default. Counts per chart: secret / secretRef / other.
describe('audit: every secret-looking path of every pinned values.yaml is classified', () => {
  const charts = fs.readdirSync(CHARTS).filter((c) => fs.existsSync(path.join(CHARTS, c, 'values.yaml')));
  const audit = (chart: string) => {
    const counts = { secret: 0, secretRef: 0, other: 0 };
    const unnamed: string[] = [];
    const walk = (n: unknown, at: string, sibling?: string): void => {
      if (Array.isArray(n)) return n.forEach((x, i) => walk(x, `${at}[${i}]`));
      if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        for (const [k, x] of Object.entries(o)) walk(x, at ? `${at}.${k}` : k, typeof o.name === 'string' ? o.name : undefined);
        return;
      }
      if (
        !SECRET_LOOKING.test(
          at
            .split('.')
            .pop()!
            .replace(/\[\d+\]/g, ''),
        )
      )
        return;
      const c = classifyValuesPath(at, n, sibling);
      counts[c.kind]++;
      if (c.rule.includes('no rule names')) unnamed.push(at);
    };
    walk(parse(fs.readFileSync(path.join(CHARTS, chart, 'values.yaml'), 'utf8')), '');
    return { counts, unnamed };
  };

  test('the charts pinned today', () => {
    expect(charts).toEqual([
      'cert-manager',
      'csi-driver-nfs',
      'harbor',
      'ingress-nginx',
      'kube-prometheus-stack',
      'metrics-server',
      'nfs-subdir-external-provisioner',
      'prometheus-operator-crds',
      'traefik',
    ]);
  });

  test('counts per chart, every one by a named rule', () => {
    const all = Object.fromEntries(charts.map((c) => [c, audit(c)]));
    expect(Object.fromEntries(charts.map((c) => [c, all[c].unnamed]))).toEqual(Object.fromEntries(charts.map((c) => [c, []])));
    expect(Object.fromEntries(charts.map((c) => [c, all[c].counts]))).toEqual({
      'cert-manager': { secret: 0, secretRef: 0, other: 7 },
      'csi-driver-nfs': { secret: 0, secretRef: 0, other: 4 },
      harbor: { secret: 18, secretRef: 27, other: 23 },
      'ingress-nginx': { secret: 1, secretRef: 0, other: 6 },
      'kube-prometheus-stack': { secret: 0, secretRef: 5, other: 40 },
      'metrics-server': { secret: 0, secretRef: 0, other: 1 },
      'nfs-subdir-external-provisioner': { secret: 0, secretRef: 0, other: 0 },
      'prometheus-operator-crds': { secret: 0, secretRef: 0, other: 0 },
      traefik: { secret: 11, secretRef: 1, other: 35 },
    });
  });
});

describe('PlatformStack and HelmAddon: a literal secret anywhere in the values is a synth error', () => {
  test("overrides no list of known paths names: harbor's external database password, Alertmanager's Slack URL", () => {
    expect(() => platformStack(SEEDS, { overrides: { harbor: { database: { external: { password: 'hunter2' } } } } }, 'o1')).toThrow(
      `o1/harbor: overrides.database.external.password "<redacted>" is invalid: ${literalSecretFix('a password')}`,
    );
    expect(() =>
      platformStack(
        SEEDS,
        { overrides: { kubePrometheusStack: { alertmanager: { config: { global: { slack_api_url: 'https://hooks.slack.com/services/T0/B0/xyz' } } } } } },
        'o2',
      ),
    ).toThrow(
      `o2/kube-prometheus-stack: overrides.alertmanager.config.global.slack_api_url "<redacted>" is invalid: ${literalSecretFix('by content: a Slack webhook URL')}`,
    );
  });

  test('a reference to an existing Secret in overrides is fine', () => {
    expect(() => platformStack(SEEDS, { overrides: { harbor: { database: { external: { existingSecret: 'harbor-db' } } } } }, 'o3')).not.toThrow();
  });

  test('a chart added to the catalog gets the same protection with no code change', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'paas-secret-paths-')), stackTraces: false });
    const stack = new TerraformStack(app, 'stack');
    const ns = new AddonNamespace(stack, 'ns', { name: 'demo', provider: new KubernetesProvider(stack, 'k', {}), podSecurity: 'restricted', reason: 'test' });
    const pin: ChartPin = { chart: 'new-chart', repository: 'https://charts.example.test', version: '1.0.0', kubeVersion: '>=1.20.0-0', timeoutSeconds: 300 };
    const make = (id: string, overrides: Record<string, unknown>) =>
      new HelmAddon(stack, id, {
        pin,
        releaseName: id,
        namespace: ns,
        provider: new HelmProvider(stack, `h-${id}`, {}),
        kubernetesVersion: '1.30.0',
        values: {},
        overrides,
      });
    expect(() => make('a', { auth: { adminPassword: 'x', apiToken: 'y', existingSecret: 'ok' }, smtp: { url: 'smtp://mail:pw@smtp.test' } })).toThrow(
      [
        '3 problems:',
        `  - stack/a: overrides.auth.adminPassword "<redacted>" is invalid: ${literalSecretFix('a password')}`,
        `  - stack/a: overrides.auth.apiToken "<redacted>" is invalid: ${literalSecretFix('a token')}`,
        `  - stack/a: overrides.smtp.url "<redacted>" is invalid: ${literalSecretFix('by content: a URL with a password (user:pass@)')}`,
      ].join('\n'),
    );
    expect(() => make('b', { auth: { existingSecret: 'ok', passwordKey: 'pw' } })).not.toThrow();
  });
});
