import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HttpRoute } from '../../imports/gateway.networking.k8s.io';
import { PodMonitor, PrometheusRule, ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { CRD_GROUPS, findLeakedProse, generateImports, stripDescriptions, strippedGroupYaml } from '../../scripts/import-crds';
import { upstreamDir } from '../support';

const importsDir = path.resolve(__dirname, '../../imports');

describe('imports/ (generated CRD classes)', () => {
  test.each(CRD_GROUPS.map((g) => [g.group, g] as const))('%s.ts holds no upstream description prose', (_name, group) => {
    const { removed } = strippedGroupYaml(upstreamDir(), group);
    expect(removed.length).toBeGreaterThan(100);
    const generated = fs.readFileSync(path.join(importsDir, `${group.group}.ts`), 'utf8');
    expect(findLeakedProse(generated, removed)).toEqual([]);
  });

  test('the leak check finds prose when it is there', () => {
    const removed = ['Interval at which Prometheus scrapes the metrics from the target.\nShort.'];
    expect(findLeakedProse('/** Interval at which Prometheus scrapes the metrics from the target. */', removed)).toEqual([
      'Interval at which Prometheus scrapes the metrics from the target.',
    ]);
  });

  test('regenerating from the pinned CRDs reproduces imports/ byte for byte', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-imports-'));
    try {
      const written = generateImports(out, upstreamDir());
      expect(written.map((f) => path.basename(f))).toEqual(['monitoring.coreos.com.ts', 'gateway.networking.k8s.io.ts', 'cert-manager.io.ts']);
      for (const file of written) {
        expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(path.join(importsDir, path.basename(file)), 'utf8'));
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('stripping removes description strings but keeps a field named "description"', () => {
    const schema = {
      description: 'prose',
      properties: {
        description: { description: 'more prose', type: 'string' },
        items: [{ description: 'x', type: 'integer' }],
      },
    };
    expect(stripDescriptions(schema)).toEqual(['prose', 'more prose', 'x']);
    expect(schema).toEqual({ properties: { description: { type: 'string' }, items: [{ type: 'integer' }] } });
  });

  test('classes carry the CRDs group, version and kind', () => {
    expect(ServiceMonitor.GVK).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor' });
    expect(PodMonitor.GVK).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor' });
    expect(PrometheusRule.GVK).toEqual({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    expect(HttpRoute.GVK).toEqual({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' });
  });
});
