/** Label keys of the Kubernetes recommended set. */
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_INSTANCE = 'app.kubernetes.io/instance';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_VERSION = 'app.kubernetes.io/version';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'cdk8s-paas';

/** Inputs for the recommended label set. */
export interface RecommendedLabelsInput {
  /** `app.kubernetes.io/name`: the application, e.g. `wordpress`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: the object name. */
  readonly instance: string;
  readonly component?: string;
  readonly partOf?: string;
  readonly version?: string;
}

/**
 * The `app.kubernetes.io/*` labels for an object.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function recommendedLabels(input: RecommendedLabelsInput): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL_NAME]: input.name,
    [LABEL_INSTANCE]: input.instance,
  };
  if (input.component) labels[LABEL_COMPONENT] = input.component;
  if (input.partOf) labels[LABEL_PART_OF] = input.partOf;
  if (input.version) labels[LABEL_VERSION] = sanitizeLabelValue(input.version);
  labels[LABEL_MANAGED_BY] = MANAGED_BY;
  return labels;
}

/**
 * The stable subset used in selectors: selectors of Deployments and StatefulSets are immutable,
 * so they never contain the version or anything else that changes between releases.
 */
export function selectorLabels(input: RecommendedLabelsInput): Record<string, string> {
  return { [LABEL_NAME]: input.name, [LABEL_INSTANCE]: input.instance };
}

/** Makes a label value from free text (63 chars, alphanumerics, '-', '_', '.'). */
export function sanitizeLabelValue(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63);
  return cleaned.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** Tag of an image reference, usable as version label, or undefined for digests. */
export function imageVersion(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(colon + 1) : undefined;
}
