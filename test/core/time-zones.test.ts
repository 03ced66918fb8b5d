import * as fs from 'fs';
import { canonicalTimeZone, timeZoneProblem, TZDATA_VERSION } from '../../lib/core/time-zones';
import { TZ_LINKS, TZ_ZONES } from '../../lib/core/data/time-zones';
import { parseTzdataZi, renderModule } from '../../scripts/gen-time-zones';

const UNKNOWN = `must be an IANA time zone name (a zone or an alias) such as "Europe/Berlin" or "UTC", checked against tzdata ${TZDATA_VERSION}`;
const SHAPE =
  'must be an IANA time zone name such as "Europe/Berlin" or "UTC": each "/"-separated part 1-14 letters, digits, ".", "-", "_" or "+", not "." or "..", not starting with "-"';
const LOCAL =
  'must name an explicit IANA time zone such as "Europe/Berlin" or "UTC": "Local" (the kube-controller-manager\'s own zone) is refused by the API server';

describe('timeZoneProblem: as the API server checks a CronJob timeZone', () => {
  test.each([
    ['UTC'],
    ['Etc/UTC'],
    ['Europe/Berlin'],
    ['Asia/Shanghai'],
    ['America/Argentina/ComodRivadavia'], // a 14-character part, an alias
    ['America/North_Dakota/New_Salem'],
    ['US/Pacific'], // backward alias
    ['Asia/Calcutta'], // backward alias Intl does not list
    ['GMT0'],
    ['Etc/GMT+5'],
    ['Etc/GMT-14'],
    ['EST5EDT'],
    ['Factory'],
  ])('accepts %s', (name) => expect(timeZoneProblem(name)).toBeUndefined());

  test.each([
    ['Europe/Atlantis', UNKNOWN],
    ['Mars/Olympus', UNKNOWN],
    ['CEST', UNKNOWN],
    ['europe/berlin', `${UNKNOWN} (names are case-sensitive: did you mean "Europe/Berlin"?)`],
    ['utc', `${UNKNOWN} (names are case-sensitive: did you mean "UTC"?)`],
    ['Local', LOCAL],
    ['LOCAL', LOCAL],
    ['', 'must not be empty: name an IANA time zone such as "Europe/Berlin" or "UTC", or leave timeZone unset for the kube-controller-manager\'s own zone'],
    ['/etc/localtime', SHAPE],
    ['Europe/../Berlin', SHAPE],
    ['Europe//Berlin', SHAPE],
    ['Europe/Berlin/', SHAPE],
    ['./UTC', SHAPE],
    ['-UTC', SHAPE],
    ['UTC+01:00', SHAPE],
    ['Europe/Berlin Time', SHAPE],
    ['America/Argentina/ComodRivadaviaX', SHAPE], // a part over 14 characters
  ])('refuses %j', (name, message) => expect(timeZoneProblem(name)).toBe(message));

  test('fails cleanly on a non-string from plain JavaScript', () => {
    expect(timeZoneProblem(42 as unknown as string)).toBe('must be a string naming an IANA time zone such as "Europe/Berlin" or "UTC"');
  });

  test('aliases resolve to their zone', () => {
    expect(canonicalTimeZone('US/Pacific')).toBe('America/Los_Angeles');
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('toString')).toBe('toString');
  });

  test('every generated name passes the Kubernetes name rule', () => {
    for (const name of [...TZ_ZONES, ...Object.keys(TZ_LINKS)]) expect([name, timeZoneProblem(name)]).toEqual([name, undefined]);
  });
});

describe('scripts/gen-time-zones.ts', () => {
  const SAMPLE = [
    '# version 2099z',
    '# comment',
    'R EU 1981 ma - Mar lastSu 1u 1 S',
    'Z Europe/Berlin 0:53:28 - LMT 1893 Ap',
    'Z Etc/UTC 0 - UTC',
    'L Etc/UTC UTC',
    'L Europe/Berlin Europe/Busingen_Alias',
    '',
  ].join('\n');

  test('keeps zone and link names and the version, nothing else', () => {
    expect(parseTzdataZi(SAMPLE)).toEqual({
      version: '2099z',
      zones: ['Etc/UTC', 'Europe/Berlin'],
      links: { 'Europe/Busingen_Alias': 'Europe/Berlin', UTC: 'Etc/UTC' },
    });
  });

  test('fails without a version line', () => {
    expect(() => parseTzdataZi('Z Etc/UTC 0 - UTC')).toThrow('tzdata.zi has no "# version" line');
  });

  test('the committed data is what the generator makes from the same tzdata release', () => {
    const committed = fs.readFileSync(`${__dirname}/../../lib/core/data/time-zones.ts`, 'utf8');
    const zi = '/usr/share/zoneinfo/tzdata.zi';
    const installed = fs.existsSync(zi) ? parseTzdataZi(fs.readFileSync(zi, 'utf8')) : undefined;
    if (installed?.version === TZDATA_VERSION) expect(renderModule(installed)).toBe(committed);
    else expect(renderModule({ version: TZDATA_VERSION, zones: TZ_ZONES, links: TZ_LINKS })).toBe(committed);
  });
});
