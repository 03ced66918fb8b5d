/**
 * Reads validate()'s input into InputObjects: a cdk8s App or Chart (duck-typed, so the engine has no
 * cdk8s import), YAML/JSON files and folders, or plain objects. Documents that are not Kubernetes
 * objects become input findings instead of reaching the check families, which may assume a kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isSeq, LineCounter, Node, parseAllDocuments } from 'yaml';
import { fastParseAll } from './fast-yaml';
import { splitFieldPath } from './field-path';
import { InputObject, Manifest } from './types';

export { splitFieldPath } from './field-path';

/** Unreadable input (missing file, YAML syntax error): the CLI exits 2 on it. */
export class ValidationInputError extends Error {
  constructor(
    message: string,
    /** File concerned, when known. */
    public readonly file?: string,
    /** 1-based line, when known. */
    public readonly line?: number,
  ) {
    super(message);
    this.name = 'ValidationInputError';
  }
}

/** A document or value that cannot be checked, reported as a finding with its origin. */
export interface InputProblem {
  readonly id: string;
  readonly file?: string;
  readonly line?: number;
  readonly constructPath?: string;
  readonly manifest?: Manifest;
  readonly message: string;
}

/** What the reader produced. */
export interface ReadInput {
  readonly objects: InputObject[];
  readonly problems: InputProblem[];
  /** Per object (same index): field path → 1-based line, when read from a file. */
  readonly locators: (((fieldPath: string) => number | undefined) | undefined)[];
  /** Construct warnings carried with the input (App input, or a paas-warnings.json in a folder). */
  readonly warnings: ConstructWarning[];
  /** Folders given as input that are cdktf outputs (namespace levels come from them). */
  readonly cdktfDirs: string[];
  /** `apiVersion|kind|namespace|name` → construct path, from paas-warnings.json files. */
  readonly constructPaths: Map<string, string>;
}

/** The key {@link ReadInput.constructPaths} uses. */
export function objectKey(apiVersion: unknown, kind: unknown, namespace: unknown, name: unknown): string {
  return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
}

/**
 * The sidecar an app writes beside its manifests (see `writePaasWarnings`): its construct warnings,
 * and the construct path of every object by kind, namespace and name, which cdk8s's own
 * construct-metadata.json cannot give where two objects share a name.
 */
export interface WarningsFileContent {
  readonly version: 1;
  readonly warnings: readonly ConstructWarning[];
  readonly objects: readonly { apiVersion: string; kind: string; namespace?: string; name: string; constructPath: string }[];
}

/** A construct warning (`addWarning`), with the construct path it was recorded on. */
export interface ConstructWarning {
  readonly constructPath: string;
  readonly message: string;
}

/** The file the app writes beside its manifests so that the plugin and the CLI see construct warnings. */
export const WARNINGS_FILE = 'paas-warnings.json';

interface ConstructLike {
  readonly node: { readonly path: string; findAll(): ConstructLike[]; validate(): string[]; readonly metadata: readonly { type: string; data: unknown }[] };
}
interface ApiObjectLike extends ConstructLike {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly chart: unknown;
  readonly metadata: { readonly namespace?: string };
  toJson(): Manifest;
}

/** A cdk8s App, by duck typing: it has `charts` and `synthYaml()`. */
export function isAppLike(x: unknown): x is ConstructLike & { readonly charts: readonly ConstructLike[] } {
  const a = x as Record<string, unknown>;
  return !!a && typeof a === 'object' && Array.isArray(a.charts) && typeof a.synthYaml === 'function' && !!a.node;
}

/** A cdk8s Chart, by duck typing: it has `toJson()` and `apiObjects`. */
export function isChartLike(x: unknown): x is ConstructLike {
  const c = x as Record<string, unknown>;
  return !!c && typeof c === 'object' && typeof c.toJson === 'function' && Array.isArray(c.apiObjects) && !!c.node;
}

function isApiObjectLike(x: ConstructLike): x is ApiObjectLike {
  const o = x as unknown as Record<string, unknown>;
  return typeof o.toJson === 'function' && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && 'chart' in o && !Array.isArray(o.apiObjects);
}

const WARNING_TYPE = 'paas:warning';

