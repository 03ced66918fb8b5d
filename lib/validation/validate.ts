/**
 * validate(): reads the input (App, Chart, files, folders or objects), runs every check family over
 * it, applies the policy (severities, exemptions, created-outside declarations) and returns the
 * findings with a summary. The core has no cdk8s import: Apps and Charts are duck-typed.
 */
import { applyDefaultNamespace, DefaultNamespace, defaultNamespaceProblems } from './default-namespace';
import { ConstructWarning, emptyInput, readInput, readPaths, ValidationInput, ValidationInputError } from './input';
import { levelsFromCdktfOut, levelsFromObjects, objectsFromCdktfOut } from './namespace-levels';
import { Exemption, Policy, PolicyConfig } from './policy';
import { podSecurityFamily } from './pod-security';
import { polarisFamily } from './polaris';
import { referencesFamily } from './references';
import { schemaFamily, shippedCrdSets, supportedKubernetesVersions } from './schema';
import { CheckContext, CheckFamily, InputObject, Manifest, PodSecurityLevel, RawFinding, Severity } from './types';
import { wiringFamily } from './wiring';

/** One finding as every report shows it. Unknown fields are `null`, so JSON keeps one shape. */
export interface Finding {
  /** `family/check`. */
  readonly id: string;
  readonly severity: Severity;
  readonly file: string | null;
  /** 1-based line of the field in `file` (the document's first line when the field is not there). */
  readonly line: number | null;
  readonly apiVersion: string | null;
  readonly kind: string | null;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly constructPath: string | null;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].image`; `''` for the whole object. */
  readonly path: string;
  readonly message: string;
  /** Why this finding does not count, or null when it does. */
  readonly exemption: Exemption | null;
}

/** An object the input needs but something else creates, as the user declared. */
export interface Prerequisite {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly reason: string;
  /** `config` or the annotation that declares it. */
  readonly source: string;
  /** `Kind namespace/name` of each object that references it. */
  readonly referencedBy: readonly string[];
}

/** Counts over the findings (exempted findings count only as exempted). */
export interface ValidationSummary {
  readonly objects: number;
  readonly errors: number;
  readonly warnings: number;
  readonly exempted: number;
  readonly prerequisites: readonly Prerequisite[];
}

export interface ValidationResult {
  readonly findings: readonly Finding[];
  readonly summary: ValidationSummary;
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Level for pods whose namespace level the input does not give. @default 'restricted' */
  readonly podSecurity?: 'baseline' | 'restricted';
  /** Kubernetes minors to check the schema against. @default ['1.28', '1.35'] */
  readonly kubernetesVersions?: readonly string[];
  /** A policy object or the path of a `paas-checks.yaml`. @default no policy */
  readonly config?: PolicyConfig | string;
  /** Files or folders with extra CustomResourceDefinitions. @default [] */
  readonly crds?: readonly string[];
  /** cdktf output folder(s) whose `kubernetes_namespace_v1` labels give namespace levels. @default none */
  readonly cdktfOut?: string | readonly string[];
  /** Construct warnings to report besides those the input carries. @default [] */
  readonly warnings?: readonly ConstructWarning[];
  /**
   * cdk8s's construct-metadata.json `resources` (metadata.name → construct path). Keyed by name
   * alone, so it is used only for objects whose name no other object of the input shares.
   * @default none
   */
  readonly constructMetadata?: { readonly [name: string]: { readonly path: string } };
  /**
   * Shipped CRD sets replacing the default of the same name, e.g. `['gateway-api@v1.6.1']`.
   * @default the shipped defaults
   */
  readonly crdSets?: readonly string[];
  /**
   * Namespace for namespaced objects that name none (`helm template` output): one for the whole
   * input, or per input path (file or folder) → namespace.
   * @default none: such objects are judged as they stand (the API server would use `default`)
   */
  readonly defaultNamespace?: DefaultNamespace;
  /** The check families to run (tests inject fakes). @default DEFAULT_FAMILIES */
  readonly families?: readonly CheckFamily[];
}

/** Every family the package ships. */
export const DEFAULT_FAMILIES: readonly CheckFamily[] = [schemaFamily, podSecurityFamily, polarisFamily, wiringFamily, referencesFamily];

export const DEFAULT_KUBERNETES_VERSIONS: readonly string[] = ['1.28', '1.35'];

function checkOptions(o: ValidateOptions): void {
  const problems: string[] = [];
  if (o.podSecurity !== undefined && o.podSecurity !== 'baseline' && o.podSecurity !== 'restricted') {
    problems.push(`podSecurity ${JSON.stringify(o.podSecurity)} is invalid: expected "baseline" or "restricted"`);
  }
  if (o.kubernetesVersions !== undefined) {
    if (!Array.isArray(o.kubernetesVersions) || o.kubernetesVersions.length === 0)
      problems.push('kubernetesVersions must be a non-empty list such as ["1.28", "1.35"]');
    else {
      const shipped = supportedKubernetesVersions();
      for (const v of o.kubernetesVersions) {
        if (typeof v !== 'string' || !/^1\.\d+$/.test(v)) problems.push(`kubernetesVersions: ${JSON.stringify(v)} is invalid: expected a minor such as "1.35"`);
        else if (!shipped.includes(v)) problems.push(`kubernetesVersions: "${v}" is not shipped: expected one of ${shipped.join(', ')}`);
      }
    }
  }
  if (o.crdSets !== undefined) {
    const shipped = shippedCrdSets().map((c) => c.id);
    for (const c of Array.isArray(o.crdSets) ? o.crdSets : [o.crdSets]) {
      if (!shipped.includes(c)) problems.push(`crdSets: ${JSON.stringify(c)} is not shipped: expected one of ${shipped.join(', ')}`);
    }
  }
  if (o.defaultNamespace !== undefined) problems.push(...defaultNamespaceProblems(o.defaultNamespace));
  if (problems.length > 0) throw new ValidationInputError(`validate(): ${problems.join('; ')}`);
}

function withConstructMetadata(objects: InputObject[], metadata: NonNullable<ValidateOptions['constructMetadata']>): void {
  const count = new Map<string, number>();
  for (const o of objects) count.set(o.manifest.metadata?.name, (count.get(o.manifest.metadata?.name) ?? 0) + 1);
  objects.forEach((o, i) => {
    const name = o.manifest.metadata?.name;
    const constructPath = count.get(name) === 1 && Object.prototype.hasOwnProperty.call(metadata, name) ? metadata[name]?.path : undefined;
    if (!o.origin.constructPath && typeof constructPath === 'string') objects[i] = { manifest: o.manifest, origin: { ...o.origin, constructPath } };
  });
}

const refOf = (m: Manifest | undefined): string => `${m?.kind ?? '?'} ${m?.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m?.metadata?.name ?? '?'}`;
const strOrNull = (x: unknown): string | null => (typeof x === 'string' && x !== '' ? x : null);

/**
 * Validates `input`: a cdk8s App or Chart, a path or list of paths (folders give their `.yaml`
 * files; a cdktf output folder gives namespace levels), or a list of plain objects.
 * Throws ValidationInputError (or PolicyError) for unreadable input or a bad policy.
 */
export function validate(input: ValidationInput, options: ValidateOptions = {}): ValidationResult {
  checkOptions(options);
  const policy = Policy.load(options.config, 'validate(): config');
  const read = readInput(input);
  if (options.constructMetadata) withConstructMetadata(read.objects, options.constructMetadata);
  if (options.defaultNamespace !== undefined) applyDefaultNamespace(read.objects, options.defaultNamespace);
  const namespaceLevels = new Map<string, PodSecurityLevel>();
  const cdktf = [...read.cdktfDirs, ...(typeof options.cdktfOut === 'string' ? [options.cdktfOut] : (options.cdktfOut ?? []))];
  for (const dir of cdktf) levelsFromCdktfOut(dir, namespaceLevels);
  const existingObjects = cdktf.flatMap((dir) => objectsFromCdktfOut(dir));
  // Namespaces in the input win over the platform stack: they are what is being applied.
  levelsFromObjects(read.objects, namespaceLevels);
  const crds: Manifest[] = read.objects.map((o) => o.manifest).filter((m) => m.kind === 'CustomResourceDefinition');
  if (options.crds?.length) {
    const extra = emptyInput();
    readPaths(options.crds, extra);
    for (const o of extra.objects) {
      if (o.manifest.kind !== 'CustomResourceDefinition')
        throw new ValidationInputError(
          `${o.origin.file}:${o.origin.line}: crds: expected a CustomResourceDefinition, got ${o.manifest.kind}`,
          o.origin.file,
          o.origin.line,
        );
      crds.push(o.manifest);
    }
  }
  const ctx: CheckContext = {
    objects: read.objects,
    kubernetesVersions: options.kubernetesVersions ?? DEFAULT_KUBERNETES_VERSIONS,
    podSecurityLevel: options.podSecurity ?? 'restricted',
    namespaceLevels,
    customResourceDefinitions: crds,
    ...(options.crdSets ? { crdSets: options.crdSets } : {}),
    ...(existingObjects.length > 0 ? { existingObjects } : {}),
  };

  const findings: Finding[] = [];
  const prerequisites = new Map<string, { p: Omit<Prerequisite, 'referencedBy'>; by: Set<string> }>();
  const push = (
    raw: { id: string; severity: Severity; path: string; message: string },
    obj: InputObject | undefined,
    exemption: Exemption | undefined,
    line?: number,
    extra?: { file?: string; constructPath?: string; manifest?: Manifest },
  ): void => {
    const severity = policy.severityOf(raw.id, raw.severity);
    if (severity === 'off') return;
    const m = obj?.manifest ?? extra?.manifest;
    findings.push({
      id: raw.id,
      severity,
      file: obj?.origin.file ?? extra?.file ?? null,
      line: line ?? obj?.origin.line ?? null,
      apiVersion: strOrNull(m?.apiVersion),
      kind: strOrNull(m?.kind),
      namespace: strOrNull(m?.metadata?.namespace),
      name: strOrNull(m?.metadata?.name),
      constructPath: obj?.origin.constructPath ?? extra?.constructPath ?? null,
      path: raw.path,
      message: raw.message,
      exemption: exemption ?? null,
    });
  };

  for (const p of read.problems) {
    push({ id: p.id, severity: 'error', path: '', message: p.message }, undefined, undefined, p.line, {
      file: p.file,
      constructPath: p.constructPath,
      manifest: p.manifest,
    });
  }
  const raws: RawFinding[] = [];
  for (const family of options.families ?? DEFAULT_FAMILIES) {
    try {
      raws.push(...family(ctx));
    } catch (e) {
      // A bug in a check must not hide the other families' findings, nor pass silently.
      push(
        {
          id: 'engine/internal-error',
          severity: 'error',
          path: '',
          message: `check family "${family.name || 'anonymous'}" failed on this input: ${(e as Error)?.message ?? String(e)}`,
        },
        undefined,
        undefined,
      );
    }
  }
  // Report order: input order of the objects, then line in the file, then id and path.
  const located = raws.map((raw) => ({ raw, line: read.locators[raw.objectIndex]?.(raw.path) }));
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  located.sort((a, b) => a.raw.objectIndex - b.raw.objectIndex || (a.line ?? 0) - (b.line ?? 0) || cmp(a.raw.id, b.raw.id) || cmp(a.raw.path, b.raw.path));
  for (const { raw, line } of located) {
    const obj = read.objects[raw.objectIndex];
    if (!obj) {
      push(
        {
          id: 'engine/internal-error',
          severity: 'error',
          path: '',
          message: `finding ${raw.id} names object #${raw.objectIndex}, which is not in the input: ${raw.message}`,
        },
        undefined,
        undefined,
      );
      continue;
    }
    if (raw.target?.kind && raw.target.name) {
      const outside = policy.createdOutside(raw.target, obj.manifest);
      if (outside) {
        const k = `${raw.target.kind}/${raw.target.namespace ?? ''}/${raw.target.name}`;
        const entry = prerequisites.get(k) ?? {
          p: { kind: raw.target.kind, namespace: raw.target.namespace ?? null, name: raw.target.name, reason: outside.reason, source: outside.source },
          by: new Set<string>(),
        };
        entry.by.add(refOf(obj.manifest));
        prerequisites.set(k, entry);
        continue;
      }
    }
    push(raw, obj, policy.exemptionFor(raw.id, obj.manifest, raw.container), line);
  }
  for (const w of [...read.warnings, ...(options.warnings ?? [])]) {
    push({ id: 'construct/warning', severity: 'warning', path: '', message: w.message }, undefined, undefined, undefined, { constructPath: w.constructPath });
  }

  const counted = findings.filter((f) => !f.exemption);
  return {
    findings,
    summary: {
      objects: read.objects.length,
      errors: counted.filter((f) => f.severity === 'error').length,
      warnings: counted.filter((f) => f.severity === 'warning').length,
      exempted: findings.length - counted.length,
      prerequisites: [...prerequisites.values()]
        .map(({ p, by }) => ({ ...p, referencedBy: [...by].sort() }))
        .sort((a, b) => (`${a.kind}/${a.namespace}/${a.name}` < `${b.kind}/${b.namespace}/${b.name}` ? -1 : 1)),
    },
  };
}
