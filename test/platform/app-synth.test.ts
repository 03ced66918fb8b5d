import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { buildPlatformApp } from '../../apps/platform';
import { readUpstreamYaml } from '../support/upstream';

const ROOT = path.resolve(__dirname, '../..');

function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

function synthInto(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  buildPlatformApp(dir).synth();
  return dir;
}

describe('apps/platform.ts: cdktf.out for every cluster of the examples', () => {
  const a = synthInto('paas-cdktf-a-');
  const b = synthInto('paas-cdktf-b-');
  const out = files(a);

  test("writes the manifest, one platform stack per cluster of the examples and the seeds tenants' credentials stack", () => {
    expect([...out.keys()].sort()).toEqual([
      'manifest.json',
      'stacks/gateway-demo/cdk.tf.json',
      'stacks/seeds-credentials/cdk.tf.json',
      'stacks/seeds/cdk.tf.json',
    ]);
  });

  test('is byte-identical between runs and output folders', () => {
    const other = files(b);
    expect([...other.keys()].sort()).toEqual([...out.keys()].sort());
    for (const [name, content] of out) expect(other.get(name)!.equals(content)).toBe(true);
  });

  test('holds no absolute path of this checkout, the temp folder or the home folder', () => {
    for (const [name, content] of out) {
      const text = content.toString('utf8');
      for (const p of [ROOT, a, os.homedir(), process.cwd()]) {
        if (text.includes(p)) throw new Error(`${name} contains the absolute path ${p}`);
      }
    }
  });

  test('holds no secret literal: no chart default credential, no secret-like key with a value', () => {
    const text = [...out.values()].map((c) => c.toString('utf8')).join('\n');
    const harbor = readUpstreamYaml<any>('charts/harbor/values.yaml');
    for (const literal of [
      harbor.harborAdminPassword,
      harbor.secretKey,
      harbor.database.internal.password,
      harbor.registry.credentials.password,
      'strongpassword',
      'PRIVATE KEY',
    ]) {
      expect(text).not.toContain(literal);
    }
    const stack = JSON.parse(out.get('stacks/seeds/cdk.tf.json')!.toString('utf8'));
    const offenders: string[] = [];
    const scan = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => scan(n, `${at}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (/password|secretkey|^secret$|xsrf|htpasswd|token/i.test(k) && !/^existing/i.test(k) && typeof v === 'string' && v !== '')
            offenders.push(`${at}.${k}`);
          scan(v, `${at}.${k}`);
        }
      }
    };
    for (const [name, release] of Object.entries<any>(stack.resource.helm_release)) {
      for (const doc of release.values ?? []) scan(parse(doc), `${name}.values`);
      for (const wo of release.set_wo ?? []) expect(wo.value).toMatch(/^\$\{var\.[a-z_]+\}$/);
      expect(release.set_sensitive).toBeUndefined();
      expect(release.set).toBeUndefined();
    }
    expect(offenders).toEqual([]);
    for (const [name, v] of Object.entries<any>(stack.variable)) {
      if (v.sensitive) expect([name, v.default]).toEqual([name, undefined]);
    }
  });

  test('the entry honours CDKTF_OUTDIR and writes the same bytes (the command cdktf.json runs)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paas-cdktf-env-'));
    execFileSync(process.execPath, [require.resolve('tsx/cli'), 'apps/platform.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: dir, CHECKPOINT_DISABLE: '1' },
      stdio: 'pipe',
    });
    const env = files(dir);
    for (const [name, content] of out) expect(env.get(name)?.equals(content)).toBe(true);
  });

  test('cdktf.json runs the same entry into cdktf.out', () => {
    const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
    expect(cfg).toMatchObject({ language: 'typescript', app: 'node --import tsx apps/platform.ts', output: 'cdktf.out' });
  });
});
