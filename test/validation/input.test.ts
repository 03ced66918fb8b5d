import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, ApiObject } from 'cdk8s';
import { readInput, splitFieldPath, ValidationInputError } from '../../lib/validation/input';
import { validate } from '../../lib/validation/validate';

const noFamilies = { families: [] };
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-input-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  a: "1"\n`;

describe('reading files', () => {
  test('each document keeps its file, first line and index; empty documents are skipped', () => {
    const f = write('a.yaml', `${cm('one')}---\n# only a comment\n---\n${cm('two')}`);
    const read = readInput([f]);
    expect(read.objects.map((o) => [o.manifest.metadata.name, o.origin.line, o.origin.documentIndex])).toEqual([
      ['one', 1, 0],
      ['two', 11, 2],
    ]);
    // Outside the working directory a file keeps its absolute path; inside it, its relative one.
    expect(read.objects[0].origin.file).toBe(f);
  });

  test('a folder gives its .yaml and .yml files below it, sorted; other files are ignored', () => {
    write('b.yaml', cm('b'));
    write('sub/a.yml', cm('a'));
    write('notes.txt', 'not yaml: [');
    write('construct-metadata.json', '{"version":"1.0.0","resources":{}}');
    expect(readInput(dir).objects.map((o) => o.manifest.metadata.name)).toEqual(['b', 'a']);
  });

  test('a field path resolves to its line, keys with dots included', () => {
    const f = write(
      'd.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    paas.cdk8s.io/x: "y"\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n        - name: b\n          image: nginx\n',
    );
    const read = readInput([f]);
    const at = read.locators[0]!;
    expect(at('spec.template.spec.containers[1].image')).toBe(13);
    expect(at('metadata.annotations.paas.cdk8s.io/x')).toBe(6);
    // A field that is not there: the deepest one that is.
    expect(at('spec.template.spec.containers[0].securityContext.runAsNonRoot')).toBe(11);
    expect(at('')).toBe(1);
  });

  test('a YAML syntax error names file and line', () => {
    const f = write('bad.yaml', `${cm('ok')}---\nkind: [unclosed\n`);
    // The parser notices the unclosed sequence at the end of the stream (line 10).
    expect(() => readInput([f])).toThrow(
      new ValidationInputError(`${f}:10: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]`),
    );
  });

  test('a duplicate key is a syntax error with its line (YAML requires unique keys; kubectl rejects it too)', () => {
    const f = write('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n');
    try {
      readInput([f]);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationInputError);
      expect((e as ValidationInputError).line).toBe(5);
      expect((e as Error).message).toBe(`${f}:5: YAML syntax error: duplicate key: Map keys must be unique`);
    }
  });

  test('a missing path and a binary file are input errors, not crashes', () => {
    expect(() => readInput([path.join(dir, 'nope')])).toThrow(`${path.join(dir, 'nope')}: no such file or folder`);
    const bin = write('x.yaml', 'a\u0000b');
    expect(() => readInput([bin])).toThrow('not a text file (YAML or JSON expected)');
  });
});

describe('bad documents become findings', () => {
  test('not an object, a list, a missing kind, a missing name', () => {
    const f = write(
      'odd.yaml',
      'just a string\n---\n- a\n- b\n---\napiVersion: v1\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
    );
    const r = validate([f], noFamilies);
    expect(r.findings.map((x) => [x.id, x.line, x.message])).toEqual([
      ['input/not-an-object', 1, 'expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got string'],
      [
        'input/not-an-object',
        3,
        'expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got a list: write one object per YAML document, separated by ---',
      ],
      ['input/missing-kind', 6, 'the object has no kind: set kind (e.g. Deployment) and apiVersion'],
      ['input/missing-name', 10, 'the ConfigMap has no metadata.name: every object needs a name'],
    ]);
    expect(r.summary).toEqual({ objects: 0, errors: 4, warnings: 0, exempted: 0, prerequisites: [] });
  });

  test('plain objects: null, a number and an object without apiVersion', () => {
    const r = validate([null, 3, { kind: 'Pod', metadata: { name: 'p' } }], noFamilies);
    expect(r.findings.map((x) => x.id)).toEqual(['input/not-an-object', 'input/not-an-object', 'input/missing-api-version']);
    expect(r.findings[2].message).toBe('the Pod has no apiVersion: set apiVersion (e.g. apps/v1)');
  });

  test('a v1 List is read as its items', () => {
    const r = readInput([{ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, 'oops'] }]);
    expect(r.objects.map((o) => o.manifest.metadata.name)).toEqual(['a']);
    expect(r.problems.map((p) => p.id)).toEqual(['input/not-an-object']);
  });

  test('anything else is a usage error', () => {
    expect(() => readInput(42 as unknown as object)).toThrow(
      'validate(): input must be a cdk8s App or Chart, a path, a list of paths, or a list of Kubernetes objects',
    );
  });
});

describe('cdk8s input (duck-typed)', () => {
  test('an App gives every chart objects with construct paths', () => {
    const app = new App();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    new ApiObject(a, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
    const b = new Chart(app, 'b');
    new ApiObject(b, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const read = readInput(app);
    expect(read.objects.map((o) => [o.manifest.kind, o.manifest.metadata.namespace, o.origin.constructPath])).toEqual([
      ['ConfigMap', 'shop', 'a/cfg'],
      ['Namespace', undefined, 'b/ns'],
    ]);
  });

  test('a Chart gives only its own objects; construct validation errors surface', () => {
    const app = new App();
    const a = new Chart(app, 'a');
    new ApiObject(a, 'cfg', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
    new ApiObject(new Chart(app, 'b'), 'other', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
    expect(readInput(a).objects.map((o) => o.manifest.metadata.name)).toEqual(['cfg']);
    a.node.addValidation({ validate: () => ['broken'] });
    expect(() => readInput(a)).toThrow('Validation failed with the following errors:\n  [a] broken');
  });
});

test('splitFieldPath', () => {
  expect(splitFieldPath('spec.containers[0].env[12].value')).toEqual(['spec', 'containers', 0, 'env', 12, 'value']);
  expect(splitFieldPath('')).toEqual([]);
});
