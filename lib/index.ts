// Public API of cdk8s-paas: re-exports only. The cdktf side is the `cdk8s-paas/platform` entry.

// core building blocks
export * from './core/errors';
export * from './core/names';
export * from './core/quantities';
export * from './core/labels';
export * from './core/image';
export * from './core/security';
export * from './core/resources';
export * from './core/network';
export * from './core/registry';
export * from './core/warnings';
export * from './core/sensitive';
export * from './core/cron';
export * from './core/time-zones';

// synth-time checks (pure functions over plain manifests)
export type { KubeManifest } from './checks/manifest';
export * from './checks/tenant-fit';
export * from './checks/quota';
export * from './checks/limit-range';
export * from './checks/routes';
export * from './checks/workloads';
export * from './checks/monitors';

// validation: the cdk8s plugin and the API (the whole engine is the `cdk8s-paas/validation` entry)
export { PaasValidation, writePaasWarnings } from './validation/plugin';
export type { PaasValidationProps } from './validation/plugin';
export { validate } from './validation/validate';
export type { ValidateOptions, ValidationResult, ValidationSummary, Finding, Prerequisite } from './validation/validate';

// the platform description both synthesizers read
export * from './platform-spec';

// workloads
export * from './workloads/env';
export * from './workloads/types';
export * from './workloads/probes';
export * from './workloads/web-app-props';
export * from './workloads/web-app';
export * from './workloads/store-engines';
export * from './workloads/stateful-store-props';
export * from './workloads/stateful-store';
export * from './workloads/pod-template';
export * from './workloads/job-spec';
export * from './workloads/batch-job-props';
export * from './workloads/batch-job';
export * from './workloads/scheduled-job-props';
export * from './workloads/scheduled-job';
export * from './workloads/node-agent-props';
export * from './workloads/node-agent';

// storage
export * from './storage/types';
export * from './storage/nfs-storage-class';
export * from './storage/volume-claim';
export * from './storage/static-nfs-volume';
export * from './storage/nfs-storage';

// tenancy and networking
export * from './tenancy/access';
export * from './tenancy/rbac-rules';
export * from './tenancy/quota-props';
export * from './tenancy/tenant-namespace';
export * from './networking/network-peer';
export * from './networking/policy';
export * from './networking/route-options';
export * from './networking/ingress-gateway';

// observability
export * from './observability';
