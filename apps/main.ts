import { App } from 'cdk8s';
import { warningsOf } from '../lib/core/warnings';
import { addDevTenant } from './dev-tenant';
import { addGatewayExample } from './gateway';
import { addMetricsApp } from './metrics-app';
import { addNginxApp } from './nginx';
import { platform } from './platform.config';
import { addRedis } from './redis';
import { addStaticNfs } from './static-nfs';
import { addWordPressDb } from './wordpress-db';

/**
 * Every example stack of the repository in one cdk8s App. Each example adds its own charts; each
 * chart becomes one file in `dist/` (`<tenant>-admin` files hold what a cluster admin applies).
 * Run by `npm run synth` (atomic) and by `cdk8s synth` (cdk8s.yaml).
 */
export function buildExamples(app: App = new App()): App {
  addNginxApp(app, platform);
  addWordPressDb(app, platform);
  addRedis(app, platform);
  addStaticNfs(app, platform);
  addDevTenant(app, platform);
  addGatewayExample(app, platform);
  addMetricsApp(app, platform);
  return app;
}

if (require.main === module) {
  const app = buildExamples();
  app.synth();
  for (const w of warningsOf(app)) process.stderr.write(`warning: ${w}\n`);
}
