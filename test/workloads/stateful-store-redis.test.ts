import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import { StorageClassHandle } from '../../lib/storage/types';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StatefulStoreProps } from '../../lib/workloads/stateful-store-props';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { expectValidManifests, synthObjects } from '../support';

// Runs the Redis members' start script with /bin/sh against a stand-in `redis-server` that prints
// its arguments and the configuration it receives on stdin: what the real server would be given.

const storage = StorageClassHandle.fromName('nfs-client', { enforcesSize: false });

function container(props: Partial<StatefulStoreProps>): any {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'cache' });
  new StatefulStore(chart, 'redis', { engine: StoreEngine.redis(), storage, replicas: 2, credentials: { secretName: 'redis-auth' }, ...props });
  const objects = synthObjects(chart);
  expectValidManifests(objects);
  return objects.find((o) => o.kind === 'StatefulSet').spec.template.spec.containers[0];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'redis-script-'));
  writeFileSync(join(dir, 'redis-server'), '#!/bin/sh\nfor a in "$@"; do printf "ARG %s\\n" "$a"; done\nprintf "STDIN\\n"\ncat\n');
  chmodSync(join(dir, 'redis-server'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(script: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What Redis' config parser makes of a double-quoted value made only of "\xHH" escapes. */
function decodeQuoted(value: string): string {
  const m = /^"((?:\\x[0-9a-f]{2})*)"$/.exec(value);
  if (!m) throw new Error(`not a hex-escaped quoted value: ${value}`);
  return Buffer.from(m[1].replace(/\\x/g, ''), 'hex').toString('utf8');
}

function configOf(stdout: string): { args: string[]; lines: string[] } {
  const [head, body] = stdout.split('STDIN\n');
  return {
    args: head
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^ARG /, '')),
    lines: body.split('\n').filter(Boolean),
  };
}

describe('Redis start script, run by sh', () => {
  const password = `p"a ss\\w'rd$HOME \`x\` é`;

  test('pod 0: primary, password only in the config on stdin, decoded byte for byte', () => {
    const main = container({});
    const r = run(main.command[2], { POD_NAME: 'redis-0', REDIS_PASSWORD: password });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { args, lines } = configOf(r.stdout);
    expect(args).toEqual(['-']);
    expect(lines.filter((l) => !l.startsWith('requirepass') && !l.startsWith('masterauth'))).toEqual([
      'port 6379',
      'dir /data',
      'protected-mode no',
      'appendonly yes',
    ]);
    expect(decodeQuoted(lines.find((l) => l.startsWith('requirepass '))!.slice('requirepass '.length))).toBe(password);
    expect(decodeQuoted(lines.find((l) => l.startsWith('masterauth '))!.slice('masterauth '.length))).toBe(password);
  });

  test("pod 1: replicaof pod 0's stable name", () => {
    const main = container({});
    const { lines } = configOf(run(main.command[2], { POD_NAME: 'redis-1', REDIS_PASSWORD: 'x' }).stdout);
    expect(lines[lines.length - 1]).toBe('replicaof redis-0.redis 6379');
  });

  test('a pod name ending in 10 is a replica too', () => {
    const main = container({});
    const { lines } = configOf(run(main.command[2], { POD_NAME: 'redis-10', REDIS_PASSWORD: 'x' }).stdout);
    expect(lines).toContain('replicaof redis-0.redis 6379');
  });

  test('refuses to start with an empty password instead of running open', () => {
    const main = container({});
    const r = run(main.command[2], { POD_NAME: 'redis-0', REDIS_PASSWORD: '' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('the Redis password from the Secret is empty: refusing to start without authentication\n');
  });

  test('credentialFiles: the password is read from the mounted Secret, not the environment', () => {
    const main = container({ credentialFiles: true });
    expect(main.env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    expect(main.volumeMounts).toContainEqual({ name: 'store-credentials', mountPath: '/run/secrets/redis-auth', readOnly: true });
    expect(main.readinessProbe.exec.command).toEqual([
      'sh',
      '-c',
      'REDISCLI_AUTH="$(cat /run/secrets/redis-auth/password)" redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG',
    ]);
    // The mount path is absolute in the pod; point it at a temporary folder here.
    writeFileSync(join(dir, 'password'), 's3cret\n');
    const r = run(main.command[2].replace('/run/secrets/redis-auth', dir), { POD_NAME: 'redis-0' });
    expect(r.status).toBe(0);
    const { args, lines } = configOf(r.stdout);
    expect(args).toEqual(['-']);
    // Like the images' *_FILE readers, a trailing newline of the file is not part of the password.
    expect(decodeQuoted(lines.find((l) => l.startsWith('requirepass '))!.slice('requirepass '.length))).toBe('s3cret');
  });

  test('extra arguments follow "-" and stay literal', () => {
    const main = container({ engine: StoreEngine.redis({ extraArgs: ['--maxmemory', '200mb', '--save', "'$x'"] }), credentials: undefined, replicas: 1 });
    const { args, lines } = configOf(run(main.command[2], { POD_NAME: 'redis-0' }).stdout);
    expect(args).toEqual(['-', '--maxmemory', '200mb', '--save', "'$x'"]);
    expect(lines).toEqual(['port 6379', 'dir /data', 'protected-mode no', 'appendonly yes']);
  });
});
