import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App as Cdk8sApp } from 'cdk8s';
import { App, Testing } from 'cdktf';
import { buildClusterApp, CLUSTERS } from '../../apps/main';
import { buildPlatformApp } from '../../apps/platform';
import { definePlatform, PlatformSpec } from '../../lib/platform-spec';
import { CredentialsStack, CredentialValue, GeneratedSecret, registryPullSecret, storeSecret, tenantCredentials } from '../../lib/platform/credentials';
import { PlatformStack } from '../../lib/platform/platform-stack';
import { REQUIRED_TERRAFORM_VERSION } from '../../lib/platform/terraform-raw';
import { NfsStorage } from '../../lib/storage/nfs-storage';
import { TenantNamespace } from '../../lib/tenancy/tenant-namespace';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { synthObjects } from '../support';
import { secretReferences } from './credentials-refs';

const LAB = definePlatform({
  name: 'lab',
  kubernetesVersion: '1.35',
  nfs: { server: '10.0.0.2', path: '/srv/nfs' },
  registry: { host: 'harbor.lab.test' },
});
const OTHER = definePlatform({ name: 'other', kubernetesVersion: '1.35' });

let outdir: string | undefined;
function stack(secrets: readonly GeneratedSecret[], platform: PlatformSpec = LAB): CredentialsStack {
  outdir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'paas-credentials-test-'));
  return new CredentialsStack(new App({ outdir, stackTraces: false }), 'lab-credentials', { platform, secrets });
}
const synth = (s: CredentialsStack): any => JSON.parse(Testing.synth(s));

/** A lab app: MariaDB and WordPress-like app in `shop`, Redis in `cache`, PostgreSQL in `pg`, and a tenant of another platform. */
function labApp(): Cdk8sApp {
  const app = new Cdk8sApp();
  const shop = new TenantNamespace(app, 'shop', { platform: LAB });
  const nfs = NfsStorage.fromPlatform(shop, 'nfs', LAB);
  const db = new StatefulStore(shop, 'db', {
    engine: StoreEngine.mariadb(),
    storage: nfs.storageClass,
    credentials: { secretName: 'shop-db' },
    credentialFiles: true,
  });
  const web = new WebApp(shop, 'web', { image: 'registry.example/web:1.0.0' });
  db.connect(web, { prefix: 'DB_', credentialFiles: true });
  const cache = new TenantNamespace(app, 'cache', { platform: LAB });
  const redis = new StatefulStore(cache, 'redis', {
    engine: StoreEngine.redis(),
    storage: NfsStorage.fromPlatform(cache, 'nfs', LAB).storageClass,
    credentials: { secretName: 'redis-auth', passwordKey: 'requirepass' },
  });
  redis.connect(new WebApp(cache, 'worker', { image: 'registry.example/worker:1.0.0' }));
  const pg = new TenantNamespace(app, 'pg', { platform: LAB });
  new StatefulStore(pg, 'pg', {
    engine: StoreEngine.postgres(),
    storage: NfsStorage.fromPlatform(pg, 'nfs', LAB).storageClass,
    credentials: { secretName: 'pg-credentials' },
  });
  new TenantNamespace(app, 'elsewhere', { platform: OTHER });
  return app;
}

describe('tenantCredentials: the Secrets derived from the constructs', () => {
  const secrets = tenantCredentials(labApp(), LAB, { names: { 'shop/shop-db': { user: 'shop', database: 'shop' } } });

  test("one Secret per store with the engine's key names, one pull secret per tenant of the platform, sorted", () => {
    expect(secrets.map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'cache/harbor-pull',
      'cache/redis-auth',
      'pg/harbor-pull',
      'pg/pg-credentials',
      'shop/harbor-pull',
      'shop/shop-db',
    ]);
    const keys = (ref: string): string[] => Object.keys(secrets.find((s) => `${s.namespace}/${s.name}` === ref)!.data!).sort();
    expect(keys('shop/shop-db')).toEqual(['database', 'password', 'root-password', 'user']);
    expect(keys('cache/redis-auth')).toEqual(['requirepass']);
    expect(keys('pg/pg-credentials')).toEqual(['database', 'password', 'user']);
  });

  test('passwords are random, names plain (from options, else "app")', () => {
    const db = secrets.find((s) => s.name === 'shop-db')!.data!;
    expect(db.password).toEqual(CredentialValue.random(32));
    expect(db['root-password']).toEqual(CredentialValue.random(32));
    expect(db.user).toEqual(CredentialValue.plain('shop'));
    expect(secrets.find((s) => s.name === 'pg-credentials')!.data!.user).toEqual(CredentialValue.plain('app'));
  });

  test('a platform without registry gets no pull secret; tenants of other platforms are left out', () => {
    expect(tenantCredentials(labApp(), OTHER)).toEqual([]);
  });
});

