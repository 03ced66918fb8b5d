import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CRD_SETS, DATA_DIR, generateValidationData, kubernetesVersions } from '../../scripts/gen-validation-data';
import { CRD_DATA, KUBERNETES_DATA, POLARIS_DATA } from '../../lib/validation/data';
import { PROVENANCE } from '../../lib/validation/data/provenance';
import { upstreamDir } from '../support/upstream';

// The shipped validation data is exactly what the generator derives from the pinned upstream
// folder (`npm run gen:validation` after changing an input), and carries no upstream prose.

describe('generated validation data (lib/validation/data)', () => {
  test('regenerating from ../shared/upstream gives the committed files byte for byte', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-validation-'));
    try {
      // The generator formats with prettier, which needs plain node (not jest's module sandbox).
      execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '../../scripts/gen-validation-data.ts'), '--out', out], {
        cwd: path.join(__dirname, '../..'),
        env: { ...process.env, PAAS_UPSTREAM_DIR: upstreamDir() },
        stdio: 'pipe',
      });
      const generated = fs.readdirSync(out).sort();
      expect(generated).toEqual(fs.readdirSync(DATA_DIR).sort());
      const stale = generated.filter((name) => fs.readFileSync(path.join(out, name), 'utf8') !== fs.readFileSync(path.join(DATA_DIR, name), 'utf8'));
      expect(stale).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  test('one file per Kubernetes minor and per CRD set, each with its provenance', () => {
    // Every kubernetes-<minor>/ folder upstream: adding a minor is one generator run.
    expect(kubernetesVersions(upstreamDir())).toEqual(['1.28', '1.35']);
    expect(Object.keys(KUBERNETES_DATA)).toEqual(['1.28', '1.35']);
    expect(CRD_SETS.map((s) => s.id)).toEqual(['prometheus-operator@v0.93.0', 'cert-manager@v1.21.1', 'gateway-api@v1.5.1', 'gateway-api@v1.6.1']);
    const files = PROVENANCE.map((p) => p.file);
    expect(files).toEqual([
      'k8s-1-28.ts',
      'k8s-1-35.ts',
      'crds-prometheus-operator-v0-93-0.ts',
      'crds-cert-manager-v1-21-1.ts',
      'crds-gateway-api-v1-5-1.ts',
      'crds-gateway-api-v1-6-1.ts',
      'polaris-checks.ts',
    ]);
    for (const p of PROVENANCE) {
      expect(p.sources.length).toBeGreaterThan(0);
      for (const s of p.sources) {
        expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
    }
    expect(PROVENANCE.find((p) => p.file === 'polaris-checks.ts')!.sources).toHaveLength(45); // default.yaml and 44 checks
  });

  test('refuses an input whose sha256 differs from SOURCES.md', () => {
    const fake = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-upstream-'));
    try {
      fs.copyFileSync(path.join(upstreamDir(), 'SOURCES.md'), path.join(fake, 'SOURCES.md'));
      fs.mkdirSync(path.join(fake, 'kubernetes-1.28'));
      fs.writeFileSync(path.join(fake, 'kubernetes-1.28/_definitions.json'), '{"definitions":{}}');
      expect(() => generateValidationData(fake)).toThrow(
        /^gen-validation-data: kubernetes-1\.28\/_definitions\.json has sha256 [0-9a-f]{64}, SOURCES\.md says 26005b7e779ea2fcbd87e4f23d76dc565eef8381c2287e149c676c03d48b0df6$/,
      );
    } finally {
      fs.rmSync(fake, { recursive: true, force: true });
    }
  });

  test('CEL rules are kept as facts only: the expression, its field path and reason', () => {
    let rules = 0;
    const fields = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v === null || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'x-cel-rules') {
          for (const r of x as Record<string, unknown>[]) {
            rules++;
            for (const f of Object.keys(r)) fields.add(f);
          }
        } else walk(x);
      }
    };
    for (const text of Object.values(CRD_DATA)) walk(JSON.parse(text));
    expect(rules).toBeGreaterThan(400);
    expect([...fields].filter((f) => !['rule', 'fieldPath', 'reason', 'optionalOldSelf'].includes(f))).toEqual([]);
  });

  test('keeps no description or other prose keyword', () => {
    const prose = new Set([
      'description',
      'title',
      'example',
      'default',
      'x-kubernetes-validations',
      '$comment',
      '$schema',
      'successMessage',
      'failureMessage',
      // CEL rules are kept as `x-cel-rules` entries (below): the messages upstream gives them are prose.
      'message',
      'messageExpression',
    ]);
    const texts: [string, string][] = [...Object.entries(KUBERNETES_DATA), ...Object.entries(CRD_DATA), ['polaris', POLARIS_DATA]];
    for (const [name, text] of texts) {
      const found = new Set<string>();
      const walk = (v: unknown, keysAreNames: boolean): void => {
        if (Array.isArray(v)) return v.forEach((x) => walk(x, false));
        if (v === null || typeof v !== 'object') return;
        for (const [k, x] of Object.entries(v)) {
          // Under `properties` (and the kind/check/definition indexes) keys are names: a field may be called "description".
          if (!keysAreNames && prose.has(k)) found.add(k);
          // A default (`x-cel-default`) is a value: its keys are field names, its strings data.
          if (!keysAreNames && k === 'x-cel-default') continue;
          walk(x, !keysAreNames && ['properties', 'patternProperties', '$defs', 'definitions', 'kinds', 'checks'].includes(k));
        }
      };
      const data = JSON.parse(text);
      // Kubernetes definitions are stored as one JSON string each (parsed when first used).
      if (data.definitions)
        data.definitions = Object.fromEntries(Object.entries(data.definitions as Record<string, string>).map(([k, v]) => [k, JSON.parse(v)]));
      walk(data, false);
      expect({ name, found: [...found] }).toEqual({ name, found: [] });
    }
  });
});
