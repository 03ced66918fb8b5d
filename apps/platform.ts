/**
 * cdktf entry: per cluster of the examples, its platform stack (`cdktf.out/stacks/<name>/`) and,
 * when its tenants need any, their credentials stack (`<name>-credentials`), from the same
 * platform descriptions the cdk8s apps read. `node --import tsx apps/platform.ts` (what
 * cdktf.json's `app` runs) writes Terraform JSON to `$CDKTF_OUTDIR`, default `cdktf.out/`. Runs
 * offline: the cdktf library sends nothing; only the cdktf CLI phones home, so run it as
 * `CHECKPOINT_DISABLE=1 npx cdktf synth` if you use it.
 */
import { App } from 'cdktf';
import { PlatformStack } from '../lib/platform';
import { CredentialsStack, tenantCredentials } from '../lib/platform/credentials';
import type { PlatformSpec } from '../lib/platform-spec';
import { buildClusterApp, CLUSTERS, ClusterExamples } from './main';
import { WORDPRESS_DB_NAMES } from './wordpress-db';

/** Every cluster the examples target, by platform spec: one stack and one dist/ folder each. */
export const PLATFORMS: readonly PlatformSpec[] = Object.freeze(CLUSTERS.map((c) => c.platform));

export function buildPlatformApp(outdir?: string, clusters: readonly ClusterExamples[] = CLUSTERS): App {
  // stackTraces off: construct metadata would otherwise carry absolute file paths
  const app = new App({ outdir: outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out', stackTraces: false });
  for (const cluster of clusters) {
    const platform = cluster.platform;
    new PlatformStack(app, platform.name, { platform });
    // The tenants' Secrets (store credentials, registry pull secret), derived from the example
    // constructs themselves; applied after the tenants' *-admin files (see README).
    const secrets = tenantCredentials(buildClusterApp(cluster), platform, { names: WORDPRESS_DB_NAMES });
    if (secrets.length > 0) new CredentialsStack(app, `${platform.name}-credentials`, { platform, secrets });
  }
  return app;
}

if (require.main === module) {
  buildPlatformApp().synth();
}
