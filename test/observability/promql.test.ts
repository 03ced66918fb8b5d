import { Duration } from 'cdk8s';
import { claimNamePattern, isLabelName, isMetricName, podNamePattern, prometheusDuration, quote, selector } from '../../lib/observability/promql';

/** PromQL regex matchers are fully anchored. */
const matches = (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(value);

describe('prometheusDuration', () => {
  test.each([
    [Duration.seconds(30), '30s'],
    [Duration.minutes(90), '1h30m'],
    [Duration.millis(1500), '1s500ms'],
    [Duration.days(1), '24h'],
    [Duration.hours(2), '2h'],
  ])('%s -> %s', (d, expected) => {
    expect(prometheusDuration('p', 'f', d)).toBe(expected);
  });

  test('the rendered form fits the CRD duration pattern', () => {
    const crdPattern = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;
    for (const d of [Duration.millis(1), Duration.seconds(61), Duration.hours(49), Duration.millis(3_723_004)]) {
      expect(prometheusDuration('p', 'f', d)).toMatch(crdPattern);
    }
  });
});

describe('podNamePattern', () => {
  test("Deployment pods, not those of a Deployment whose name extends the app's", () => {
    const p = podNamePattern({ name: 'web', kind: 'Deployment' });
    expect(matches(p, 'web-5d8f7c9b4-x2x7q')).toBe(true);
    expect(matches(p, 'web-api-5d8f7c9b4-x2x7q')).toBe(false);
    expect(matches(p, 'web-0')).toBe(false);
  });

  test('StatefulSet pods by ordinal', () => {
    const p = podNamePattern({ name: 'mysql', kind: 'StatefulSet' });
    expect(matches(p, 'mysql-0')).toBe(true);
    expect(matches(p, 'mysql-12')).toBe(true);
    expect(matches(p, 'mysql-backup-0')).toBe(false);
  });

  test('names with dots are escaped', () => {
    expect(podNamePattern({ name: 'a.b', kind: 'StatefulSet' })).toBe('a\\.b-[0-9]+');
  });
});

test('claimNamePattern matches volumeClaimTemplate claims of that StatefulSet only', () => {
  const p = claimNamePattern('mysql');
  expect(matches(p, 'data-mysql-0')).toBe(true);
  expect(matches(p, 'mysql-data-mysql-2')).toBe(true);
  expect(matches(p, 'data-mysql-backup-0')).toBe(false);
  expect(matches(p, 'mysql-0')).toBe(false);
});

test('quote escapes backslashes and double quotes', () => {
  expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
  expect(
    selector([
      ['namespace', '=', 'shop'],
      ['pod', '=~', 'web-.*'],
    ]),
  ).toBe('{namespace="shop", pod=~"web-.*"}');
});

test('metric and label names', () => {
  expect(isMetricName('http_requests_total')).toBe(true);
  expect(isMetricName('job:rate5m')).toBe(true);
  expect(isMetricName('1x')).toBe(false);
  expect(isLabelName('code')).toBe(true);
  expect(isLabelName('__name__')).toBe(false);
  expect(isLabelName('a:b')).toBe(false);
});
