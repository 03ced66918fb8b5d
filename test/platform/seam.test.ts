import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../lib');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const imports = (file: string): string[] => [...fs.readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);

describe('the cdktf seam', () => {
  test('cdktf and its providers are imported only under lib/platform (swapping to cdktn touches one folder)', () => {
    const outside = tsFiles(LIB)
      .filter((f) => !f.startsWith(path.join(LIB, 'platform') + path.sep))
      .flatMap((f) =>
        imports(f)
          .filter((i) => i === 'cdktf' || i.startsWith('@cdktf/'))
          .map((i) => `${path.relative(LIB, f)}: ${i}`),
      );
    expect(outside).toEqual([]);
  });

  test('provider classes are imported by subpath, never the package index (about 1 s and 250 MB)', () => {
    const byIndex = tsFiles(path.join(LIB, 'platform')).flatMap((f) =>
      imports(f)
        .filter((i) => /^@cdktf\/provider-[a-z]+$/.test(i))
        .map((i) => `${path.relative(LIB, f)}: ${i}`),
    );
    expect(byIndex).toEqual([]);
  });

  test('lib/index.ts does not pull in the platform entry', () => {
    const index = path.join(LIB, 'index.ts');
    if (!fs.existsSync(index)) return;
    expect(imports(index).filter((i) => /(^|\/)platform(\/|$)/.test(i) && !i.endsWith('platform-spec'))).toEqual([]);
  });
});

describe('the platform spec stays pure data', () => {
  test('loading the cdk8s entry (lib/index.ts, with definePlatform and the catalog ranges) loads no cdktf', () => {
    const root = path.resolve(__dirname, '../..');
    const script =
      "require('./lib/index.ts'); const c = Object.keys(require.cache); process.stdout.write(JSON.stringify([c.some((k) => k.includes('/node_modules/cdktf/')), c.some((k) => k.includes('/node_modules/@cdktf/')), c.some((k) => k.endsWith('/lib/platform/catalog.ts'))]))";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
    // the catalog is loaded (definePlatform checks its ranges), cdktf and the providers are not
    expect(JSON.parse(out)).toEqual([false, false, true]);
  }, 60000);
});