/** Objects of the charts under `scope`, with their construct paths, after the construct validations. */
function readConstructs(scope: ConstructLike, charts: readonly ConstructLike[], out: ReadInput): void {
  // The same validation pass `cdk8s synth` runs before writing (node.addValidation hooks).
  const all = scope.node.findAll();
  const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new ValidationInputError(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  const chartSet = new Set(charts);
  for (const c of all) {
    if (isApiObjectLike(c) && chartSet.has(c.chart as ConstructLike)) {
      pushObject(out, c.toJson(), { constructPath: c.node.path }, undefined);
    }
    for (const entry of c.node.metadata) {
      if (entry.type !== WARNING_TYPE) continue;
      const text = String(entry.data);
      const prefix = `${c.node.path}: `;
      out.warnings.push({ constructPath: c.node.path, message: text.startsWith(prefix) ? text.slice(prefix.length) : text });
    }
  }
}

function pushObject(
  out: ReadInput,
  value: unknown,
  origin: { file?: string; line?: number; documentIndex?: number; constructPath?: string },
  locator: ReadInput['locators'][number],
): void {
  const problem = shapeProblem(value);
  if (problem) {
    out.problems.push({ ...origin, manifest: value && typeof value === 'object' && !Array.isArray(value) ? (value as Manifest) : undefined, ...problem });
    return;
  }
  const m = value as Manifest;
  // A v1 List (what `kubectl get -o yaml` writes) holds its objects in `items`.
  if (m.kind === 'List' && Array.isArray(m.items)) {
    for (const item of m.items) pushObject(out, item, origin, locator);
    return;
  }
  out.objects.push({ manifest: m, origin });
  out.locators.push(locator);
}

/** Why a value cannot be checked as a Kubernetes object, or undefined when it can. */
function shapeProblem(value: unknown): { id: string; message: string } | undefined {
  if (value === null || typeof value !== 'object') {
    return {
      id: 'input/not-an-object',
      message: `expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got ${value === null ? 'null' : typeof value}`,
    };
  }
  if (Array.isArray(value)) {
    return {
      id: 'input/not-an-object',
      message: 'expected a Kubernetes object (a mapping with apiVersion, kind and metadata), got a list: write one object per YAML document, separated by ---',
    };
  }
  const m = value as Manifest;
  if (typeof m.kind !== 'string' || m.kind === '')
    return { id: 'input/missing-kind', message: 'the object has no kind: set kind (e.g. Deployment) and apiVersion' };
  if (typeof m.apiVersion !== 'string' || m.apiVersion === '')
    return { id: 'input/missing-api-version', message: `the ${m.kind} has no apiVersion: set apiVersion (e.g. apps/v1)` };
  if (
    m.kind !== 'List' &&
    (m.metadata === null || typeof m.metadata !== 'object' || Array.isArray(m.metadata) || typeof m.metadata.name !== 'string' || m.metadata.name === '')
  ) {
    return { id: 'input/missing-name', message: `the ${m.kind} has no metadata.name: every object needs a name` };
  }
  return undefined;
}

/**
 * The line of `fieldPath` in a parsed document: the deepest node of the path that exists. Map keys
 * may contain dots (annotation keys), so a key is matched greedily against the remaining segments.
 */
function locate(doc: Document, lines: LineCounter, fieldPath: string): number | undefined {
  const segs = splitFieldPath(fieldPath);
  let node: unknown = doc.contents;
  let line = lineOf(node, lines);
  let i = 0;
  while (i < segs.length && node) {
    if (isSeq(node) && typeof segs[i] === 'number') {
      node = node.items[segs[i] as number];
      i++;
    } else if (isMap(node)) {
      let found: { key: unknown; value: unknown } | undefined;
      let used = 0;
      for (let j = segs.length; j > i && !found; j--) {
        const key = segs.slice(i, j).join('.');
        found = node.items.find((p) => String((p.key as { value?: unknown })?.value ?? p.key) === key) as typeof found;
        used = j - i;
      }
      if (!found) break;
      line = lineOf(found.key, lines) ?? line;
      node = found.value;
      i += used;
      continue;
    } else {
      break;
    }
    line = lineOf(node, lines) ?? line;
  }
  return line;
}

function lineOf(node: unknown, lines: LineCounter): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? lines.linePos(range[0]).line : undefined;
}

/** Parses one YAML (or JSON) text into objects with file, line and document index. */
export function readYamlText(text: string, file: string, out: ReadInput): void {
  // The common case (what cdk8s writes) without building a document tree; the fast reader keeps
  // the line of every key and item for the findings.
  const fast = fastParseAll(text);
  if (fast) {
    fast.forEach((d, documentIndex) => {
      if (d.value !== null) pushObject(out, d.value, { file, line: d.line, documentIndex }, d.locate);
    });
    return;
  }
  const lines = new LineCounter();
  // cdk8s writes YAML 1.1 (and kubectl reads it so): `on`/`yes` stay what those tools make of them.
  const docs = parseAllDocuments(text, { version: '1.1', lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  // An empty stream (only comments, or nothing) has no documents to check.
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const line = lines.linePos(err.pos[0]).line;
      const what = err.code === 'DUPLICATE_KEY' ? `duplicate key: ${err.message.split('\n')[0]}` : err.message.split('\n')[0];
      throw new ValidationInputError(`${file}:${line}: YAML syntax error: ${what}`, file, line);
    }
  }
  list.forEach((doc, documentIndex) => {
    if (doc.contents === null) return;
    const line = lineOf(doc.contents, lines);
    const value = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    pushObject(out, value, { file, line, documentIndex }, (p) => locate(doc, lines, p));
  });
}

