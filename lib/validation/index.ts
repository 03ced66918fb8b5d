// The validation engine (`cdk8s-paas/validation`): re-exports only. No cdk8s import below here.
export * from './types';
export * from './validate';
export * from './input';
export * from './policy';
export * from './namespace-levels';
export * from './wiring';
export * from './references';
