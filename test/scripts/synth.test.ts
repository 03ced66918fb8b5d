import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { checkWorkloadWiring } from '../../lib/checks/workloads';
import { atomicSynth, checkOutput } from '../../scripts/synth';
import { expectValidManifests } from '../support';

const root = path.resolve(__dirname, '..', '..');

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('atomic synth', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-synth-'));
    fs.mkdirSync(path.join(work, 'dist'));
    fs.writeFileSync(path.join(work, 'dist', 'previous.k8s.yaml'), 'previous\n');
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a failed synth leaves the previous dist/ untouched and no temporary folders', () => {
    expect(() =>
      atomicSynth(work, (distDir) => {
        fs.mkdirSync(distDir);
        fs.writeFileSync(path.join(distDir, 'half.k8s.yaml'), 'half\n');
        throw new Error('bad input');
      }),
    ).toThrow('bad input');
    expect(fs.readdirSync(work).sort()).toEqual(['dist']);
    expect(tree(path.join(work, 'dist'))).toEqual({ 'previous.k8s.yaml': 'previous\n' });
  });

  test('a successful synth replaces dist/ and cdktf.out/ whole', () => {
    atomicSynth(work, (distDir, tfDir) => {
      fs.mkdirSync(distDir);
      fs.writeFileSync(path.join(distDir, 'new.k8s.yaml'), 'new\n');
      fs.mkdirSync(tfDir);
      fs.writeFileSync(path.join(tfDir, 'manifest.json'), '{}\n');
    });
    expect(fs.readdirSync(work).sort()).toEqual(['cdktf.out', 'dist']);
    expect(tree(path.join(work, 'dist'))).toEqual({ 'new.k8s.yaml': 'new\n' });
  });
});

describe('npm run synth', () => {
  const run = () =>
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/synth.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });

  test('writes every example and the platform stack, byte-identical across runs', () => {
    run();
    const first = { dist: tree(path.join(root, 'dist')), tf: tree(path.join(root, 'cdktf.out')) };
    run();
    expect({ dist: tree(path.join(root, 'dist')), tf: tree(path.join(root, 'cdktf.out')) }).toEqual(first);
    // A folder per cluster (its platform stack is cdktf.out/stacks/<cluster>/); one pair per
    // tenant: `<tenant>-admin` (cluster admin, applied first) and `<tenant>` (deployer).
    expect(Object.keys(first.dist)).toEqual([
      'gateway-demo/hello-admin.k8s.yaml',
      'gateway-demo/hello.k8s.yaml',
      'seeds/batch-admin.k8s.yaml',
      'seeds/batch.k8s.yaml',
      'seeds/dev-ns-admin.k8s.yaml',
      'seeds/dev-ns.k8s.yaml',
      'seeds/metrics-demo-admin.k8s.yaml',
      'seeds/metrics-demo.k8s.yaml',
      'seeds/node-agent-admin.k8s.yaml',
      'seeds/node-agent.k8s.yaml',
      'seeds/redis-admin.k8s.yaml',
      'seeds/redis.k8s.yaml',
      'seeds/shop-db-admin.k8s.yaml',
      'seeds/shop-db.k8s.yaml',
      'seeds/static-nfs-admin.k8s.yaml',
      'seeds/static-nfs.k8s.yaml',
      'seeds/web-admin.k8s.yaml',
      'seeds/web.k8s.yaml',
      'seeds/wordpress-admin.k8s.yaml',
      'seeds/wordpress.k8s.yaml',
    ]);
    // The files as written: strict schema, restricted, Polaris, and wiring across the whole output.
    const objects = Object.values(first.dist).flatMap((text) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()));
    // The dev tenant binds its team to the built-in edit role on purpose (paas-checks.yaml says why).
    expectValidManifests(objects, {
      polarisExempt: [
        {
          checkId: 'rolebindingClusterRolePodExecAttach',
          object: 'RoleBinding dev-ns/edit-group-dev-team',
          reason: "the dev tenant's team is bound to the built-in edit role on purpose (AccessRole.EDIT includes pods/exec)",
        },
      ],
    });
    // The shipped engine, as `npm run synth` runs it (each cluster with its stacks, under paas-checks.yaml).
    const shipped = checkOutput(root, path.join(root, 'dist'), path.join(root, 'cdktf.out'));
    expect({ errors: shipped.errors, report: shipped.errorReport }).toEqual({ errors: 0, report: '' });
    expect(shipped.exempted).toBe(1);
    expect(checkWorkloadWiring(objects, (m) => `${m.kind}/${m.metadata?.name}`)).toEqual([]);
    // Secrets are created outside our output and referenced by name: no Secret object, no data.
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(first.dist).toMatchSnapshot();
    // No absolute path of this checkout in the output (cdktf's default backend would write one).
    for (const [file, text] of Object.entries({ ...first.dist, ...first.tf })) expect([file, text.includes(root)]).toEqual([file, false]);
  }, 120000);
});
