/**
 * A fast reader for the YAML that cdk8s and kubectl write: block maps and sequences, plain and
 * quoted scalars, `|` block scalars, `[]` and `{}`. It exists because the `yaml` package, which
 * builds a full document tree with positions, costs most of `cdk8s-paas check dist/` on a cold
 * process. Anything outside that subset (anchors, tags, flow collections with content, folded
 * scalars, multi-line plain or quoted scalars, duplicate keys, odd keys) makes it give up on the
 * whole text, and the caller reads it with `yaml` as before, so error messages and YAML 1.1
 * semantics stay the `yaml` package's. Plain scalars other than simple words and decimal integers
 * are resolved by `yaml` itself (YAML 1.1 schema), once per distinct text.
 */
import { parse as parseYaml } from 'yaml';
import { splitFieldPath } from './field-path';

/** One document: its value (null when empty), the 1-based line of its first content line, and field lines. */
export interface FastDocument {
  readonly value: unknown;
  readonly line: number;
  /** The 1-based line of a field path (the deepest part of it that exists), from the reader's positions. */
  readonly locate: (fieldPath: string) => number;
}

/** Line of each key of a map and each item of a sequence the reader made. */
type Positions = WeakMap<object, Record<string | number, number>>;

class Unsupported extends Error {}

interface Line {
  indent: number;
  /** Text after the indentation, trailing spaces removed. */
  text: string;
  /** 1-based line number in the whole text. */
  readonly no: number;
  /** The raw line (block scalars need it). */
  readonly raw: string;
}

const BOOL_OR_NULL = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null', '~', '']);
const WORD = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const DECIMAL = /^(0|[1-9][0-9]{0,14})$/;
const resolved = new Map<string, unknown>();

