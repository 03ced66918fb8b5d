import { expandLists, schemaFamily } from '../../lib/validation/schema';
import { disagreements, fixtureObjects, tracedContext, Verdict } from './fidelity-helpers';
import { listUpstreamFiles } from '../support/upstream';

// kubeconform v0.7.0's fixtures with the verdict its acceptance.bats gives under `-strict`, checked
// against Kubernetes 1.28. A `kind: List` is expanded into its items first, as kubeconform does;
// a file that must pass must have had every object evaluated.

/** Expected verdict per fixture (acceptance.bats; null_array and multi_valid_source by their names, no test runs them). */
const EXPECTED: Record<string, 'pass' | 'fail'> = {
  'duplicate_property.yaml': 'fail', // strict: duplicate key, and DaemonSetSpec has no replicas
  'extra_property.yaml': 'fail', // strict: unknown field
  'folder/multi_valid.yaml': 'pass',
  'folder/valid.yaml': 'pass',
  'generate_name.yaml': 'pass',
  'int_or_string.yaml': 'pass',
  'invalid.yaml': 'fail',
  'list_empty_valid.yaml': 'pass',
  'list_invalid.yaml': 'fail',
  'list_valid.yaml': 'pass',
  'missing_apiversion.yaml': 'fail',
  'missing_kind.yaml': 'fail',
  'missing_kind_value.yaml': 'fail',
  'multi_invalid.yaml': 'fail',
  'multi_valid.yaml': 'pass',
  'multi_valid_source.yaml': 'pass',
  'multi_with_list.yaml': 'pass',
  'null_array.yaml': 'pass',
  'null_string.yaml': 'pass',
  'quantity.yaml': 'pass',
  'valid.json': 'pass',
  'valid.yaml': 'pass',
};

/** Fixtures where we knowingly differ from kubeconform, with the reason. None today. */
const EXPECTED_DISAGREEMENTS: Record<string, string> = {};

const rel = (f: string): string => f.replace(/^fixtures\/kubeconform\//, '');

function verdicts(): { all: Verdict[]; ids: Map<string, string[]> } {
  const all: Verdict[] = [];
  const ids = new Map<string, string[]>();
  for (const file of listUpstreamFiles('fixtures/kubeconform')) {
    const objects = expandLists(fixtureObjects(file));
    const { ctx, evaluated } = tracedContext(objects);
    const findings = schemaFamily(ctx);
    ids.set(
      rel(file),
      findings.map((f) => f.id),
    );
    const expected = EXPECTED[rel(file)];
    all.push({
      fixture: rel(file),
      expected: expected ?? 'pass',
      actual: findings.length > 0 ? 'fail' : 'pass',
      // An empty list has nothing to evaluate; every other passing file must have all its objects judged.
      evaluated: objects.length === 0 || evaluated('schema') === objects.length ? Math.max(1, evaluated('schema')) : 0,
    });
  }
  return { all, ids };
}

describe('fidelity: kubeconform v0.7.0 fixtures under -strict, Kubernetes 1.28', () => {
  const { all, ids } = verdicts();

  test('every fixture file has an expectation from acceptance.bats', () => {
    expect(all.map((v) => v.fixture).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test('agrees with kubeconform on every fixture except the listed disagreements', () => {
    expect(disagreements(all)).toEqual(Object.keys(EXPECTED_DISAGREEMENTS));
  });

  test('fails each invalid fixture for the reason kubeconform gives', () => {
    expect(ids.get('missing_kind.yaml')).toContain('schema/missing-kind');
    expect(ids.get('missing_kind_value.yaml')).toContain('schema/missing-kind');
    expect(ids.get('missing_apiversion.yaml')).toEqual(['schema/missing-apiversion']);
    expect(ids.get('extra_property.yaml')).toEqual(['schema/unknown-field']);
    expect(ids.get('invalid.yaml')).toEqual(['schema/type', 'schema/unknown-field']);
  });

  test('null is absent: creationTimestamp: null and args: (empty) pass', () => {
    expect(ids.get('null_string.yaml')).toEqual([]);
    expect(ids.get('null_array.yaml')).toEqual([]);
  });
});
