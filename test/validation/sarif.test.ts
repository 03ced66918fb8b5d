import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toSarif } from '../../lib/validation/sarif';
import { sampleResult } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-sarif-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('SARIF 2.1.0: one rule per check id, a result per finding with file and line, exemptions as suppressions', () => {
  const log = toSarif(sampleResult(dir)) as any;
  expect(log.version).toBe('2.1.0');
  expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
  const run = log.runs[0];
  expect(run.tool.driver.name).toBe('cdk8s-paas');
  expect(run.tool.driver.version).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(['input/not-an-object', 'polaris/hostPortSet', 'polaris/sensitiveContainerEnvVar']);
  expect(run.results.map((r: any) => [r.ruleId, run.tool.driver.rules[r.ruleIndex].id, r.level, r.locations[0].physicalLocation.region.startLine])).toEqual([
    ['input/not-an-object', 'input/not-an-object', 'error', 17],
    ['polaris/hostPortSet', 'polaris/hostPortSet', 'warning', 1],
    ['polaris/sensitiveContainerEnvVar', 'polaris/sensitiveContainerEnvVar', 'error', 15],
  ]);
  const secret = run.results[2];
  expect(secret.locations[0]).toEqual({
    physicalLocation: { artifactLocation: { uri: path.join(dir, 'app.yaml') }, region: { startLine: 15 } },
    logicalLocations: [{ fullyQualifiedName: 'Deployment/shop/web', kind: 'object' }],
  });
  expect(secret.message.text).toBe('spec.template.spec.containers[0].env[0].value: DB_PASSWORD is a literal value: read it from a Secret');
  expect(secret.suppressions).toBeUndefined();
  expect(run.results[1].suppressions).toEqual([
    { kind: 'inSource', status: 'accepted', justification: 'exempted by annotation polaris.fairwinds.com/hostPortSet-exempt' },
  ]);
});