function plainScalar(s: string): unknown {
  if (s.includes(' #') || s.includes(': ') || s.endsWith(':') || /^[-?:,[\]{}#&*!|>'"%@`]( |$)|^[[\]{}#&*!|>'"%@`,]/.test(s)) throw new Unsupported();
  if (WORD.test(s) && !BOOL_OR_NULL.has(s.toLowerCase())) return s;
  if (DECIMAL.test(s)) return Number(s);
  if (resolved.has(s)) return resolved.get(s);
  const v = parseYaml(s, { version: '1.1' }) as unknown;
  if (v !== null && typeof v === 'object') throw new Unsupported();
  resolved.set(s, v);
  return v;
}

function doubleQuoted(s: string): string {
  if (!/^"(?:[^"\\]|\\["\\/bfnrtu])*"$/.test(s)) throw new Unsupported();
  try {
    return JSON.parse(s) as string;
  } catch {
    throw new Unsupported();
  }
}

function inlineScalar(s: string): unknown {
  if (s.startsWith('"')) return doubleQuoted(s);
  if (s.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(s)) throw new Unsupported();
    return s.slice(1, -1).replace(/''/g, "'");
  }
  if (s === '[]') return [];
  if (s === '{}') return {};
  return plainScalar(s);
}

function keyOf(k: string): string {
  // A plain key resolves as YAML 1.1 does (`on` is true, `0755` is 493) before it becomes a
  // property name: only keys that stay the same string are in the subset.
  const v = k.startsWith('"') ? doubleQuoted(k) : k.startsWith("'") ? inlineScalar(k) : plainScalar(k);
  if (typeof v !== 'string' || v === '__proto__' || v === '') throw new Unsupported();
  return v;
}

/** Splits `key: rest` (rest may be empty); throws for anything else. */
function splitEntry(text: string): [string, string] | undefined {
  let end: number;
  if (text.startsWith('"') || text.startsWith("'")) {
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(text);
    if (!m) throw new Unsupported();
    end = m[0].length;
    if (text[end] !== ':') return undefined;
  } else {
    end = text.search(/:( |$)/);
    if (end < 0) return undefined;
  }
  const rest = text.slice(end + 1);
  if (rest !== '' && !rest.startsWith(' ')) return undefined;
  return [text.slice(0, end), rest.trim()];
}

class Reader {
  private i = 0;
  constructor(
    private readonly lines: Line[],
    private readonly positions: Positions,
  ) {}

  /** Index of the next structural line (not blank, not a comment) from `i`. */
  private skip(): Line | undefined {
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.text !== '' && !l.text.startsWith('#')) return l;
      this.i++;
    }
    return undefined;
  }

  public document(): unknown {
    const first = this.skip();
    if (!first) return undefined;
    if (first.indent !== 0) throw new Unsupported();
    const v = this.node(-1);
    if (this.skip()) throw new Unsupported();
    return v;
  }

  /** A node whose lines are indented more than `parent`. */
  private node(parent: number): unknown {
    const l = this.skip();
    if (!l || l.indent <= parent) return null;
    if (l.text === '-' || l.text.startsWith('- ')) return this.seq(l.indent);
    if (splitEntry(l.text)) return this.map(l.indent);
    throw new Unsupported();
  }

  private seq(indent: number): unknown[] {
    const out: unknown[] = [];
    const pos: Record<number, number> = {};
    this.positions.set(out, pos);
    for (let l = this.skip(); l && l.indent === indent && (l.text === '-' || l.text.startsWith('- ')); l = this.skip()) {
      const content = l.text.slice(1).trimStart();
      pos[out.length] = l.no;
      if (content === '') {
        this.i++;
        // The item's node starts on the next line, where the yaml package places it too.
        pos[out.length] = this.skip()?.no ?? l.no;
        out.push(this.node(indent));
        continue;
      }
      const offset = l.text.length - content.length;
      if (content === '-' || content.startsWith('- ') || splitEntry(content)) {
        // `- key: v` / `- - x`: the item is a node starting at the content's column.
        l.indent += offset;
        l.text = content;
        out.push(this.node(indent));
      } else if (content.startsWith('|')) {
        this.i++;
        out.push(this.blockScalar(content, indent));
      } else {
        this.i++;
        out.push(this.scalarValue(content, indent));
      }
    }
    const next = this.skip();
    if (next && next.indent > indent) throw new Unsupported();
    return out;
  }

  private map(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const pos: Record<string, number> = {};
    this.positions.set(out, pos);
    for (let l = this.skip(); l && l.indent === indent && !(l.text === '-' || l.text.startsWith('- ')); l = this.skip()) {
      const entry = splitEntry(l.text);
      if (!entry) throw new Unsupported();
      const key = keyOf(entry[0]);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new Unsupported();
      pos[key] = l.no;
      const rest = entry[1];
      this.i++;
      if (rest === '') {
        const next = this.skip();
        // `key:` then `- item` at the same indentation is a sequence value.
        if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) out[key] = this.seq(indent);
        else out[key] = this.node(indent);
      } else if (rest.startsWith('|')) {
        out[key] = this.blockScalar(rest, indent);
      } else {
        out[key] = this.scalarValue(rest, indent);
      }
    }
    const next = this.skip();
    if (next && next.indent > indent) throw new Unsupported();
    return out;
  }

  /** An inline scalar; a continuation line (multi-line scalar) is outside the subset. */
  private scalarValue(text: string, indent: number): unknown {
    const v = inlineScalar(text);
    const next = this.skip();
    if (next && next.indent > indent) throw new Unsupported();
    return v;
  }

  /** `|`, `|-`, `|+` (no explicit indentation indicator). */
  private blockScalar(header: string, parent: number): string {
    const m = /^\|([+-]?)$/.exec(header);
    if (!m) throw new Unsupported();
    const body: string[] = [];
    let contentIndent = -1;
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.text === '') {
        body.push(l.raw.length > contentIndent && contentIndent >= 0 ? l.raw.slice(contentIndent) : '');
        this.i++;
        continue;
      }
      if (contentIndent < 0) {
        if (l.indent <= parent) break;
        contentIndent = l.indent;
      }
      if (l.indent < contentIndent) break;
      if (/^[ ]*\t/.test(l.raw)) throw new Unsupported();
      body.push(l.raw.slice(contentIndent));
      this.i++;
    }
    // Trailing blank lines belong to the chomping, not to the content lines.
    let end = body.length;
    while (end > 0 && body[end - 1].trim() === '') end--;
    const trailing = body.slice(end);
    if (trailing.some((t) => t !== '')) throw new Unsupported();
    // Blank lines after the scalar may be followed by less-indented content: they are not ours.
    const content = body.slice(0, end).join('\n');
    if (end === 0) return '';
    if (m[1] === '-') return content;
    if (m[1] === '+') throw new Unsupported();
    return `${content}\n`;
  }
}

