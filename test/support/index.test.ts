import { ApiObject, Chart, Testing } from 'cdk8s';
import { expectValidManifests, synthObjects, validateAll } from '.';
import { find, hardenedApp, mainContainer } from './fixtures';

describe('synthObjects', () => {
  test('returns the objects of a Chart', () => {
    const chart = Testing.chart();
    for (const o of hardenedApp()) new ApiObject(chart, `${o.kind}`, o);
    const objects = synthObjects(chart);
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
    expectValidManifests(objects);
  });

  test('returns the objects of every chart of an App', () => {
    const app = Testing.app();
    for (const ns of ['shop', 'blog']) {
      const chart = new Chart(app, ns);
      for (const o of hardenedApp(ns)) new ApiObject(chart, `${o.kind}`, o);
    }
    const objects = synthObjects(app);
    expect(objects).toHaveLength(10);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.namespace)).toEqual(['shop', 'blog']);
    expectValidManifests(objects);
  });

  test('keeps scalars that YAML 1.1 would read differently as they were', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const data = { mode: '0644', flag: 'yes', port: '8080', time: '1:20', date: '2024-01-02', octal: '0o17', none: 'null' };
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data });
    expect(synthObjects(app)[0].data).toEqual(data);
  });

  test('fails if a construct validation fails (Chart and App)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    chart.node.addValidation({ validate: () => ['port 99999 is out of range'] });
    expect(() => synthObjects(chart)).toThrow('[c] port 99999 is out of range');
    expect(() => synthObjects(app)).toThrow('[c] port 99999 is out of range');
  });
});

describe('expectValidManifests', () => {
  test('passes the hardened app', () => {
    expect(() => expectValidManifests(hardenedApp())).not.toThrow();
  });

  test('fails listing every problem of every validator in one error', () => {
    const objs = hardenedApp();
    mainContainer(objs).foo = 'bar';
    mainContainer(objs).securityContext.privileged = true;
    delete mainContainer(objs).readinessProbe;
    expect(() => expectValidManifests(objs)).toThrow(
      [
        '4 problem(s) in 5 synthesized object(s):',
        '  - Deployment shop/web: spec.template.spec.containers[0].foo: unknown field "foo": the schema has no such field here; remove it (known fields: args, command, env, envFrom, image, imagePullPolicy, lifecycle, livenessProbe, name, ports, readinessProbe, resizePolicy, ...)',
        '  - Deployment shop/web: restricted: container "main" must not set securityContext.privileged=true',
        '  - polaris warning readinessProbeMissing: Deployment shop/web container "main": add a readinessProbe so traffic only reaches the container once it is ready',
        '  - polaris danger runAsPrivileged: Deployment shop/web container "main": remove securityContext.privileged: a privileged container has full access to the node',
      ].join('\n'),
    );
  });

  test('accepts a warning a test allows, never a danger', () => {
    const objs = hardenedApp();
    find(objs, 'Deployment').spec.replicas = 1;
    expect(validateAll(objs)).toEqual([
      'polaris warning deploymentMissingReplicas: Deployment shop/web: run at least 2 replicas (spec.replicas >= 2, or an HPA with minReplicas >= 2) so one pod can fail without an outage',
    ]);
    expect(validateAll(objs, { polarisAllow: ['deploymentMissingReplicas'] })).toEqual([]);
    expect(() => validateAll(objs, { polarisAllow: ['runAsPrivileged'] })).toThrow(
      'Polaris allowlist: "runAsPrivileged" is a danger-level check; only warnings can be allowed',
    );
  });

  test('accepts a Polaris finding for one object with a reason, and refuses an exemption that matches nothing', () => {
    const objs = hardenedApp();
    find(objs, 'Deployment').spec.template.spec.hostNetwork = true;
    const why = 'this object needs the node network for the test';
    expect(validateAll(objs, { polarisExempt: [{ checkId: 'hostNetworkSet', object: 'Deployment shop/web', reason: why }] })).toEqual([
      'Deployment shop/web: restricted: pod must not set hostNetwork=true',
    ]);
    expect(() => validateAll(hardenedApp(), { polarisExempt: [{ checkId: 'hostNetworkSet', object: 'Deployment shop/web', reason: why }] })).toThrow(
      'Polaris exemption(s) matching no finding: hostNetworkSet Deployment shop/web',
    );
    expect(() => validateAll(objs, { polarisExempt: [{ checkId: 'hostNetworkSet', object: 'Deployment shop/web', reason: 'because' }] })).toThrow(
      'Polaris exemption of hostNetworkSet for Deployment shop/web: say why (a reason of 20 characters or more)',
    );
  });

  test('passes opted-out workloads to the restricted check only with allowOptOut', () => {
    const objs = hardenedApp();
    find(objs, 'Deployment').metadata.annotations = { 'paas.cdk8s.io/pod-security-opt-out': 'legacy image' };
    expect(validateAll(objs)).toEqual(['Deployment shop/web: restricted: opted out ("legacy image") but this check was not called with allowOptOut']);
    expect(validateAll(objs, { allowOptOut: true })).toEqual([]);
  });
});
