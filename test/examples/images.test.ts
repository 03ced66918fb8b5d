import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { buildClusterApp, CLUSTERS } from '../../apps/main';
import { expectValidManifests, podTemplateOf, synthObjects } from '../support';
import { ImageFacts, IMAGES, NOT_RUN } from './images';

const ROOT = path.resolve(__dirname, '../..');
const REGISTRY = '<registry>';

/** The files whose image references must all be in the table. */
function sources(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  const apps = fs.readdirSync(path.join(ROOT, 'apps')).filter((f) => f.endsWith('.ts'));
  return ['README.md', ...docs.map((f) => `docs/${f}`), ...apps.map((f) => `apps/${f}`)];
}

/** Image references in a text: quoted or back-ticked `repo[:tag]`, and `${host}/path:tag` templates. */
export function imageReferences(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/['"`]((?:[a-z0-9.-]+\/)*[a-z][a-z0-9._-]*:[0-9][A-Za-z0-9._-]*)['"`]/g)) out.add(m[1]);
  for (const m of text.matchAll(/\$\{[^}]+\}(\/[a-z0-9._/-]+:[0-9][A-Za-z0-9._-]*)/g)) out.add(`${REGISTRY}${m[1]}`);
  return [...out].sort();
}

const facts = (image: string): ImageFacts | undefined => IMAGES.find((i) => i.image === image);

/** What one container is configured with, as synthesized. */
interface Configured {
  readonly where: string;
  readonly image: string;
  readonly uid?: number;
  readonly ports: number[];
  readonly writable: string[];
}

function containersOf(objects: any[], registryHost?: string): Configured[] {
  const out: Configured[] = [];
  for (const obj of objects) {
    const pod = podTemplateOf(obj);
    if (!pod) continue;
    const writableVolumes = new Set<string>(
      (pod.spec.volumes ?? []).filter((v: any) => v.emptyDir || v.persistentVolumeClaim).map((v: any) => v.name as string),
    );
    const templates = (obj.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name as string);
    for (const t of templates) writableVolumes.add(t);
    for (const c of pod.spec.containers ?? []) {
      const image = registryHost && c.image.startsWith(`${registryHost}/`) ? `${REGISTRY}${c.image.slice(registryHost.length)}` : c.image;
      out.push({
        where: `${obj.kind}/${obj.metadata?.namespace}/${obj.metadata?.name}`,
        image,
        uid: c.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser,
        ports: (c.ports ?? []).map((p: any) => p.containerPort),
        writable: (c.volumeMounts ?? []).filter((m: any) => writableVolumes.has(m.name) && m.readOnly !== true).map((m: any) => m.mountPath),
      });
    }
  }
  return out;
}

