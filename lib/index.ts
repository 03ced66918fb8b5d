// Public API of cdk8s-paas: re-exports only. The cdktf side is the `cdk8s-paas/platform` entry.
export * from './core/errors';
export * from './core/names';
export * from './core/quantities';
export * from './core/labels';
export * from './core/image';
export * from './core/security';
export * from './core/resources';
export * from './core/registry';
export * from './platform-spec';
export * from './workloads/env';
export * from './workloads/types';
export * from './workloads/probes';
export * from './workloads/web-app-props';
export * from './workloads/web-app';
export * from './observability';