/**
 * The line of the deepest existing part of `fieldPath`. Map keys may contain dots (annotation
 * keys), so a key is matched greedily against the remaining segments, as input.ts does on a tree.
 */
function locate(root: unknown, positions: Positions, line0: number, fieldPath: string): number {
  const segs = splitFieldPath(fieldPath);
  let node = root;
  let line = line0;
  let i = 0;
  while (i < segs.length && node && typeof node === 'object') {
    const pos = positions.get(node);
    if (!pos) break;
    if (Array.isArray(node)) {
      const idx = segs[i];
      if (typeof idx !== 'number' || idx >= node.length) break;
      line = pos[idx] ?? line;
      node = node[idx];
      i++;
      continue;
    }
    let j = segs.length;
    for (; j > i; j--) if (Object.prototype.hasOwnProperty.call(node, segs.slice(i, j).join('.'))) break;
    if (j === i) break;
    const key = segs.slice(i, j).join('.');
    line = pos[key] ?? line;
    node = (node as Record<string, unknown>)[key];
    i = j;
  }
  return line;
}

/** Splits a text into lines with indentation; a tab in the indentation is outside the subset. */
function linesOf(text: string): Line[] {
  const raw = text.split(/\r?\n/);
  return raw.map((r, n) => {
    const t = r.replace(/\s+$/, '');
    const indent = t.length - t.trimStart().length;
    if (t.slice(0, indent).includes('\t')) throw new Unsupported();
    return { indent, text: t.slice(indent), no: n + 1, raw: r };
  });
}

/**
 * The documents of `text`, or undefined when the text is outside the subset (the caller then uses
 * the `yaml` package, which also reports syntax errors and duplicate keys).
 */
export function fastParseAll(text: string): FastDocument[] | undefined {
  try {
    if (text.charCodeAt(0) === 0xfeff) return undefined;
    const lines = linesOf(text);
    const docs: FastDocument[] = [];
    let start = 0;
    // Documents by index as the `yaml` package counts them: the text before a first `---` is a
    // document only when it has content; every `---` starts one, empty or not.
    const flush = (endExclusive: number, explicit: boolean): void => {
      const own = lines.slice(start, endExclusive);
      const positions: Positions = new WeakMap();
      const value = new Reader(
        own.map((l) => ({ ...l })),
        positions,
      ).document();
      const firstContent = own.find((l) => l.text !== '' && !l.text.startsWith('#'));
      if (!explicit && !firstContent) return;
      docs.push({
        value: value ?? null,
        line: firstContent?.no ?? start + 1,
        locate: (p) => locate(value, positions, firstContent?.no ?? start + 1, p),
      });
    };
    for (let n = 0; n < lines.length; n++) {
      const l = lines[n];
      if (l.indent === 0 && (l.text.startsWith('---') || l.text.startsWith('...') || l.text.startsWith('%'))) {
        if (l.text !== '---') throw new Unsupported();
        flush(n, start > 0);
        start = n + 1;
      }
    }
    flush(lines.length, start > 0);
    return docs;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
