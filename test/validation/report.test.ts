import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatReport, toJson } from '../../lib/validation/report';
import { toText } from '../../lib/validation/text';
import { referencesFamily } from '../../lib/validation/references';
import { validate } from '../../lib/validation/validate';
import { sampleResult } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-report-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('text: grouped by file and object, with lines, exemptions and a summary line', () => {
  const file = path.join(dir, 'app.yaml');
  expect(toText(sampleResult(dir))).toBe(
    [
      file,
      '  (input)',
      '    17:   error   input/not-an-object',
      '        expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got string',
      '  Deployment shop/web',
      '    1:    exempt  polaris/hostPortSet',
      '        host port set',
      '        exempted (polaris.fairwinds.com/hostPortSet-exempt): exempted by annotation polaris.fairwinds.com/hostPortSet-exempt',
      '    15:   error   polaris/sensitiveContainerEnvVar  spec.template.spec.containers[0].env[0].value',
      '        DB_PASSWORD is a literal value: read it from a Secret',
      '',
      '1 object checked: 2 errors, 0 warnings, 1 exempted, 0 prerequisites',
      '',
    ].join('\n'),
  );
});

test('text: prerequisites are listed', () => {
  const r = validate([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { serviceAccountName: 'bot' } }], {
    families: [referencesFamily],
    config: { createdOutside: [{ kind: 'ServiceAccount', namespace: 'a', name: 'bot', reason: 'the tenant bootstrap creates it' }] },
  });
  expect(toText(r)).toBe(
    'Prerequisites (declared created outside this input):\n  ServiceAccount a/bot: the tenant bootstrap creates it (config; referenced by Pod a/p)\n\n1 object checked: 0 errors, 0 warnings, 0 exempted, 1 prerequisite\n',
  );
});

test('JSON: { findings, summary } with every field of every finding', () => {
  const r = sampleResult(dir);
  const json = JSON.parse(toJson(r));
  expect(Object.keys(json)).toEqual(['findings', 'summary']);
  expect(json.summary).toEqual({ objects: 1, errors: 2, warnings: 0, exempted: 1, prerequisites: [] });
  expect(json.findings[2]).toEqual({
    id: 'polaris/sensitiveContainerEnvVar',
    severity: 'error',
    file: path.join(dir, 'app.yaml'),
    line: 15,
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    namespace: 'shop',
    name: 'web',
    constructPath: null,
    path: 'spec.template.spec.containers[0].env[0].value',
    message: 'DB_PASSWORD is a literal value: read it from a Secret',
    exemption: null,
  });
  expect(formatReport(r, 'json')).toBe(toJson(r));
});
