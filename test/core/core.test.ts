import { formatProblem, PaasValidationError } from '../../lib/core/errors';
import { checkImage } from '../../lib/core/image';
import { imageVersion } from '../../lib/core/labels';
import { checkDnsLabel, checkPortNumber, defaultName, truncateName } from '../../lib/core/names';
import { helmFullname } from '../../lib/platform-spec';
import { checkCpu, checkInteger, checkMemory, formatBytes, formatCpu, parseBytes, parseCpuMillis } from '../../lib/core/quantities';

describe('quantities', () => {
  test.each([
    ['100m', 100],
    ['0.5', 500],
    ['2', 2000],
  ])('CPU %s is %d millicores', (q, m) => expect(parseCpuMillis(q)).toBe(m));
  test.each([
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['500M', 500e6],
    ['1024', 1024],
  ])('memory %s is %d bytes', (q, b) => expect(parseBytes(q)).toBe(b));
  test('formats', () => {
    expect(formatCpu(1500)).toBe('1500m');
    expect(formatCpu(2000)).toBe('2');
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
  });
  test('fails if memory uses lower-case units, with a hint', () => {
    expect(() => checkMemory('p', 'm', '128mi')).toThrow(
      'p: m "128mi" is invalid: must be a positive memory quantity such as "128Mi", "1Gi" or "500M" (units are case-sensitive: did you mean "128Mi"?)',
    );
  });
  test('fails if memory uses m (milli-bytes), with a hint', () => {
    expect(() => checkMemory('p', 'm', '512m')).toThrow('("m" means thousandths of a byte here: did you mean "512Mi"?)');
  });
  test('fails if CPU is finer than a millicore', () => {
    expect(() => checkCpu('p', 'c', '0.0005')).toThrow('p: c "0.0005" is invalid: must not be finer than 1 millicore ("0.0005" is below "1m")');
  });
  test('fails if a count is not an integer of at least its minimum', () => {
    expect(checkInteger('p', 'n', 0, 0)).toBe(0);
    expect(() => checkInteger('p', 'n', 0, 1)).toThrow('p: n 0 is invalid: must be an integer >= 1');
    expect(() => checkInteger('p', 'n', 1.5, 0)).toThrow('p: n 1.5 is invalid: must be an integer >= 0');
  });
});

describe('names and images', () => {
  test('default names are readable', () => expect(defaultName('My_Web App')).toBe('my-web-app'));
  test('fails if a port number is outside 1-65535', () => {
    expect(checkPortNumber('p', 'port', 65535)).toBe(65535);
    expect(() => checkPortNumber('p', 'port', 0)).toThrow('p: port 0 is invalid: must be a port number 1-65535');
    expect(() => checkPortNumber('p', 'port', 65536)).toThrow('p: port 65536 is invalid: must be a port number 1-65535');
  });
  test('fails if a label is too long', () => {
    expect(() => checkDnsLabel('p', 'name', 'a'.repeat(53), 52)).toThrow(/must be a DNS-1123 label: 1-52 characters/);
  });
  test('image versions', () => {
    expect(imageVersion('registry:5000/team/app:1.2.3')).toBe('1.2.3');
    expect(imageVersion('registry:5000/team/app@sha256:abc')).toBeUndefined();
  });
  test('registry with port and tag passes', () => expect(checkImage('p', 'image', 'harbor.test:8443/lib/app:1.0')).toBe('harbor.test:8443/lib/app:1.0'));
  test('fails if an image reference is malformed', () => {
    expect(() => checkImage('p', 'image', 'Nginx:1.0')).toThrow(
      'p: image "Nginx:1.0" is invalid: must be an image reference such as "nginx:1.27.3" or "registry.example.com/team/app@sha256:<64 hex>"',
    );
  });
});

describe('error type', () => {
  test('carries path, field, value and what is valid', () => {
    const e = new PaasValidationError({ path: 'a/b', field: 'replicas', value: -1, expected: 'must be >= 0' });
    expect(e.message).toBe('a/b: replicas -1 is invalid: must be >= 0');
    expect([e.path, e.field]).toEqual(['a/b', 'replicas']);
    expect(formatProblem({ path: 'x', field: 'f', value: { a: 1 }, expected: 'e' })).toBe('x: f {"a":1} is invalid: e');
  });
});

describe('generated names', () => {
  test('a cut name never ends with a dash', () => {
    expect(truncateName(`${'a'.repeat(61)}--bc`)).toBe('a'.repeat(61));
    expect(truncateName('short-name')).toBe('short-name');
  });
  test("Helm's fullname drops exactly one trailing dash after the cut, as the chart does", () => {
    expect(helmFullname('nfs-provisioner', 'nfs-subdir-external-provisioner')).toBe('nfs-provisioner-nfs-subdir-external-provisioner');
    expect(helmFullname('my-nfs-subdir-external-provisioner', 'nfs-subdir-external-provisioner')).toBe('my-nfs-subdir-external-provisioner');
    expect(helmFullname(`${'r'.repeat(61)}--x`, 'chart')).toBe(`${'r'.repeat(61)}-`);
  });
});
