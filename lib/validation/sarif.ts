/**
 * SARIF 2.1.0 (OASIS), the format GitHub code scanning and other CI tools read: one rule per check
 * id, one result per finding with a file and line, exemptions as `suppressions`.
 */
import { packageVersion } from './report';
import { Finding, ValidationResult } from './validate';

const FAMILY_HELP: Record<string, string> = {
  schema: 'Strict schema validation against the Kubernetes and CRD definitions (unknown fields rejected).',
  'pod-security': 'Pod Security Standards control.',
  polaris: 'Polaris v10.2.2 built-in check.',
  wiring: 'Objects of the input that point at each other (selectors, ports, targets, backends).',
  references: 'An object the input references by name but does not create.',
  input: 'A document that is not a Kubernetes object.',
  construct: 'A construct warning recorded with addWarning().',
  engine: 'The engine could not run a check.',
};

function location(f: Finding): Record<string, unknown>[] {
  const logical = f.kind
    ? [{ fullyQualifiedName: `${f.kind}/${f.namespace ? `${f.namespace}/` : ''}${f.name}`, kind: 'object' }]
    : f.constructPath
      ? [{ fullyQualifiedName: f.constructPath, kind: 'construct' }]
      : [];
  const loc: Record<string, unknown> = {};
  if (f.file) loc.physicalLocation = { artifactLocation: { uri: f.file }, region: { startLine: f.line ?? 1 } };
  if (logical.length > 0) loc.logicalLocations = logical;
  return Object.keys(loc).length > 0 ? [loc] : [];
}

/** The SARIF log object for `result`. */
export function toSarif(result: ValidationResult): Record<string, unknown> {
  const ids = [...new Set(result.findings.map((f) => f.id))].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => {
    const family = id.slice(0, id.indexOf('/'));
    const sample = result.findings.find((f) => f.id === id)!;
    return {
      id,
      name: id.slice(id.indexOf('/') + 1),
      shortDescription: { text: `${FAMILY_HELP[family] ?? 'Check'} (${id})` },
      defaultConfiguration: { level: sample.severity },
      properties: { family },
    };
  });
  const results = result.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: index.get(f.id),
    level: f.severity,
    message: { text: `${f.path ? `${f.path}: ` : ''}${f.message}${f.constructPath ? ` (construct ${f.constructPath})` : ''}` },
    locations: location(f),
    ...(f.exemption
      ? { suppressions: [{ kind: f.exemption.source === 'config' ? 'external' : 'inSource', status: 'accepted', justification: f.exemption.reason }] }
      : {}),
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'cdk8s-paas', version: packageVersion(), informationUri: 'https://www.npmjs.com/package/cdk8s-paas', rules } },
        results,
      },
    ],
  };
}
