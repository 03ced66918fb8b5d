import { App, Chart, Testing } from 'cdk8s';
import { StorageClassHandle } from '../../lib/storage/types';
import { StatefulStore } from '../../lib/workloads/stateful-store';
import { StoreEngine } from '../../lib/workloads/store-engines';
import { WebApp } from '../../lib/workloads/web-app';
import { expectValidManifests, synthObjects } from '../support';

const storage = StorageClassHandle.fromName('nfs-client', { enforcesSize: false });

function find(objects: any[], kind: string, name?: string): any {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''}`);
  return found;
}
function validObjects(chart: Chart): any[] {
  const objects = synthObjects(chart);
  expectValidManifests(objects);
  return objects;
}
function envOf(objects: any[], app: string): any[] {
  return find(objects, 'Deployment', app).spec.template.spec.containers[0].env ?? [];
}

describe('connect: WordPress to MariaDB', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new StatefulStore(chart, 'mariadb', { engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'mariadb-credentials' } });
  const web = new WebApp(chart, 'wordpress', { image: 'wordpress:6.7.1-apache' });
  const conn = db.connect(web, { prefix: 'WORDPRESS_DB_', hostIncludesPort: true, names: { database: 'WORDPRESS_DB_NAME' } });
  const objects = synthObjects(chart);

  test('everything passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('host:port, and user, password and database as Secret references', () => {
    expect(envOf(objects, 'wordpress')).toEqual(
      expect.arrayContaining([
        { name: 'WORDPRESS_DB_HOST', value: 'mariadb-0.mariadb.shop.svc.cluster.local:3306' },
        { name: 'WORDPRESS_DB_USER', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'user' } } },
        { name: 'WORDPRESS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'password' } } },
        { name: 'WORDPRESS_DB_NAME', valueFrom: { secretKeyRef: { name: 'mariadb-credentials', key: 'database' } } },
      ]),
    );
    expect(envOf(objects, 'wordpress').some((e: any) => e.name === 'WORDPRESS_DB_PORT')).toBe(false);
    expect(conn.envNames).toEqual(['WORDPRESS_DB_HOST', 'WORDPRESS_DB_USER', 'WORDPRESS_DB_PASSWORD', 'WORDPRESS_DB_NAME']);
  });
  test("the store lets the app's pods in to 3306", () => {
    const np = find(objects, 'NetworkPolicy', 'mariadb-from-wordpress');
    expect(np.metadata.namespace).toBe('shop');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'wordpress', 'app.kubernetes.io/name': 'wordpress' } } }],
          ports: [{ port: 3306, protocol: 'TCP' }],
        },
      ],
    });
    expect(conn.ingressPolicy.name).toBe('mariadb-from-wordpress');
  });
  test("the app's pods may go out to the store's pods on 3306", () => {
    const np = find(objects, 'NetworkPolicy', 'wordpress-to-mariadb');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'wordpress', 'app.kubernetes.io/name': 'wordpress' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'mariadb', 'app.kubernetes.io/name': 'mariadb' } } }],
          ports: [{ port: 3306, protocol: 'TCP' }],
        },
      ],
    });
    expect(conn.egressPolicy.name).toBe('wordpress-to-mariadb');
  });
});

describe('connect options', () => {
  test('default names from the store name; Redis hands over the password only', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const redis = new StatefulStore(chart, 'session-cache', { engine: StoreEngine.redis(), storage, credentials: { secretName: 'redis-auth' } });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    const conn = redis.connect(web);
    expect(conn.envNames).toEqual(['SESSION_CACHE_HOST', 'SESSION_CACHE_PORT', 'SESSION_CACHE_PASSWORD']);
    const env = envOf(validObjects(chart), 'web');
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'SESSION_CACHE_HOST', value: 'session-cache-0.session-cache.shop.svc.cluster.local' },
        { name: 'SESSION_CACHE_PORT', value: '6379' },
        { name: 'SESSION_CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } } },
      ]),
    );
  });

  test('readOnly connects to the read Service of Redis replicas; no credentials means host and port only', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const redis = new StatefulStore(chart, 'redis', { engine: StoreEngine.redis(), storage, replicas: 3 });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    const conn = redis.connect(web, { readOnly: true, names: { host: 'CACHE_URL_HOST', port: 'CACHE_URL_PORT' } });
    expect(conn.envNames).toEqual(['CACHE_URL_HOST', 'CACHE_URL_PORT']);
    expect(envOf(validObjects(chart), 'web')).toEqual(expect.arrayContaining([{ name: 'CACHE_URL_HOST', value: 'redis-read.shop.svc.cluster.local' }]));
  });

  test('an app in another namespace: policies select the peer namespace too', () => {
    const app = Testing.app();
    const data = new Chart(app, 'data', { namespace: 'data' });
    const blog = new Chart(app, 'blog', { namespace: 'blog' });
    const db = new StatefulStore(data, 'mariadb', { engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'mariadb-credentials' } });
    const web = new WebApp(blog, 'wordpress', { image: 'wordpress:6.7.1-apache' });
    db.connect(web);
    const dataObjects = synthObjects(data);
    const blogObjects = synthObjects(blog);
    expectValidManifests([...dataObjects, ...blogObjects]);
    const ingress = find(dataObjects, 'NetworkPolicy', 'mariadb-from-wordpress');
    expect(ingress.spec.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'blog' } });
    const egress = find(blogObjects, 'NetworkPolicy', 'wordpress-to-mariadb');
    expect(egress.metadata.namespace).toBe('blog');
    expect(egress.spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'data' } });
    expect(envOf(blogObjects, 'wordpress')).toEqual(expect.arrayContaining([{ name: 'MARIADB_HOST', value: 'mariadb-0.mariadb.data.svc.cluster.local' }]));
  });

  test('generic stores hand over only the keys given', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const store = new StatefulStore(chart, 'kv', {
      engine: StoreEngine.generic({ image: 'example/kv:1.2.0', port: 7000, dataPath: '/data' }),
      storage,
      credentials: { secretName: 'kv', userKey: 'login' },
    });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    expect(store.connect(web).envNames).toEqual(['KV_HOST', 'KV_PORT', 'KV_USER', 'KV_PASSWORD']);
  });

  test('fails if readOnly is asked of a store without a read Service', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const db = new StatefulStore(chart, 'mariadb', { engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'c' } });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    expect(() => db.connect(web, { readOnly: true })).toThrow(
      'test/mariadb: connect.readOnly true is invalid: needs a read Service, which only Redis stores with replicas >= 2 have (this is a MariaDB store with 1 replica(s))',
    );
  });

  test('fails if an env name is invalid', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const db = new StatefulStore(chart, 'mariadb', { engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'c' } });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    expect(() => db.connect(web, { prefix: '1DB_' })).toThrow(
      `test/mariadb: connect.names "1DB_HOST" is invalid: must consist of letters, digits, '_', '-' or '.', and not start with a digit`,
    );
  });

  test('fails if the same app is connected twice', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const db = new StatefulStore(chart, 'mariadb', { engine: StoreEngine.mariadb(), storage, credentials: { secretName: 'c' } });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    db.connect(web);
    expect(() => db.connect(web)).toThrow('test/mariadb: connect "test/web" is invalid: must be called once per app: this app is already connected');
  });

  test('plain App synth keeps working with connections across charts', () => {
    const app = new App({ outdir: '/tmp/never-written' });
    const c = new Chart(app, 'c', { namespace: 'ns' });
    const db = new StatefulStore(c, 'db', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'pg' } });
    db.connect(new WebApp(c, 'api', { image: 'nginx:1.27.3' }));
    const objects = synthObjects(app);
    expectValidManifests(objects);
    expect(
      objects
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['api', 'api-to-db', 'db', 'db-from-api']);
  });
});

describe('connect with credentialFiles: the Secret mounted in the app, *_FILE paths instead of values', () => {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const db = new StatefulStore(chart, 'mariadb', {
    engine: StoreEngine.mariadb(),
    storage,
    credentials: { secretName: 'mariadb-credentials' },
    credentialFiles: true,
  });
  const cache = new StatefulStore(chart, 'redis', {
    engine: StoreEngine.redis(),
    storage,
    credentials: { secretName: 'mariadb-credentials', passwordKey: 'redis' },
  });
  const web = new WebApp(chart, 'wordpress', { image: 'wordpress:6.7.1-apache' });
  const conn = db.connect(web, { prefix: 'WORDPRESS_DB_', hostIncludesPort: true, names: { database: 'WORDPRESS_DB_NAME' }, credentialFiles: true });
  // A second store with the same Secret at the same path reuses the mount.
  const connCache = cache.connect(web, { prefix: 'CACHE_', credentialFiles: true });
  const objects = synthObjects(chart);
  const pod = find(objects, 'Deployment', 'wordpress').spec.template.spec;

  test('everything passes strict schema, restricted and Polaris', () => {
    expectValidManifests(objects);
  });
  test('WORDPRESS_DB_USER_FILE, _PASSWORD_FILE, _NAME_FILE point into the mounted Secret; no secretKeyRef', () => {
    expect(conn.envNames).toEqual(['WORDPRESS_DB_HOST', 'WORDPRESS_DB_USER_FILE', 'WORDPRESS_DB_PASSWORD_FILE', 'WORDPRESS_DB_NAME_FILE']);
    expect(connCache.envNames).toEqual(['CACHE_HOST', 'CACHE_PORT', 'CACHE_PASSWORD_FILE']);
    const env = envOf(objects, 'wordpress');
    const ref = (name: string, key: string) => ({ valueFrom: { configMapKeyRef: { name, key } } });
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'WORDPRESS_DB_HOST', value: 'mariadb-0.mariadb.shop.svc.cluster.local:3306' },
        { name: 'WORDPRESS_DB_USER_FILE', ...ref('wordpress-mariadb-credential-files', 'wordpress-db-user-file') },
        { name: 'WORDPRESS_DB_PASSWORD_FILE', ...ref('wordpress-mariadb-credential-files', 'wordpress-db-auth-file') },
        { name: 'WORDPRESS_DB_NAME_FILE', ...ref('wordpress-mariadb-credential-files', 'wordpress-db-name-file') },
        { name: 'CACHE_PASSWORD_FILE', ...ref('wordpress-redis-credential-files', 'cache-auth-file') },
      ]),
    );
    expect(env.some((e: any) => e.valueFrom?.secretKeyRef)).toBe(false);
  });
  test("paths in ConfigMaps in the app's namespace (keys avoid the words Polaris' sensitive-content checks match)", () => {
    expect(find(objects, 'ConfigMap', 'wordpress-mariadb-credential-files').data).toEqual({
      'wordpress-db-user-file': '/run/secrets/mariadb-credentials/user',
      'wordpress-db-auth-file': '/run/secrets/mariadb-credentials/password',
      'wordpress-db-name-file': '/run/secrets/mariadb-credentials/database',
    });
    expect(find(objects, 'ConfigMap', 'wordpress-redis-credential-files').data).toEqual({ 'cache-auth-file': '/run/secrets/mariadb-credentials/redis' });
  });
  test('one read-only Secret volume, group-readable (0440)', () => {
    expect(pod.volumes.filter((v: any) => v.secret)).toEqual([
      { name: 'secret-mariadb-credentials', secret: { secretName: 'mariadb-credentials', defaultMode: 0o440 } },
    ]);
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.name === 'secret-mariadb-credentials')).toEqual([
      { name: 'secret-mariadb-credentials', mountPath: '/run/secrets/mariadb-credentials', readOnly: true },
    ]);
  });
  test("the store's own container reads MARIADB_*_FILE from the same Secret mounted read-only", () => {
    const sts = find(objects, 'StatefulSet', 'mariadb');
    const main = sts.spec.template.spec.containers[0];
    const ref = (key: string) => ({ valueFrom: { configMapKeyRef: { name: 'mariadb-credential-files', key } } });
    expect(main.env).toEqual([
      { name: 'MARIADB_ROOT_PASSWORD_FILE', ...ref('mariadb-root-auth-file') },
      { name: 'MARIADB_USER_FILE', ...ref('mariadb-user-file') },
      { name: 'MARIADB_PASSWORD_FILE', ...ref('mariadb-auth-file') },
      { name: 'MARIADB_DATABASE_FILE', ...ref('mariadb-database-file') },
    ]);
    expect(find(objects, 'ConfigMap', 'mariadb-credential-files').data).toEqual({
      'mariadb-root-auth-file': '/run/secrets/mariadb-credentials/root-password',
      'mariadb-user-file': '/run/secrets/mariadb-credentials/user',
      'mariadb-auth-file': '/run/secrets/mariadb-credentials/password',
      'mariadb-database-file': '/run/secrets/mariadb-credentials/database',
    });
    expect(main.volumeMounts).toContainEqual({ name: 'store-credentials', mountPath: '/run/secrets/mariadb-credentials', readOnly: true });
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'store-credentials', secret: { secretName: 'mariadb-credentials', defaultMode: 0o440 } });
    expect(db.credentialsPath).toBe('/run/secrets/mariadb-credentials');
    expect(cache.credentialsPath).toBeUndefined();
  });
  test('a custom mount path', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const pg = new StatefulStore(c, 'pg', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'pg' } });
    const api = new WebApp(c, 'api', { image: 'nginx:1.27.3' });
    pg.connect(api, { credentialFiles: true, credentialsPath: '/etc/db' });
    const o = synthObjects(c);
    expectValidManifests(o);
    expect(envOf(o, 'api')).toEqual(
      expect.arrayContaining([{ name: 'PG_PASSWORD_FILE', valueFrom: { configMapKeyRef: { name: 'api-pg-credential-files', key: 'pg-auth-file' } } }]),
    );
    expect(find(o, 'ConfigMap', 'api-pg-credential-files').data).toEqual({
      'pg-user-file': '/etc/db/user',
      'pg-auth-file': '/etc/db/password',
      'pg-database-file': '/etc/db/database',
    });
    expect(find(o, 'Deployment', 'api').spec.template.spec.containers[0].volumeMounts).toContainEqual({
      name: 'secret-pg',
      mountPath: '/etc/db',
      readOnly: true,
    });
  });
  test('fails if credentialFiles is asked of a store without credentials, or the path is bad or unused', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const redis = new StatefulStore(c, 'redis', { engine: StoreEngine.redis(), storage });
    const pg = new StatefulStore(c, 'pg', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'pg' } });
    const api = new WebApp(c, 'api', { image: 'nginx:1.27.3' });
    expect(() => redis.connect(api, { credentialFiles: true })).toThrow(
      'test/redis: connect.credentialFiles true is invalid: needs a store with credentials: this store references no Secret',
    );
    expect(() => pg.connect(api, { credentialFiles: true, credentialsPath: 'etc/db' })).toThrow(
      'test/pg: connect.credentialsPath "etc/db" is invalid: must be an absolute folder path such as "/run/secrets/db"',
    );
    expect(() => pg.connect(api, { credentialsPath: '/etc/db' })).toThrow(
      'test/pg: connect.credentialsPath "/etc/db" is invalid: is only used with credentialFiles: true',
    );
  });
  test('fails if two variable names map to one ConfigMap key', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const pg = new StatefulStore(c, 'pg', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'pg' } });
    const api = new WebApp(c, 'api', { image: 'nginx:1.27.3' });
    expect(() => pg.connect(api, { credentialFiles: true, names: { user: 'DB_AUTH', password: 'DB_PASSWORD' } })).toThrow(
      'test/pg: connect.names "DB_PASSWORD" is invalid: must not map to the same ConfigMap key "db-auth-file" as another variable (password is spelt auth there)',
    );
  });
  test('fails if a different Secret is mounted where another one is', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const a = new StatefulStore(c, 'a', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'a' } });
    const b = new StatefulStore(c, 'b', { engine: StoreEngine.postgres(), storage, credentials: { secretName: 'b' } });
    const api = new WebApp(c, 'api', { image: 'nginx:1.27.3' });
    a.connect(api, { credentialFiles: true, credentialsPath: '/etc/db' });
    expect(() => b.connect(api, { credentialFiles: true, credentialsPath: '/etc/db' })).toThrow(
      'test/api: mountSecret "/etc/db" is invalid: is already a mount path of this app',
    );
  });
});

describe('WebApp.mountSecret (used by connect with credentialFiles)', () => {
  test('fails if the Secret name is invalid or the path relative', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    expect(() => web.mountSecret('Bad_Name', '/run/secrets/x')).toThrow('test/web: mountSecret "Bad_Name" is invalid: must be a DNS-1123 subdomain');
    expect(() => web.mountSecret('good', 'run/secrets/good')).toThrow('test/web: mountSecret "run/secrets/good" is invalid: must be an absolute path');
  });
  test('the same Secret at two paths: one volume, two read-only mounts', () => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const web = new WebApp(chart, 'web', { image: 'nginx:1.27.3' });
    web.mountSecret('db', '/run/secrets/db');
    web.mountSecret('db', '/etc/db');
    web.mountSecret('db', '/etc/db');
    const objects = validObjects(chart);
    const pod = find(objects, 'Deployment', 'web').spec.template.spec;
    expect(pod.volumes.filter((v: any) => v.secret)).toEqual([{ name: 'secret-db', secret: { secretName: 'db', defaultMode: 0o440 } }]);
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.name === 'secret-db')).toEqual([
      { name: 'secret-db', mountPath: '/run/secrets/db', readOnly: true },
      { name: 'secret-db', mountPath: '/etc/db', readOnly: true },
    ]);
  });
});
