import { App, TerraformStack } from 'cdktf';
import { definePlatform } from '../lib/platform-spec';
import { PlatformStack, AddonNamespace, GatewayApiCrds, HelmAddon, CHART_CATALOG } from '../lib/platform';
const spec = definePlatform({});
const st = () => new PlatformStack(new App(), 's', { platform: spec });
const cases: Array<[string, () => unknown]> = [
  ['addAddon undefined', () => st().addAddon('x', undefined as any)],
  ['addAddon {}', () => st().addAddon('x', {} as any)],
  ['addAddon bad ns', () => { const s = st(); return s.addAddon('x', { pin: CHART_CATALOG.metricsServer, releaseName: 'm', namespace: 'kube-system' as any, values: {} }); }],
  ['addAddon good', () => { const s = st(); return s.addAddon('x', { pin: CHART_CATALOG.metricsServer, releaseName: 'm2', namespace: AddonNamespace.fromName(s, 'ns2', 'kube-system'), values: {}, timeoutSeconds: '5' as any }); }],
  ['AddonNamespace undefined', () => new AddonNamespace(new TerraformStack(new App(), 'a'), 'n', undefined as any)],
  ['AddonNamespace {}', () => new AddonNamespace(new TerraformStack(new App(), 'a'), 'n', {} as any)],
  ['AddonNamespace.fromName 5', () => AddonNamespace.fromName(new TerraformStack(new App(), 'a'), 'n', 5 as any)],
  ['GatewayApiCrds undefined', () => new GatewayApiCrds(new TerraformStack(new App(), 'a'), 'g', undefined as any)],
  ['GatewayApiCrds {}', () => new GatewayApiCrds(new TerraformStack(new App(), 'a'), 'g', {} as any)],
];
for (const [n, f] of cases) {
  try { f(); console.log(`${n}: OK (accepted)`); } catch (e: any) { console.log(`${n}: ${e.constructor.name}: ${String(e.message).split('\n').slice(0, 3).join(' | ').slice(0, 240)}`); }
}
