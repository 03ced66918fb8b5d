/**
 * `npm run synth`: synthesizes every example app into `dist/` and the platform stack into
 * `cdktf.out/`, atomically: both are written to temporary folders first and swapped in only when
 * everything succeeded, so a failed synth leaves the previous output as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';

const root = path.resolve(__dirname, '..');

function swapIn(tmp: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(tmp, target);
  fs.rmSync(old, { recursive: true, force: true });
}

function main(): void {
  process.env.CHECKPOINT_DISABLE = '1';
  const distTmp = path.join(root, `.dist-tmp-${process.pid}`);
  const tfTmp = path.join(root, `.cdktf-tmp-${process.pid}`);
  try {
    // cdk8s: examples into a temporary folder.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildExamples } = require('../apps/main') as typeof import('../apps/main');
    buildExamples(new App({ outdir: distTmp })).synth();
    // cdktf: the platform stack, when the platform app is present.
    const platformApp = path.join(root, 'apps', 'platform.ts');
    if (fs.existsSync(platformApp)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require('../apps/platform') as typeof import('../apps/platform');
      mod.buildPlatformApp(tfTmp).synth();
    }
  } catch (e) {
    fs.rmSync(distTmp, { recursive: true, force: true });
    fs.rmSync(tfTmp, { recursive: true, force: true });
    process.stderr.write(`synth failed; dist/ and cdktf.out/ were left as they were.\n${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  swapIn(distTmp, path.join(root, 'dist'));
  if (fs.existsSync(tfTmp)) swapIn(tfTmp, path.join(root, 'cdktf.out'));
  const files = fs.readdirSync(path.join(root, 'dist')).sort();
  process.stdout.write(`dist/: ${files.length} files${fs.existsSync(path.join(root, 'cdktf.out')) ? '; cdktf.out/ written' : ''}\n`);
}

main();
