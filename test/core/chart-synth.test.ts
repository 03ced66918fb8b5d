import { App, Chart, Testing } from 'cdk8s';
import { platform } from '../../apps/platform.config';
import { buildTenants } from '../../bench/tenants.bench-case';
import { PaasRegistry } from '../../lib/core/registry';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { WebApp } from '../../lib/workloads/web-app';

function tenantsApp(n: number): App {
  const app = Testing.app();
  buildTenants(new Chart(app, 'cluster', { disableResourceNameHashes: true }), n);
  return app;
}

describe('renderChart: tenant charts rendered without re-validating the whole app per chart', () => {
  test('gives byte-identical YAML to cdk8s rendering every chart from scratch', () => {
    const fast = tenantsApp(3).synthYaml();
    const spy = jest.spyOn(PaasRegistry.prototype, 'validatedInThisRun', 'get').mockReturnValue(false);
    try {
      expect(tenantsApp(3).synthYaml()).toBe(fast);
    } finally {
      spy.mockRestore();
    }
  });

  test("a tenant's own validation error is reported on every synth in the same run, not only the first", () => {
    const app = Testing.app();
    const t = new TenantNamespace(app, 'dev-ns', { platform, quota: { pods: 1 } });
    new WebApp(t, 'web', { image: 'nginx:1.27.3', replicas: 2 });
    const message = 'dev-ns: quota["pods"] 1 is invalid: the tenant needs 3 at worst case';
    expect(() => app.synthYaml()).toThrow(message);
    expect(() => Testing.synth(t)).toThrow(message);
    expect(() => Testing.synth(t.adminChart)).toThrow(message);
  });

  test('a construct added after a synth in the same run is rendered and checked', () => {
    const app = Testing.app();
    const t = new TenantNamespace(app, 'dev-ns', { platform, quota: { pods: 3 } });
    new WebApp(t, 'web', { image: 'nginx:1.27.3', replicas: 2 });
    expect(Testing.synth(t).filter((o) => o.kind === 'Deployment')).toHaveLength(1);
    new WebApp(t, 'api', { image: 'nginx:1.27.3', replicas: 2 });
    expect(() => Testing.synth(t)).toThrow('dev-ns: quota["pods"] 3 is invalid: the tenant needs 6 at worst case');
  });
});
