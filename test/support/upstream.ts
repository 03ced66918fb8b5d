import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

/** Environment variable that points the contract tests at the pinned upstream data folder. */
export const UPSTREAM_ENV = 'PAAS_UPSTREAM_DIR';

function missing(tried: string, what: string): Error {
  return new Error(
    `Pinned upstream data not found: ${what} ${tried} does not exist. ` +
      `The contract tests read Kubernetes schemas, CRDs, chart values and Polaris checks from the ` +
      `shared "shared/upstream" folder, which is never copied into the repository. ` +
      `Set ${UPSTREAM_ENV} to the absolute path of that shared/upstream folder ` +
      `(e.g. ${UPSTREAM_ENV}=/work/shared/upstream).`,
  );
}

/**
 * The folder holding the pinned upstream data: `$PAAS_UPSTREAM_DIR`, else `../shared/upstream`
 * next to the repository. Throws (never passes silently) when the folder is missing.
 */
export function upstreamDir(): string {
  const fromEnv = process.env[UPSTREAM_ENV];
  const dir = fromEnv && fromEnv.trim() !== '' ? path.resolve(fromEnv) : path.resolve(__dirname, '../../../shared/upstream');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw missing(dir, fromEnv ? `folder (from ${UPSTREAM_ENV})` : 'folder');
  }
  return dir;
}

/** Absolute path of a file or folder inside the upstream folder; throws when it does not exist. */
export function upstreamPath(rel: string): string {
  const p = path.join(upstreamDir(), rel);
  if (!fs.existsSync(p)) throw missing(p, 'file');
  return p;
}

const textCache = new Map<string, string>();
const yamlCache = new Map<string, unknown>();
const yamlDocsCache = new Map<string, unknown[]>();
const jsonCache = new Map<string, unknown>();

/** Cache key that changes when PAAS_UPSTREAM_DIR changes (tests may point it elsewhere). */
function key(rel: string): string {
  return `${process.env[UPSTREAM_ENV] ?? ''}\u0000${rel}`;
}

/** Raw text of an upstream file (cached). */
export function readUpstreamText(rel: string): string {
  const k = key(rel);
  let text = textCache.get(k);
  if (text === undefined) {
    text = fs.readFileSync(upstreamPath(rel), 'utf8');
    textCache.set(k, text);
  }
  return text;
}

/** Every YAML document of an upstream file, empty documents dropped (cached; do not mutate). */
export function readUpstreamYamlDocuments(rel: string): unknown[] {
  const k = key(rel);
  let docs = yamlDocsCache.get(k);
  if (docs === undefined) {
    docs = parseAllDocuments(readUpstreamText(rel))
      .map((d) => {
        if (d.errors.length > 0) throw new Error(`YAML error in upstream file ${rel}: ${d.errors[0].message}`);
        return d.toJS({ maxAliasCount: -1 }) as unknown;
      })
      .filter((d) => d !== null && d !== undefined);
    yamlDocsCache.set(k, docs);
  }
  return docs;
}

/** The (first) YAML document of an upstream file (cached; do not mutate). */
export function readUpstreamYaml<T = any>(rel: string): T {
  const k = key(rel);
  if (!yamlCache.has(k)) {
    const docs = readUpstreamYamlDocuments(rel);
    yamlCache.set(k, docs[0]);
  }
  return yamlCache.get(k) as T;
}

/** A JSON upstream file, parsed (cached; do not mutate). */
export function readUpstreamJson<T = any>(rel: string): T {
  const k = key(rel);
  if (!jsonCache.has(k)) {
    jsonCache.set(k, JSON.parse(readUpstreamText(rel)));
  }
  return jsonCache.get(k) as T;
}

/** Relative paths (to the upstream folder) of the files in an upstream sub-folder, recursively, sorted. */
export function listUpstreamFiles(relDir: string, ext?: string): string[] {
  const root = upstreamPath(relDir);
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!ext || entry.name.endsWith(ext)) out.push(path.relative(upstreamDir(), full));
    }
  };
  walk(root);
  return out;
}
