/**
 * The cdk8s validation plugin (`validations:` in cdk8s.yaml) and the sidecar file that carries
 * construct warnings to it. cdk8s-cli runs the plugin in its own process after the app wrote the
 * manifests, so construct metadata reaches it only through files: cdk8s's construct-metadata.json
 * (keyed by metadata.name alone) and our paas-warnings.json (warnings, and construct paths keyed by
 * apiVersion, kind, namespace and name).
 */
import * as fs from 'fs';
import * as path from 'path';
import { WARNING_METADATA_TYPE } from '../core/warnings';
import { isAppLike, objectKey, ValidationInputError, WARNINGS_FILE, WarningsFileContent } from './input';
import { PolicyConfig, readPolicyFile } from './policy';
import { packageVersion } from './report';
import { Finding, validate, ValidateOptions } from './validate';

/** Properties of {@link PaasValidation} (`properties:` in cdk8s.yaml): the policy inline, plus options. */
export interface PaasValidationProps extends PolicyConfig {
  /** Level for pods whose namespace level is unknown. @default 'restricted' */
  readonly podSecurity?: 'baseline' | 'restricted';
  /** Kubernetes minors to check against. @default ['1.28', '1.35'] */
  readonly kubernetesVersions?: readonly string[];
  /** A policy file (paas-checks.yaml), merged under the inline policy. @default ./paas-checks.yaml when it exists */
  readonly config?: string;
  /** Extra CRD files. @default [] */
  readonly crds?: readonly string[];
  /** A cdktf output folder giving namespace levels. @default none */
  readonly cdktfOut?: string;
}

