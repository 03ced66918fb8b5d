import { createHash } from 'crypto';
import { checkPortName, fitName, isPortName, MAX_LABEL_NAME } from '../../lib/core/names';
import { checkLabelValue, isLabelKey, isLabelValue } from '../../lib/core/labels';

describe('derived names (docs/webapp.md, "Names")', () => {
  test('a name that fits is kept as it is', () => {
    expect(fitName('web-from-ingress-nginx')).toBe('web-from-ingress-nginx');
    expect(fitName('a'.repeat(63))).toBe('a'.repeat(63));
  });
  test('a long name is cut and ends in a stable hash of the whole name', () => {
    const long = `${'a'.repeat(62)}-from-ingress-nginx`;
    const fitted = fitName(long);
    expect(fitted).toBe(`${'a'.repeat(54)}-${createHash('sha256').update(long).digest('hex').slice(0, 8)}`);
    expect(fitted).toHaveLength(MAX_LABEL_NAME);
    expect(fitted).toMatch(/^a{54}-[0-9a-f]{8}$/);
    expect(fitName(long)).toBe(fitted);
  });
  test("a derived name never cuts back to its source: a 62-character app's route policy differs from the app's own", () => {
    const app = 'a'.repeat(62);
    expect(fitName(`${app}-from-ingress-nginx`)).not.toBe(app);
    expect(fitName(`${app}-from-ingress-nginx`)).not.toBe(fitName(`${app}-from-ingress-nginx-x`));
  });
  test('a cut never leaves a dash or dot before the hash', () => {
    expect(fitName(`${'a'.repeat(53)}--bbbbbbbbbbbbbbb`)).toMatch(/^a{53}-[0-9a-f]{8}$/);
    expect(fitName(`${'a'.repeat(40)}.-b`, 42)).toMatch(/^a{33}-[0-9a-f]{8}$/);
  });
  test('another limit: StatefulSet names (52)', () => {
    expect(fitName('s'.repeat(60), 52)).toHaveLength(52);
  });
});

describe('labels', () => {
  test('label values as the API server checks them', () => {
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('my-shop_1.0')).toBe(true);
    expect(isLabelValue('My Shop')).toBe(false);
    expect(isLabelValue('-x')).toBe(false);
    expect(isLabelValue('x'.repeat(64))).toBe(false);
  });
  test('label keys: optional DNS subdomain prefix and a name', () => {
    expect(isLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(isLabelKey('name')).toBe(true);
    expect(isLabelKey('Example.com/x')).toBe(false);
    expect(isLabelKey('/x')).toBe(false);
    expect(isLabelKey(`a/${'x'.repeat(64)}`)).toBe(false);
  });
  test('fails if a user label value is not one', () => {
    expect(() => checkLabelValue('app/web', 'appName', 'My Shop')).toThrow(
      "app/web: appName \"My Shop\" is invalid: must be a label value: 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (it becomes an app.kubernetes.io/* label)",
    );
  });
});

describe('port names from plain JavaScript', () => {
  test('a missing or non-string port name is refused, not a TypeError (RegExp.test(undefined) matches "undefined")', () => {
    expect(isPortName(undefined as never)).toBe(false);
    expect(isPortName(7 as never)).toBe(false);
    expect(() => checkPortName('app/agent', 'ports[1].name', undefined as never)).toThrow(
      "app/agent: ports[1].name undefined is invalid: must be an IANA service name: 1-15 lower-case letters, digits and single '-', at least one letter",
    );
  });
});
