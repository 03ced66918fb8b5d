import { App } from 'cdk8s';
import { addMetricsApp } from './metrics-app';
import { addNginxApp } from './nginx';
import { platform } from './platform.config';
import { addWordPressWeb } from './wordpress';

/**
 * Every example stack of the repository in one cdk8s App. Each example adds its own charts; each
 * chart becomes one file in `dist/`. Run by `npm run synth` (atomic) and by `cdk8s synth` (cdk8s.yaml).
 */
export function buildExamples(app: App = new App()): App {
  addNginxApp(app, platform);
  addWordPressWeb(app, platform);
  addMetricsApp(app, platform);
  return app;
}

if (require.main === module) {
  buildExamples().synth();
}
