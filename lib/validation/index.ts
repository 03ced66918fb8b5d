// The validation engine (`cdk8s-paas/validation`): re-exports only. No cdk8s import below here.
export * from './types';
export * from './validate';
export * from './input';
export * from './output';
export * from './policy';
export * from './namespace-levels';
export * from './wiring';
export * from './references';
export { schemaFamily, supportedKubernetesVersions, shippedCrdSets, knownSchemaKinds } from './schema';
export { podSecurityFamily, SAFE_SYSCTLS_V1_28 } from './pod-security';
export { polarisFamily } from './polaris';
export * from './report';
export * from './text';
export * from './sarif';
export * from './plugin';
export { main as cliMain, USAGE as CLI_USAGE } from './cli';
