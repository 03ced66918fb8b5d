import { createHash } from 'crypto';
import { DataResource, dependable, Fn, ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ProblemCollector } from '../core/errors';
import { checkDnsLabel } from '../core/names';
import { IAddonNamespace } from './addon-namespace';
import { ChartPin, kubeVersionProblem } from './catalog';
import { literalSecretFix, literalSecretsIn } from './secret-paths';
import { assertArgs } from '../core/shape';
import { helmAddonPropsShape } from './stack-shapes';
import { deepMerge, HelmValues, toValuesYaml, valueAt } from './values/merge';

/**
 * A secret chart value delivered through the release's write-only `set_wo` attribute: Terraform
 * sends it to Helm on apply and keeps it out of the plan and the state.
 */
export interface WriteOnlyValue {
  /** Values key path, dotted (`core.secret`). */
  readonly path: string;
  /** The value: a reference to a sensitive (ephemeral) Terraform variable, never a literal. */
  readonly value: string;
}

export interface HelmAddonProps<TValues extends HelmValues = HelmValues> {
  /** The pinned chart. */
  readonly pin: ChartPin;
  /** Helm release name (at most 53 characters). */
  readonly releaseName: string;
  /** Namespace the release lives in; the release depends on it when this stack creates it. */
  readonly namespace: IAddonNamespace;
  /** The helm provider. */
  readonly provider: HelmProvider;
  /** Kubernetes version of the cluster, checked against the chart's `kubeVersion`. */
  readonly kubernetesVersion: string;
  /** The values we set, typed per chart. */
  readonly values: TValues;
  /**
   * Free-form values deep-merged over `values` (maps merge, lists and scalars replace, `null`
   * removes a chart default). Secrets never go here: use `writeOnlyValues`.
   * @default - none
   */
  readonly overrides?: HelmValues;
  /**
   * Secret values sent through `set_wo`. Their paths must not also appear in `values`/`overrides`.
   * @default - none
   */
  readonly writeOnlyValues?: readonly WriteOnlyValue[];
  /**
   * Bump to push changed secret values (write-only values are never compared between runs).
   * Usually a reference to a Terraform variable. Only used when there are write-only values.
   * @default 1
   */
  readonly writeOnlyRevision?: number;
  /**
   * Secret paths the caller checks itself with a more specific fix (the platform stack's
   * existing-Secret paths); every other literal secret in the values is refused here.
   * @default - none
   */
  readonly secretPathsCheckedByCaller?: readonly string[];
  /** Seconds Helm waits for the release to become ready. @default the catalog's timeout for the chart */
  readonly timeoutSeconds?: number;
  /** Revisions Helm keeps (the provider's default keeps all of them). @default 10 */
  readonly maxHistory?: number;
  /** Resources or add-ons that must exist first. @default - only the namespace */
  readonly dependsOn?: ReadonlyArray<HelmAddon | ITerraformDependable>;
  /** Terraform address of the release (`helm_release.<logicalId>`). @default the id with '-' as '_' */
  readonly logicalId?: string;
}

/**
 * One pinned chart installed as a Helm release: typed values plus free-form overrides rendered to
 * one deterministic YAML document, secrets through write-only attributes, and release settings
 * that fail safely (`atomic` rolls back a failed install or upgrade, `cleanup_on_fail` removes what
 * a failed upgrade created, `wait` holds dependants until the add-on is ready).
 */
