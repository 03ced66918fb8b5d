// cdktf side of cdk8s-paas, exported as the `cdk8s-paas/platform` subpath so that users of the
// cdk8s constructs never load cdktf. Every cdktf import stays inside this folder (the seam for
// moving to the cdktn fork).
export * from './catalog';
export * from './addon-namespace';
export * from './helm-addon';
export * from './platform-stack';
export * from './secret-variable';
export * from './secret-paths';
export * from './credentials';
export * from './terraform-raw';
export * from './values/merge';
export * from './values/monitoring';
export * from './values/metrics-server';
export * from './values/nfs';
export * from './values/ingress';
export * from './values/harbor';
export * from './issuers';
export * from './gateway-api-crds';
export * from './values/cert-manager';
export * from './rendered-policy';
