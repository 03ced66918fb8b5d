import { App, TerraformStack } from 'cdktf';
import { AddonNamespace, CHART_CATALOG, CredentialsStack, GatewayApiCrds, PlatformStack } from '../../lib/platform';
import { definePlatform } from '../../lib/platform-spec';

// Plain JavaScript (or a cast) reaches the stacks' constructors with anything: one
// PaasValidationError naming the stack, the field, the value and what is valid; never a TypeError.
const spec = definePlatform({ certificates: { issuer: 'self-signed-ca' }, registry: { host: 'harbor.test' }, nfs: { server: '10.0.0.1', path: '/x' } });
const platformStack = (props: unknown) => () => new PlatformStack(new App(), 's', props as never);
const js = (v: unknown) => v as never;

describe('PlatformStack props from plain JavaScript', () => {
  test.each([
    ['no props', undefined, 's: props undefined is invalid: must be an object (PlatformStackProps)'],
    ['a spec not from definePlatform', { platform: {} }, 's: platform {} is invalid: must be a platform from definePlatform()'],
    ['statePath not a string', { platform: spec, statePath: 5 }, 's: statePath 5 is invalid: must be a string'],
    ['backend not a function', { platform: spec, backend: 3 }, 's: backend 3 is invalid: must be a function (stack) => TerraformBackend'],
    ['a typo', { platform: spec, statepath: 'x' }, 's: statepath "x" is invalid: is not a known field of PlatformStackProps; did you mean "statePath"?'],
    [
      'an unknown add-on in overrides',
      { platform: spec, overrides: { nope: {} } },
      's: overrides.nope {} is invalid: is not a known field of PlatformStackProps.overrides',
    ],
    ['overrides that are not values', { platform: spec, overrides: { harbor: 3 } }, 's: overrides.harbor 3 is invalid: must be an object of chart values'],
    ['a flag that is not a boolean', { platform: spec, installIngressController: 'no' }, 's: installIngressController "no" is invalid: must be true or false'],
    [
      'a Secret name that is not one',
      { platform: spec, grafanaAdminSecretName: 'Grafana Admin' },
      's: grafanaAdminSecretName "Grafana Admin" is invalid: must be a Secret name',
    ],
  ])('%s', (_name, props, message) => {
    expect(platformStack(props)).toThrow(message);
  });

  test('every problem at once, existing Harbor Secrets included', () => {
    expect(platformStack({ platform: spec, statePath: 5, harborExistingSecrets: { adminPasword: 'a' } })).toThrow(
      /^9 problems:\n {2}- s: statePath 5 is invalid: must be a string\n {2}- s: harborExistingSecrets.adminPassword undefined is invalid: is required/,
    );
  });
});

describe('the other public constructs of the platform entry', () => {
  const stack = () => new PlatformStack(new App(), 's', { platform: spec });

  test('CredentialsStack', () => {
    expect(() => new CredentialsStack(new App(), 'c', js({ platform: 1, secrets: [] }))).toThrow(
      'c: platform 1 is invalid: must be a platform from definePlatform()',
    );
    expect(() => new CredentialsStack(new App(), 'c', js({ platform: spec, secrets: [1] }))).toThrow(
      'c: secrets[0] 1 is invalid: must be an object (GeneratedSecret)',
    );
    // A plain string where a CredentialValue belongs may be a password: the message never shows it.
    expect(() => new CredentialsStack(new App(), 'c', js({ platform: spec, secrets: [{ namespace: 'a', name: 'b', data: { k: 'hunter2' } }] }))).toThrow(
      'c: secrets[0].data.k "<redacted>" is invalid',
    );
  });

  test('addAddon / HelmAddon', () => {
    expect(() => stack().addAddon('x', js(undefined))).toThrow('s/x: pin undefined is invalid: is required: a chart pin');
    const s = stack();
    const bad = () =>
      s.addAddon('x', { pin: CHART_CATALOG.metricsServer, releaseName: 'm', namespace: js('kube-system'), values: {}, timeoutSeconds: js('5') });
    expect(bad).toThrow(
      [
        '2 problems:',
        '  - s/x: namespace "kube-system" is invalid: must be an add-on namespace (AddonNamespace, or { name })',
        '  - s/x: timeoutSeconds "5" is invalid: must be a number',
      ].join('\n'),
    );
    expect(
      s.addAddon('ok', { pin: CHART_CATALOG.metricsServer, releaseName: 'm', namespace: AddonNamespace.fromName(s, 'ns', 'kube-system'), values: {} })
        .releaseName,
    ).toBe('m');
  });

  test('AddonNamespace and GatewayApiCrds', () => {
    const scope = () => new TerraformStack(new App(), 'a');
    expect(() => new AddonNamespace(scope(), 'n', js(undefined))).toThrow('a/n: props undefined is invalid: must be an object (AddonNamespaceProps)');
    expect(() => new AddonNamespace(scope(), 'n', js({ name: 'x', provider: {}, podSecurity: 'strict', reason: 'r' }))).toThrow(
      'a/n: podSecurity "strict" is invalid: must be "restricted", "baseline" or "privileged"',
    );
    expect(() => new GatewayApiCrds(scope(), 'g', js({}))).toThrow("a/g: provider undefined is invalid: is required: the stack's KubernetesProvider");
  });
});
