/**
 * Regenerates the typed CRD classes in `imports/` (`npm run import`).
 *
 * The pinned CRD files in `../shared/upstream/crds/` carry upstream documentation prose in their
 * `description` fields. Field names and types are facts; the prose stays upstream. So this script
 * strips every `description` string from a copy of each CRD, writes the copies to a temporary
 * directory, runs `cdk8s import` there (one module per API group) and then checks that no
 * upstream description text made it into `imports/`.
 *
 * Upstream directory: `PAAS_UPSTREAM_DIR`, else `../shared/upstream` next to the repository.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

/** One API group: the module written to `imports/<group>.ts` and the CRD files it is made from. */
export interface CrdGroup {
  readonly group: string;
  readonly files: readonly string[];
  /**
   * Folder under the upstream root holding the files.
   * @default 'crds/<group>'
   */
  readonly dir?: string;
}

export const CRD_GROUPS: readonly CrdGroup[] = [
  {
    group: 'monitoring.coreos.com',
    files: ['monitoring.coreos.com_servicemonitors.yaml', 'monitoring.coreos.com_podmonitors.yaml', 'monitoring.coreos.com_prometheusrules.yaml'],
  },
  {
    // The version the platform stack installs (gateway-api-crds.ts), not the newest release:
    // routes are typed and validated against what the cluster will serve.
    group: 'gateway.networking.k8s.io',
    dir: 'install/gateway-api-v1.5.1',
    files: ['gateway.networking.k8s.io_gatewayclasses.yaml', 'gateway.networking.k8s.io_gateways.yaml', 'gateway.networking.k8s.io_httproutes.yaml'],
  },
  {
    // Only the kinds we create: the issuers and certificates of the platform's cert-manager.
    group: 'cert-manager.io',
    files: ['cert-manager.io_clusterissuers.yaml', 'cert-manager.io_issuers.yaml', 'cert-manager.io_certificates.yaml'],
  },
];

export function upstreamRoot(): string {
  return process.env.PAAS_UPSTREAM_DIR ?? path.resolve(__dirname, '../../shared/upstream');
}

/**
 * Removes every `description` whose value is a string. A schema *property* named `description`
 * has an object value (its schema), so real fields of that name survive.
 * Returns the removed strings (for the leak check).
 */
export function stripDescriptions(node: unknown, removed: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) stripDescriptions(item, removed);
  } else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key === 'description' && typeof obj[key] === 'string') {
        removed.push(obj[key] as string);
        delete obj[key];
      } else {
        stripDescriptions(obj[key], removed);
      }
    }
  }
  return removed;
}

/** Reads one group's CRD files and returns the stripped multi-document YAML and the removed prose. */
export function strippedGroupYaml(upstream: string, group: CrdGroup): { yaml: string; removed: string[] } {
  const removed: string[] = [];
  const docs: string[] = [];
  for (const file of group.files) {
    const text = fs.readFileSync(path.join(upstream, group.dir ?? path.join('crds', group.group), file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const value = doc.toJS();
      if (!value) continue;
      stripDescriptions(value, removed);
      docs.push(stringify(value, { lineWidth: 0 }));
    }
  }
  return { yaml: docs.map((d) => `---\n${d}`).join(''), removed };
}

/**
 * Lines of upstream prose found in a generated file: any removed description line of 30+
 * characters that appears verbatim. Short fragments ("Default: 30s") are too generic to mean a leak.
 */
export function findLeakedProse(generated: string, removed: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const d of removed) {
    for (const line of d.split('\n')) {
      const t = line.trim();
      if (t.length >= 30) lines.add(t);
    }
  }
  return [...lines].filter((l) => generated.includes(l)).sort();
}

/**
 * Writes `<outDir>/<group>.ts` for every group from the stripped CRDs and checks them for leaked
 * prose. Returns the written files.
 */
