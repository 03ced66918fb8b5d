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
    const env = envOf(synthObjects(chart), 'web');
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
    expect(envOf(synthObjects(chart), 'web')).toEqual(expect.arrayContaining([{ name: 'CACHE_URL_HOST', value: 'redis-read.shop.svc.cluster.local' }]));
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
    expect(
      synthObjects(app)
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['api', 'api-to-db', 'db', 'db-from-api']);
  });
});
