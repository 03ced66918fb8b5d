import * as path from 'path';
import { readUpstreamJson, readUpstreamYaml, upstreamDir, UPSTREAM_ENV } from './upstream';

describe('upstreamDir', () => {
  const saved = process.env[UPSTREAM_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[UPSTREAM_ENV];
    else process.env[UPSTREAM_ENV] = saved;
  });

  test('defaults to shared/upstream next to the repository', () => {
    delete process.env[UPSTREAM_ENV];
    expect(upstreamDir()).toBe(path.resolve(__dirname, '../../../shared/upstream'));
  });

  test('fails if PAAS_UPSTREAM_DIR names a folder that does not exist', () => {
    process.env[UPSTREAM_ENV] = '/nonexistent/upstream';
    expect(() => upstreamDir()).toThrow('Pinned upstream data not found: folder (from PAAS_UPSTREAM_DIR) /nonexistent/upstream does not exist.');
    expect(() => upstreamDir()).toThrow('Set PAAS_UPSTREAM_DIR to the absolute path of that shared/upstream folder');
  });

  test('fails if an expected file is missing, naming the path tried', () => {
    const dir = upstreamDir();
    expect(() => readUpstreamJson('kubernetes-1.28/no-such-file.json')).toThrow(
      `Pinned upstream data not found: file ${path.join(dir, 'kubernetes-1.28/no-such-file.json')} does not exist.`,
    );
  });

  test('reads and caches YAML and JSON files', () => {
    const a = readUpstreamYaml('polaris/default.yaml');
    expect(a.checks.hostNetworkSet).toBe('danger');
    expect(readUpstreamYaml('polaris/default.yaml')).toBe(a);
    const defs = readUpstreamJson('kubernetes-1.28/_definitions.json');
    expect(defs.definitions['io.k8s.api.apps.v1.Deployment']).toBeDefined();
  });
});