export function generateImports(outDir: string, upstream: string = upstreamRoot(), log: (line: string) => void = () => undefined): string[] {
  const repo = path.resolve(__dirname, '..');
  const cli = path.join(repo, 'node_modules', '.bin', 'cdk8s');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-crds-'));
  const written: string[] = [];
  try {
    fs.mkdirSync(outDir, { recursive: true });
    for (const group of CRD_GROUPS) {
      const { yaml, removed } = strippedGroupYaml(upstream, group);
      const file = path.join(tmp, `${group.group}.yaml`);
      fs.writeFileSync(file, yaml);
      // cwd = tmp so the CLI neither reads nor writes a cdk8s.yaml in the repository.
      execFileSync(cli, ['import', file, '--language', 'typescript', '--output', path.resolve(outDir), '--no-save', '--no-check-upgrade'], {
        cwd: tmp,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const generated = path.join(outDir, `${group.group}.ts`);
      const leaked = findLeakedProse(fs.readFileSync(generated, 'utf8'), removed);
      if (leaked.length > 0) throw new Error(`${generated} still contains upstream description text:\n  ${leaked.slice(0, 5).join('\n  ')}`);
      written.push(generated);
      log(`${path.relative(process.cwd(), generated)}: ${group.files.length} CRDs, ${removed.length} descriptions stripped`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return written;
}

/** The Gateway API release the platform stack installs, and where its files are upstream. */
export const GATEWAY_API_INSTALL = { version: 'v1.5.1', dir: 'install/gateway-api-v1.5.1', module: 'gateway-api-install.ts' } as const;

/**
 * Our own words for the two messages of the install's ValidatingAdmissionPolicy (what a user
 * sees when the API server refuses a CRD change); the CEL expressions themselves are the policy.
 */
const VAP_MESSAGES = [
  'refused: the standard-channel Gateway API CRDs may not be replaced by experimental-channel ones while the safe-upgrades policy is installed',
  'refused: Gateway API CRDs older than v1.5.0 may not be installed while the safe-upgrades policy is installed',
];

/**
 * The install's objects as the kubernetes provider's `kubernetes_manifest` takes them: every
 * description stripped, and `status` dropped (the provider refuses a manifest with `status`,
 * which the API server owns; the upstream CRD files carry an empty one).
 */
/** One object of the install, as far as this script reads it. */
export interface InstallObject {
  readonly [key: string]: unknown;
  kind?: string;
  status?: unknown;
  metadata?: { name?: string; creationTimestamp?: unknown };
  spec?: { validations?: Array<Record<string, unknown>> };
}

export function installManifests(upstream: string = upstreamRoot()): { manifests: InstallObject[]; removed: string[] } {
  const removed: string[] = [];
  const manifests: InstallObject[] = [];
  const dir = path.join(upstream, GATEWAY_API_INSTALL.dir);
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml')) continue;
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      const value = doc.toJS() as InstallObject | null;
      if (!value) continue;
      stripDescriptions(value, removed);
      delete value.status;
      if (value.metadata) delete value.metadata.creationTimestamp;
      if (value.kind === 'ValidatingAdmissionPolicy') {
        const validations = value.spec?.validations ?? [];
        if (validations.length !== VAP_MESSAGES.length) throw new Error(`${file}: expected ${VAP_MESSAGES.length} validations, found ${validations.length}`);
        validations.forEach((v, i) => {
          removed.push(String(v.message));
          v.message = VAP_MESSAGES[i];
        });
      }
      manifests.push(value);
    }
  }
  return { manifests, removed };
}

/** Writes `<outDir>/gateway-api-install.ts`: the install's objects as data, checked for leaked prose. */
export function generateInstallData(outDir: string, upstream: string = upstreamRoot()): string {
  const { manifests, removed } = installManifests(upstream);
  const file = path.join(outDir, GATEWAY_API_INSTALL.module);
  const text = [
    '// generated by scripts/import-crds.ts (npm run import) from the Gateway API standard-channel install:',
    '// descriptions stripped, status dropped. Do not edit.',
    `export const GATEWAY_API_INSTALL_VERSION = '${GATEWAY_API_INSTALL.version}';`,
    '',
    `export const GATEWAY_API_INSTALL_MANIFESTS: ReadonlyArray<Record<string, any>> = JSON.parse(${JSON.stringify(JSON.stringify(manifests))});`,
    '',
  ].join('\n');
  const leaked = findLeakedProse(text, removed);
  if (leaked.length > 0) throw new Error(`${file} still contains upstream description text:\n  ${leaked.slice(0, 5).join('\n  ')}`);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

if (require.main === module) {
  const out = path.resolve(__dirname, '..', 'imports');
  generateImports(out, upstreamRoot(), (line) => process.stdout.write(line + '\n'));
  const file = generateInstallData(out);
  process.stdout.write(`${path.relative(process.cwd(), file)}: Gateway API ${GATEWAY_API_INSTALL.version} install data\n`);
}