function display(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return (rel && !rel.startsWith('..') ? rel : p).split(path.sep).join('/');
}

/** Whether a folder is a cdktf output (`stacks/<name>/cdk.tf.json`) or one of its stack folders. */
export function isCdktfOut(dir: string): boolean {
  if (fs.existsSync(path.join(dir, 'cdk.tf.json'))) return true;
  const stacks = path.join(dir, 'stacks');
  return fs.existsSync(stacks) && fs.statSync(stacks).isDirectory() && fs.readdirSync(stacks).some((s) => fs.existsSync(path.join(stacks, s, 'cdk.tf.json')));
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

function readWarningsFile(file: string, out: ReadInput): void {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ValidationInputError(`${display(file)}: not valid JSON: ${(e as Error).message}`, display(file));
  }
  const { warnings, objects } = (data ?? {}) as { warnings?: unknown; objects?: unknown };
  if (!Array.isArray(warnings))
    throw new ValidationInputError(
      `${display(file)}: expected { "version": 1, "warnings": [{ "constructPath", "message" }], "objects": [...] }`,
      display(file),
    );
  for (const w of warnings) {
    if (w && typeof w.constructPath === 'string' && typeof w.message === 'string') out.warnings.push({ constructPath: w.constructPath, message: w.message });
  }
  for (const o of Array.isArray(objects) ? objects : []) {
    if (o && typeof o.constructPath === 'string') out.constructPaths.set(objectKey(o.apiVersion, o.kind, o.namespace, o.name), o.constructPath);
  }
}

/** Gives objects read from files the construct path a sidecar names for them. */
function applyConstructPaths(out: ReadInput): void {
  if (out.constructPaths.size === 0) return;
  out.objects.forEach((o, i) => {
    if (o.origin.constructPath) return;
    const m = o.manifest;
    const constructPath = out.constructPaths.get(objectKey(m.apiVersion, m.kind, m.metadata?.namespace, m.metadata?.name));
    if (constructPath) out.objects[i] = { manifest: m, origin: { ...o.origin, constructPath } };
  });
}

/**
 * Reads paths: a folder gives every `.yaml`/`.yml` file below it (sorted) and its
 * `paas-warnings.json`; a cdktf output folder is only noted (namespace levels); a
 * `paas-warnings.json` file is read as the sidecar; any other file is read whatever its extension
 * (YAML or JSON).
 */
export function readPaths(paths: readonly string[], out: ReadInput): void {
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new ValidationInputError(`${p}: no such file or folder`, p);
    if (fs.statSync(p).isDirectory()) {
      if (isCdktfOut(p)) {
        out.cdktfDirs.push(p);
        continue;
      }
      for (const f of yamlFilesUnder(p)) readFile(f, out);
      const w = path.join(p, WARNINGS_FILE);
      if (fs.existsSync(w)) readWarningsFile(w, out);
    } else if (path.basename(p) === WARNINGS_FILE) {
      readWarningsFile(p, out);
    } else {
      readFile(p, out);
    }
  }
  applyConstructPaths(out);
}

function readFile(file: string, out: ReadInput): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ValidationInputError(`${display(file)}: cannot read: ${(e as Error).message}`, display(file));
  }
  if (text.includes('\u0000')) throw new ValidationInputError(`${display(file)}: not a text file (YAML or JSON expected)`, display(file));
  readYamlText(text, display(file), out);
}

/** A ReadInput with nothing read yet. */
export function emptyInput(): ReadInput {
  return { objects: [], problems: [], locators: [], warnings: [], cdktfDirs: [], constructPaths: new Map() };
}

/** validate()'s input forms. */
export type ValidationInput = object | string | readonly string[] | readonly unknown[];

/** Reads any accepted input form. */
export function readInput(input: ValidationInput): ReadInput {
  const out = emptyInput();
  if (typeof input === 'string') readPaths([input], out);
  else if (isAppLike(input)) readConstructs(input, input.charts, out);
  else if (isChartLike(input)) readConstructs(input, [input], out);
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string')) readPaths(input as string[], out);
  else if (Array.isArray(input)) input.forEach((value, documentIndex) => pushObject(out, value, { documentIndex }, undefined));
  else throw new ValidationInputError('validate(): input must be a cdk8s App or Chart, a path, a list of paths, or a list of Kubernetes objects');
  return out;
}