/** The parts of cdk8s-cli's ValidationContext the plugin uses (lib/plugins/validation.d.ts). */
export interface PluginContext {
  readonly manifests: readonly string[];
  readonly metadata?: { readonly [name: string]: { readonly path: string } };
  readonly report: {
    addViolation(v: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  readonly logger: { log(message: string): void };
}

const objRef = (f: Finding): string => `${f.kind ?? '?'} ${f.namespace ? `${f.namespace}/` : ''}${f.name ?? '?'}`;

function mergePolicy(props: PaasValidationProps): PolicyConfig {
  const file = props.config ?? (fs.existsSync('paas-checks.yaml') ? 'paas-checks.yaml' : undefined);
  const base: PolicyConfig = file ? readPolicyFile(file) : {};
  return {
    severity: { ...(base.severity ?? {}), ...(props.severity ?? {}) },
    exemptions: [...(base.exemptions ?? []), ...(props.exemptions ?? [])],
    createdOutside: [...(base.createdOutside ?? []), ...(props.createdOutside ?? [])],
  };
}

/**
 * Runs the whole engine over the manifests `cdk8s synth` wrote. Error findings become violations
 * (rule name `[error] family/check`) and fail the report, so `cdk8s synth` exits 2; warnings,
 * exemptions and prerequisites are logged through the CLI's logger.
 */
export class PaasValidation {
  constructor(private readonly props: PaasValidationProps = {}) {}

  public async validate(context: PluginContext): Promise<void> {
    const props = this.props ?? {};
    const manifests = [...context.manifests];
    const dirs = [...new Set(manifests.map((m) => path.dirname(m)))];
    const sidecars = dirs.map((d) => path.join(d, WARNINGS_FILE)).filter((f) => fs.existsSync(f));
    let findings: readonly Finding[];
    let summary;
    try {
      const options: ValidateOptions = {
        podSecurity: props.podSecurity,
        kubernetesVersions: props.kubernetesVersions,
        config: mergePolicy(props),
        crds: props.crds,
        cdktfOut: props.cdktfOut,
        constructMetadata: context.metadata,
      };
      ({ findings, summary } = validate([...manifests, ...sidecars], options));
    } catch (e) {
      if (!(e instanceof ValidationInputError)) throw e;
      context.report.addViolation({
        ruleName: '[error] input/unreadable',
        recommendation: e.message,
        fix: 'Fix the file or the plugin properties named above.',
        violatingResources: [],
      });
      context.report.submit('failure');
      return;
    }

    const errors = findings.filter((f) => f.severity === 'error' && !f.exemption);
    const groups = new Map<string, Finding[]>();
    for (const f of errors) groups.set(`${f.id}\u0000${f.message}`, [...(groups.get(`${f.id}\u0000${f.message}`) ?? []), f]);
    for (const group of groups.values()) {
      const f = group[0];
      context.report.addViolation({
        ruleName: `[error] ${f.id}`,
        recommendation: f.message,
        fix: `Change ${f.path || 'the object'} as the recommendation says, or exempt the object in paas-checks.yaml (exemptions: [{ check: ${f.id}, kind, namespace, name, reason }]).`,
        violatingResources: group.map((g) => ({
          resourceName: g.name ?? g.constructPath ?? '(input)',
          locations: [`${g.path || '(object)'}${g.line !== null ? ` (line ${g.line})` : ''}${g.constructPath ? ` [${g.constructPath}]` : ''}`],
          manifestPath: g.file ?? '',
        })),
      });
    }
    for (const f of findings.filter((x) => x.severity === 'warning' && !x.exemption)) {
      const where = f.kind ? `${objRef(f)}${f.file ? ` (${f.file}${f.line !== null ? `:${f.line}` : ''})` : ''}` : (f.constructPath ?? '');
      context.logger.log(`warning ${f.id}: ${where}: ${f.path ? `${f.path}: ` : ''}${f.message}`);
    }
    for (const f of findings.filter((x) => x.exemption)) context.logger.log(`exempted ${f.id}: ${objRef(f)}: ${f.exemption!.reason} (${f.exemption!.source})`);
    for (const p of summary.prerequisites) {
      context.logger.log(`prerequisite ${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name}: ${p.reason} (referenced by ${p.referencedBy.join(', ')})`);
    }
    context.report.submit(summary.errors > 0 ? 'failure' : 'success', {
      objects: String(summary.objects),
      errors: String(summary.errors),
      warnings: String(summary.warnings),
      exempted: String(summary.exempted),
      prerequisites: String(summary.prerequisites.length),
      engine: `cdk8s-paas ${packageVersion()}`,
    });
  }
}

interface SidecarConstruct {
  readonly node: { readonly path: string; findAll(): SidecarConstruct[]; readonly metadata: readonly { type: string; data: unknown }[] };
}

/**
 * Writes paas-warnings.json into the app's outdir: every construct warning (`addWarning`) and the
 * construct path of every API object. Call it after `app.synth()`; the plugin and
 * `cdk8s-paas check <outdir>` read it.
 */
export function writePaasWarnings(app: object): string {
  if (!isAppLike(app) || typeof (app as { outdir?: unknown }).outdir !== 'string') {
    throw new ValidationInputError('writePaasWarnings(): expected a cdk8s App (after app.synth())');
  }
  const outdir = (app as unknown as { outdir: string }).outdir;
  const content: { version: 1; warnings: WarningsFileContent['warnings'][number][]; objects: WarningsFileContent['objects'][number][] } = {
    version: 1,
    warnings: [],
    objects: [],
  };
  const seen = new Set<string>();
  for (const c of (app as unknown as SidecarConstruct).node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== WARNING_METADATA_TYPE) continue;
      const text = String(entry.data);
      const prefix = `${c.node.path}: `;
      content.warnings.push({ constructPath: c.node.path, message: text.startsWith(prefix) ? text.slice(prefix.length) : text });
    }
    const o = c as unknown as { apiVersion?: unknown; kind?: unknown; name?: unknown; metadata?: { namespace?: unknown }; toJson?: unknown };
    if (typeof o.toJson === 'function' && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.name === 'string') {
      const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
      const key = objectKey(o.apiVersion, o.kind, namespace, o.name);
      if (seen.has(key)) continue;
      seen.add(key);
      content.objects.push({ apiVersion: o.apiVersion, kind: o.kind, ...(namespace ? { namespace } : {}), name: o.name, constructPath: c.node.path });
    }
  }
  fs.mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, WARNINGS_FILE);
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
  return file;
}
