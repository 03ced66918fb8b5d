/**
 * cdktf entry: the platform stack for the seeds' cluster, from the same `platform` description the
 * cdk8s app reads. `node --import tsx apps/platform.ts` (what cdktf.json's `app` runs) writes Terraform JSON to
 * `$CDKTF_OUTDIR`, default `cdktf.out/`. Runs offline: the cdktf library sends nothing; only the
 * cdktf CLI phones home, so run it as `CHECKPOINT_DISABLE=1 npx cdktf synth` if you use it.
 */
import { App as Cdk8sApp } from 'cdk8s';
import { App } from 'cdktf';
import { PlatformStack } from '../lib/platform';
import { CredentialsStack, tenantCredentials } from '../lib/platform/credentials';
import { buildExamples } from './main';
import { platform } from './platform.config';
import { WORDPRESS_DB_NAMES } from './wordpress-db';

export function buildPlatformApp(outdir?: string): App {
  // stackTraces off: construct metadata would otherwise carry absolute file paths
  const app = new App({ outdir: outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out', stackTraces: false });
  new PlatformStack(app, platform.name, { platform });
  // The tenants' Secrets (store credentials, registry pull secret), derived from the example
  // constructs themselves; applied after the tenants' *-admin files (see README).
  const tenants = buildExamples(new Cdk8sApp());
  new CredentialsStack(app, `${platform.name}-credentials`, {
    platform,
    secrets: tenantCredentials(tenants, platform, { names: WORDPRESS_DB_NAMES }),
  });
  return app;
}

if (require.main === module) {
  buildPlatformApp().synth();
}
