import * as path from 'path';
import { App } from 'cdk8s';
import { warningsOf } from '../lib/core/warnings';
import { writePaasWarnings } from '../lib/validation/plugin';
import type { PlatformSpec } from '../lib/platform-spec';
import { addDevTenant } from './dev-tenant';
import { addEchoCronJob } from './echo-cronjob';
import { addGatewayExample, gatewayPlatform } from './gateway';
import { addMetricsApp } from './metrics-app';
import { addMigrationJob } from './migration-job';
import { addNginxApp } from './nginx';
import { addNodeAgent } from './node-agent';
import { platform } from './platform.config';
import { addRedis } from './redis';
import { addStaticNfs } from './static-nfs';
import { addWordPressDb } from './wordpress-db';

/** The examples of one cluster: its platform spec and what each example adds to its App. */
export interface ClusterExamples {
  readonly platform: PlatformSpec;
  readonly examples: ReadonlyArray<(app: App, platform: PlatformSpec) => unknown>;
}

/**
 * Every cluster of the examples with what runs on it. Each cluster's platform stack is
 * `cdktf.out/stacks/<name>/` (apps/platform.ts) and its files are `dist/<name>/`, so which file
 * belongs to which cluster is the folder it is in.
 */
export const CLUSTERS: readonly ClusterExamples[] = Object.freeze([
  { platform, examples: [addNginxApp, addWordPressDb, addRedis, addStaticNfs, addDevTenant, addMetricsApp, addEchoCronJob, addMigrationJob, addNodeAgent] },
  { platform: gatewayPlatform, examples: [addGatewayExample] },
]);

/**
 * One cdk8s App per cluster, writing into `<distRoot>/<platform name>/`. Each example adds its
 * own charts; each chart becomes one file (`<tenant>-admin` files hold what a cluster admin
 * applies). Run by `npm run synth` (atomic) and by `cdk8s synth` (cdk8s.yaml).
 * @param distRoot @default $CDK8S_OUTDIR, else 'dist'
 */
export function buildExamples(distRoot: string = process.env.CDK8S_OUTDIR ?? 'dist'): App[] {
  return CLUSTERS.map((cluster) => buildClusterApp(cluster, path.join(distRoot, cluster.platform.name)));
}

/** One cluster's examples in one cdk8s App. */
export function buildClusterApp(cluster: ClusterExamples, outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  for (const add of cluster.examples) add(app, cluster.platform);
  return app;
}

if (require.main === module) {
  for (const app of buildExamples()) {
    app.synth();
    for (const w of warningsOf(app)) process.stderr.write(`warning: ${w}\n`);
    // construct warnings and paths for the validation plugin of `cdk8s synth` (docs/validation.md)
    writePaasWarnings(app);
  }
}
