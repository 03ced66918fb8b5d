import { fail } from './errors';
import { isDnsSubdomain } from './names';

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

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Whether the API server accepts `value` as a label value (`IsValidLabelValue`: 63 characters, alphanumeric ends). */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/** Whether the API server accepts `key` as a label key (`IsQualifiedName`: optional DNS-1123 subdomain prefix, '/', a name of 1-63). */
export function isLabelKey(key: unknown): key is string {
  if (typeof key !== 'string') return false;
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length >= 1 && name.length <= 63 && LABEL_NAME_PART.test(name);
}

/** Checks a label value the user gives (`appName`, `component`, `partOf`): the API server refuses others. */
export function checkLabelValue(path: string, field: string, value: string): string {
  if (!isLabelValue(value) || value === '') {
    fail(
      path,
      field,
      value,
      "must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes an app.kubernetes.io/* label)",
    );
  }
  return value;
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
