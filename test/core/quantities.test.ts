import { checkCpu, checkMemory, checkStorage, formatBytes, parseBytes, parseCpuMillis, parseQuantity } from '../../lib/core/quantities';

const CPU = 'must be a positive CPU quantity in cores ("0.5", "2") or millicores ("100m")';
const MEM = 'must be a positive memory quantity such as "128Mi", "1Gi" or "500M"';

describe('the Kubernetes quantity grammar (resource.ParseQuantity)', () => {
  test.each([
    ['1', 1],
    ['.5', 0.5],
    ['1.', 1],
    ['+1', 1],
    ['-1', -1],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['1E', 1e18],
    ['500n', 5e-7],
    ['2u', 2e-6],
    ['1k', 1000],
    ['1Ki', 1024],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['0', 0],
  ])('%s is a quantity of %d', (text, value) => {
    expect(parseBytes(text)).toBeCloseTo(value, 12);
  });

  test.each(['', '.', '1 Gi', '1GB', '1e', 'e3', '0x10', '1.2.3', '1ki', '--1', '1e3Mi', 'Infinity', 'NaN', ' 1'])('%j is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('JS numbers are read as their decimal text; NaN, Infinity and other types are not quantities', () => {
    expect(parseCpuMillis(0.25)).toBe(250);
    expect(parseBytes(1e21)).toBe(1e21); // String(1e21) is "1e+21", a decimal exponent
    expect(parseQuantity(NaN)).toBeUndefined();
    expect(parseQuantity(Infinity)).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(parseQuantity({})).toBeUndefined();
  });

  test('arithmetic is exact: "1.1" cores is 1100 millicores, not 1100.0000000000002', () => {
    expect(parseCpuMillis('1.1')).toBe(1100);
    expect(checkCpu('p', 'cpu', '1.1')).toBe('1.1');
    expect(checkCpu('p', 'cpu', '0.001')).toBe('0.001');
  });
});

describe('checkCpu / checkMemory / checkStorage', () => {
  test('keep user strings as written and write JS numbers as strings', () => {
    expect(checkCpu('p', 'cpu', '.5')).toBe('.5');
    expect(checkCpu('p', 'cpu', '+250m')).toBe('+250m');
    expect(checkCpu('p', 'cpu', '5e-1')).toBe('5e-1');
    expect(parseQuantity('1e3m')).toBeUndefined(); // an exponent or a suffix, not both
    expect(checkCpu('p', 'cpu', 0.25)).toBe('0.25');
    expect(checkCpu('p', 'cpu', 2)).toBe('2');
    expect(checkMemory('p', 'memory', '1e9')).toBe('1e9');
    expect(checkMemory('p', 'memory', 134217728)).toBe('134217728');
    expect(checkStorage('p', 'size', '.5Gi')).toBe('.5Gi');
  });

  test('fail on negative and zero amounts (the API server refuses negative resources and sizes)', () => {
    expect(() => checkCpu('p', 'cpu', '-1')).toThrow(`p: cpu "-1" is invalid: ${CPU} (the API server refuses negative amounts)`);
    expect(() => checkCpu('p', 'cpu', -0.5)).toThrow(`p: cpu -0.5 is invalid: ${CPU} (the API server refuses negative amounts)`);
    expect(() => checkCpu('p', 'cpu', '0')).toThrow(`p: cpu "0" is invalid: ${CPU}`);
    expect(() => checkMemory('p', 'memory', '-128Mi')).toThrow(`p: memory "-128Mi" is invalid: ${MEM} (the API server refuses negative amounts)`);
    expect(() => checkStorage('p', 'size', '-1Gi')).toThrow(
      'p: size "-1Gi" is invalid: must be a positive storage quantity such as "1Gi" or "500Mi" (the API server refuses negative amounts)',
    );
  });

  test('fail on what is not a quantity, from plain JavaScript too', () => {
    expect(() => checkCpu('p', 'cpu', NaN)).toThrow(`p: cpu NaN is invalid: ${CPU}`);
    expect(() => checkCpu('p', 'cpu', { m: 1 } as unknown as string)).toThrow(`p: cpu {"m":1} is invalid: ${CPU} (got {"m":1}, a object)`);
    expect(() => checkMemory('p', 'memory', true as unknown as string)).toThrow(`p: memory true is invalid: ${MEM} (got true, a boolean)`);
    expect(() => checkCpu('p', 'cpu', '2Gi')).toThrow(
      `p: cpu "2Gi" is invalid: ${CPU} (that looks like a memory quantity; CPU is given in cores such as "0.5" or millicores such as "500m")`,
    );
  });

  test('fail on a fraction of a millicore or of a byte', () => {
    expect(() => checkCpu('p', 'cpu', '500u')).toThrow('p: cpu "500u" is invalid: must not be finer than 1 millicore ("0.0005" is below "1m")');
    expect(checkCpu('p', 'cpu', '1000000n')).toBe('1000000n');
    expect(() => checkMemory('p', 'memory', '128m')).toThrow(
      `p: memory "128m" is invalid: ${MEM} ("m" means thousandths of a byte here: did you mean "128Mi"?)`,
    );
    expect(checkMemory('p', 'memory', '0.5Ki')).toBe('0.5Ki');
  });

  test('formatBytes picks the largest binary unit that divides', () => {
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBytes(1536)).toBe('1536');
    expect(formatBytes(2 ** 60)).toBe('1Ei');
  });
});
