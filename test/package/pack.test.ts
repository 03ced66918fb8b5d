import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The package as a user gets it: `npm pack`, install the tarball next to the peer dependencies in a
 * fresh project (offline, from the cache `npm ci` filled), `require('cdk8s-paas')` from plain
 * JavaScript and synthesize.
 */
const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' },
  });

describe('packed package', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-paas-pack-'));
    const out = npm(['pack', '--pack-destination', work, '--json'], root);
    const tarball = path.join(work, JSON.parse(out.slice(out.indexOf('[')))[0].filename);
    const project = path.join(work, 'project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs'].map((name) => `${name}@${pkg.devDependencies[name]}`);
    npm(['install', '--prefer-offline', '--no-save', '--ignore-scripts', tarball, ...peers], project);
  }, 300000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('ships compiled JavaScript and type declarations only', () => {
    const dir = path.join(work, 'project', 'node_modules', 'cdk8s-paas');
    expect(fs.existsSync(path.join(dir, 'build', 'lib', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'build', 'lib', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'lib', 'index.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'build', 'test'))).toBe(false);
  });

  test('plain JavaScript can require it and synthesize a WebApp', () => {
    const script = [
      "const { App, Chart } = require('cdk8s');",
      "const { WebApp } = require('cdk8s-paas');",
      "const app = new App({ outdir: 'dist' });",
      "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
      "new WebApp(chart, 'web', { image: 'nginx:1.27.3' });",
      'app.synth();',
      "process.stdout.write(require('fs').readFileSync('dist/shop.k8s.yaml', 'utf8'));",
    ].join('\n');
    fs.writeFileSync(path.join(work, 'project', 'main.js'), script);
    const yaml = execFileSync(process.execPath, ['main.js'], { cwd: path.join(work, 'project'), encoding: 'utf8' });
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('name: web');
    expect(yaml).toContain('readOnlyRootFilesystem: true');
  });

  test("the README's first example runs as written against the installed package", () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## A first app'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)![1];
    const project = path.join(work, 'project');
    fs.writeFileSync(path.join(project, 'readme.ts'), example);
    const tsx = require.resolve('tsx', { paths: [root] });
    execFileSync(process.execPath, ['--import', tsx, 'readme.ts'], { cwd: project, encoding: 'utf8' });
    const yaml = fs.readFileSync(path.join(project, 'dist', 'shop.k8s.yaml'), 'utf8');
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']) expect(yaml).toContain(`kind: ${kind}\n`);
  });

  test('bad input from plain JavaScript gets the library error', () => {
    const script = [
      "const { App, Chart } = require('cdk8s');",
      "const { WebApp, PaasValidationError } = require('cdk8s-paas');",
      "const chart = new Chart(new App(), 'shop');",
      "try { new WebApp(chart, 'web', { image: 'nginx:latest' }); } catch (e) { process.stdout.write(String(e instanceof PaasValidationError) + ' ' + e.message); }",
    ].join('\n');
    fs.writeFileSync(path.join(work, 'project', 'bad.js'), script);
    const out = execFileSync(process.execPath, ['bad.js'], { cwd: path.join(work, 'project'), encoding: 'utf8' });
    expect(out).toBe('true shop/web: image "nginx:latest" is invalid: must not use the ":latest" tag: pin a version tag or a digest (e.g. "nginx:1.27.3")');
  });
});
