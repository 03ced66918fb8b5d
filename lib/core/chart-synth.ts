import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PaasRegistry } from './registry';

/**
 * Renders one chart like cdk8s's `Chart.toJson()`, without redoing the whole app's work when the
 * current synth already did it.
 *
 * cdk8s's `Chart.toJson()` resolves dependencies and runs every validation of the *whole app*
 * before rendering the one chart, and `App.synth()`/`synthYaml()` call it for every chart after
 * doing both once themselves: with two charts per tenant that is quadratic in the number of
 * tenants (about 60% of the synth of 192 tenants). When the registry saw a whole-app validation in
 * the current synchronous run and our constructs have not changed the tree since, dependencies
 * are resolved already (cdk8s does that before or right after validating, and it is idempotent),
 * so this validates only the chart's own subtree and the registry's cross-construct checks, then
 * renders in cdk8s's order. Otherwise it falls back to `full` (cdk8s's own path).
 *
 * The difference a user can see: a chart rendered this way does not re-report a validation error
 * of an unrelated chart (only of itself, of `alsoValidate` and of the registry); that chart
 * reports it itself when it is rendered.
 */
export function renderChart(chart: Chart, full: () => unknown[], alsoValidate: readonly IConstruct[] = []): unknown[] {
  const registry = PaasRegistry.of(chart);
  if (!registry.validatedInThisRun) return full();
  const errors: string[] = [];
  for (const c of [...chart.node.findAll(), ...alsoValidate.flatMap((x) => x.node.findAll()), registry]) {
    for (const e of c.node.validate()) errors.push(`[${c.node.path}] ${e}`);
  }
  // Same message as cdk8s's own validation failure.
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart)
    .map((o) => o.toJson());
}

/** A Chart rendered with `renderChart`: what TenantNamespace and its admin chart are built on. */
export class PaasChart extends Chart {
  private readonly related: IConstruct[] = [];

  /** Validates `other` too whenever this chart is rendered (a tenant and its admin chart are one unit). */
  public validateWith(other: IConstruct): void {
    this.related.push(other);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdk8s's Chart.toJson() signature, which callers index freely
  public toJson(): any[] {
    return renderChart(this, () => super.toJson(), this.related);
  }
}
