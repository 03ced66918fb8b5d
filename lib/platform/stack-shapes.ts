/**
 * The props of the platform stack as shapes (the credentials stack's are next to its
 * CredentialValue class, credentials.ts): plain JavaScript (or a cast) reaches
 * the constructors with anything, and every wrong type, unknown key and bad Secret name must end
 * in one PaasValidationError naming the stack, the field and what is valid, never a TypeError
 * from inside the stack. Checked against the interfaces at compile time.
 */
import type { TerraformBackend, TerraformStack } from 'cdktf';
import type { ITerraformDependable } from 'cdktf';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { isDnsSubdomain } from '../core/names';
import { S, ShapeFits, ShapeMatches } from '../core/shape';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { AddonNamespaceProps, IAddonNamespace } from './addon-namespace';
import type { GatewayApiCrdsProps } from './gateway-api-crds';
import type { ChartPin } from './catalog';
import type { HelmAddonProps } from './helm-addon';
import type { PlatformSpec } from '../platform-spec';
import type { PlatformStackProps } from './platform-stack';
import type { HarborExistingSecrets } from './values/harbor';
import type { HelmValues } from './values/merge';

const str = S.string();
const bool = S.boolean();
const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What definePlatform() returns, recognised by the parts the stacks read. */
export const platformSpecHandle = S.handle<PlatformSpec>('a platform from definePlatform()', {
  name: 'string',
  kubernetesVersion: 'string',
  ingress: 'object',
  monitoring: 'object',
  metricsServer: 'object',
});

export const backendShape = S.custom<(stack: TerraformStack) => TerraformBackend>(
  'a function (stack) => TerraformBackend, e.g. (s) => new S3Backend(s, {...})',
  (v) => typeof v === 'function',
);

/** Secret names are object names: the chart renders them into pod specs as they are. */
const secretName = S.custom<string>("a Secret name: a DNS-1123 subdomain of at most 253 lower-case letters, digits, '-' and '.'", (v) => isDnsSubdomain(v));

const helmValues = S.custom<HelmValues>('an object of chart values', isObject);

export const harborExistingSecretsShape = S.object('HarborExistingSecrets', {
  adminPassword: secretName,
  secretKey: secretName,
  core: secretName,
  xsrf: secretName,
  jobservice: secretName,
  registryHttp: secretName,
  registryCredentials: secretName,
  token: S.optional(secretName),
});

const overridesShape = S.object('PlatformStackProps.overrides', {
  prometheusOperatorCrds: S.optional(helmValues),
  kubePrometheusStack: S.optional(helmValues),
  metricsServer: S.optional(helmValues),
  nfs: S.optional(helmValues),
  ingressController: S.optional(helmValues),
  harbor: S.optional(helmValues),
  certManager: S.optional(helmValues),
});

export const platformStackPropsShape = S.object('PlatformStackProps', {
  platform: platformSpecHandle,
  statePath: S.optional(str),
  backend: S.optional(backendShape),
  grafanaAdminSecretName: S.optional(secretName),
  harborExistingSecrets: S.optional(harborExistingSecretsShape),
  overrides: S.optional(overridesShape),
  installIngressController: S.optional(bool),
  protectHarborNamespace: S.optional(bool),
});

const matches: [
  ShapeMatches<typeof platformStackPropsShape, PlatformStackProps>,
  ShapeMatches<typeof harborExistingSecretsShape, HarborExistingSecrets>,
  ShapeMatches<typeof overridesShape, NonNullable<PlatformStackProps['overrides']>>,
] = [true, true, true];
void matches;

const isHandle = (v: unknown): boolean => typeof v === 'object' && v !== null;

/** HelmAddon props (also what `PlatformStack.addAddon` takes, less the provider and version). */
export const helmAddonPropsShape = S.object('HelmAddonProps', {
  pin: S.handle<ChartPin>('a chart pin (CHART_CATALOG entry or { chart, repository, version, timeoutSeconds })', {
    chart: 'string',
    repository: 'string',
    version: 'string',
  }),
  // The name's own rule (DNS label, 53 characters) is collected with the other problems.
  releaseName: str,
  namespace: S.handle<IAddonNamespace>('an add-on namespace (AddonNamespace, or { name })', { name: 'string' }),
  provider: S.custom<HelmProvider>("the stack's HelmProvider", isHandle),
  kubernetesVersion: str,
  values: helmValues,
  overrides: S.optional(helmValues),
  writeOnlyValues: S.optional(S.array(S.object('WriteOnlyValue', { path: S.string({ minLength: 1 }), value: str }))),
  writeOnlyRevision: S.optional(S.number()),
  secretPathsCheckedByCaller: S.optional(S.array(str)),
  timeoutSeconds: S.optional(S.number()),
  maxHistory: S.optional(S.number()),
  dependsOn: S.optional(S.array(S.custom<ITerraformDependable>('a Terraform resource or HelmAddon', isHandle))),
  logicalId: S.optional(str),
});

// HelmAddonProps is generic in its values and takes readonly lists.
const helmMatches: ShapeFits<typeof helmAddonPropsShape, HelmAddonProps> = true;
void helmMatches;

const kubernetesProvider = S.custom<KubernetesProvider>("the stack's KubernetesProvider", isHandle);

export const addonNamespacePropsShape = S.object('AddonNamespaceProps', {
  // The name's DNS rule and the level's values are the constructor's own collected checks.
  name: str,
  provider: kubernetesProvider,
  podSecurity: S.oneOf('restricted', 'baseline', 'privileged'),
  reason: S.string({ minLength: 1 }),
  podSecurityVersion: S.optional(str),
  preventDestroy: S.optional(bool),
  logicalId: S.optional(str),
});

export const gatewayApiCrdsPropsShape = S.object('GatewayApiCrdsProps', { provider: kubernetesProvider });

const moreMatches: [ShapeMatches<typeof addonNamespacePropsShape, AddonNamespaceProps>, ShapeMatches<typeof gatewayApiCrdsPropsShape, GatewayApiCrdsProps>] = [
  true,
  true,
];
void moreMatches;