describe('CredentialsStack: values never in cdktf.out or state', () => {
  const s = stack(tenantCredentials(labApp(), LAB));
  const json = synth(s);
  const secrets = json.resource.kubernetes_secret_v1;

  test('every Secret is write-only: data_wo only, no data or binary_data', () => {
    expect(Object.keys(secrets).sort()).toEqual([
      'cache__harbor_pull',
      'cache__redis_auth',
      'pg__harbor_pull',
      'pg__pg_credentials',
      'shop__harbor_pull',
      'shop__shop_db',
    ]);
    for (const r of Object.values<any>(secrets)) {
      expect(r.data).toBeUndefined();
      expect(r.binary_data).toBeUndefined();
      expect(Object.keys(r.data_wo).length).toBeGreaterThan(0);
    }
  });

  test('passwords are ephemeral random_password results, declared in the ephemeral block', () => {
    expect(secrets.pg__pg_credentials.data_wo).toEqual({
      database: 'app',
      password: '${ephemeral.random_password.pg__pg_credentials__password.result}',
      user: 'app',
    });
    expect(json.ephemeral.random_password.pg__pg_credentials__password).toEqual({
      length: 32,
      special: false,
      min_lower: 1,
      min_upper: 1,
      min_numeric: 1,
    });
    expect(Object.keys(json.ephemeral.random_password)).toHaveLength(4);
    expect(json.resource.random_password).toBeUndefined();
    expect(json.terraform.required_providers.random).toEqual({ source: 'hashicorp/random', version: '3.7.2' });
  });

  test('the pull secret is built from two ephemeral, sensitive variables', () => {
    const pull = secrets.shop__harbor_pull;
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    expect(pull.data_wo['.dockerconfigjson']).toBe(
      '${jsonencode({"auths" = {"harbor.lab.test" = {"username" = var.registry_pull_username, "password" = var.registry_pull_password, ' +
        '"auth" = base64encode(join(":", [var.registry_pull_username, var.registry_pull_password]))}}})}',
    );
    for (const name of ['registry_pull_username', 'registry_pull_password']) {
      expect(json.variable[name]).toMatchObject({ ephemeral: true, sensitive: true, type: 'string', nullable: false });
      expect(json.variable[name].default).toBeUndefined();
    }
    expect(s.secretVariableNames).toEqual(['registry_pull_password', 'registry_pull_username']);
  });

  test('written once; again only when its credential_revisions entry is raised', () => {
    expect(secrets.cache__redis_auth.data_wo_revision).toBe('${lookup(var.credential_revisions, "cache/redis-auth", 1)}');
    expect(json.variable.credential_revisions).toMatchObject({ type: 'map(number)', default: {}, nullable: false });
  });

  test('store credentials refuse terraform destroy; pull secrets, rebuilt from the variables, do not', () => {
    expect(secrets.shop__shop_db.lifecycle).toEqual({ prevent_destroy: true });
    expect(secrets.shop__harbor_pull.lifecycle).toBeUndefined();
  });

  test('Terraform >= 1.11 (write-only data_wo; ephemeral values need 1.10), state at a relative path', () => {
    expect(REQUIRED_TERRAFORM_VERSION).toBe('>= 1.11.0');
    expect(json.terraform.required_version).toBe('>= 1.11.0');
    expect(json.terraform.backend.local.path).toBe('../../../terraform.lab-credentials.tfstate');
  });

  test('nothing in the JSON looks like a password: every non-plain value is a Terraform reference', () => {
    for (const r of Object.values<any>(secrets)) {
      for (const [key, value] of Object.entries<string>(r.data_wo)) {
        if (['user', 'database'].includes(key)) continue;
        expect(value).toMatch(/^\$\{(ephemeral\.random_password\.[a-z0-9_]+\.result|jsonencode\(.*var\.registry_pull_password.*\))\}$/);
      }
    }
  });
});

describe('CredentialsStack: the Secrets are the ones the manifests reference', () => {
  test('every Secret referenced by a pod or ServiceAccount is created by the stack with those keys, and nothing more', () => {
    const app = labApp();
    const refs = secretReferences(synthObjects(app));
    const s = stack(tenantCredentials(app, LAB));
    const lab = refs.filter((r) => r.namespace !== 'elsewhere');
    expect(lab.map((r) => `${r.namespace}/${r.name}`).sort()).toEqual([...s.secretRefs].sort());
    for (const r of lab) expect(s.keysOf(r.namespace, r.name)).toEqual(expect.arrayContaining(r.keys));
    // The join has teeth: the store's env and its mounted files reference these keys.
    expect(lab.find((r) => r.name === 'shop-db')!.keys).toEqual(['database', 'password', 'root-password', 'user']);
    expect(lab.find((r) => r.name === 'redis-auth')!.keys).toEqual(['requirepass']);
  });
});