export class HelmAddon<TValues extends HelmValues = HelmValues> extends Construct {
  public readonly pin: ChartPin;
  public readonly releaseName: string;
  public readonly namespace: string;
  public readonly release: Release;
  /** The terraform_data resource whose timestamp is the release's `set_wo_revision` (only with write-only values). */
  public readonly writeOnlyStamp?: DataResource;
  private readonly merged: Record<string, unknown>;
  private readonly writeOnly: readonly WriteOnlyValue[];
  private readonly dependencies: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: HelmAddonProps<TValues>) {
    super(scope, id);
    // Plain JavaScript (and addAddon) reach here with anything: types and known keys first.
    assertArgs(this.node.path, [['props', props, helmAddonPropsShape]]);
    const problems = new ProblemCollector(this.node.path);
    this.pin = props.pin;
    this.releaseName = problems.capture(() => checkDnsLabel(this.node.path, 'releaseName', props.releaseName, 53)) ?? props.releaseName;
    this.namespace = props.namespace.name;
    const versionProblem = kubeVersionProblem(props.pin, props.kubernetesVersion);
    if (versionProblem) problems.add('kubernetesVersion', props.kubernetesVersion, versionProblem);
    this.merged = deepMerge(props.values, props.overrides);
    const writeOnly = [...(props.writeOnlyValues ?? [])];
    this.writeOnly = writeOnly;
    for (const wo of writeOnly) {
      if (valueAt(this.merged, wo.path) !== undefined) {
        problems.add(`values.${wo.path}`, '<redacted>', 'is a secret delivered as a write-only value: do not set it in values or overrides');
      }
    }
    // Every path is classified (secret-paths.ts), not only the ones we know: a chart added to the
    // catalog, or an override such as harbor's database.external.password, is protected as well.
    const checkedElsewhere = new Set([...writeOnly.map((w) => w.path), ...(props.secretPathsCheckedByCaller ?? [])]);
    const fromOverrides = new Set(literalSecretsIn(props.overrides ?? {}).map((s) => s.path));
    for (const s of literalSecretsIn(this.merged)) {
      if (checkedElsewhere.has(s.path)) continue;
      problems.add(`${fromOverrides.has(s.path) ? 'overrides' : 'values'}.${s.path}`, '<redacted>', literalSecretFix(s.rule));
    }
    const timeout = props.timeoutSeconds ?? props.pin.timeoutSeconds;
    if (!Number.isInteger(timeout) || timeout <= 0) problems.add('timeoutSeconds', timeout, 'must be a positive whole number of seconds');
    const maxHistory = props.maxHistory ?? 10;
    if (!Number.isInteger(maxHistory) || maxHistory < 1) {
      problems.add('maxHistory', maxHistory, 'must be a whole number of at least 1 (0 would keep every revision)');
    }
    problems.throwIfAny();

    if (props.namespace.resource) this.addDependency(props.namespace.resource);
    for (const d of props.dependsOn ?? []) this.addDependency(d);

    this.release = new Release(this, 'release', {
      provider: props.provider,
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: false,
      repository: props.pin.repository,
      chart: props.pin.chart,
      version: props.pin.version,
      values: [toValuesYaml(this.merged)],
      atomic: true,
      wait: true,
      cleanupOnFail: true,
      timeout,
      maxHistory,
      setWo: writeOnly.length > 0 ? writeOnly.map((w) => ({ name: w.path, value: w.value, type: 'string' })) : undefined,
      dependsOn: [...this.dependencies],
    });
    const logicalId = props.logicalId ?? id.replace(/-/g, '_');
    this.release.overrideLogicalId(logicalId);

    if (writeOnly.length > 0) {
      // The helm provider sends `set_wo` on install, but on upgrade only when `set_wo_revision`
      // grew; an upgrade without it silently drops the secrets back to the chart's defaults. So the
      // revision is a timestamp that a terraform_data resource takes anew whenever anything else
      // about the release changes (fingerprint) or the user bumps writeOnlyRevision.
      this.writeOnlyStamp = new DataResource(this, 'secrets-revision', {
        triggersReplace: { release: this.fingerprint(writeOnly), revision: String(props.writeOnlyRevision ?? 1) },
        lifecycle: { ignoreChanges: ['input'] },
      });
      this.writeOnlyStamp.addOverride('input', Fn.formatdate('YYYYMMDDhhmmss', Fn.plantimestamp()));
      this.writeOnlyStamp.overrideLogicalId(`${logicalId}_secrets_revision`);
      this.release.setWoRevision = Fn.tonumber(this.writeOnlyStamp.getStringAttribute('output'));
    }
  }

  /** sha256 of everything about the release except its secrets: changes whenever Terraform would upgrade it. */
  private fingerprint(writeOnly: readonly WriteOnlyValue[]): string {
    const r = this.release;
    const material = JSON.stringify({
      repository: r.repositoryInput,
      chart: r.chartInput,
      version: r.versionInput,
      name: r.nameInput,
      namespace: r.namespaceInput,
      values: r.valuesInput,
      timeout: r.timeoutInput,
      maxHistory: r.maxHistoryInput,
      writeOnlyPaths: writeOnly.map((w) => w.path),
    });
    return createHash('sha256').update(material).digest('hex');
  }

  /** A copy of the values this release gets (typed values with overrides merged). */
  public get values(): Record<string, unknown> {
    return deepMerge(this.merged, undefined);
  }

  /** Values paths delivered through `set_wo` (the values themselves are Terraform references). */
  public get writeOnlyPaths(): string[] {
    return this.writeOnly.map((w) => w.path);
  }

  /** The values as the YAML document passed to Helm. */
  public get valuesYaml(): string {
    return toValuesYaml(this.merged);
  }

  /** Makes this release wait for `others` (other add-ons or any Terraform resource). Returns this. */
  public dependOn(...others: Array<HelmAddon | ITerraformDependable>): this {
    for (const o of others) this.addDependency(o);
    this.release.dependsOn = this.dependencies.map((d) => dependable(d));
    return this;
  }

  private addDependency(o: HelmAddon | ITerraformDependable): void {
    const target = o instanceof HelmAddon ? o.release : o;
    if (!this.dependencies.includes(target)) this.dependencies.push(target);
  }
}
