/**
 * cdktf entry: the platform stack for the seeds' cluster, from the same `platform` description the
 * cdk8s app reads. `node --import tsx apps/platform.ts` (what cdktf.json's `app` runs) writes Terraform JSON to
 * `$CDKTF_OUTDIR`, default `cdktf.out/`. Runs offline: the cdktf library sends nothing; only the
 * cdktf CLI phones home, so run it as `CHECKPOINT_DISABLE=1 npx cdktf synth` if you use it.
 */
import { App } from 'cdktf';
import { PlatformStack } from '../lib/platform';
import { platform } from './platform.config';

export function buildPlatformApp(outdir?: string): App {
  // stackTraces off: construct metadata would otherwise carry absolute file paths
  const app = new App({ outdir: outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out', stackTraces: false });
  new PlatformStack(app, platform.name, { platform });
  return app;
}

if (require.main === module) {
  buildPlatformApp().synth();
}