describe('CredentialsStack: bad input', () => {
  test('fails if a Secret is listed twice, a key is invalid, a name is not DNS, or a value is not a CredentialValue', () => {
    const db = storeSecret(StoreEngine.redis(), { namespace: 'cache', credentials: { secretName: 'redis-auth' } });
    expect(() =>
      stack([
        db,
        db,
        { namespace: 'cache', name: 'x', data: { 'bad key': CredentialValue.plain('v') } },
        { namespace: 'Bad_NS', name: 'y', data: { k: CredentialValue.plain('v') } },
        { namespace: 'cache', name: 'z', data: { k: 'hunter2' as unknown as CredentialValue } },
        { namespace: 'cache', name: 'empty', data: {} },
      ]),
    ).toThrow(
      [
        '5 problems:',
        '  - lab-credentials: secrets[1].name "cache/redis-auth" is invalid: is already created by this stack: one Secret per namespace and name',
        '  - lab-credentials: secrets[2].data "bad key" is invalid: is not a valid Secret key: letters, digits, "-", "_" and "." only',
        '  - lab-credentials: secrets[3].namespace "Bad_NS" is invalid: must be a DNS-1123 label: 1-63 characters, lower-case letters, digits and \'-\', starting and ending with a letter or digit',
        '  - lab-credentials: secrets[4].data.k "<redacted>" is invalid: must be CredentialValue.random() or CredentialValue.plain(value)',
        '  - lab-credentials: secrets[5].data {} is invalid: must name at least one key',
      ].join('\n'),
    );
  });

  test('fails if a pull secret is asked for on a platform without registry', () => {
    expect(() => registryPullSecret(OTHER, 'shop')).toThrow(
      'registryPullSecret: platform.registry undefined is invalid: must be set: platform "other" has no registry to pull from',
    );
    expect(() => stack([{ namespace: 'shop', name: 'pull', dockerConfigFor: '' }], OTHER)).toThrow(
      'lab-credentials: secrets[0].dockerConfigFor "" is invalid: must be the registry host (a platform without registry has no pull secret)',
    );
  });

  test('fails from plain JavaScript when secrets is not a list', () => {
    expect(() => stack(undefined as unknown as GeneratedSecret[])).toThrow(
      'lab-credentials: secrets undefined is invalid: is required: an array, each item an object (GeneratedSecret)',
    );
  });
});

describe('PlatformStack: the same Terraform requirement', () => {
  test('required_version >= 1.11.0 (ephemeral variables and set_wo)', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'paas-credentials-test-')), stackTraces: false });
    const platformStack = new PlatformStack(app, 'lab', { platform: LAB });
    expect(JSON.parse(Testing.synth(platformStack)).terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });
});

describe("the examples: every Secret their pods read comes from the cluster's credentials stack", () => {
  const tf = buildPlatformApp(fs.mkdtempSync(path.join(os.tmpdir(), 'paas-credentials-apps-')));
  const stacks = tf.node.children.filter((c): c is CredentialsStack => c instanceof CredentialsStack);

  test.each(CLUSTERS.map((c) => [c.platform.name, c] as const))('cluster %s', (name, cluster) => {
    const objects = synthObjects(buildClusterApp(cluster));
    const created = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    const refs = secretReferences(objects).filter((r) => !created.has(`${r.namespace}/${r.name}`));
    const s = stacks.find((st) => st.node.id === `${name}-credentials`);
    expect(refs.map((r) => `${r.namespace}/${r.name}`)).toEqual(s ? [...s.secretRefs].sort() : []);
    for (const r of refs) expect(s!.keysOf(r.namespace, r.name)).toEqual(expect.arrayContaining(r.keys));
  });

  test('the seeds stack creates the WordPress database Secret with the names the example gives', () => {
    const s = stacks.find((st) => st.node.id === 'seeds-credentials')!;
    const json = JSON.parse(Testing.synth(s));
    const wp = json.resource.kubernetes_secret_v1.wordpress__mariadb_credentials.data_wo;
    expect({ user: wp.user, database: wp.database }).toEqual({ user: 'wp', database: 'wordpress' });
  });
});