/** Problems of one configured container against the table (empty when it would run). */
function mismatches(c: Configured): string[] {
  const f = facts(c.image);
  if (!f) return [`${c.where}: image ${c.image} is not in test/examples/images.ts`];
  const out: string[] = [];
  if (c.uid === undefined || c.uid === 0) out.push(`${c.where}: runs as root or an unset user`);
  else if (!f.anyUser && c.uid !== f.user) out.push(`${c.where}: runs as UID ${c.uid}, but ${f.image} runs as ${f.user} (${f.source})`);
  // A Job or CronJob runs a command or a client of the image (psql, mariadb-dump), not its server.
  if (/^(Job|CronJob)\//.test(c.where)) return out;
  if (f.port !== 'none' && !c.ports.includes(f.port)) out.push(`${c.where}: ports ${JSON.stringify(c.ports)} miss ${f.port}, where ${f.image} listens`);
  for (const p of f.writablePaths) if (!c.writable.includes(p)) out.push(`${c.where}: ${p} is not writable, but ${f.image} writes it`);
  return out;
}

/**
 * Runs a TypeScript code block of the docs: imports pointed at this checkout, an undefined
 * `platform` given a plain one, and the App (whatever `app.synth()` it ends with) handed back.
 */
function runSnippet(code: string, name: string): App {
  let src = code.replace(/from 'cdk8s-paas'/g, `from ${JSON.stringify(path.join(ROOT, 'lib'))}`);
  src = src.replace(/from '(cdk8s|cdk8s-plus-28|constructs)'/g, (_m, pkg: string) => `from ${JSON.stringify(path.join(ROOT, 'node_modules', pkg))}`);
  src = src.replace(/^app\.synth\(\);$/m, '');
  if (/\bplatform\b/.test(src) && !/const platform\b/.test(src)) {
    src = `import { definePlatform as __define } from ${JSON.stringify(path.join(ROOT, 'lib/platform-spec'))};\nconst platform = __define({ name: 'docs' });\n${src}`;
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paas-snippet-')), `${name}.ts`);
  fs.writeFileSync(file, `${src}\nmodule.exports = app;\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as App;
}

/** The first ```ts block after `heading` that contains `marker`. */
function codeBlock(file: string, heading: string, marker: string): string {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const blocks = [...text.slice(text.indexOf(heading)).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => b.includes(marker));
  if (!block) throw new Error(`${file}: no ts block with ${marker} after ${heading}`);
  return block;
}

describe('every image in README, docs and apps is in the sourced table', () => {
  const found = new Map<string, string[]>();
  for (const file of sources()) {
    for (const ref of imageReferences(fs.readFileSync(path.join(ROOT, file), 'utf8'))) found.set(ref, [...(found.get(ref) ?? []), file]);
  }

  test('no reference is missing from the table (or from the listed prose mentions)', () => {
    const missing = [...found.entries()].filter(([ref]) => !facts(ref) && !(ref in NOT_RUN)).map(([ref, files]) => `${ref} (${files.join(', ')})`);
    expect(missing).toEqual([]);
  });

  test('no table row or prose exception is stale', () => {
    expect(IMAGES.map((i) => i.image).filter((i) => !found.has(i))).toEqual([]);
    expect(Object.keys(NOT_RUN).filter((i) => !found.has(i))).toEqual([]);
  });

  test('the scan has teeth: it finds quoted, back-ticked and templated references', () => {
    expect(imageReferences("image: 'nginx:1.27.3', `redis:7`, \"a.io/b/c:1.0\", `${host}/demo/app:1.0.0`, 'not:an-image', '10:30'")).toEqual([
      '<registry>/demo/app:1.0.0',
      'a.io/b/c:1.0',
      'nginx:1.27.3',
      'redis:7',
    ]);
    expect(mismatches({ where: 'x', image: 'nginx:1.27.3-alpine', uid: 10001, ports: [8080], writable: ['/tmp'] })).toEqual([
      'x: image nginx:1.27.3-alpine is not in test/examples/images.ts',
    ]);
    expect(mismatches({ where: 'x', image: 'nginxinc/nginx-unprivileged:1.27.3-alpine', uid: 10001, ports: [80], writable: [] })).toEqual([
      'x: runs as UID 10001, but nginxinc/nginx-unprivileged:1.27.3-alpine runs as 101 (https://github.com/nginx/docker-nginx-unprivileged#readme)',
      'x: ports [80] miss 8080, where nginxinc/nginx-unprivileged:1.27.3-alpine listens',
      'x: /tmp is not writable, but nginxinc/nginx-unprivileged:1.27.3-alpine writes it',
    ]);
  });

  test('docs/images.md shows every row: image, user, port, writable paths and the source', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/images.md'), 'utf8');
    for (const i of IMAGES) {
      const user = i.user === 'unset' ? 'unset' : `${i.user}:${i.group}`;
      expect(doc).toContain(
        `| \`${i.image}\` | ${user}${i.anyUser ? ' (any)' : ''} | ${i.port} | ${i.writablePaths.map((p) => `\`${p}\``).join(', ')} | [source](${i.source}) |`,
      );
    }
  });
});

describe('what we configure matches the image', () => {
  test.each(CLUSTERS.map((c) => [c.platform.name, c] as const))('apps on cluster %s', (_name, cluster) => {
    const containers = containersOf(synthObjects(buildClusterApp(cluster)), cluster.platform.registry?.host);
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.flatMap(mismatches)).toEqual([]);
  });

  test("the README's first app (run as written)", () => {
    const app = runSnippet(codeBlock('README.md', '## A first app', 'new WebApp'), 'readme');
    const objects = synthObjects(app);
    const containers = containersOf(objects);
    expect(containers.map((c) => c.image)).toEqual(['nginxinc/nginx-unprivileged:1.27.3-alpine']);
    expect(containers.flatMap(mismatches)).toEqual([]);
    // The readiness path is one the server configuration serves, on the port it listens on.
    const conf = objects.find((o) => o.kind === 'ConfigMap').data['default.conf'];
    expect(conf).toContain('listen 8080;');
    expect(conf).toContain('location = /ready');
    const probe = podTemplateOf(objects.find((o) => o.kind === 'Deployment'))!.spec.containers[0].readinessProbe.httpGet;
    expect(probe.path).toBe('/ready');
  });

  test("docs/ingress.md's Gateway HTTPS example: runs as configured, routed over the HTTPS listener", () => {
    const app = runSnippet(codeBlock('docs/ingress.md', '### HTTPS on the Gateway', 'RouteTls.fromPlatform()'), 'gateway-https');
    const objects = synthObjects(app);
    expectValidManifests(objects);
    const containers = containersOf(objects);
    expect(containers.map((c) => c.image)).toEqual(['nginxinc/nginx-unprivileged:1.27.3-alpine']);
    expect(containers.flatMap(mismatches)).toEqual([]);
    const routes = objects.filter((o) => o.kind === 'HTTPRoute');
    expect(routes.map((r) => `${r.metadata.name}@${r.spec.parentRefs[0].sectionName}`)).toEqual(['hello@websecure', 'hello-redirect@web']);
  });

  test("docs/tenancy.md's first example", () => {
    const app = runSnippet(codeBlock('docs/tenancy.md', '# Tenants', 'new WebApp'), 'tenancy');
    const containers = containersOf(synthObjects(app));
    expect(containers.map((c) => c.image)).toEqual(['nginxinc/nginx-unprivileged:1.27.3-alpine']);
    expect(containers.flatMap(mismatches)).toEqual([]);
  });
});
