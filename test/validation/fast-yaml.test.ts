import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMap, isScalar, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { fastParseAll } from '../../lib/validation/fast-yaml';
import { readYamlText } from '../../lib/validation/input';
import { emptyInput } from '../../lib/validation/input';
import { buildExamples } from '../../apps/main';

// The examples' YAML as cdk8s writes it, synthesized here (a fresh checkout has no dist/ yet, and
// jest runs files in any order).
let examplesDir: string;
beforeAll(() => {
  examplesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-fast-yaml-'));
  for (const app of buildExamples(examplesDir)) app.synth();
});
afterAll(() => fs.rmSync(examplesDir, { recursive: true, force: true }));

/** What the `yaml` package makes of a text (YAML 1.1, as the engine reads it). */
const reference = (text: string) =>
  parseAllDocuments(text, { version: '1.1', uniqueKeys: true }).map((d) => (d.contents === null ? null : d.toJS({ maxAliasCount: 1000 })));

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

describe('fastParseAll', () => {
  test('agrees with the yaml package on every YAML file it accepts (examples, synth snapshot fixtures, upstream fixtures)', () => {
    const root = path.resolve(__dirname, '..', '..');
    const files = [...yamlFiles(examplesDir), ...yamlFiles(path.join(root, '..', 'shared', 'upstream', 'fixtures'))];
    expect(files.length).toBeGreaterThan(100);
    let accepted = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const fast = fastParseAll(text);
      if (!fast) continue;
      accepted++;
      expect({ f, docs: fast.map((d) => d.value) }).toEqual({ f, docs: reference(text) });
    }
    // The examples' output is entirely in the subset: that is the point.
    for (const f of yamlFiles(examplesDir)) expect({ f, fast: fastParseAll(fs.readFileSync(f, 'utf8')) !== undefined }).toEqual({ f, fast: true });
    expect(accepted).toBeGreaterThan(50);
  });

  test.each([
    ['YAML 1.1 scalars', "a: yes\nb: off\nc: ~\nd: 0755\ne: 1_000\nf: 1.5e3\ng: .inf\nh: \"on\"\ni: 'it''s'\nj: 25%\nk: --port=80\nl: []\nm: {}\nempty:\n"],
    ['block scalars', 'a: |\n  line 1\n\n    indented\n  last\nb: |-\n  no newline\nc: |\n  x\n\n\nd: 1\n'],
    ['sequences', 'a:\n- |-\n  in a list\n- x\n- - y\n  - z\n-\n  k: v\nb:\n  - k: v\n    l:\n      - 1\n'],
    ['documents', '# head\n---\na: 1\n---\n---\nb: 2\n---\n'],
    ['quoted keys', '"a.b/c": 1\n\'d e\': 2\n001-orders.sql: x\n'],
  ])('%s: same values as the yaml package', (_name, text) => {
    const fast = fastParseAll(text);
    expect(fast).toBeDefined();
    expect(fast!.map((d) => d.value)).toEqual(reference(text));
  });

  test.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow map', 'a: {b: 1}\n'],
    ['a folded scalar', 'a: >\n  x\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a comment after a value', 'a: 1 # one\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a key YAML 1.1 reads as a boolean', 'on: push\n'],
    ['a tab in the indentation', 'a:\n\tb: 1\n'],
    ['a bad indentation', 'a:\n    b: 1\n  c: 2\n'],
  ])('%s is left to the yaml package', (_name, text) => {
    expect(fastParseAll(text)).toBeUndefined();
  });

  test('the line of every field of the examples is the one the yaml package gives', () => {
    expect(yamlFiles(examplesDir).length).toBeGreaterThan(10);
    let checked = 0;
    for (const f of yamlFiles(examplesDir)) {
      const text = fs.readFileSync(f, 'utf8');
      const lines = new LineCounter();
      const docs = parseAllDocuments(text, { version: '1.1', lineCounter: lines });
      const fast = fastParseAll(text)!;
      const lineOf = (n: unknown): number => lines.linePos((n as Node).range![0]).line;
      const walk = (node: unknown, at: string, d: number, out: Array<[string, number]>): void => {
        if (isMap(node))
          for (const p of node.items) {
            const k = `${at}${at ? '.' : ''}${String((p.key as { value: unknown }).value)}`;
            out.push([k, lineOf(p.key)]);
            walk(p.value, k, d, out);
          }
        else if (isSeq(node))
          node.items.forEach((item, i) => {
            const k = `${at}[${i}]`;
            if (!isScalar(item) || item.range) out.push([k, lineOf(item)]);
            walk(item, k, d, out);
          });
      };
      docs.forEach((doc, i) => {
        if (doc.contents === null) return;
        const expected: Array<[string, number]> = [];
        walk(doc.contents, '', 0, expected);
        const got = expected.map(([p]) => [p, fast[i].locate(p)]);
        expect({ f, i, got }).toEqual({ f, i, got: expected });
        checked += expected.length;
      });
    }
    expect(checked).toBeGreaterThan(1000);
  });

  test('line numbers: document start from the fast path, field lines computed on demand', () => {
    const text = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  x: "1"\n';
    const out = emptyInput();
    readYamlText(text, 'f.yaml', out);
    expect(out.objects.map((o) => [o.manifest.metadata.name, o.origin.line, o.origin.documentIndex])).toEqual([
      ['a', 2, 0],
      ['b', 7, 1],
    ]);
    expect(out.locators[1]!('data.x')).toBe(12);
    expect(out.locators[1]!('metadata.name')).toBe(10);
    expect(out.locators[0]!('spec.containers[0]')).toBe(2);
  });
});
