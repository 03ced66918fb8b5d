import { App } from 'cdktf';
import { definePlatform } from '../lib/platform-spec';
import { PlatformStack, CredentialsStack } from '../lib/platform';
const spec = definePlatform({ certificates: { issuer: 'self-signed-ca' }, registry: { host: 'harbor.test' }, nfs: { server: '10.0.0.1', path: '/x' } });
const cases: Array<[string, () => unknown]> = [
  ['no props', () => new PlatformStack(new App(), 's', undefined as any)],
  ['platform {}', () => new PlatformStack(new App(), 's', { platform: {} as any })],
  ['statePath 5', () => new PlatformStack(new App(), 's', { platform: spec, statePath: 5 as any })],
  ['grafanaAdminSecretName 5', () => new PlatformStack(new App(), 's', { platform: spec, grafanaAdminSecretName: 5 as any })],
  ['grafanaAdminSecretName Bad_Name', () => new PlatformStack(new App(), 's', { platform: spec, grafanaAdminSecretName: 'Bad_Name' })],
  ['harborExistingSecrets "x"', () => new PlatformStack(new App(), 's', { platform: spec, harborExistingSecrets: 'x' as any })],
  ['harborExistingSecrets {typo}', () => new PlatformStack(new App(), 's', { platform: spec, harborExistingSecrets: { adminPasword: 'a' } as any })],
  ['overrides "x"', () => new PlatformStack(new App(), 's', { platform: spec, overrides: 'x' as any })],
  ['overrides {nope:{}}', () => new PlatformStack(new App(), 's', { platform: spec, overrides: { nope: {} } as any })],
  ['overrides {harbor: 3}', () => new PlatformStack(new App(), 's', { platform: spec, overrides: { harbor: 3 } as any })],
  ['installIngressController "no"', () => new PlatformStack(new App(), 's', { platform: spec, installIngressController: 'no' as any })],
  ['backend 3', () => new PlatformStack(new App(), 's', { platform: spec, backend: 3 as any })],
  ['typo key', () => new PlatformStack(new App(), 's', { platform: spec, statepath: 'x' } as any)],
  ['creds no secrets', () => new CredentialsStack(new App(), 'c', { platform: spec } as any)],
  ['creds secrets [1]', () => new CredentialsStack(new App(), 'c', { platform: spec, secrets: [1] } as any)],
  ['creds secrets [{}]', () => new CredentialsStack(new App(), 'c', { platform: spec, secrets: [{}] } as any)],
  ['creds platform 1', () => new CredentialsStack(new App(), 'c', { platform: 1, secrets: [] } as any)],
];
for (const [n, f] of cases) {
  try { f(); console.log(`${n}: OK (accepted)`); } catch (e: any) { console.log(`${n}: ${e.constructor.name}: ${String(e.message).split('\n').slice(0, 3).join(' | ').slice(0, 260)}`); }
}
