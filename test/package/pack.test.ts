import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The package as a user gets it: `npm pack`, install the tarball next to the peer dependencies and
 * cdk8s-cli in a fresh project (offline, from the cache `npm ci` filled), `require('cdk8s-paas')`
 * from plain JavaScript and synthesize, run `npx cdk8s-paas check` and `cdk8s synth` with the
 * validation plugin.
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
    const peers = ['cdk8s', 'cdk8s-plus-28', 'constructs', 'cdk8s-cli'].map((name) => `${name}@${pkg.devDependencies[name]}`);
    npm(['install', '--prefer-offline', '--no-save', '--ignore-scripts', tarball, ...peers], project);
  }, 300000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('ships compiled JavaScript and type declarations only, with LICENSE, NOTICE and the validation data', () => {
    const dir = path.join(work, 'project', 'node_modules', 'cdk8s-paas');
    expect(fs.existsSync(path.join(dir, 'build', 'lib', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'build', 'lib', 'index.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'lib', 'index.ts'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'build', 'test'))).toBe(false);
    for (const f of [
      'LICENSE',
      'NOTICE',
      'bin/cdk8s-paas.js',
      'build/lib/validation/index.js',
      'build/lib/validation/cli.js',
      'lib/validation/data/PROVENANCE.md',
    ]) {
      expect([f, fs.existsSync(path.join(dir, f))]).toEqual([f, true]);
    }
    expect(fs.existsSync(path.join(dir, 'bin', 'dev-plugin.js'))).toBe(false);
    // The engine reads nothing of the upstream folder at run time: its data is in the package.
    const engine = execFileSync(
      process.execPath,
      ['-e', "const v = require('cdk8s-paas/validation'); process.stdout.write(typeof v.validate + ' ' + typeof v.PaasValidation)"],
      {
        cwd: path.join(work, 'project'),
        encoding: 'utf8',
        env: { ...process.env, PAAS_UPSTREAM_DIR: path.join(work, 'nowhere') },
      },
    );
    expect(engine).toBe('function function');
  });

  describe('npx cdk8s-paas check', () => {
    const check = (args: string[]) => spawnSync('npx', ['--no-install', 'cdk8s-paas', 'check', ...args], { cwd: path.join(work, 'project'), encoding: 'utf8' });
    test('exit 0 without error findings, 1 with, 2 for bad usage or unreadable input', () => {
      const out = path.join(work, 'project', 'out');
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, 'cfg.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\ndata:\n  greeting: hello\n');
      const ok = check(['out/']);
      expect([ok.status, ok.stdout.trim().split('\n').pop()]).toEqual([0, '1 object checked: 0 errors, 0 warnings, 0 exempted, 0 prerequisites']);
      fs.writeFileSync(
        path.join(out, 'cfg.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: shop\ndata:\n  DB_PASSWORD: hunter2\n',
      );
      const bad = check(['out/', '--format', 'json']);
      expect(bad.status).toBe(1);
      expect(JSON.parse(bad.stdout).findings.map((f: { id: string }) => f.id)).toContain('polaris/sensitiveConfigmapContent');
      expect(check(['out/', '--pod-security', 'none']).status).toBe(2);
      fs.writeFileSync(path.join(out, 'broken.yaml'), 'kind: [\n');
      const broken = check(['out/']);
      expect([broken.status, broken.stderr]).toEqual([
        2,
        'cdk8s-paas check: out/broken.yaml:2: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]\n',
      ]);
      fs.rmSync(out, { recursive: true, force: true });
    });
  });

  describe('cdk8s synth with the validation plugin named in cdk8s.yaml', () => {
    const synth = (dbPassword: boolean) => {
      const dir = path.join(work, 'project');
      // A plain cdk8s-plus Deployment that passes Pod Security restricted; the literal DB_PASSWORD is the only error.
      const main = [
        "const { App, Chart } = require('cdk8s');",
        "const kplus = require('cdk8s-plus-28');",
        'const app = new App();',
        "const chart = new Chart(app, 'shop', { namespace: 'shop' });",
        "new kplus.Deployment(chart, 'web', {",
        '  automountServiceAccountToken: false,',
        '  securityContext: { ensureNonRoot: true, user: 10001, group: 10001 },',
        '  containers: [{',
        "    name: 'web', image: 'nginx:1.27.3', portNumber: 8080,",
        '    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,',
        '      capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } },',
        `    envVariables: ${dbPassword ? "{ DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') }" : '{}'},`,
        '  }],',
        '});',
        'app.synth();',
      ].join('\n');
      fs.writeFileSync(path.join(dir, 'main.js'), main);
      fs.writeFileSync(
        path.join(dir, 'cdk8s.yaml'),
        [
          'language: javascript',
          'app: node main.js',
          'output: dist',
          'validations:',
          '  - package: ./node_modules/cdk8s-paas',
          '    class: PaasValidation',
          `    version: ${pkg.version}`,
          '',
        ].join('\n'),
      );
      fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
      return spawnSync('npx', ['--no-install', 'cdk8s', 'synth'], { cwd: dir, encoding: 'utf8' });
    };
    test('a literal DB_PASSWORD env value fails synth (exit 2) naming polaris/sensitiveContainerEnvVar; without it synth passes', () => {
      const failed = synth(true);
      expect(failed.stdout).toContain('[error] polaris/sensitiveContainerEnvVar');
      expect(failed.status).toBe(2);
      const passed = synth(false);
      expect(passed.stdout).not.toContain('[error]');
      expect(passed.stdout).toContain('Validations ended succesfully');
      expect(passed.status).toBe(0);
    });
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

  test('plain JavaScript synthesizes a minimal ScheduledJob, BatchJob and NodeAgent', () => {
    const script = [
      "const { App, Chart } = require('cdk8s');",
      "const { ScheduledJob, BatchJob, NodeAgent } = require('cdk8s-paas');",
      'const app = new App();',
      "const chart = new Chart(app, 'batch', { namespace: 'batch' });",
      "new ScheduledJob(chart, 'report', { image: 'busybox:1.37.0', schedule: '0 6 * * *' });",
      "new BatchJob(chart, 'migrate', { image: 'busybox:1.37.0' });",
      "new NodeAgent(chart, 'agent', { image: 'fluent/fluent-bit:3.2.4' });",
      'process.stdout.write(JSON.stringify(chart.toJson()));',
    ].join('\n');
    fs.writeFileSync(path.join(work, 'project', 'batch.js'), script);
    const objects = JSON.parse(execFileSync(process.execPath, ['batch.js'], { cwd: path.join(work, 'project'), encoding: 'utf8' }));
    expect(objects.map((o: any) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'CronJob/report',
      'DaemonSet/agent',
      'Job/migrate',
      'NetworkPolicy/agent',
      'NetworkPolicy/migrate',
      'NetworkPolicy/report',
    ]);
    const cron = objects.find((o: any) => o.kind === 'CronJob');
    expect(cron.spec).toMatchObject({ schedule: '0 6 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 60 });
    const pods = objects.filter((o: any) => o.kind !== 'NetworkPolicy').map((o: any) => (o.spec.jobTemplate?.spec ?? o.spec).template.spec);
    for (const pod of pods) {
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      expect(Object.keys(pod.containers[0].resources).sort()).toEqual(['limits', 'requests']);
    }
    expect(objects.find((o: any) => o.kind === 'Job').spec.ttlSecondsAfterFinished).toBe(86400);
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
