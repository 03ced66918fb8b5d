import { cidrProblem, ipBlockProblems, parseCidr } from '../../lib/core/network';
import { NetworkPeer } from '../../lib/networking/network-peer';

const CIDR = 'must be an IPv4 or IPv6 CIDR such as "10.0.0.0/8" or "fd00::/8"';

// What 1.28's ValidateIPBlock accepts through ValidateCIDR (netutils.ParseCIDRSloppy).
describe('parseCidr mirrors the API server (ValidateIPBlock → ValidateCIDR → ParseCIDRSloppy)', () => {
  test.each([
    '10.0.0.0/8',
    '0.0.0.0/0',
    '10.0.0.1/8',
    '192.168.1.1/32',
    'fd00::/8',
    '::/0',
    '::1/128',
    '2001:db8::/64',
    '1:2:3:4:5:6:7:8/64',
    '::ffff:10.0.0.0/104',
    'FD00::/8',
  ])('%s is accepted', (cidr) => {
    expect(parseCidr(cidr)).toBeDefined();
  });

  test.each([
    ':::::/64',
    '1:2/64',
    '1:2:3:4:5:6:7:8:9/64',
    '1::2::3/64',
    '12345::/16',
    '10.0.0.0',
    '10.0.0.0/33',
    'fd00::/129',
    '10.0.0/8',
    '256.0.0.0/8',
    '10.0.0.0/',
    '10.0.0.0/-1',
    'fe80::1%eth0/64',
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '',
  ])('%j is refused', (cidr) => {
    expect(parseCidr(cidr)).toBeUndefined();
    expect(cidrProblem(cidr)).toBe(CIDR);
  });

  test('IPv4 leading zeros are refused, although the sloppy parser reads them as decimal: other tools read octal', () => {
    expect(cidrProblem('010.0.0.0/8')).toBe(`${CIDR}, without leading zeros in IPv4 octets (read as decimal by the API server, as octal by other tools)`);
    expect(parseCidr('10.0.0.0/08')).toBeUndefined();
  });

  test('non-strings are not CIDRs (plain JavaScript)', () => {
    expect(parseCidr(10)).toBeUndefined();
    expect(cidrProblem(null)).toBe(CIDR);
  });

  test('except must be a strict subset of cidr: same family, inside it, a longer prefix', () => {
    expect(ipBlockProblems('10.0.0.0/8', ['10.1.0.0/16', '10.0.5.1/32'])).toEqual([]);
    const subset = 'must be a strict subset of the cidr "10.0.0.0/8" (the API server refuses it otherwise)';
    expect(ipBlockProblems('10.0.0.0/8', ['11.0.0.0/16', '10.0.0.0/8', '10.0.0.0/4', 'fd00::/16'])).toEqual([
      { field: 'except[0]', value: '11.0.0.0/16', expected: subset },
      { field: 'except[1]', value: '10.0.0.0/8', expected: subset },
      { field: 'except[2]', value: '10.0.0.0/4', expected: subset },
      { field: 'except[3]', value: 'fd00::/16', expected: subset },
    ]);
  });
});

describe('NetworkPeer.cidr', () => {
  test('reports every bad CIDR at once', () => {
    expect(() => NetworkPeer.cidr(':::::/64', ['1:2/64', '10.0.0.0/8'])).toThrow(
      ['2 problems:', `  - NetworkPeer: cidr ":::::/64" is invalid: ${CIDR}`, `  - NetworkPeer: except[0] "1:2/64" is invalid: ${CIDR}`].join('\n'),
    );
    expect(() => NetworkPeer.cidr('10.0.0.0/16', ['10.1.0.0/24'])).toThrow(
      'NetworkPeer: except[0] "10.1.0.0/24" is invalid: must be a strict subset of the cidr "10.0.0.0/16" (the API server refuses it otherwise)',
    );
    expect(() => NetworkPeer.cidr('10.0.0.0/8', '10.1.0.0/16' as unknown as string[])).toThrow(
      'NetworkPeer: except "10.1.0.0/16" is invalid: must be an array of CIDRs',
    );
  });
});
